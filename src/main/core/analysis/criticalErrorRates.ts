import { bootstrapMeanCI, bootstrapSettings, type BootstrapOptions } from './bootstrapMeanCI';
import { fnv1a } from './fnv1a';

export interface CriticalErrorRow {
  model: string;
  method: string;
  lang: string;
  /** The critical-error labels of one generation (human or detector, the caller decides); none = clean. */
  labels: readonly string[];
}

export interface CriticalErrorRatesOptions extends BootstrapOptions {
  /**
   * The labels to report, in this order, for every group (a label nobody used gets rate 0, which a chart needs).
   * Default: every label found in the rows, sorted.
   */
  labels?: readonly string[];
}

export interface CriticalErrorRate {
  model: string;
  method: string;
  lang: string;
  label: string;
  /** Generations in the model × method × lang group. */
  n: number;
  /** How many of them carry the label. */
  count: number;
  /** count / n. */
  rate: number;
  /** Percentile-bootstrap CI of the rate (default 95 %, 2000 resamples); [rate, rate] when count is 0 or n. */
  low: number;
  high: number;
}

/**
 * Critical-error rate per model × method × lang × label, with a bootstrap CI, one row per cell, ready for a chart.
 * A generation with several labels counts for each. Groups are sorted by model, method, lang; labels follow
 * `options.labels`. Each cell's bootstrap is seeded with (seed XOR hash of its key), so a cell's interval does not
 * depend on the other rows or their order, and neighbouring cells do not share one resampling pattern.
 */
export function criticalErrorRates(rows: readonly CriticalErrorRow[], options: CriticalErrorRatesOptions = {}): CriticalErrorRate[] {
  const { resamples, seed, level } = bootstrapSettings(options);
  const labels = options.labels ?? [...new Set(rows.flatMap((r) => r.labels))].sort();
  const groups = new Map<string, { model: string; method: string; lang: string; rows: CriticalErrorRow[] }>();
  for (const row of rows) {
    const key = JSON.stringify([row.model, row.method, row.lang]);
    let g = groups.get(key);
    if (!g) groups.set(key, (g = { model: row.model, method: row.method, lang: row.lang, rows: [] }));
    g.rows.push(row);
  }
  const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
  const sorted = [...groups.values()].sort((a, b) => cmp(a.model, b.model) || cmp(a.method, b.method) || cmp(a.lang, b.lang));
  const out: CriticalErrorRate[] = [];
  for (const g of sorted) {
    for (const label of labels) {
      const indicators = g.rows.map((r) => (r.labels.includes(label) ? 1 : 0));
      const count = indicators.reduce<number>((a, b) => a + b, 0);
      const cellSeed = (seed ^ fnv1a(JSON.stringify([g.model, g.method, g.lang, label]))) >>> 0;
      const ci = bootstrapMeanCI(indicators, { resamples, seed: cellSeed, level })!;
      const n = g.rows.length;
      out.push({ model: g.model, method: g.method, lang: g.lang, label, n, count, rate: count / n, low: ci.low, high: ci.high });
    }
  }
  return out;
}

import { ANY_CRITICAL_ERROR } from '../../../shared/detection';
import { wilsonInterval } from './wilson';
import type { CriticalErrorRate } from '../../../shared/annotations';

export { ANY_CRITICAL_ERROR };

export interface CriticalErrorRow {
  model: string;
  method: string;
  lang: string;
  /** The critical-error labels of one generation (human or detector, the caller decides); none = clean. */
  labels: readonly string[];
}

export interface CriticalErrorRatesOptions {
  /** Confidence level of the Wilson intervals (default 0.95). */
  level?: number;
  /** Add an ANY_CRITICAL_ERROR row per group (default true): labels overlap, so it cannot be summed from them. */
  any?: boolean;
  /**
   * The labels to report, in this order, for every group (a label nobody used gets rate 0, which a chart needs).
   * Default: every label found in the rows, sorted.
   */
  labels?: readonly string[];
}

export type { CriticalErrorRate };

/**
 * Critical-error rate per model × method × lang × label, with a Wilson interval, one row per cell, ready for a chart.
 * A generation with several labels counts for each; the ANY_CRITICAL_ERROR row counts it once. Groups are sorted by
 * model, method, lang; labels follow `options.labels`, then the "any" row.
 */
export function criticalErrorRates(rows: readonly CriticalErrorRow[], options: CriticalErrorRatesOptions = {}): CriticalErrorRate[] {
  const level = options.level ?? 0.95;
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
    const n = g.rows.length;
    const cell = (label: string, count: number) => {
      const ci = wilsonInterval(count, n, level)!;
      out.push({ model: g.model, method: g.method, lang: g.lang, label, n, count, rate: count / n, low: ci.low, high: ci.high });
    };
    for (const label of labels) cell(label, g.rows.filter((r) => r.labels.includes(label)).length);
    if (options.any ?? true) cell(ANY_CRITICAL_ERROR, g.rows.filter((r) => r.labels.length > 0).length);
  }
  return out;
}

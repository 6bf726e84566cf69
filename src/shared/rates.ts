/**
 * `results.rates` / `align rates` (issue 13): per run × language, the strict Language Confusion Benchmark LPR with
 * its Wilson interval and, per critical-error label (plus "any critical error"), count, rate and Wilson interval.
 * Field names are a contract with outside scripts (JSON and CSV exports): add fields, never rename them.
 */

import { toCsv } from './csvSafe';
import { ANY_CRITICAL_ERROR } from './detection';

/** Where a generation's critical-error labels come from: its detector findings, or its annotators (majority). */
export type RateSource = 'detector' | 'human';

export interface LabelRate {
  count: number;
  rate: number;
  ci_low: number;
  ci_high: number;
}

export interface RunRateRow {
  run_id: number;
  lang: string;
  /** Generations of the run in this language (every label rate divides by it). */
  n: number;
  /** 1 − failing / checked; null when no answer had a line of ≥ 5 tokens (the LCB would print 1). */
  lpr: number | null;
  /** Answers with at least one checked line: LPR's denominator. */
  lpr_checked: number;
  /** Mean per-answer line accuracy (the LCB's `acc`), null when nothing was checked. */
  lpr_acc: number | null;
  lpr_ci_low: number | null;
  lpr_ci_high: number | null;
  /** Answers without a stored LCB verdict (detect not run with language 2.0.0+): LPR leaves them out. */
  lpr_missing: number;
  /** Per label, then "any critical error" last. */
  labels: Record<string, LabelRate>;
}

/** CSV column prefix of a label: "any critical error" → "any", "code-leak" → "code_leak". */
const prefix = (label: string) => (label === ANY_CRITICAL_ERROR ? 'any' : label.replace(/[^A-Za-z0-9]+/g, '_'));

/**
 * `--format json`: one array; `csv` (every cell quoted, see shared/csvSafe): a header and one line per row, label
 * columns `<label>_count|rate|ci_low|ci_high`.
 */
export function formatRunRates(rows: readonly RunRateRow[], format: 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const labels = Object.keys(rows[0]?.labels ?? {});
  const fixed = ['run_id', 'lang', 'n', 'lpr', 'lpr_checked', 'lpr_acc', 'lpr_ci_low', 'lpr_ci_high', 'lpr_missing'] as const;
  const header = [...fixed, ...labels.flatMap((l) => ['count', 'rate', 'ci_low', 'ci_high'].map((k) => `${prefix(l)}_${k}`))];
  return toCsv(
    header,
    rows.map((r) => [...fixed.map((k) => r[k]), ...labels.flatMap((l) => { const x = r.labels[l]!; return [x.count, x.rate, x.ci_low, x.ci_high]; })]),
  );
}

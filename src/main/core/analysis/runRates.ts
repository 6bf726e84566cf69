/**
 * Rows of `align rates` (issue 13): per run × language, the strict LCB LPR with its Wilson interval and, per
 * critical-error label (plus "any critical error"), count, rate and Wilson interval. Pure: the caller reads the
 * generations' labels and the language detector's stored LCB verdicts (signals `lcbVerdict`, `lcbAcc`).
 */
import { ANY_CRITICAL_ERROR } from '../../../shared/detection';
import { lcbSummary } from './lcbSummary';
import { wilsonInterval } from './wilson';

export interface RunRateInput {
  runId: number;
  lang: string;
  /** Critical-error labels of the generation (detector or human: the caller decides). */
  labels: readonly string[];
  /** The LCB verdict stored by the language detector; null when it has not run on this generation. */
  lcb: { verdict: 'pass' | 'fail' | 'skipped'; acc: number | null } | null;
}

export interface LabelRate {
  count: number;
  rate: number;
  ci_low: number;
  ci_high: number;
}

export interface RunRateRow {
  run_id: number;
  lang: string;
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
  labels: Record<string, LabelRate>;
}

/** `labels`: the labels to report, in order (a label nobody used gets 0 with its interval); "any" is added last. */
export function runRates(rows: readonly RunRateInput[], labels: readonly string[]): RunRateRow[] {
  const groups = new Map<string, RunRateInput[]>();
  for (const r of rows) {
    const key = JSON.stringify([r.runId, r.lang]);
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  return [...groups.values()]
    .sort((a, b) => a[0]!.runId - b[0]!.runId || (a[0]!.lang < b[0]!.lang ? -1 : a[0]!.lang > b[0]!.lang ? 1 : 0))
    .map((g) => {
      const n = g.length;
      const verdicts = g.flatMap((r) => (r.lcb ? [r.lcb] : []));
      const lcb = lcbSummary(verdicts);
      const ci = wilsonInterval(lcb.checked - lcb.failing, lcb.checked);
      const rate = (count: number): LabelRate => {
        const w = wilsonInterval(count, n)!;
        return { count, rate: count / n, ci_low: w.low, ci_high: w.high };
      };
      return {
        run_id: g[0]!.runId,
        lang: g[0]!.lang,
        n,
        lpr: lcb.checked ? lcb.lpr : null,
        lpr_checked: lcb.checked,
        lpr_acc: lcb.checked ? lcb.acc : null,
        lpr_ci_low: ci?.low ?? null,
        lpr_ci_high: ci?.high ?? null,
        lpr_missing: n - verdicts.length,
        labels: Object.fromEntries([
          ...labels.map((l) => [l, rate(g.filter((r) => r.labels.includes(l)).length)] as const),
          [ANY_CRITICAL_ERROR, rate(g.filter((r) => r.labels.length > 0).length)] as const,
        ]),
      };
    });
}

/** The language detector's stored signals → the LCB verdict runRates needs (null for results older than 2.0.0). */
export function lcbFromSignals(signals: Record<string, unknown> | undefined): RunRateInput['lcb'] {
  const verdict = signals?.lcbVerdict;
  if (verdict !== 'pass' && verdict !== 'fail' && verdict !== 'skipped') return null;
  return { verdict, acc: typeof signals?.lcbAcc === 'number' ? signals.lcbAcc : null };
}

/** CSV column prefix of a label: "any critical error" → "any", "code-leak" → "code_leak". */
const prefix = (label: string) => (label === ANY_CRITICAL_ERROR ? 'any' : label.replace(/[^A-Za-z0-9]+/g, '_'));

/** `--format json`: one array; `csv`: a header and one line per row, label columns `<label>_count|rate|ci_low|ci_high`. */
export function formatRunRates(rows: readonly RunRateRow[], format: 'json' | 'csv'): string {
  if (format === 'json') return `${JSON.stringify(rows, null, 2)}\n`;
  const labels = Object.keys(rows[0]?.labels ?? {});
  const fixed = ['run_id', 'lang', 'n', 'lpr', 'lpr_checked', 'lpr_acc', 'lpr_ci_low', 'lpr_ci_high', 'lpr_missing'] as const;
  const header = [...fixed, ...labels.flatMap((l) => ['count', 'rate', 'ci_low', 'ci_high'].map((k) => `${prefix(l)}_${k}`))];
  const cell = (v: unknown) => (v === null || v === undefined ? '' : typeof v === 'string' && /[",\n]/.test(v) ? `"${v.replaceAll('"', '""')}"` : String(v));
  const lines = rows.map((r) =>
    [...fixed.map((k) => r[k]), ...labels.flatMap((l) => { const x = r.labels[l]!; return [x.count, x.rate, x.ci_low, x.ci_high]; })].map(cell).join(','),
  );
  return `${[header.join(','), ...lines].join('\n')}\n`;
}

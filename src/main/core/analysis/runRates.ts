/**
 * Rows of `align rates` (issue 13): per run × language, the strict LCB LPR with its Wilson interval and, per
 * critical-error label (plus "any critical error"), count, rate and Wilson interval. Pure: the caller reads the
 * generations' labels and the language detector's stored LCB verdicts (signals `lcbVerdict`, `lcbAcc`).
 */
import { ANY_CRITICAL_ERROR } from '../../../shared/detection';
import type { LabelRate, RunRateRow } from '../../../shared/rates';
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

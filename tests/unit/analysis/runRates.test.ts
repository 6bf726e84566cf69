import { describe, expect, it } from 'vitest';
import { lcbFromSignals, runRates, type RunRateInput } from '../../../src/main/core/analysis';
import { formatRunRates } from '../../../src/shared/rates';
import { ANY_CRITICAL_ERROR } from '../../../src/shared/detection';

const g = (runId: number, lang: string, labels: string[], verdict: 'pass' | 'fail' | 'skipped' | null, acc: number | null = null): RunRateInput => ({
  runId, lang, labels, lcb: verdict ? { verdict, acc: verdict === 'skipped' ? null : (acc ?? (verdict === 'pass' ? 1 : 0)) } : null,
});

describe('runRates (align rates)', () => {
  const rows = [
    g(2, 'fr', ['wrong-language'], 'fail', 0.25),
    g(2, 'fr', [], 'pass'),
    g(2, 'fr', [], 'pass'),
    g(2, 'fr', ['infinite-loop', 'wrong-language'], 'fail', 0.5),
    g(2, 'fr', [], 'skipped'),
    g(1, 'en', [], 'pass'),
    g(1, 'en', [], null),
  ];

  it('LPR over checked answers with its Wilson interval; per label and "any" with theirs', () => {
    const [en, fr] = runRates(rows, ['infinite-loop', 'wrong-language']);
    // fr: 5 answers, 4 checked, 2 failing → LPR 0.5; acc = (0.25 + 1 + 1 + 0.5)/4 = 0.6875; Wilson(2, 4) = [0.1500, 0.8500].
    expect(fr).toMatchObject({ run_id: 2, lang: 'fr', n: 5, lpr: 0.5, lpr_checked: 4, lpr_acc: 0.6875, lpr_missing: 0 });
    expect(fr!.lpr_ci_low).toBeCloseTo(0.15, 4);
    expect(fr!.lpr_ci_high).toBeCloseTo(0.85, 4);
    expect(fr!.labels['wrong-language']).toMatchObject({ count: 2, rate: 0.4 });
    expect(fr!.labels['infinite-loop']).toMatchObject({ count: 1, rate: 0.2 });
    expect(fr!.labels[ANY_CRITICAL_ERROR]).toMatchObject({ count: 2, rate: 0.4 });
    // en: 2 answers, one without a stored verdict; 1/1 checked passes → LPR 1 with Wilson [0.2065, 1], never 1–1.
    expect(en).toMatchObject({ run_id: 1, lang: 'en', n: 2, lpr: 1, lpr_checked: 1, lpr_missing: 1 });
    expect(en!.lpr_ci_low).toBeCloseTo(0.2065, 4);
    expect(en!.labels['infinite-loop']).toMatchObject({ count: 0, rate: 0, ci_low: 0 });
    expect(en!.labels['infinite-loop']!.ci_high).toBeCloseTo(0.6576, 4);
  });

  it('null LPR when no answer had a checked line', () => {
    const [r] = runRates([g(3, 'es', [], 'skipped')], []);
    expect(r).toMatchObject({ lpr: null, lpr_checked: 0, lpr_acc: null, lpr_ci_low: null, lpr_ci_high: null });
  });

  it('formats CSV with one column group per label and JSON as an array', () => {
    const out = runRates(rows, ['code-leak']);
    const csv = formatRunRates(out, 'csv').trim().split('\n');
    const unquoted = (line: string) => line.replaceAll('"', '');
    expect(unquoted(csv[0]!)).toBe('run_id,lang,n,lpr,lpr_checked,lpr_acc,lpr_ci_low,lpr_ci_high,lpr_missing,code_leak_count,code_leak_rate,code_leak_ci_low,code_leak_ci_high,any_count,any_rate,any_ci_low,any_ci_high');
    expect(csv[2]!.startsWith('"2","fr","5","0.5","4","0.6875",')).toBe(true);
    expect(csv).toHaveLength(3);
    expect(JSON.parse(formatRunRates(out, 'json'))).toEqual(out);
  });

  it('reads the LCB verdict from the language detector signals, null for older results', () => {
    expect(lcbFromSignals({ lcbVerdict: 'fail', lcbAcc: 0.4 })).toEqual({ verdict: 'fail', acc: 0.4 });
    expect(lcbFromSignals({ lpr: 0 })).toBeNull();
    expect(lcbFromSignals(undefined)).toBeNull();
  });
});

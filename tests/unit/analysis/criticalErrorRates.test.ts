import { describe, expect, it } from 'vitest';
import { criticalErrorRates, type CriticalErrorRow } from '../../../src/main/core/analysis';

const ROWS: CriticalErrorRow[] = [
  // m1 · urial · en: 4 generations
  { model: 'm1', method: 'urial', lang: 'en', labels: ['infinite-loop'] },
  { model: 'm1', method: 'urial', lang: 'en', labels: ['infinite-loop', 'code-leak'] },
  { model: 'm1', method: 'urial', lang: 'en', labels: [] },
  { model: 'm1', method: 'urial', lang: 'en', labels: [] },
  // m2 · urial · fr: 1 generation
  { model: 'm2', method: 'urial', lang: 'fr', labels: ['empty'] },
  // m1 · zero-shot · en: 2 clean generations
  { model: 'm1', method: 'zero-shot', lang: 'en', labels: [] },
  { model: 'm1', method: 'zero-shot', lang: 'en', labels: [] },
];

const cell = (rates: ReturnType<typeof criticalErrorRates>, model: string, method: string, lang: string, label: string) =>
  rates.find((r) => r.model === model && r.method === method && r.lang === lang && r.label === label);

describe('criticalErrorRates', () => {
  it('one row per model × method × lang × label, sorted groups, labels in the given order', () => {
    const rates = criticalErrorRates(ROWS, { labels: ['infinite-loop', 'code-leak', 'empty'] });
    // 3 groups × 3 labels
    expect(rates).toHaveLength(9);
    expect(rates.map((r) => `${r.model}/${r.method}/${r.lang}/${r.label}`)).toEqual([
      'm1/urial/en/infinite-loop', 'm1/urial/en/code-leak', 'm1/urial/en/empty',
      'm1/zero-shot/en/infinite-loop', 'm1/zero-shot/en/code-leak', 'm1/zero-shot/en/empty',
      'm2/urial/fr/infinite-loop', 'm2/urial/fr/code-leak', 'm2/urial/fr/empty',
    ]);
  });

  it('default labels: every label used, sorted', () => {
    const labels = [...new Set(criticalErrorRates(ROWS).map((r) => r.label))];
    expect(labels).toEqual(['code-leak', 'empty', 'infinite-loop']);
  });

  it('known counts and hand-computed bootstrap intervals', () => {
    const rates = criticalErrorRates(ROWS, { labels: ['infinite-loop', 'code-leak', 'empty', 'wrong-language'] });
    // m1/urial/en loop: 2 of 4 → 0.5. Resampled counts k ~ Binomial(4, ½): P(k = 0) = P(k = 4) = 1/16 = 6.25 % > 2.5 %,
    // so the 2.5 % and 97.5 % quantiles are 0/4 and 4/4 → [0, 1].
    expect(cell(rates, 'm1', 'urial', 'en', 'infinite-loop')).toEqual({
      model: 'm1', method: 'urial', lang: 'en', label: 'infinite-loop', n: 4, count: 2, rate: 0.5, low: 0, high: 1,
    });
    // code-leak: 1 of 4 → 0.25. k ~ Binomial(4, ¼): P(k = 0) = (3/4)⁴ = 81/256 ≈ 31.6 % → low = 0;
    // P(k = 4) = 1/256 ≈ 0.4 % < 2.5 % but P(k ≥ 3) = 4·(1/4)³·(3/4) + 1/256 = 13/256 ≈ 5.1 % > 2.5 % → high = 3/4.
    expect(cell(rates, 'm1', 'urial', 'en', 'code-leak')).toMatchObject({ n: 4, count: 1, rate: 0.25, low: 0, high: 0.75 });
    // a label nobody used: 0 of 4, interval collapses to [0, 0]
    expect(cell(rates, 'm1', 'urial', 'en', 'wrong-language')).toMatchObject({ n: 4, count: 0, rate: 0, low: 0, high: 0 });
    // m2/urial/fr: 1 of 1 empty → 1, [1, 1]
    expect(cell(rates, 'm2', 'urial', 'fr', 'empty')).toMatchObject({ n: 1, count: 1, rate: 1, low: 1, high: 1 });
    expect(cell(rates, 'm1', 'zero-shot', 'en', 'infinite-loop')).toMatchObject({ n: 2, count: 0, rate: 0, low: 0, high: 0 });
  });

  it('a larger group: 20 of 100 → 0.2 with a CI near the normal one', () => {
    // SE = √(0.2·0.8/100) = 0.04; 95 % ≈ 0.2 ± 1.96·0.04 = [0.122, 0.278]
    const rows = Array.from({ length: 100 }, (_, i) => ({ model: 'm', method: 'chat', lang: 'es', labels: i < 20 ? ['truncated'] : [] }));
    const [r] = criticalErrorRates(rows);
    expect(r).toMatchObject({ label: 'truncated', n: 100, count: 20, rate: 0.2 });
    expect(Math.abs(r!.low - 0.122)).toBeLessThan(0.02);
    expect(Math.abs(r!.high - 0.278)).toBeLessThan(0.02);
  });

  it('is deterministic and independent of row order and of the other groups', () => {
    const opts = { labels: ['infinite-loop', 'code-leak'], seed: 9 };
    const a = criticalErrorRates(ROWS, opts);
    expect(criticalErrorRates([...ROWS].reverse(), opts)).toEqual(a);
    const alone = criticalErrorRates(ROWS.filter((r) => r.model === 'm1' && r.method === 'urial'), opts);
    expect(alone).toEqual(a.filter((r) => r.model === 'm1' && r.method === 'urial'));
  });

  it('counts a generation once per label it carries; no rows → no cells', () => {
    const rates = criticalErrorRates([{ model: 'm', method: 'x', lang: 'en', labels: ['a', 'b'] }]);
    expect(rates.map((r) => [r.label, r.count])).toEqual([['a', 1], ['b', 1]]);
    expect(criticalErrorRates([])).toEqual([]);
    expect(() => criticalErrorRates(ROWS, { resamples: 10 })).toThrow(RangeError);
  });
});

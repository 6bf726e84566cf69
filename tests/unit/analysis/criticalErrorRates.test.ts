import { describe, expect, it } from 'vitest';
import { ANY_CRITICAL_ERROR, criticalErrorRates, type CriticalErrorRow } from '../../../src/main/core/analysis';

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
    const rates = criticalErrorRates(ROWS, { labels: ['infinite-loop', 'code-leak', 'empty'], any: false });
    // 3 groups × 3 labels
    expect(rates).toHaveLength(9);
    expect(rates.map((r) => `${r.model}/${r.method}/${r.lang}/${r.label}`)).toEqual([
      'm1/urial/en/infinite-loop', 'm1/urial/en/code-leak', 'm1/urial/en/empty',
      'm1/zero-shot/en/infinite-loop', 'm1/zero-shot/en/code-leak', 'm1/zero-shot/en/empty',
      'm2/urial/fr/infinite-loop', 'm2/urial/fr/code-leak', 'm2/urial/fr/empty',
    ]);
  });

  it('default labels: every label used, sorted', () => {
    const labels = [...new Set(criticalErrorRates(ROWS, { any: false }).map((r) => r.label))];
    expect(labels).toEqual(['code-leak', 'empty', 'infinite-loop']);
  });

  it('known counts and hand-computed Wilson intervals (z = 1.95996)', () => {
    const rates = criticalErrorRates(ROWS, { labels: ['infinite-loop', 'code-leak', 'empty', 'wrong-language'] });
    // Wilson: centre (p + z²/2n)/(1 + z²/n), half-width z/(1 + z²/n)·√(p(1−p)/n + z²/4n²).
    // 2 of 4: z²/n = 0.96036, centre 0.5, half 0.99980·√(0.0625 + 0.06002) = 0.34996 → [0.1500, 0.8500].
    const loop = cell(rates, 'm1', 'urial', 'en', 'infinite-loop')!;
    expect(loop).toMatchObject({ n: 4, count: 2, rate: 0.5 });
    expect(loop.low).toBeCloseTo(0.15, 4);
    expect(loop.high).toBeCloseTo(0.85, 4);
    // 1 of 4: centre (0.25 + 0.48018)/1.96036 = 0.37249, half 0.51021·√(0.046875 + 0.060023) = 0.32689 → [0.0456, 0.6994].
    const code = cell(rates, 'm1', 'urial', 'en', 'code-leak')!;
    expect(code.low).toBeCloseTo(0.0456, 4);
    expect(code.high).toBeCloseTo(0.6994, 4);
    // 0 of 4: [0, z²/(n + z²)] = [0, 3.84146/7.84146] = [0, 0.4899]: a label nobody used still has an upper bound.
    const none = cell(rates, 'm1', 'urial', 'en', 'wrong-language')!;
    expect(none).toMatchObject({ count: 0, rate: 0, low: 0 });
    expect(none.high).toBeCloseTo(0.4899, 4);
    // 1 of 1: [1/(1 + z²), 1] = [0.2065, 1], never "1.00–1.00".
    const one = cell(rates, 'm2', 'urial', 'fr', 'empty')!;
    expect(one.low).toBeCloseTo(0.2065, 4);
    expect(one.high).toBe(1);
  });

  it('5 of 5 is [0.5655, 1], not "1.00–1.00"', () => {
    const rows = Array.from({ length: 5 }, () => ({ model: 'm', method: 'chat', lang: 'en', labels: ['empty'] }));
    const [r] = criticalErrorRates(rows, { any: false });
    expect(r!.rate).toBe(1);
    expect(r!.low).toBeCloseTo(0.5655, 4);
    expect(r!.high).toBe(1);
  });

  it('adds an "any critical error" row per group that counts a generation once', () => {
    const rates = criticalErrorRates(ROWS, { labels: ['infinite-loop', 'code-leak'] });
    // m1/urial/en: 2 of 4 carry a label (one carries two).
    expect(cell(rates, 'm1', 'urial', 'en', ANY_CRITICAL_ERROR)).toMatchObject({ n: 4, count: 2, rate: 0.5 });
    expect(cell(rates, 'm1', 'zero-shot', 'en', ANY_CRITICAL_ERROR)).toMatchObject({ n: 2, count: 0 });
  });

  it('is deterministic and independent of row order and of the other groups', () => {
    const opts = { labels: ['infinite-loop', 'code-leak'] };
    const a = criticalErrorRates(ROWS, opts);
    expect(criticalErrorRates([...ROWS].reverse(), opts)).toEqual(a);
    const alone = criticalErrorRates(ROWS.filter((r) => r.model === 'm1' && r.method === 'urial'), opts);
    expect(alone).toEqual(a.filter((r) => r.model === 'm1' && r.method === 'urial'));
  });

  it('counts a generation once per label it carries; no rows → no cells', () => {
    const rates = criticalErrorRates([{ model: 'm', method: 'x', lang: 'en', labels: ['a', 'b'] }]);
    expect(rates.map((r) => [r.label, r.count])).toEqual([['a', 1], ['b', 1], [ANY_CRITICAL_ERROR, 1]]);
    expect(criticalErrorRates([])).toEqual([]);
    expect(() => criticalErrorRates(ROWS, { level: 1 })).toThrow(/level/);
  });

  it('a larger group: 20 of 100 → [0.1334, 0.2888]', () => {
    const rows = Array.from({ length: 100 }, (_, i) => ({ model: 'm', method: 'chat', lang: 'es', labels: i < 20 ? ['truncated'] : [] }));
    const [r] = criticalErrorRates(rows);
    expect(r).toMatchObject({ label: 'truncated', n: 100, count: 20, rate: 0.2 });
    expect(r!.low).toBeCloseTo(0.1334, 4);
    expect(r!.high).toBeCloseTo(0.2888, 4);
  });
});

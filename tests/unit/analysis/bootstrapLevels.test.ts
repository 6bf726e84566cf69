import { describe, expect, it } from 'vitest';
import { bootstrapMeanCI, bootstrapMeanCIOfLevels, mulberry32, MULTINOMIAL_FROM } from '../../../src/main/core/analysis';
import { binomialSample } from '../../../src/main/core/analysis/binomialSample';

/** Exact Binomial(n, p) mean and variance against the sample's, over both algorithms (inversion and BTPE). */
describe('binomialSample', () => {
  const cases: [number, number][] = [[10, 0.3], [40, 0.5], [200, 0.05], [1000, 0.3], [5000, 0.72], [100_000, 0.2]];
  it.each(cases)('n = %i, p = %f: mean and variance within 4 standard errors, always in [0, n]', (n, p) => {
    const random = mulberry32(7);
    const draws = Array.from({ length: 20_000 }, () => binomialSample(n, p, random));
    for (const d of draws) expect(Number.isInteger(d) && d >= 0 && d <= n).toBe(true);
    const mean = draws.reduce((s, d) => s + d, 0) / draws.length;
    const variance = draws.reduce((s, d) => s + (d - mean) ** 2, 0) / (draws.length - 1);
    const sd = Math.sqrt(n * p * (1 - p));
    expect(Math.abs(mean - n * p)).toBeLessThan((4 * sd) / Math.sqrt(draws.length));
    // the sample variance's standard error is about σ²·√(2 / N)
    expect(Math.abs(variance / (sd * sd) - 1)).toBeLessThan(4 * Math.sqrt(2 / draws.length) + 0.01);
  });

  it('the whole distribution matches: chi-square on Binomial(60, 0.5) (BTPE) and Binomial(20, 0.4) (inversion)', () => {
    const logChoose = (n: number, k: number) => {
      let s = 0;
      for (let i = 1; i <= k; i++) s += Math.log((n - k + i) / i);
      return s;
    };
    for (const [n, p] of [[60, 0.5], [20, 0.4]] as const) {
      const random = mulberry32(11);
      const N = 50_000;
      const seen = new Array<number>(n + 1).fill(0);
      for (let i = 0; i < N; i++) seen[binomialSample(n, p, random)]!++;
      let chi = 0;
      let bins = 0;
      for (let k = 0; k <= n; k++) {
        const expected = N * Math.exp(logChoose(n, k) + k * Math.log(p) + (n - k) * Math.log(1 - p));
        if (expected < 5) continue;
        chi += (seen[k]! - expected) ** 2 / expected;
        bins++;
      }
      // 99.9 % quantile of chi-square with ~bins degrees of freedom is below bins + 3.1·√(2·bins) + 10
      expect(chi).toBeLessThan(bins + 3.1 * Math.sqrt(2 * bins) + 10);
    }
  });

  it('edge probabilities', () => {
    const random = mulberry32(1);
    expect(binomialSample(50, 0, random)).toBe(0);
    expect(binomialSample(50, 1, random)).toBe(50);
    expect(binomialSample(0, 0.5, random)).toBe(0);
  });
});

describe('bootstrapMeanCIOfLevels', () => {
  it(`up to ${MULTINOMIAL_FROM} values: exactly bootstrapMeanCI of the expanded sample (tables stay byte for byte)`, () => {
    const levels = [{ value: 4, count: 100 }, { value: 1, count: 37 }, { value: 3.5, count: 12 }, { value: 5, count: 300 }];
    const expanded = [...levels].sort((a, b) => a.value - b.value).flatMap((l) => Array<number>(l.count).fill(l.value));
    expect(bootstrapMeanCIOfLevels(levels, { seed: 99 })).toEqual(bootstrapMeanCI(expanded, { seed: 99 }));
  });

  it('above: the same mean, and an interval within Monte Carlo error of index resampling', () => {
    const levels = [{ value: 1, count: 900 }, { value: 2, count: 1500 }, { value: 3, count: 2500 }, { value: 4.5, count: 60 }, { value: 5, count: 3000 }];
    const expanded = levels.flatMap((l) => Array<number>(l.count).fill(l.value));
    const fast = bootstrapMeanCIOfLevels(levels, { seed: 5, resamples: 4000 })!;
    const slow = bootstrapMeanCI(expanded, { seed: 5, resamples: 4000 })!;
    expect(fast.n).toBe(expanded.length);
    expect(fast.mean).toBeCloseTo(slow.mean, 12);
    // Half-width ≈ 1.96·s/√n ≈ 0.029 here; two independent 4000-resample estimates of a 2.5 % quantile differ by ~0.002.
    const halfWidth = (slow.high - slow.low) / 2;
    expect(halfWidth).toBeGreaterThan(0.02);
    expect(Math.abs(fast.low - slow.low)).toBeLessThan(0.15 * halfWidth);
    expect(Math.abs(fast.high - slow.high)).toBeLessThan(0.15 * halfWidth);
    // Deterministic for a seed; another seed moves the interval a little.
    expect(bootstrapMeanCIOfLevels(levels, { seed: 5, resamples: 4000 })).toEqual(fast);
    expect(bootstrapMeanCIOfLevels(levels, { seed: 6, resamples: 4000 })).not.toEqual(fast);
  });

  it('a constant large sample collapses to its value', () => {
    expect(bootstrapMeanCIOfLevels([{ value: 3, count: 10_000 }])).toEqual({ mean: 3, low: 3, high: 3, n: 10_000 });
  });
});

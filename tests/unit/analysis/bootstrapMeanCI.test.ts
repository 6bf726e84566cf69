import { describe, expect, it } from 'vitest';
import { bootstrapMeanCI, mulberry32 } from '../../../src/main/core/analysis';

/** Standard normal draws by Box–Muller from a seeded mulberry32 stream. */
function normal(random: () => number): number {
  const u = 1 - random(); // (0, 1]: log(0) cannot happen
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
}

describe('mulberry32', () => {
  it('is deterministic for a seed and uniform-looking in [0, 1)', () => {
    const a = mulberry32(42);
    const b = mulberry32(42);
    const xs = Array.from({ length: 10_000 }, () => a());
    expect(Array.from({ length: 10_000 }, () => b())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
    // mean of U(0,1) is 0.5 with SE √(1/12)/√10000 ≈ 0.0029
    expect(xs.reduce((s, x) => s + x, 0) / xs.length).toBeCloseTo(0.5, 1);
    expect(mulberry32(43)()).not.toBe(mulberry32(42)());
  });
});

describe('bootstrapMeanCI', () => {
  it('null on no values; [v, v] on constant data', () => {
    expect(bootstrapMeanCI([])).toBeNull();
    expect(bootstrapMeanCI([0.3, 0.3, 0.3])).toEqual({ mean: 0.3, low: 0.3, high: 0.3, n: 3 });
  });

  it('is deterministic for a seed, and the seed matters', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const a = bootstrapMeanCI(values, { seed: 7 });
    expect(bootstrapMeanCI(values, { seed: 7 })).toEqual(a);
    expect(bootstrapMeanCI(values)).toEqual(bootstrapMeanCI(values)); // default seed
    const b = bootstrapMeanCI(values, { seed: 8 })!;
    expect([b.low, b.high]).not.toEqual([a!.low, a!.high]);
  });

  it('the interval contains the sample mean and lies within the data range', () => {
    const values = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5, 8, 9, 7, 9];
    const r = bootstrapMeanCI(values, { seed: 1 })!;
    // mean = 77 / 15 ≈ 5.1333
    expect(r.mean).toBeCloseTo(77 / 15, 12);
    expect(r.n).toBe(15);
    expect(r.low).toBeLessThan(r.mean);
    expect(r.high).toBeGreaterThan(r.mean);
    expect(r.low).toBeGreaterThanOrEqual(1);
    expect(r.high).toBeLessThanOrEqual(9);
  });

  it('two points {0, 1}: resampled means are 0, ½, 1 with p ¼, ½, ¼ → 95 % CI is [0, 1]', () => {
    // P(mean = 0) = P(mean = 1) = 1/4 > 2.5 %, so both the 2.5 % and the 97.5 % quantiles land on the extremes
    // (with 2000 resamples, ~500 of each; the chance of fewer than 50 is astronomically small).
    expect(bootstrapMeanCI([0, 1], { seed: 3 })).toEqual({ mean: 0.5, low: 0, high: 1, n: 2 });
  });

  it('matches the normal approximation on 0..99', () => {
    // mean = 49.5; population sd = √((100² − 1)/12) = √833.25 ≈ 28.866; SE = 28.866/√100 ≈ 2.887
    // normal 95 % interval: 49.5 ± 1.96·2.887 = 49.5 ± 5.658 → [43.84, 55.16]
    const r = bootstrapMeanCI(Array.from({ length: 100 }, (_, i) => i), { seed: 11 })!;
    expect(r.mean).toBe(49.5);
    expect(Math.abs(r.low - 43.84)).toBeLessThan(0.6);
    expect(Math.abs(r.high - 55.16)).toBeLessThan(0.6);
  });

  it('a lower level gives a narrower interval', () => {
    const values = Array.from({ length: 40 }, (_, i) => (i * 37) % 11);
    const wide = bootstrapMeanCI(values, { seed: 5, level: 0.95 })!;
    const narrow = bootstrapMeanCI(values, { seed: 5, level: 0.5 })!;
    expect(narrow.low).toBeGreaterThan(wide.low);
    expect(narrow.high).toBeLessThan(wide.high);
  });

  it('rejects too few resamples, a bad level and non-finite values', () => {
    expect(() => bootstrapMeanCI([1, 2], { resamples: 999 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { resamples: 1500.5 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { level: 1 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, 2], { level: 0 })).toThrow(RangeError);
    expect(() => bootstrapMeanCI([1, Number.NaN])).toThrow(RangeError);
  });

  // Coverage: the 95 % interval should contain the true mean in ~95 % of samples. The percentile bootstrap
  // under-covers slightly at n = 50 (≈ 93-94 %), and with 200 trials the binomial SE is √(0.95·0.05/200) ≈ 1.5 pt,
  // so we accept 90-99 %. Everything is seeded, so the counts are fixed numbers; the bounds are what a correct
  // implementation must satisfy, a broken one (wrong quantile, wrong resample size) lands far outside.
  const TRIALS = 200;
  const SIZE = 50;

  it('covers the true mean of N(10, 2²) in 90-99 % of 200 samples of 50', () => {
    const random = mulberry32(2024);
    let covered = 0;
    for (let t = 0; t < TRIALS; t++) {
      const sample = Array.from({ length: SIZE }, () => 10 + 2 * normal(random));
      const ci = bootstrapMeanCI(sample, { resamples: 1000, seed: t })!;
      if (ci.low <= 10 && 10 <= ci.high) covered++;
    }
    expect(covered / TRIALS).toBeGreaterThanOrEqual(0.9);
    expect(covered / TRIALS).toBeLessThanOrEqual(0.99);
  });

  it('covers the true rate of Bernoulli(0.3) in 90-99 % of 200 samples of 50', () => {
    const random = mulberry32(77);
    let covered = 0;
    for (let t = 0; t < TRIALS; t++) {
      const sample = Array.from({ length: SIZE }, () => (random() < 0.3 ? 1 : 0));
      const ci = bootstrapMeanCI(sample, { resamples: 1000, seed: 1000 + t })!;
      if (ci.low <= 0.3 && 0.3 <= ci.high) covered++;
    }
    expect(covered / TRIALS).toBeGreaterThanOrEqual(0.9);
    expect(covered / TRIALS).toBeLessThanOrEqual(0.99);
  });

  it('a 50 % interval covers about half the time (the level is honoured, not just "wide")', () => {
    const random = mulberry32(99);
    let covered = 0;
    for (let t = 0; t < TRIALS; t++) {
      const sample = Array.from({ length: SIZE }, () => 10 + 2 * normal(random));
      const ci = bootstrapMeanCI(sample, { resamples: 1000, seed: t, level: 0.5 })!;
      if (ci.low <= 10 && 10 <= ci.high) covered++;
    }
    // SE at 50 % over 200 trials ≈ 3.5 pt
    expect(covered / TRIALS).toBeGreaterThanOrEqual(0.38);
    expect(covered / TRIALS).toBeLessThanOrEqual(0.62);
  });
});

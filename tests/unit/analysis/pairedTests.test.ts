import { describe, expect, it } from 'vitest';
import { bootstrapMeanCI, holmAdjust, mulberry32, normalCdf, pairedBootstrapMeanDiff, wilcoxonSignedRank } from '../../../src/main/core/analysis';

describe('normalCdf', () => {
  it('matches table values of Φ', () => {
    expect(normalCdf(0)).toBeCloseTo(0.5, 7);
    expect(normalCdf(1.959964)).toBeCloseTo(0.975, 6);
    expect(normalCdf(-1.644854)).toBeCloseTo(0.05, 6);
    expect(normalCdf(3)).toBeCloseTo(0.9986501, 6);
  });
});

describe('wilcoxonSignedRank', () => {
  it('exact p on a small untied sample, counted by hand', () => {
    // d = 1, 2, −3, 4, 5, 6: |d| ranks 1…6, W+ = 1+2+4+5+6 = 18, W− = 3.
    // Under H0 each of the 2^6 = 64 sign patterns is equally likely. P(W+ ≥ 18) = P(W− ≤ 3) = #{subsets of
    // {1…6} with sum ≤ 3} / 64 = |{∅, {1}, {2}, {3}, {1,2}}| / 64 = 5/64; two-sided p = 10/64 = 0.15625
    // (R: wilcox.test(c(1,2,-3,4,5,6)) gives V = 18, p-value = 0.1562).
    const r = wilcoxonSignedRank([1, 2, -3, 4, 5, 6]);
    expect(r.method).toBe('exact');
    expect(r.n).toBe(6);
    expect(r.wPlus).toBe(18);
    expect(r.p).toBe(10 / 64);
    // Z = (18 − 10.5) / √(6·7·13/24) = 7.5 / √22.75; r = Z/√6, positive: x tends to exceed y.
    expect(r.z).toBeCloseTo(7.5 / Math.sqrt(22.75), 12);
    expect(r.r).toBeCloseTo(7.5 / Math.sqrt(22.75) / Math.sqrt(6), 12);
  });

  it('all differences of one sign: p = 2 / 2^n; the sign of r follows them', () => {
    expect(wilcoxonSignedRank([1, 2, 3, 4, 5, 6, 7, 8]).p).toBe(2 / 256);
    const neg = wilcoxonSignedRank([-1, -2, -3, -4, -5, -6, -7, -8]);
    expect(neg.p).toBe(2 / 256);
    expect(neg.wPlus).toBe(0);
    expect(neg.r).toBeLessThan(0);
  });

  it('drops zeros, averages tied ranks and uses the tie-corrected normal approximation (Wikipedia example)', () => {
    // Pairs (125,110) (115,122) (130,125) (140,120) (140,140) (115,124) (140,123) (125,137) (140,135) (135,145):
    // d = 15, −7, 5, 20, 0, −9, 17, −12, 5, −10 → the 0 is dropped, n = 9; |d| = 5, 5 share ranks 1 and 2 → 1.5 each.
    // W+ = 7 + 1.5 + 9 + 8 + 1.5 = 27. σ² = 9·10·19/24 − (2³ − 2)/48 = 71.25 − 0.125 = 71.125.
    // Z = (27 − 22.5)/√71.125 = 0.53358; p = 2(1 − Φ(Z)) = 0.59363 (SciPy, correction=False: 0.5936306).
    const r = wilcoxonSignedRank([15, -7, 5, 20, 0, -9, 17, -12, 5, -10]);
    expect(r.method).toBe('normal');
    expect(r.n).toBe(9);
    expect(r.wPlus).toBe(27);
    expect(r.z).toBeCloseTo(4.5 / Math.sqrt(71.125), 10);
    expect(r.p).toBeCloseTo(0.5936306, 6);
    expect(r.r).toBeCloseTo(r.z / 3, 12);
  });

  it('large untied samples use the normal approximation; no non-zero difference gives p = 1', () => {
    const d = Array.from({ length: 60 }, (_, i) => (i % 3 === 0 ? -(i + 1) : i + 1));
    expect(wilcoxonSignedRank(d).method).toBe('normal');
    expect(wilcoxonSignedRank([0, 0, 0])).toEqual({ n: 0, wPlus: 0, p: 1, method: 'exact', z: 0, r: 0 });
    expect(() => wilcoxonSignedRank([1, Number.NaN])).toThrow(RangeError);
  });
});

describe('holmAdjust', () => {
  it('matches the step-down rule worked by hand (= R p.adjust(…, "holm"))', () => {
    // sorted: 0.005·4 = 0.02, 0.01·3 = 0.03, 0.03·2 = 0.06, 0.04·1 = 0.04 → monotone: 0.06
    expect(holmAdjust([0.01, 0.04, 0.03, 0.005]).map((p) => +p.toFixed(12))).toEqual([0.03, 0.06, 0.06, 0.02]);
    expect(holmAdjust([0.5, 0.9])).toEqual([1, 1]);
    expect(holmAdjust([])).toEqual([]);
    expect(() => holmAdjust([1.2])).toThrow(RangeError);
  });
});

describe('pairedBootstrapMeanDiff', () => {
  it('is the bootstrap of the differences, seeded', () => {
    const a = [4, 5, 3, 5, 4, 2, 5, 4];
    const b = [3, 3, 3, 4, 4, 1, 2, 4];
    const ci = pairedBootstrapMeanDiff(a, b, { seed: 7 })!;
    expect(ci.mean).toBeCloseTo(1, 12); // (32 − 24) / 8
    expect(ci).toEqual(bootstrapMeanCI([1, 2, 0, 1, 0, 1, 3, 0], { seed: 7 }));
    expect(ci.low).toBeGreaterThan(0);
    expect(pairedBootstrapMeanDiff([], [])).toBeNull();
    expect(() => pairedBootstrapMeanDiff([1], [1, 2])).toThrow(RangeError);
  });

  it('covers the true mean difference near the nominal rate on synthetic paired data', () => {
    const random = mulberry32(99);
    let covered = 0;
    const trials = 200;
    for (let t = 0; t < trials; t++) {
      // item effect shared by both sides (pairing), true difference 0.5, noise U(−1, 1) on each side
      const items = Array.from({ length: 40 }, () => random() * 4);
      const a = items.map((x) => x + 0.5 + (random() * 2 - 1));
      const b = items.map((x) => x + (random() * 2 - 1));
      const ci = pairedBootstrapMeanDiff(a, b, { seed: t, resamples: 1000 })!;
      if (ci.low <= 0.5 && 0.5 <= ci.high) covered++;
    }
    expect(covered / trials).toBeGreaterThan(0.88);
    expect(covered / trials).toBeLessThanOrEqual(0.99);
  });
});

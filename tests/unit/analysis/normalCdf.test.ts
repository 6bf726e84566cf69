import { describe, expect, it } from 'vitest';
import { normalCdf, twoSidedNormalP, wilcoxonSignedRank } from '../../../src/main/core/analysis';

/** Reference values: Python 3 `math.erfc` (C library erfc, double precision), p = erfc(|z|/√2), Φ(z) = erfc(−z/√2)/2. */
const REFERENCES: [z: number, p: number, cdf: number][] = [
  [1.959963984540054, 0.05000000000000004, 0.975],
  [3.2905267314918945, 0.0010000000000000024, 0.9994999999999999],
  [-1, 0.31731050786291415, 0.15865525393145707],
  [10, 1.5239706048321186e-23, 1],
  [-10, 1.5239706048321186e-23, 7.619853024160593e-24],
  [20, 5.507248237212663e-89, 1],
];

describe('normal tail probabilities without cancellation', () => {
  it.each(REFERENCES)('z = %d: two-sided p and Φ within 2e-7 relative', (z, p, cdf) => {
    expect(Math.abs(twoSidedNormalP(z) - p) / p).toBeLessThan(2e-7);
    expect(Math.abs(normalCdf(z) - cdf) / cdf).toBeLessThan(2e-7);
  });

  it('gives 1.5239706e-23 at |z| = 10, where 2(1 − Φ) underflows to 0', () => {
    expect(2 * (1 - normalCdf(10))).toBe(0);
    expect(twoSidedNormalP(10)).toBeCloseTo(1.5239706e-23, 29);
    expect(twoSidedNormalP(0)).toBe(1);
  });

  it('keeps the Wilcoxon p above 0 for a huge effect (normal approximation, all ties)', () => {
    // 200 differences of +1: z = 14.142135623730951, p = erfc(z/√2) = 2.0884875837626196e-45 (Python math.erfc).
    const r = wilcoxonSignedRank(Array.from({ length: 200 }, () => 1));
    expect(r.method).toBe('normal');
    expect(r.z).toBeCloseTo(14.14213562373095, 10);
    expect(Math.abs(r.p - 2.0884875837626196e-45) / 2.0884875837626196e-45).toBeLessThan(2e-7);
  });
});

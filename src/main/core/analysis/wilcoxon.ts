import { twoSidedNormalP } from './normalCdf';

export interface WilcoxonResult {
  /** Differences left after dropping zeros: the n of the test. */
  n: number;
  /** W+ = sum of the ranks of the positive differences (R's V statistic). */
  wPlus: number;
  /** Two-sided p-value. */
  p: number;
  /** How p was computed: the exact null distribution, or the normal approximation. */
  method: 'exact' | 'normal';
  /** Standardized statistic (W+ − n(n+1)/4) / σ with the tie-corrected σ; 0 when n = 0. */
  z: number;
  /** Effect size r = Z / √n (n = non-zero differences); positive when the first sample tends to be larger. */
  r: number;
}

/** Up to this n (and without ties) the p-value comes from the exact distribution of W+ (2^n sign patterns). */
export const WILCOXON_EXACT_MAX_N = 50;

/**
 * Wilcoxon signed-rank test on paired differences (x − y), two-sided:
 * - zero differences are dropped (Wilcoxon's original treatment), ties in |d| get average ranks;
 * - without ties and n ≤ 50, p is exact: the null distribution of W+ counted over all 2^n sign patterns;
 * - otherwise the normal approximation with the tie-corrected variance n(n+1)(2n+1)/24 − Σ(t³ − t)/48, without
 *   continuity correction (SciPy's default; R's `wilcox.test` applies one by default, so its p differs slightly).
 * The effect size r = Z/√n always uses the normal Z. n = 0 (no non-zero difference) gives p = 1, r = 0.
 */
export function wilcoxonSignedRank(differences: readonly number[]): WilcoxonResult {
  for (const d of differences) if (!Number.isFinite(d)) throw new RangeError(`wilcoxonSignedRank needs finite differences, got ${d}`);
  const nonZero = differences.filter((d) => d !== 0);
  const n = nonZero.length;
  if (n === 0) return { n: 0, wPlus: 0, p: 1, method: 'exact', z: 0, r: 0 };

  const order = nonZero.map((d, i) => ({ abs: Math.abs(d), positive: d > 0, i })).sort((a, b) => a.abs - b.abs);
  let wPlus = 0;
  let tieTerm = 0;
  for (let start = 0; start < n; ) {
    let end = start;
    while (end + 1 < n && order[end + 1]!.abs === order[start]!.abs) end++;
    const rank = (start + end + 2) / 2; // ranks are 1-based: the average of start+1 … end+1
    const t = end - start + 1;
    tieTerm += t * t * t - t;
    for (let k = start; k <= end; k++) if (order[k]!.positive) wPlus += rank;
    start = end + 1;
  }

  const mean = (n * (n + 1)) / 4;
  const sd = Math.sqrt((n * (n + 1) * (2 * n + 1)) / 24 - tieTerm / 48);
  const z = sd > 0 ? (wPlus - mean) / sd : 0;
  const r = z / Math.sqrt(n);
  if (tieTerm === 0 && n <= WILCOXON_EXACT_MAX_N) return { n, wPlus, p: exactTwoSided(n, wPlus), method: 'exact', z, r };
  const p = sd > 0 ? twoSidedNormalP(z) : 1;
  return { n, wPlus, p, method: 'normal', z, r };
}

/**
 * Exact two-sided p of W+ = w for n untied ranks: 2 · min(P(W+ ≤ w), P(W+ ≥ w)), capped at 1. counts[s] is
 * the number of subsets of {1…n} with rank sum s (the classic subset-sum recursion), each pattern having
 * probability 2^-n; doubles stay exact up to 2^53, far above 2^50.
 */
function exactTwoSided(n: number, w: number): number {
  const max = (n * (n + 1)) / 2;
  const counts = new Float64Array(max + 1);
  counts[0] = 1;
  for (let k = 1; k <= n; k++) for (let s = max; s >= k; s--) counts[s]! += counts[s - k]!;
  let below = 0;
  let above = 0;
  for (let s = 0; s <= max; s++) {
    if (s <= w) below += counts[s]!;
    if (s >= w) above += counts[s]!;
  }
  return Math.min(1, (2 * Math.min(below, above)) / 2 ** n);
}

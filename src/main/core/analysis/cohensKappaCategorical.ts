/**
 * Cohen's kappa for two raters who each put every item in one category (any strings).
 *
 *   κ = (p_o − p_e) / (1 − p_e),  p_o = share of items where the raters agree,
 *   p_e = Σ_k (a_k / n)(b_k / n),  a_k, b_k = how many items rater A, rater B put in category k.
 *
 * Computed on integer counts, κ = (n·agree − Σ a_k b_k) / (n² − Σ a_k b_k), so there is no rounding before the
 * final division. Returns null when kappa is undefined: no items, or p_e = 1 (both raters put every item in one and
 * the same category, so agreement by chance is certain and there is nothing left to measure).
 */
export function cohensKappaCategorical(pairs: readonly (readonly [string, string])[]): number | null {
  const n = pairs.length;
  if (n === 0) return null;
  const a = new Map<string, number>();
  const b = new Map<string, number>();
  let agree = 0;
  for (const [x, y] of pairs) {
    if (x === y) agree++;
    a.set(x, (a.get(x) ?? 0) + 1);
    b.set(y, (b.get(y) ?? 0) + 1);
  }
  let chance = 0; // Σ a_k b_k
  for (const [k, ak] of a) chance += ak * (b.get(k) ?? 0);
  const denominator = n * n - chance;
  if (denominator === 0) return null;
  return (n * agree - chance) / denominator;
}

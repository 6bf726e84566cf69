/**
 * Fleiss' kappa: N items, each rated by the same number m ≥ 2 of raters (not necessarily the same people), one
 * category (any string) per rating. With n_ij = how many raters put item i in category j:
 *
 *   p_j = Σ_i n_ij / (N m)                       share of all ratings in category j
 *   P_i = (Σ_j n_ij² − m) / (m (m − 1))          agreement on item i (share of agreeing rater pairs)
 *   P̄ = mean_i P_i,  P̄_e = Σ_j p_j²,  κ = (P̄ − P̄_e) / (1 − P̄_e)
 *
 * Returns null when kappa is undefined: no items, or P̄_e = 1 (every rating in one category). Throws a RangeError
 * on malformed input (fewer than 2 raters, or items with different numbers of ratings): that is a caller's bug, not
 * a statistical edge case.
 */
export function fleissKappaCategorical(ratings: readonly (readonly string[])[]): number | null {
  const N = ratings.length;
  if (N === 0) return null;
  const m = ratings[0]!.length;
  if (m < 2) throw new RangeError(`Fleiss' kappa needs at least 2 ratings per item, got ${m}`);
  const totals = new Map<string, number>();
  let sumP = 0;
  for (let i = 0; i < N; i++) {
    const item = ratings[i]!;
    if (item.length !== m) throw new RangeError(`Fleiss' kappa needs ${m} ratings per item; item ${i} has ${item.length}`);
    const counts = new Map<string, number>();
    for (const c of item) counts.set(c, (counts.get(c) ?? 0) + 1);
    let sq = 0;
    for (const [c, k] of counts) {
      sq += k * k;
      totals.set(c, (totals.get(c) ?? 0) + k);
    }
    sumP += (sq - m) / (m * (m - 1));
  }
  const all = N * m;
  let sumTotalsSq = 0; // Σ_j (N m p_j)², kept integer
  for (const t of totals.values()) sumTotalsSq += t * t;
  if (sumTotalsSq === all * all) return null; // P̄_e = 1
  const pBar = sumP / N;
  const peBar = sumTotalsSq / (all * all);
  return (pBar - peBar) / (1 - peBar);
}

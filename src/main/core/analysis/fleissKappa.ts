import { fleissKappaCategorical } from './fleissKappaCategorical';

/**
 * Fleiss' kappa for one binary label: `ratings[i][r]` = rater r says item i has the label. Every item needs the same
 * number of ratings (≥ 2; RangeError otherwise). Null when undefined: no items, or every rating identical.
 * See `fleissKappaCategorical` for the formula.
 */
export function fleissKappa(ratings: readonly (readonly boolean[])[]): number | null {
  return fleissKappaCategorical(ratings.map((item) => item.map(String)));
}

import { cohensKappaCategorical } from './cohensKappaCategorical';

/**
 * Cohen's kappa for two raters and one binary label (e.g. "is this generation an infinite loop?"): each pair is
 * [rater A says yes, rater B says yes]. Same formula and null cases as `cohensKappaCategorical` (no items, or both
 * raters gave the same answer to every item, p_e = 1). κ = 1 is perfect agreement, 0 agreement at chance level,
 * negative worse than chance.
 */
export function cohensKappa(pairs: readonly (readonly [boolean, boolean])[]): number | null {
  return cohensKappaCategorical(pairs.map(([x, y]) => [String(x), String(y)] as const));
}

import { normalCdf } from './normalCdf';

/**
 * Wilson score interval of a binomial proportion (Wilson 1927). Unlike the percentile bootstrap or the
 * normal approximation it never collapses at 0/n or n/n: 5/5 gives [0.566, 1], not "1.00–1.00".
 * Null when n = 0 (no proportion to speak of).
 */
export function wilsonInterval(count: number, n: number, level = 0.95): { low: number; high: number } | null {
  if (!Number.isInteger(count) || !Number.isInteger(n) || count < 0 || count > n) {
    throw new Error(`wilsonInterval: need integers 0 ≤ count ≤ n, got count ${count}, n ${n}`);
  }
  if (n === 0) return null;
  const z = twoSidedZ(level);
  const p = count / n;
  const z2n = (z * z) / n;
  const centre = (p + z2n / 2) / (1 + z2n);
  const half = (z / (1 + z2n)) * Math.sqrt((p * (1 - p)) / n + z2n / (4 * n));
  // Clamp rounding noise at the ends (count 0 or n gives exactly 0 or 1 analytically).
  return { low: count === 0 ? 0 : Math.max(0, centre - half), high: count === n ? 1 : Math.min(1, centre + half) };
}

/** z with Φ(z) = 1 − (1 − level)/2, by bisection on normalCdf (1.95996… for 95 %). */
function twoSidedZ(level: number): number {
  if (!(level > 0 && level < 1)) throw new Error(`wilsonInterval: level must be in (0, 1), got ${level}`);
  const target = 1 - (1 - level) / 2;
  let lo = 0;
  let hi = 10;
  for (let i = 0; i < 100; i++) {
    const mid = (lo + hi) / 2;
    if (normalCdf(mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

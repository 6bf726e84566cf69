/** A pause longer than this is a break, not annotation work (the usual idle cut-off of annotation tools). */
export const IDLE_CUTOFF_SECONDS = 300;

/**
 * Time spent annotating, estimated from when each change was saved (ISO times, any order), starting at `from`
 * (when the package was opened): the sum of the gaps between consecutive saves, each gap capped at the idle
 * cut-off so a lunch break does not count.
 */
export function activeSeconds(from: string, saves: readonly string[]): number {
  const times = [Date.parse(from), ...saves.map((t) => Date.parse(t)).sort((a, b) => a - b)];
  let total = 0;
  for (let i = 1; i < times.length; i++) total += Math.min(Math.max(0, times[i]! - times[i - 1]!) / 1000, IDLE_CUTOFF_SECONDS);
  return total;
}

import { seededShuffle } from '../../../shared/random';

/**
 * Who annotates what: round(overlap × n) of the ids, picked by a seeded shuffle, go to every annotator (the
 * double-annotated set agreement is computed on); the others to one annotator each, in turn. The same ids,
 * annotators, overlap and seed give the same split on every machine.
 */
export function splitAssignment<T>(ids: readonly T[], annotators: readonly string[], overlap: number, seed: number): { overlap: T[]; byAnnotator: Map<string, T[]> } {
  if (annotators.length === 0) throw new Error('Name at least one annotator.');
  if (!(overlap >= 0 && overlap <= 1)) throw new Error('overlap must be between 0 and 1.');
  const names = [...new Set(annotators)];
  const shuffled = seededShuffle(ids, seed);
  const overlapCount = names.length > 1 ? Math.round(overlap * shuffled.length) : 0;
  const byAnnotator = new Map(names.map((n) => [n, [] as T[]]));
  shuffled.forEach((id, i) => {
    const to = i < overlapCount ? names : [names[(i - overlapCount) % names.length]!];
    for (const a of to) byAnnotator.get(a)!.push(id);
  });
  return { overlap: shuffled.slice(0, overlapCount), byAnnotator };
}

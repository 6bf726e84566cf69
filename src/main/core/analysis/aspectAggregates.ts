import type { AspectCell, ResultsGroupKey } from '../../../shared/results';
import { ALL_ASPECTS, type Aspect } from '../../../shared/judging';
import { NA_KINDS, type NaKind } from '../../../shared/naKinds';
import { bootstrapMeanCIOfLevels, bootstrapSettings, type BootstrapOptions } from './bootstrapMeanCI';
import { fnv1a } from './fnv1a';

export type ResultsGroup = Partial<Record<ResultsGroupKey, string>>;

/**
 * The generations of one group × aspect that share one per-generation score, as the store's aggregate query
 * returns them (a few rows per cell instead of one per generation). The per-generation score is the mean over the
 * generation's judgement repeats after the N/A policy: "exclude" leaves N/A repeats out (score null when all of
 * them are N/A), "as-5" counts each N/A repeat as 5.
 */
export interface ScoreLevelRow {
  group: ResultsGroup;
  aspect: Aspect;
  score: number | null;
  /** Generations with this score. */
  generations: number;
  /** Of them: every repeat N/A. */
  allNa: number;
  /** Of them: at least one N/A repeat counted as 5 (policy "as-5", the judge's own N/A only; 0 otherwise). */
  substituted: number;
  /** N/A repeats (judgement rows) by why the score is missing; absent = not counted by the caller. */
  naKinds?: Record<NaKind, number>;
  /** Σ and count of the per-generation sample variances (divisor k − 1) over generations with ≥ 2 scored repeats. */
  varianceSum: number;
  varianceN: number;
}

/** Stable text key of a group, for maps, seeds and sorting. */
export const groupKey = (group: ResultsGroup): string => JSON.stringify(Object.entries(group).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));

/**
 * One AspectCell per group × aspect: n, N/A, substituted, mean with a percentile-bootstrap CI over the
 * per-generation scores (seeded per cell with seed XOR FNV-1a(group, aspect), so a cell's interval does not
 * depend on the other cells), the histogram of rounded per-generation scores (a mean of repeats such as 3.5 goes
 * to 4: half away from zero, as SQLite's round()), and the mean per-generation judge variance.
 * Cells come sorted by the group values (in `groupBy` order) and then in ALL_ASPECTS order.
 */
export function aspectCells(rows: readonly ScoreLevelRow[], groupBy: readonly ResultsGroupKey[], options: BootstrapOptions = {}): AspectCell[] {
  const { resamples, seed, level } = bootstrapSettings(options);
  const cells = new Map<string, { group: ResultsGroup; aspect: Aspect; rows: ScoreLevelRow[] }>();
  for (const row of rows) {
    const key = JSON.stringify([groupKey(row.group), row.aspect]);
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { group: row.group, aspect: row.aspect, rows: [] }));
    cell.rows.push(row);
  }
  const compareGroups = (a: ResultsGroup, b: ResultsGroup) => {
    for (const k of groupBy) {
      const x = a[k] ?? '';
      const y = b[k] ?? '';
      if (x !== y) return x < y ? -1 : 1;
    }
    return 0;
  };
  const sorted = [...cells.values()].sort(
    (a, b) => compareGroups(a.group, b.group) || ALL_ASPECTS.indexOf(a.aspect) - ALL_ASPECTS.indexOf(b.aspect),
  );
  return sorted.map(({ group, aspect, rows: levels }) => {
    const values: { value: number; count: number }[] = [];
    const counts: AspectCell['counts'] = [0, 0, 0, 0, 0];
    let na = 0;
    let substituted = 0;
    let varianceSum = 0;
    let varianceN = 0;
    const naKinds = Object.fromEntries(NA_KINDS.map((k) => [k, 0])) as Record<NaKind, number>;
    // Ascending scores: the expanded sample (and so the bootstrap) does not depend on the row order.
    for (const level of [...levels].sort((a, b) => (a.score ?? -1) - (b.score ?? -1))) {
      na += level.allNa;
      substituted += level.substituted;
      varianceSum += level.varianceSum;
      varianceN += level.varianceN;
      for (const k of NA_KINDS) naKinds[k] += level.naKinds?.[k] ?? 0;
      if (level.score === null) continue;
      values.push({ value: level.score, count: level.generations });
      const bin = Math.min(5, Math.max(1, Math.round(level.score))) - 1;
      counts[bin] = counts[bin]! + level.generations;
    }
    const ci = bootstrapMeanCIOfLevels(values, { resamples, level, seed: (seed ^ fnv1a(JSON.stringify([groupKey(group), aspect]))) >>> 0 });
    return {
      group,
      aspect,
      n: values.reduce((s, v) => s + v.count, 0),
      na,
      substituted,
      mean: ci?.mean ?? null,
      low: ci?.low ?? null,
      high: ci?.high ?? null,
      counts,
      judgeVariance: varianceN > 0 ? varianceSum / varianceN : null,
      naKinds,
    };
  });
}

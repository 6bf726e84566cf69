/** Results: aggregate cells, paired comparisons, tables. */
import type { Lang } from './domain';
import type { SelectionFilter } from './generations';
import type { Aspect, NaPolicy } from './judging';
import type { NaKind } from './naKinds';

/** Grouping keys; the last three say how generations were judged (never pooled: see results service). */
export const RESULTS_GROUP_KEYS = ['language', 'method', 'model', 'family', 'role', 'judge', 'rubric', 'judgeLang'] as const;
export type ResultsGroupKey = (typeof RESULTS_GROUP_KEYS)[number];

export interface ResultsFilter extends SelectionFilter {
  judge?: string;
  rubricVersion?: string;
  /** Resolved judge language ("en", "fr"…). */
  judgeLang?: Lang;
  naPolicy: NaPolicy;
}

export interface AspectCell {
  group: Partial<Record<ResultsGroupKey, string>>;
  aspect: Aspect;
  /** Generations in the cell with a score (after the N/A policy), and N/A among them. */
  n: number;
  na: number;
  /** N/A counted as 5 (policy "as-5"), reported so every table can say so. */
  substituted: number;
  /**
   * N/A repeats (judgement rows) by why the score is missing: the judge's own N/A (the only kind "as-5" counts as
   * 5), an unreadable reply, no reply. The last two are always left out of the mean.
   */
  naKinds: Record<NaKind, number>;
  mean: number | null;
  /** 95% percentile bootstrap CI (seeded, ≥ 1,000 resamples). */
  low: number | null;
  high: number | null;
  /** Histogram of the per-generation scores 1..5 (index 0 = score 1). */
  counts: [number, number, number, number, number];
  /** Mean per-generation variance across judge repeats, null without repeats. */
  judgeVariance: number | null;
}

export interface ComparisonRow {
  /** The group the pair is compared within (e.g. { language: "fr" }). */
  group: Partial<Record<ResultsGroupKey, string>>;
  aspect: Aspect;
  a: string;
  b: string;
  /** Paired items (same item id, both scored). */
  n: number;
  meanA: number;
  meanB: number;
  /** meanA − meanB with a paired bootstrap 95% CI. */
  delta: number;
  low: number;
  high: number;
  /** Wilcoxon signed-rank: statistic, two-sided p, Holm-adjusted p over the table, effect size r. */
  w: number;
  p: number;
  pHolm: number;
  effectSize: number;
}

export type TableFormat = 'csv' | 'md' | 'latex';

import type { GenerationFilter, ResultsFilter, ResultsGroupKey, ScoreFilter } from '../../../shared/api';
import type { BarTarget } from './charts/resultsCharts';
import { RESULTS_GROUP_KEYS } from '../../../shared/api';
import { ANY_CRITICAL_ERROR } from '../../../shared/detection';
import { filterToParams, paramsToFilter } from './generationParams';
import type { RouteParams } from './hashRoute';

/**
 * The Results view's state as URL params, e.g. `#/results?lang=fr&method=urial,zero-shot&by=language,method&na=as-5`.
 * The filters it shares with the reader (runs, models, methods, languages, category, task type, difficulty)
 * use the reader's keys, so a link means the same in both views; the rest are Results-only. Pure, unit-tested.
 */
export const RESULTS_PARAM_KEYS = {
  judge: 'judge',
  rubricVersion: 'rubric',
  judgeLang: 'jlang',
  naPolicy: 'na',
  groupBy: 'by',
  source: 'src',
  compareDimension: 'cmp',
  compareA: 'a',
  compareB: 'b',
} as const;

export const DEFAULT_GROUP_BY: readonly ResultsGroupKey[] = ['language', 'method'];
/** `by=all`: no grouping key, every filtered generation in one group. */
const NO_GROUPING = 'all';

export type ErrorSource = 'detector' | 'human';

export interface Comparison {
  dimension: 'method' | 'model';
  a: string;
  b: string;
}

export interface ResultsQuery {
  filter: ResultsFilter;
  groupBy: ResultsGroupKey[];
  /** Where critical-error labels come from. */
  source: ErrorSource;
  /** The paired comparison to tabulate, once both sides are chosen. */
  compare: Comparison | null;
}

/** The fields of the reader's filter that mean the same for Results. */
const SHARED = ['runIds', 'modelIds', 'methods', 'langs', 'category', 'taskType', 'difficulty'] as const satisfies readonly (keyof GenerationFilter & keyof ResultsFilter)[];

export function paramsToResultsQuery(params: RouteParams): ResultsQuery {
  const k = RESULTS_PARAM_KEYS;
  const shared = paramsToFilter(params);
  const filter: ResultsFilter = { naPolicy: params[k.naPolicy] === 'as-5' ? 'as-5' : 'exclude' };
  for (const key of SHARED) if (shared[key] !== undefined) Object.assign(filter, { [key]: shared[key] });
  if (params[k.judge]) filter.judge = params[k.judge];
  if (params[k.rubricVersion]) filter.rubricVersion = params[k.rubricVersion];
  if (params[k.judgeLang]) filter.judgeLang = params[k.judgeLang];
  const by = (params[k.groupBy] === NO_GROUPING ? '' : (params[k.groupBy] ?? '')).split(',').filter((g): g is ResultsGroupKey => (RESULTS_GROUP_KEYS as readonly string[]).includes(g));
  const dimension = params[k.compareDimension] === 'model' ? 'model' : 'method';
  const [a, b] = [params[k.compareA], params[k.compareB]];
  return {
    filter,
    // No "by" param (or nothing valid in it): the default grouping; "by=all": one group of everything.
    groupBy: by.length || params[k.groupBy] === NO_GROUPING ? [...new Set(by)] : [...DEFAULT_GROUP_BY],
    source: params[k.source] === 'human' ? 'human' : 'detector',
    compare: a && b ? { dimension, a, b } : null,
  };
}

/** The param patch for a query (every Results key set or removed; unrelated params are left alone). */
export function resultsQueryToParams(query: ResultsQuery): Record<string, string | undefined> {
  const k = RESULTS_PARAM_KEYS;
  const f = query.filter;
  const shared = filterToParams(Object.fromEntries(SHARED.map((key) => [key, f[key]])) as GenerationFilter);
  const isDefaultGrouping = query.groupBy.join(',') === DEFAULT_GROUP_BY.join(',');
  return {
    ...shared,
    [k.judge]: f.judge || undefined,
    [k.rubricVersion]: f.rubricVersion || undefined,
    [k.judgeLang]: f.judgeLang || undefined,
    [k.naPolicy]: f.naPolicy === 'as-5' ? 'as-5' : undefined,
    [k.groupBy]: isDefaultGrouping ? undefined : query.groupBy.join(',') || NO_GROUPING,
    [k.source]: query.source === 'human' ? 'human' : undefined,
    [k.compareDimension]: query.compare && query.compare.dimension !== 'method' ? query.compare.dimension : undefined,
    [k.compareA]: query.compare?.a,
    [k.compareB]: query.compare?.b,
  };
}

/** Model ids behind a group value: by model name, family name or role. */
export type ModelIdsOf = (key: 'model' | 'family' | 'role', value: string) => number[];

/**
 * The reader filter for the generations behind one bar: the active Results filters narrowed to the bar's
 * group (its language, method, and model / family / role as model ids) and, for judge scores with N/A
 * excluded, to the generations scored on its aspect (a histogram bar: those whose mean score rounds to its bin,
 * i.e. lies in [s − 0.5, s + 0.5)). With N/A counted as 5 the scored set includes all-N/A generations, which a
 * score range cannot select, so the aspect is not filtered then. Null when the group names a model the library
 * no longer has (a reader filter without it would show too much).
 */
export function readerFilterFor(target: BarTarget, filter: ResultsFilter, modelIdsOf: ModelIdsOf): GenerationFilter | null {
  const { group } = target;
  const out: GenerationFilter = {};
  for (const key of SHARED) if (filter[key] !== undefined) Object.assign(out, { [key]: filter[key] });
  if (group.language !== undefined) out.langs = [group.language];
  if (group.method !== undefined) {
    // A labelled arm ("URIAL (en prompt)") is not a method name the reader filters by: "urial" would mix in the
    // arm with the items' own prompt language, so there is no click-through rather than a wrong one.
    if (/ \(\S+ prompt\)$/.test(group.method)) return null;
    out.methods = [group.method];
  }
  let ids: number[] | undefined = filter.modelIds;
  for (const key of ['model', 'family', 'role'] as const) {
    const value = group[key];
    if (value === undefined) continue;
    const mine = modelIdsOf(key, value);
    ids = ids ? ids.filter((id) => mine.includes(id)) : mine;
  }
  if (ids !== undefined) {
    if (!ids.length) return null;
    out.modelIds = [...ids].sort((x, y) => x - y);
  }
  if (target.aspect && filter.naPolicy === 'exclude') {
    const score: ScoreFilter = { aspect: target.aspect, min: 1, max: 5 };
    // 0.499, not 0.5: the reader's range is inclusive, and a mean of k ≤ 1000 repeats below s + 0.5 is ≤ s + 0.499.
    if (target.score !== undefined) Object.assign(score, { min: Math.max(1, target.score - 0.5), max: Math.min(5, target.score + 0.499) });
    const judge = group.judge ?? filter.judge;
    if (judge) score.judge = judge;
    out.score = score;
  }
  if (target.critical) {
    out.critical = target.critical.label === ANY_CRITICAL_ERROR ? 'any' : target.critical.label;
    // The human rate counts the majority of a generation's annotators; the reader shows every generation an
    // annotator gave the label (the same set with one annotator, a superset when annotators disagree).
    if (target.critical.source === 'human') out.criticalSource = 'annotator';
  }
  return out;
}

import type { GenerationFilter } from '../../../shared/api';
import { FINISH_REASONS, type FinishReason } from '../../../shared/domain';
import { CRITICAL_SOURCES, type CriticalSource } from '../../../shared/generations';
import type { RouteParams } from './hashRoute';
import { paramToScore, scoreToParam } from './scoreParam';

/**
 * The generations reader's state as URL params, e.g. `run=3,4&method=urial&q=water&item=42&sbs=1`.
 * Lists are comma-separated. Pure, so the link format is unit-tested and stays stable for shared links.
 */
export const GENERATION_PARAM_KEYS = {
  runIds: 'run',
  modelIds: 'model',
  methods: 'method',
  langs: 'lang',
  category: 'cat',
  taskType: 'task',
  difficulty: 'diff',
  finishReasons: 'finish',
  score: 'score',
  search: 'q',
  critical: 'crit',
  criticalSource: 'critsrc',
} as const satisfies Record<keyof GenerationFilter, string>;

const list = (value: string | undefined): string[] =>
  value === undefined ? [] : value.split(',').map((s) => s.trim()).filter(Boolean);

const ids = (value: string | undefined): number[] => list(value).filter((s) => /^\d+$/.test(s)).map(Number);

/** The filter a set of params describes; malformed values are dropped rather than sent to the backend. */
export function paramsToFilter(params: RouteParams): GenerationFilter {
  const k = GENERATION_PARAM_KEYS;
  const filter: GenerationFilter = {};
  const runIds = ids(params[k.runIds]);
  if (runIds.length) filter.runIds = runIds;
  const modelIds = ids(params[k.modelIds]);
  if (modelIds.length) filter.modelIds = modelIds;
  const methods = list(params[k.methods]);
  if (methods.length) filter.methods = methods;
  const langs = list(params[k.langs]).filter((l) => /^[a-z]{2,3}(-[A-Za-z0-9]+)?$/.test(l));
  if (langs.length) filter.langs = langs;
  if (params[k.category]) filter.category = params[k.category];
  if (params[k.taskType]) filter.taskType = params[k.taskType];
  if (params[k.difficulty]) filter.difficulty = params[k.difficulty];
  const finish = list(params[k.finishReasons]).filter((f): f is FinishReason => (FINISH_REASONS as readonly string[]).includes(f));
  if (finish.length) filter.finishReasons = finish;
  const score = paramToScore(params[k.score]);
  if (score) filter.score = score;
  const search = params[k.search]?.trim();
  if (search) filter.search = search;
  const critical = params[k.critical];
  if (critical && /^[a-z0-9]+(-[a-z0-9]+)*$/.test(critical)) filter.critical = critical;
  const source = params[k.criticalSource];
  if (source && (CRITICAL_SOURCES as readonly string[]).includes(source)) filter.criticalSource = source as CriticalSource;
  return filter;
}

/** The param patch for a filter: every filter key is set or removed, other params are left alone. */
export function filterToParams(filter: GenerationFilter): Record<string, string | undefined> {
  const k = GENERATION_PARAM_KEYS;
  const join = (values: readonly (string | number)[] | undefined) => (values?.length ? values.join(',') : undefined);
  return {
    [k.runIds]: join(filter.runIds),
    [k.modelIds]: join(filter.modelIds),
    [k.methods]: join(filter.methods),
    [k.langs]: join(filter.langs),
    [k.category]: filter.category || undefined,
    [k.taskType]: filter.taskType || undefined,
    [k.difficulty]: filter.difficulty || undefined,
    [k.finishReasons]: join(filter.finishReasons),
    [k.score]: scoreToParam(filter.score),
    [k.search]: filter.search?.trim() || undefined,
    [k.critical]: filter.critical || undefined,
    // The detectors are the default source: only the annotators' is worth a param.
    [k.criticalSource]: filter.criticalSource === 'annotator' ? 'annotator' : undefined,
  };
}

/** The generation opened in the detail pane (`item=<generation id>`), if any. */
export function selectedIdOf(params: RouteParams): number | null {
  const value = params.item;
  return value !== undefined && /^\d+$/.test(value) ? Number(value) : null;
}

/**
 * Whether `filter` rules out a generation by what the reader knows of it (run, method, language, finish reason,
 * category, task type). Model, difficulty, score and search need the backend: the caller checks those against
 * the filtered list.
 */
export function excludedByFilter(
  filter: GenerationFilter,
  g: { runId: number; method: string; lang: string; finishReason: FinishReason; category: string | null; taskTypes: string[] | null },
): boolean {
  const outside = <T>(allowed: readonly T[] | undefined, value: T) => allowed !== undefined && !allowed.includes(value);
  return (
    outside(filter.runIds, g.runId) ||
    outside(filter.methods, g.method) ||
    outside(filter.langs, g.lang) ||
    outside(filter.finishReasons, g.finishReason) ||
    (filter.category !== undefined && filter.category !== g.category) ||
    (filter.taskType !== undefined && !(g.taskTypes ?? []).includes(filter.taskType))
  );
}

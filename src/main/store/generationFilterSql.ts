/**
 * The reader's filters as SQL over `generations g` (runs, models, methods, languages, items, finish reasons, judge
 * scores, critical errors, full-text search), shaped so the planner can use the indexes: see whereOf.
 */
import type { GenerationFilter, ScoreFilter } from '../../shared/generations';
import { SCORES } from '../../shared/judging';

/** Spelled exactly as the `runs_method` expression index of migration 0002, so the planner can use it. */
export const METHOD = `json_extract(r.method_json, '$.method')`;

/** A WHERE clause over `generations g`, with its parameters in order. */
export interface Where {
  sql: string;
  params: unknown[];
  /**
   * Count the total in the page statement (`count(*) OVER ()`) instead of a separate count: set for item-level
   * filters, whose matching rows cost one index lookup each; two statements would pay for them twice.
   */
  countInPage: boolean;
}

/**
 * The user's search box as a safe FTS5 query, or null when it has nothing to search for. Each whitespace-separated
 * term becomes a quoted phrase (quotes doubled), so FTS5 syntax in the input (`"`, `(`, `OR`, `NEAR`, `-`, `:`) is
 * searched as text and never throws; terms are AND-ed. A trailing `*` keeps its meaning (prefix search). Terms with
 * no letter or digit are dropped: the tokenizer would find no token in them either.
 */
export function toFtsQuery(search: string | undefined): string | null {
  if (!search) return null;
  const phrases: string[] = [];
  for (const term of search.split(/\s+/u)) {
    const word = term.replace(/\*+$/u, '');
    if (!/[\p{L}\p{N}]/u.test(word)) continue;
    phrases.push(`"${word.replaceAll('"', '""')}"${word.length < term.length ? '*' : ''}`);
  }
  return phrases.length > 0 ? phrases.join(' ') : null;
}

export const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');
const given = <T>(values: readonly T[] | undefined): values is readonly T[] => values !== undefined && values.length > 0;


/**
 * All filters as conditions on `generations g` that the planner can turn into index lookups:
 * - run-level filters (runs, models, methods, languages) select a handful of run ids → `g.run_id IN (…)`, searched
 *   in the UNIQUE (run_id, item_id) or the (finish_reason, run_id) index;
 * - with item-level filters (category, task type, difficulty) the subquery yields (run id, item id) pairs instead →
 *   `(g.run_id, g.item_id) IN (…)`, one lookup each in the UNIQUE index;
 * - search → `g.id IN (FTS5 MATCH)`, rowid lookups;
 * - score → `g.id IN (judgements of the aspect)`, searched in the judgements_aspect index, then rowid lookups.
 * An empty list or empty string means "no filter on that field".
 */
export function whereOf(filter: GenerationFilter): Where {
  const conditions: string[] = [];
  const params: unknown[] = [];

  const runConditions: string[] = [];
  const runParams: unknown[] = [];
  if (given(filter.runIds)) {
    runConditions.push(`r.id IN (${marks(filter.runIds)})`);
    runParams.push(...filter.runIds);
  }
  if (given(filter.modelIds)) {
    runConditions.push(`r.model_id IN (${marks(filter.modelIds)})`);
    runParams.push(...filter.modelIds);
  }
  if (given(filter.methods)) {
    runConditions.push(`${METHOD} IN (${marks(filter.methods)})`);
    runParams.push(...filter.methods);
  }
  if (given(filter.langs)) {
    runConditions.push(`d.lang IN (${marks(filter.langs)})`);
    runParams.push(...filter.langs);
  }
  const itemConditions: string[] = [];
  if (filter.category) {
    itemConditions.push('i.category = ?');
    runParams.push(filter.category);
  }
  if (filter.taskType) {
    itemConditions.push('EXISTS (SELECT 1 FROM json_each(i.task_types_json) t WHERE t.value = ?)');
    runParams.push(filter.taskType);
  }
  if (filter.difficulty) {
    itemConditions.push('i.difficulty = ?');
    runParams.push(filter.difficulty);
  }

  const from = `FROM runs r${given(filter.langs) ? ' JOIN datasets d ON d.id = r.dataset_id' : ''}`;
  if (itemConditions.length > 0) {
    const all = [...runConditions, ...itemConditions].join(' AND ');
    conditions.push(`(g.run_id, g.item_id) IN (SELECT r.id, i.item_id ${from} JOIN items i ON i.dataset_id = r.dataset_id WHERE ${all})`);
    params.push(...runParams);
  } else if (runConditions.length > 0) {
    conditions.push(`g.run_id IN (SELECT r.id ${from} WHERE ${runConditions.join(' AND ')})`);
    params.push(...runParams);
  }

  if (given(filter.finishReasons)) {
    conditions.push(`g.finish_reason IN (${marks(filter.finishReasons)})`);
    params.push(...filter.finishReasons);
  }

  const score = filter.score && scoreCondition(filter.score);
  if (score) {
    conditions.push(score.sql);
    params.push(...score.params);
  }

  const critical = filter.critical ? criticalCondition(filter.critical, filter.criticalSource ?? 'detector') : undefined;
  if (critical) {
    conditions.push(critical.sql);
    params.push(...critical.params);
  }

  const match = toFtsQuery(filter.search);
  if (match !== null) {
    conditions.push('g.id IN (SELECT rowid FROM generations_fts WHERE generations_fts MATCH ?)');
    params.push(match);
  }

  return {
    sql: conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '',
    params,
    countInPage: itemConditions.length > 0 || score !== undefined || critical !== undefined,
  };
}

/**
 * The score filter as `g.id IN (…)` over the judgements_aspect index (aspect, judge, rubric_version,
 * generation_id, score) of migration 0006: the aspect (and judge) are searched in the index, not scanned.
 * - `na`: generations with at least one N/A judgement on the aspect (a NULL score, never counted as a number);
 * - otherwise: generations for which some judge × rubric version × judge language has a mean over its repeats
 *   within [min, max]. N/A repeats are left out of the mean (AVG skips NULL); all-N/A groups never match.
 *   Grouping per judge setting keeps an English and a target-language verdict from being averaged together.
 */
function scoreCondition(score: ScoreFilter): { sql: string; params: unknown[] } {
  const byJudge = score.judge ? ' AND j.judge = ?' : '';
  const params: unknown[] = [score.aspect, ...(score.judge ? [score.judge] : [])];
  if (score.na) {
    return { sql: `g.id IN (SELECT j.generation_id FROM judgements j WHERE j.aspect = ?${byJudge} AND j.score IS NULL)`, params };
  }
  params.push(score.min ?? SCORES[0], score.max ?? SCORES[SCORES.length - 1]);
  return {
    sql: `g.id IN (SELECT j.generation_id FROM judgements j WHERE j.aspect = ?${byJudge}
      GROUP BY j.judge, j.rubric_version, j.generation_id, j.judge_lang HAVING avg(j.score) BETWEEN ? AND ?)`,
    params,
  };
}

/**
 * Generations with at least one current detector finding of the label (of any label: without parsing, findings_json
 * is written by JSON.stringify, so no finding is exactly '[]'). One detections row per detector.
 */
const DETECTED = (label: boolean) =>
  label
    ? `SELECT dt.generation_id FROM detections dt, json_each(dt.findings_json) f WHERE json_extract(f.value, '$.label') = ?`
    : `SELECT dt.generation_id FROM detections dt WHERE dt.findings_json <> '[]'`;
/** Current (not superseded) annotations; with a label, those that gave it. */
const CURRENT_ANNOTATIONS = `SELECT a.generation_id FROM annotations a WHERE a.superseded_at IS NULL`;
const ANNOTATED_WITH = (label: boolean) =>
  `${CURRENT_ANNOTATIONS} AND EXISTS (SELECT 1 FROM json_each(a.labels_json) l${label ? ' WHERE l.value = ?' : ''})`;

/**
 * The critical-error filter as `g.id [NOT] IN (…)`: `any` and a label select the flagged generations, `none` the
 * others; for annotators, `none` is annotated by someone and given no label by anyone (unannotated is not clean).
 */
function criticalCondition(critical: string, source: 'detector' | 'annotator'): { sql: string; params: unknown[] } {
  const label = critical !== 'any' && critical !== 'none';
  const params = label ? [critical] : [];
  if (source === 'detector') return { sql: `g.id ${critical === 'none' ? 'NOT IN' : 'IN'} (${DETECTED(label)})`, params };
  if (critical === 'none') return { sql: `g.id IN (${CURRENT_ANNOTATIONS}) AND g.id NOT IN (${ANNOTATED_WITH(false)})`, params };
  return { sql: `g.id IN (${ANNOTATED_WITH(label)})`, params };
}

/**
 * A list row's annotation status (see AnnotationStatus): a suggested label is decided by an annotation that gives
 * it or rejects it (`decisions[label] = 'rejected'`), as core/analysis isDecided counts it.
 */

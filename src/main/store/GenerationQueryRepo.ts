import type Database from 'better-sqlite3';
import { toGeneration, type GenerationRow as GenerationTableRow } from './GenerationRepo';
import type { Finding } from '../../shared/detection';
import type { AnnotationStatus, GenerationDetail, GenerationFilter, GenerationRow, ScoreFilter, SideBySideColumn } from '../../shared/generations';
import { FINISH_REASONS, type FinishReason } from '../../shared/domain';
import { ALL_ASPECTS, SCORES } from '../../shared/judging';
import { METHOD_LABEL_SQL } from './methodLabelSql';

/** Characters of `output` in a list row; the detail view has the whole text. */
export const OUTPUT_PREVIEW_CHARS = 200;

/** Distinct values present in the store, for the reader's filter dropdowns. */
export interface GenerationFacets {
  methods: string[];
  langs: string[];
  finishReasons: string[];
  categories: string[];
  taskTypes: string[];
}

/** Spelled exactly as the `runs_method` expression index of migration 0002, so the planner can use it. */
const METHOD = `json_extract(r.method_json, '$.method')`;
/** Imported runs have no model row: their generator (e.g. "gpt-4o") names the model. */
const MODEL_NAME = `coalesce(m.name, g.generator)`;

interface ListRowSql {
  id: number;
  run_id: number;
  item_id: string;
  lang: string;
  method: string | null;
  model_name: string | null;
  instruction: string;
  output_preview: string;
  finish_reason: FinishReason;
  output_tokens: number | null;
  labels_json: string;
  annotation: AnnotationStatus;
}

/** A stored generation row joined with its run, dataset, item and model. */
type DetailRowSql = GenerationTableRow & {
  run_name: string;
  lang: string;
  method: string | null;
  model_name: string | null;
  instruction: string;
  category: string | null;
  task_types_json: string | null;
};

type ColumnRowSql = Pick<
  DetailRowSql,
  'id' | 'run_id' | 'run_name' | 'item_id' | 'lang' | 'method' | 'model_name' | 'instruction' | 'output' | 'finish_reason' | 'output_tokens'
> & { scores_json: string; findings_json: string; annotated_json: string };

/** A WHERE clause over `generations g`, with its parameters in order. */
interface Where {
  sql: string;
  params: unknown[];
  /**
   * Count the total in the page statement (`count(*) OVER ()`) instead of a separate count: set for item-level
   * filters, whose matching rows cost one index lookup each; two statements would pay for them twice.
   */
  countInPage: boolean;
}

/**
 * Read side of the generations reader: filtered, paged lists, one generation in full, the same item across runs,
 * and the facets for the filters. Writes stay in GenerationRepo; migration 0002 keeps the FTS index in sync.
 */
export class GenerationQueryRepo {
  constructor(private readonly db: Database.Database) {}

  /** One page of generations matching every filter (AND), in id order, and how many match in total. */
  query(filter: GenerationFilter, offset: number, limit: number): { rows: GenerationRow[]; total: number } {
    offset = Math.max(0, Math.floor(offset));
    limit = Math.max(0, Math.floor(limit));
    const where = whereOf(filter);
    if (where.countInPage && limit > 0) {
      const rows = this.db.prepare<unknown[], ListRowSql & { total: number }>(pageSql(where, offset)).all(...where.params, limit, offset);
      if (rows.length > 0) return { rows: rows.map(toRow), total: rows[0]!.total };
      // Past the last page: only the count is left to tell.
    }
    const total = this.count(where);
    if (total === 0 || limit === 0 || offset >= total) return { rows: [], total };
    const rows = this.db.prepare<unknown[], ListRowSql>(pageSql(where, offset)).all(...where.params, limit, offset).map(toRow);
    return { rows, total };
  }

  /** EXPLAIN QUERY PLAN of query()'s page statement, one line per plan node (for tests and the P5 benchmark). */
  plan(filter: GenerationFilter, offset = 0, limit = 100): string[] {
    const where = whereOf(filter);
    return explain(this.db, pageSql(where, offset), [...where.params, limit, offset]);
  }

  /** EXPLAIN QUERY PLAN of query()'s count statement. */
  countPlan(filter: GenerationFilter): string[] {
    const where = whereOf(filter);
    return explain(this.db, countSql(where), where.params);
  }

  private count(where: Where): number {
    return this.db.prepare<unknown[], { n: number }>(countSql(where)).get(...where.params)!.n;
  }

  get(id: number): GenerationDetail | undefined {
    const row = this.db
      .prepare<[number], DetailRowSql>(
        `SELECT g.*, r.name AS run_name, d.lang, ${METHOD_LABEL_SQL} AS method, ${MODEL_NAME} AS model_name,
           coalesce(i.instruction, '') AS instruction, i.category, i.task_types_json
         FROM generations g
         JOIN runs r ON r.id = g.run_id
         JOIN datasets d ON d.id = r.dataset_id
         LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id
         LEFT JOIN models m ON m.id = r.model_id
         WHERE g.id = ?`,
      )
      .get(id);
    return row && toDetail(row, this.findingsOf(id));
  }

  /** The current findings of every detector on generation `id`, detectors in name order. */
  private findingsOf(id: number): Finding[] {
    return this.db
      .prepare<[number], { findings_json: string }>('SELECT findings_json FROM detections WHERE generation_id = ? ORDER BY detector, version')
      .all(id)
      .flatMap((r) => JSON.parse(r.findings_json) as Finding[]);
  }

  /**
   * The item of generation `id` in every run on its dataset or on a dataset of the same parallel group (its
   * translations), restricted to `runIds` when given: one column per run that has a generation for that item id,
   * ordered by language, method, model name, run id. Unknown id: [].
   */
  sideBySide(id: number, runIds?: readonly number[]): SideBySideColumn[] {
    const restrict = runIds && runIds.length > 0 ? `AND r.id IN (${marks(runIds)})` : '';
    return this.db
      .prepare<unknown[], ColumnRowSql>(
        `SELECT g.id, g.run_id, r.name AS run_name, g.item_id, d.lang, ${METHOD_LABEL_SQL} AS method, ${MODEL_NAME} AS model_name,
           coalesce(i.instruction, '') AS instruction, g.output, g.finish_reason, g.output_tokens,
           -- What a matrix cell shows besides the text: a handful of rows per generation, read by generation_id.
           (SELECT json_group_array(json_object('aspect', aspect, 'mean', mean, 'n', n)) FROM (
              SELECT j.aspect, avg(j.score) AS mean, count(*) AS n FROM judgements j
              WHERE j.generation_id = g.id AND j.score IS NOT NULL GROUP BY j.aspect)) AS scores_json,
           (SELECT json_group_array(label) FROM (
              SELECT DISTINCT json_extract(f.value, '$.label') AS label FROM detections dt, json_each(dt.findings_json) f
              WHERE dt.generation_id = g.id ORDER BY label)) AS findings_json,
           (SELECT json_group_array(label) FROM (
              SELECT DISTINCT l.value AS label FROM annotations a, json_each(a.labels_json) l
              WHERE a.generation_id = g.id AND a.superseded_at IS NULL ORDER BY label)) AS annotated_json
         FROM generations g0
         JOIN runs r0 ON r0.id = g0.run_id
         JOIN datasets d0 ON d0.id = r0.dataset_id
         -- NULL = NULL is not true: a dataset outside any group only matches itself.
         JOIN datasets d ON d.id = d0.id OR d.parallel_group = d0.parallel_group
         JOIN runs r ON r.dataset_id = d.id
         JOIN generations g ON g.run_id = r.id AND g.item_id = g0.item_id
         LEFT JOIN items i ON i.dataset_id = d.id AND i.item_id = g.item_id
         LEFT JOIN models m ON m.id = r.model_id
         WHERE g0.id = ? ${restrict}
         ORDER BY d.lang, method, model_name, r.id`,
      )
      .all(id, ...(runIds ?? []))
      .map((r) => ({
        id: r.id,
        runId: r.run_id,
        runName: r.run_name,
        itemId: r.item_id,
        lang: r.lang,
        method: r.method ?? 'unknown',
        modelName: r.model_name,
        instruction: r.instruction,
        output: r.output,
        finishReason: r.finish_reason,
        outputTokens: r.output_tokens ?? 0,
        scores: (JSON.parse(r.scores_json) as SideBySideColumn['scores']).sort((a, b) => ALL_ASPECTS.indexOf(a.aspect) - ALL_ASPECTS.indexOf(b.aspect)),
        findings: JSON.parse(r.findings_json) as string[],
        annotated: JSON.parse(r.annotated_json) as string[],
      }));
  }

  /**
   * Values present, sorted: methods, languages and finish reasons of the stored generations; categories and task
   * types of the items of datasets that have runs (a subset run may not cover every one of them).
   */
  facets(): GenerationFacets {
    const column = (sql: string, ...params: unknown[]): string[] =>
      this.db
        .prepare<unknown[], { v: string }>(sql)
        .all(...params)
        .map((r) => r.v);
    // Runs that have at least one generation (a lookup in the run_id index each: runs are few).
    const withGenerations = `EXISTS (SELECT 1 FROM generations g WHERE g.run_id = r.id)`;
    return {
      methods: column(
        `SELECT DISTINCT ${METHOD} AS v FROM runs r WHERE ${withGenerations} AND ${METHOD} IS NOT NULL ORDER BY v`,
      ),
      langs: column(
        `SELECT DISTINCT d.lang AS v FROM runs r JOIN datasets d ON d.id = r.dataset_id WHERE ${withGenerations} ORDER BY v`,
      ),
      // One lookup per known reason in the (finish_reason, run_id) index, rather than reading every generation.
      // Kept in FINISH_REASONS order (stop, eos, max-tokens, aborted, error), not alphabetical.
      finishReasons: column(
        `SELECT f.value AS v FROM json_each(?) f
         WHERE EXISTS (SELECT 1 FROM generations g WHERE g.finish_reason = f.value)
         ORDER BY f.key`,
        JSON.stringify(FINISH_REASONS),
      ),
      categories: column(
        `SELECT DISTINCT i.category AS v FROM items i
         WHERE i.category IS NOT NULL AND i.dataset_id IN (SELECT dataset_id FROM runs r WHERE ${withGenerations})
         ORDER BY v`,
      ),
      // Distinct JSON arrays first: items repeat a few combinations, so json_each parses dozens, not thousands.
      taskTypes: column(
        `SELECT DISTINCT t.value AS v
         FROM (SELECT DISTINCT i.task_types_json AS j FROM items i
               WHERE i.task_types_json IS NOT NULL AND i.dataset_id IN (SELECT dataset_id FROM runs r WHERE ${withGenerations})) x,
           json_each(x.j) t
         WHERE t.type = 'text'
         ORDER BY v`,
      ),
    };
  }
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

// ─── SQL building ──────────────────────────────────────────────────────────

const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');
const given = <T>(values: readonly T[] | undefined): values is readonly T[] => values !== undefined && values.length > 0;

/**
 * Unfiltered pages up to this offset walk the table in id order (reading offset + limit rows, with their text);
 * beyond it, reading the ids from the UNIQUE (run_id, item_id) index and sorting them is cheaper (at 100k
 * generations: ~0.1 ms vs 5 ms at offset 0, 180 ms vs 18 ms at offset 100,000; see bench/README.md, P5).
 */
const TABLE_WALK_MAX_OFFSET = 2000;

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
function whereOf(filter: GenerationFilter): Where {
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
const ANNOTATION_STATUS = `CASE
    WHEN EXISTS (SELECT 1 FROM detections dt, json_each(dt.findings_json) f WHERE dt.generation_id = g.id
      AND NOT EXISTS (SELECT 1 FROM annotations a WHERE a.generation_id = g.id AND a.superseded_at IS NULL
        AND (EXISTS (SELECT 1 FROM json_each(a.labels_json) l WHERE l.value = json_extract(f.value, '$.label'))
          OR EXISTS (SELECT 1 FROM json_each(a.decisions_json) d WHERE d.key = json_extract(f.value, '$.label') AND d.value = 'rejected'))))
      THEN 'pending'
    WHEN EXISTS (SELECT 1 FROM annotations a WHERE a.generation_id = g.id AND a.superseded_at IS NULL) THEN 'decided'
    ELSE 'none' END`;

/** A list row's detector labels, distinct and sorted, as a JSON array. */
const ROW_LABELS = `(SELECT coalesce(json_group_array(x.label), '[]') FROM (SELECT DISTINCT json_extract(f.value, '$.label') AS label
    FROM detections dt, json_each(dt.findings_json) f WHERE dt.generation_id = g.id ORDER BY label) x)`;

const countSql = (where: Where): string => `SELECT count(*) AS n FROM generations g ${where.sql}`;

/**
 * Page statement; its last two parameters are LIMIT and OFFSET. The ids of the page are picked first, from the
 * indexes alone (an offset of 5,000 skips 5,000 index entries, not 5,000 rows with their text); only the page's
 * rows are then read and joined.
 */
function pageSql(where: Where, offset: number): string {
  const total = where.countInPage ? ', count(*) OVER () AS total' : '';
  // True of every row (run_id is a NOT NULL foreign key, enforced), but it steers the planner to the index.
  const filter = where.sql === '' && offset > TABLE_WALK_MAX_OFFSET ? 'WHERE g.run_id IN (SELECT id FROM runs)' : where.sql;
  return `WITH page AS (SELECT g.id${total} FROM generations g ${filter} ORDER BY g.id LIMIT ? OFFSET ?)
    SELECT g.id, g.run_id, g.item_id, d.lang, ${METHOD_LABEL_SQL} AS method, ${MODEL_NAME} AS model_name,
      coalesce(i.instruction, '') AS instruction, substr(g.output, 1, ${OUTPUT_PREVIEW_CHARS}) AS output_preview,
      g.finish_reason, g.output_tokens, ${ROW_LABELS} AS labels_json, ${ANNOTATION_STATUS} AS annotation${where.countInPage ? ', page.total' : ''}
    FROM page
    -- CROSS JOIN pins the join order: without it the planner may scan all generations and probe the page.
    CROSS JOIN generations g ON g.id = page.id
    JOIN runs r ON r.id = g.run_id
    JOIN datasets d ON d.id = r.dataset_id
    LEFT JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id
    LEFT JOIN models m ON m.id = r.model_id
    ORDER BY g.id`;
}

function explain(db: Database.Database, sql: string, params: unknown[]): string[] {
  return db
    .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${sql}`)
    .all(...params)
    .map((r) => r.detail);
}

// ─── Rows ──────────────────────────────────────────────────────────────────

function toRow(r: ListRowSql): GenerationRow {
  return {
    id: r.id,
    runId: r.run_id,
    itemId: r.item_id,
    lang: r.lang,
    method: r.method ?? 'unknown',
    modelName: r.model_name,
    instruction: r.instruction,
    outputPreview: r.output_preview,
    finishReason: r.finish_reason,
    outputTokens: r.output_tokens ?? 0,
    labels: JSON.parse(r.labels_json) as string[],
    annotation: r.annotation,
  };
}

function toDetail(r: DetailRowSql, findings: Finding[]): GenerationDetail {
  // The stored generation as the store maps it, minus what the reader does not show, plus its context.
  const { generator: _generator, extra: _extra, createdAt: _createdAt, ...generation } = toGeneration(r);
  return {
    ...generation,
    runName: r.run_name,
    lang: r.lang,
    method: r.method ?? 'unknown',
    modelName: r.model_name,
    instruction: r.instruction,
    category: r.category,
    taskTypes: r.task_types_json ? (JSON.parse(r.task_types_json) as string[]) : null,
    findings,
  };
}

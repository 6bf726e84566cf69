import type Database from 'better-sqlite3';
import { toGeneration, type GenerationRow as GenerationTableRow } from './GenerationRepo';
import type { Finding } from '../../shared/detection';
import type { AnnotationStatus, GenerationDetail, GenerationFilter, GenerationRow, SideBySideColumn } from '../../shared/generations';
import { FINISH_REASONS, type FinishReason } from '../../shared/domain';
import { ALL_ASPECTS } from '../../shared/judging';
import { marks, METHOD, whereOf, type Where } from './generationFilterSql';
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

// ─── SQL building ──────────────────────────────────────────────────────────

/**
 * Unfiltered pages up to this offset walk the table in id order (reading offset + limit rows, with their text);
 * beyond it, reading the ids from the UNIQUE (run_id, item_id) index and sorting them is cheaper (at 100k
 * generations: ~0.1 ms vs 5 ms at offset 0, 180 ms vs 18 ms at offset 100,000; see bench/README.md, P5).
 */
const TABLE_WALK_MAX_OFFSET = 2000;

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

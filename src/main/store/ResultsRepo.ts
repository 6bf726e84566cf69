import type Database from 'better-sqlite3';
import type { ResultsFilter, ResultsGroupKey } from '../../shared/results';
import type { Aspect } from '../../shared/judging';
import type { NaKind } from '../../shared/naKinds';
import { METHOD_LABEL_SQL } from './methodLabelSql';

/**
 * Read side of the Results view: every aggregate is computed in SQL with all ResultsFilter fields applied, and
 * comes back compact (one row per group × aspect × distinct per-generation score), so the JS side only bootstraps.
 *
 * The unit is a generation judged by one judge × rubric version × judge language: its score per aspect is the mean
 * over that combination's repeats, read from judgement_means (migration 0012: the repeats' sums, maintained by
 * triggers). Different judges, rubric versions or judge languages are never averaged into one per-generation
 * score; the results service makes them grouping keys when the selection holds more than one. N/A policy:
 * "exclude" drops N/A repeats (all N/A → no score); "as-5" counts each repeat the judge itself scored "N/A"
 * (na_kind 'judge') as 5, as just-eval's report() does, and still drops unreadable replies and calls without a
 * reply (report() leaves out items without a parsed_result).
 */

/** The group keys that describe how a generation was judged: columns of judgement_means, not of the generation. */
const JUDGING_KEYS: ReadonlySet<ResultsGroupKey> = new Set(['judge', 'rubric', 'judgeLang']);

/**
 * The SQL value of each group key over runs r, datasets d, models m, model_families f and `rows` (generations g
 * or judgement_means jm: both carry the generator). Imported runs have no model row: their generator names the model.
 */
const groupSql = (key: ResultsGroupKey, rows: 'g' | 'jm'): string =>
  ({
    language: 'd.lang',
    // A URIAL run with a prompt in another language is its own group, "URIAL (en prompt)": never pooled with the other.
    method: `coalesce(${METHOD_LABEL_SQL}, 'unknown')`,
    model: `coalesce(m.name, ${rows}.generator, 'imported')`,
    family: `coalesce(f.name, '(no family)')`,
    role: `coalesce(m.role, '(no role)')`,
    judge: 'jm.judge',
    rubric: 'jm.rubric_version',
    judgeLang: 'jm.judge_lang',
  })[key];

const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');
const given = <T>(values: readonly T[] | undefined): values is readonly T[] => values !== undefined && values.length > 0;

interface Sql {
  sql: string;
  params: unknown[];
}

/** Columns `g_<key>` of the selected generations (generation-level keys only). */
const groupColumns = (keys: readonly ResultsGroupKey[]): string => keys.map((k) => `, ${groupSql(k, 'g')} AS g_${k}`).join('');

const hasItemFilter = (filter: ResultsFilter): boolean => Boolean(filter.category || filter.taskType || filter.difficulty);

/** The run-level filters as conditions on runs r and datasets d (`jm` stands for the selected rows). */
function runConditions(filter: ResultsFilter): Sql {
  const where: string[] = [];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (given(filter.runIds)) add(`r.id IN (${marks(filter.runIds)})`, ...filter.runIds);
  if (given(filter.modelIds)) add(`r.model_id IN (${marks(filter.modelIds)})`, ...filter.modelIds);
  if (given(filter.methods)) add(`json_extract(r.method_json, '$.method') IN (${marks(filter.methods)})`, ...filter.methods);
  if (given(filter.langs)) add(`d.lang IN (${marks(filter.langs)})`, ...filter.langs);
  return { sql: where.join(' AND ') || '1', params };
}

/** The item-level filters as conditions on items i. */
function itemConditions(filter: ResultsFilter): Sql {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.category) (where.push('i.category = ?'), params.push(filter.category));
  if (filter.taskType) (where.push('EXISTS (SELECT 1 FROM json_each(i.task_types_json) t WHERE t.value = ?)'), params.push(filter.taskType));
  if (filter.difficulty) (where.push('i.difficulty = ?'), params.push(filter.difficulty));
  return { sql: where.join(' AND ') || '1', params };
}

/**
 * The generations that pass the run- and item-level filters, with the requested extra columns: a SELECT over
 * generations g, runs r, datasets d, models m, model_families f (and items i when an item filter or column needs it).
 * Failed generations (finish reason "error") have no output and are never in the results.
 */
function selectedGenerations(filter: ResultsFilter, columns: string, needItems = false): Sql {
  const runs = runConditions(filter);
  const items = itemConditions(filter);
  const joinItems = needItems || hasItemFilter(filter);
  return {
    sql: `SELECT g.id, g.item_id${columns}
      FROM runs r
      JOIN datasets d ON d.id = r.dataset_id
      LEFT JOIN models m ON m.id = r.model_id
      LEFT JOIN model_families f ON f.id = m.family_id
      JOIN generations g ON g.run_id = r.id
      ${joinItems ? 'JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id' : ''}
      WHERE g.finish_reason <> 'error' AND ${runs.sql} AND ${items.sql}`,
    params: [...runs.params, ...items.params],
  };
}

/** Conditions on `judgement_means jm` from the judge filters. */
function judgeConditions(filter: ResultsFilter): Sql {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.judge) (where.push('jm.judge = ?'), params.push(filter.judge));
  if (filter.rubricVersion) (where.push('jm.rubric_version = ?'), params.push(filter.rubricVersion));
  if (filter.judgeLang) (where.push('jm.judge_lang = ?'), params.push(filter.judgeLang));
  return { sql: where.length > 0 ? `AND ${where.join(' AND ')}` : '', params };
}

/** Count (`m`), Σ (`sx`) and Σ² (`sxx`) of the repeat scores the N/A policy keeps, as SQL over judgement_means. */
function policySums(filter: ResultsFilter, t = 'jm'): { m: string; sx: string; sxx: string } {
  return filter.naPolicy === 'as-5'
    ? { m: `(${t}.scored + ${t}.na_judge)`, sx: `(${t}.sx + 5 * ${t}.na_judge)`, sxx: `(${t}.sxx + 25 * ${t}.na_judge)` }
    : { m: `${t}.scored`, sx: `${t}.sx`, sxx: `${t}.sxx` };
}

/**
 * Per selected generation × judge × rubric version × judge language × aspect (one judgement_means row): `k`
 * repeats, `scored` non-N/A ones, `m`, `sx`, `sxx` after the policy, and the N/A repeats by kind.
 */
function perGenerationScores(filter: ResultsFilter, columns: string, keep: string): Sql {
  const sel = selectedGenerations(filter, columns);
  const judged = judgeConditions(filter);
  const p = policySums(filter);
  return {
    sql: `WITH sel AS MATERIALIZED (${sel.sql})
      SELECT ${keep}, jm.aspect, jm.k, jm.scored, ${p.m} AS m, ${p.sx} AS sx, ${p.sxx} AS sxx
      FROM sel CROSS JOIN judgement_means jm ON jm.generation_id = sel.id ${judged.sql}`,
    params: [...sel.params, ...judged.params],
  };
}

export interface ScoreLevelSqlRow {
  aspect: Aspect;
  score: number | null;
  generations: number;
  all_na: number;
  substituted: number;
  /** N/A repeats of each kind (judgement rows, summed over the level's generations). */
  na_judge: number;
  na_unreadable: number;
  na_no_reply: number;
  variance_sum: number;
  variance_n: number;
  [groupColumn: `g_${string}`]: string;
}

/** One score level of a group × aspect (structurally core/analysis ScoreLevelRow; the store imports only shared). */
export interface ScoreLevel {
  group: Partial<Record<ResultsGroupKey, string>>;
  aspect: Aspect;
  score: number | null;
  generations: number;
  allNa: number;
  substituted: number;
  varianceSum: number;
  varianceN: number;
  naKinds: Record<NaKind, number>;
}

export interface PairedScoreSqlRow {
  aspect: Aspect;
  item_id: string;
  side: string;
  score: number;
  [groupColumn: `g_${string}`]: string;
}

export interface JudgingSummaryRow {
  judge: string;
  judge_name: string | null;
  rubric_version: string;
  judge_lang: string;
  generations: number;
}

export interface ResultsGenerationRow {
  id: number;
  run_id: number;
  item_id: string;
  lang: string;
  method: string;
  model: string;
}

export interface DpoCandidateRow {
  id: number;
  run_id: number;
  item_id: string;
  lang: string;
  instruction: string;
  output: string;
  finish_reason: string;
  /** Mean over the generation's aspects of its per-aspect scores (policy applied); null when nothing was scored. */
  score: number | null;
  aspects: number;
}

export class ResultsRepo {
  constructor(private readonly db: Database.Database) {}

  /** The aggregate query of results.aspects: one row per group × aspect × distinct per-generation score. */
  scoreLevels(filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): ScoreLevelSqlRow[] {
    const q = this.scoreLevelsSql(filter, groupBy);
    return this.db.prepare<unknown[], ScoreLevelSqlRow>(q.sql).all(...q.params);
  }

  /**
   * scoreLevels in the shape core/analysis aspectCells takes (ScoreLevelRow), N/A kinds included: what
   * results.aspects should call.
   */
  scoreLevelRows(filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): ScoreLevel[] {
    return this.scoreLevels(filter, groupBy).map((r) => ({
      group: Object.fromEntries(groupBy.map((k) => [k, r[`g_${k}`]])),
      aspect: r.aspect,
      score: r.score,
      generations: r.generations,
      allNa: r.all_na,
      substituted: r.substituted,
      varianceSum: r.variance_sum,
      varianceN: r.variance_n,
      naKinds: { judge: r.na_judge, unreadable: r.na_unreadable, 'no-reply': r.na_no_reply },
    }));
  }

  /** EXPLAIN QUERY PLAN of scoreLevels (tests and the P5A benchmark). */
  scoreLevelsPlan(filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): string[] {
    const q = this.scoreLevelsSql(filter, groupBy);
    return this.db
      .prepare<unknown[], { detail: string }>(`EXPLAIN QUERY PLAN ${q.sql}`)
      .all(...q.params)
      .map((r) => r.detail);
  }

  /**
   * Two stages. First the selected generations are counted per run × generator × judge × rubric version × judge
   * language × aspect × repeat sums (scored, sx, na_judge: what makes a per-generation score under either
   * policy). Without an item filter those counts are maintained already (run_score_levels, migration 0012: a
   * few thousand rows for a whole study); with one, they are counted from the selected generations'
   * judgement_means rows. Then those rows take their runs' group values and are summed per group × aspect ×
   * per-generation score. The judge variance of a level: its generations share m and sx, so Σ over them of
   * (sxx − sx²/m)/(m − 1) is (Σsxx − generations·sx²/m)/(m − 1).
   */
  private scoreLevelsSql(filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): Sql {
    const judged = judgeConditions(filter);
    const levelKeys = 'jm.run_id, jm.generator, jm.judge, jm.rubric_version, jm.judge_lang, jm.aspect, jm.scored, jm.sx, jm.na_judge';
    let counted: Sql;
    if (hasItemFilter(filter)) {
      const sel = selectedGenerations(filter, '');
      counted = {
        sql: `SELECT ${levelKeys}, count(*) AS generations, sum(jm.sxx) AS sum_sxx, sum(jm.na_unreadable) AS na_unreadable, sum(jm.na_no_reply) AS na_no_reply
          FROM (${sel.sql}) sel CROSS JOIN judgement_means jm ON jm.generation_id = sel.id WHERE 1 ${judged.sql}
          GROUP BY ${levelKeys}`,
        params: [...sel.params, ...judged.params],
      };
    } else {
      const runs = runConditions(filter);
      counted = {
        sql: `SELECT ${levelKeys}, jm.generations, jm.sum_sxx, jm.na_unreadable, jm.na_no_reply
          FROM run_score_levels jm WHERE jm.run_id IN (SELECT r.id FROM runs r JOIN datasets d ON d.id = r.dataset_id WHERE ${runs.sql}) ${judged.sql}`,
        params: [...runs.params, ...judged.params],
      };
    }
    const p = policySums(filter, 'jm');
    // Σ sxx over the level's generations after the policy (as-5 adds 25 per substituted repeat and generation).
    const sumSxx = filter.naPolicy === 'as-5' ? '(jm.sum_sxx + 25 * jm.na_judge * jm.generations)' : 'jm.sum_sxx';
    return {
      sql: `WITH jm AS (${counted.sql})
        SELECT ${groupBy.map((k) => `${groupSql(k, 'jm')} AS g_${k}, `).join('')}jm.aspect AS aspect,
          CASE WHEN ${p.m} > 0 THEN CAST(${p.sx} AS REAL) / ${p.m} END AS score,
          sum(jm.generations) AS generations,
          sum(CASE WHEN jm.scored = 0 THEN jm.generations ELSE 0 END) AS all_na,
          ${filter.naPolicy === 'as-5' ? 'sum(CASE WHEN jm.na_judge > 0 THEN jm.generations ELSE 0 END)' : '0'} AS substituted,
          sum(jm.na_judge * jm.generations) AS na_judge, sum(jm.na_unreadable) AS na_unreadable, sum(jm.na_no_reply) AS na_no_reply,
          coalesce(sum(CASE WHEN ${p.m} >= 2 THEN (${sumSxx} - CAST(${p.sx} AS REAL) * ${p.sx} * jm.generations / ${p.m}) / (${p.m} - 1) END), 0) AS variance_sum,
          sum(CASE WHEN ${p.m} >= 2 THEN jm.generations ELSE 0 END) AS variance_n
        FROM jm JOIN runs r ON r.id = jm.run_id JOIN datasets d ON d.id = r.dataset_id
          LEFT JOIN models m ON m.id = r.model_id LEFT JOIN model_families f ON f.id = m.family_id
        GROUP BY ${[...groupBy.map((k) => `g_${k}`), 'aspect', 'score'].join(', ')}`,
      params: counted.params,
    };
  }

  /**
   * Per group × aspect × item × side (the two values `a`, `b` of `dimension`): the mean of the per-generation
   * scores (several generations of one item on one side, e.g. two models when comparing methods, are averaged).
   * Generations without a score after the N/A policy are left out.
   */
  pairedScores(
    filter: ResultsFilter,
    dimension: 'method' | 'model',
    a: string,
    b: string,
    within: readonly ResultsGroupKey[],
  ): PairedScoreSqlRow[] {
    const keys = within.map((k) => `g_${k}`);
    const per = perGenerationScores(
      filter,
      `${groupColumns(within.filter((k) => !JUDGING_KEYS.has(k)))}, ${groupSql(dimension, 'g')} AS side`,
      ['sel.id', 'sel.item_id', 'sel.side', ...within.map((k) => (JUDGING_KEYS.has(k) ? `${groupSql(k, 'jm')} AS g_${k}` : `sel.g_${k}`))].join(', '),
    );
    return this.db
      .prepare<unknown[], PairedScoreSqlRow>(
        `WITH per AS (${per.sql})
         SELECT ${keys.map((k) => `${k}, `).join('')}aspect, item_id, side, avg(CAST(sx AS REAL) / m) AS score
         FROM per WHERE m > 0 AND side IN (?, ?)
         GROUP BY ${[...keys, 'aspect', 'item_id', 'side'].join(', ')}
         ORDER BY ${[...keys, 'aspect', 'item_id', 'side'].join(', ')}`,
      )
      .all(...per.params, a, b);
  }

  /** The judges, rubric versions and judge languages behind the filtered judgements (for table footnotes). */
  judgingSummary(filter: ResultsFilter): JudgingSummaryRow[] {
    const sel = selectedGenerations(filter, '');
    const judged = judgeConditions(filter);
    return this.db
      .prepare<unknown[], JudgingSummaryRow>(
        `WITH sel AS MATERIALIZED (${sel.sql}),
         used AS (SELECT jm.judge, jm.rubric_version, jm.judge_lang, count(DISTINCT jm.generation_id) AS generations
           FROM sel CROSS JOIN judgement_means jm ON jm.generation_id = sel.id ${judged.sql}
           GROUP BY jm.judge, jm.rubric_version, jm.judge_lang)
         SELECT judge, (SELECT name FROM judges WHERE identity = used.judge ORDER BY id LIMIT 1) AS judge_name, rubric_version, judge_lang, generations
         FROM used ORDER BY judge, rubric_version, judge_lang`,
      )
      .all(...sel.params, ...judged.params);
  }

  /** The filtered generations with model, method and language (for critical-error rates; judge filters do not apply). */
  generations(filter: ResultsFilter): ResultsGenerationRow[] {
    const sel = selectedGenerations(filter, `, g.run_id, ${groupSql('language', 'g')} AS lang, ${groupSql('method', 'g')} AS method, ${groupSql('model', 'g')} AS model`);
    return this.db.prepare<unknown[], ResultsGenerationRow>(`${sel.sql} ORDER BY g.id`).all(...sel.params);
  }

  /**
   * Every filtered generation with its instruction, output and overall score (mean over its aspects of the
   * per-aspect scores; null when unscored), for building preference pairs. Ordered by language, item, id.
   */
  dpoCandidates(filter: ResultsFilter): DpoCandidateRow[] {
    const per = perGenerationScores(filter, '', 'sel.id');
    const sel = selectedGenerations(filter, `, g.run_id, d.lang, g.output, g.finish_reason, i.instruction`, true);
    return this.db
      .prepare<unknown[], DpoCandidateRow>(
        `WITH per AS (${per.sql}),
         overall AS (SELECT id, avg(CAST(sx AS REAL) / m) AS score, count(*) AS aspects FROM per WHERE m > 0 GROUP BY id)
         SELECT s.id, s.run_id, s.item_id, s.lang, s.instruction, s.output, s.finish_reason, o.score, coalesce(o.aspects, 0) AS aspects
         FROM (${sel.sql}) s LEFT JOIN overall o ON o.id = s.id
         ORDER BY s.lang, s.item_id, s.id`,
      )
      .all(...per.params, ...sel.params);
  }
}

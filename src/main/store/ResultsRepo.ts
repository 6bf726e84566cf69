import type Database from 'better-sqlite3';
import type { ResultsFilter, ResultsGroupKey } from '../../shared/results';
import type { Aspect } from '../../shared/judging';
import type { NaKind } from '../../shared/naKinds';
import { METHOD_LABEL_SQL } from './methodLabelSql';

/**
 * Read side of the Results view: every aggregate is computed in SQL with all ResultsFilter fields applied, and
 * comes back compact (one row per group × aspect × distinct per-generation score), so the JS side only bootstraps.
 *
 * Per generation × aspect, the score is the mean over its judgement rows that pass the judge filters (the repeats;
 * several judges, rubric versions or judge languages are pooled when the filter leaves more than one, and the
 * table footnote lists which). N/A policy: "exclude" drops N/A repeats (all N/A → no score); "as-5" counts each
 * repeat the judge itself scored "N/A" (na_kind 'judge') as 5, as just-eval's report() does, and still drops
 * unreadable replies and calls without a reply (report() leaves out items without a parsed_result).
 */

/** The SQL value of each group key. Imported runs have no model row: their generator names the model. */
const GROUP_SQL: Record<ResultsGroupKey, string> = {
  language: 'd.lang',
  // A URIAL run with a prompt in another language is its own group, "URIAL (en prompt)": never pooled with the other.
  method: `coalesce(${METHOD_LABEL_SQL}, 'unknown')`,
  model: `coalesce(m.name, g.generator, 'imported')`,
  family: `coalesce(f.name, '(no family)')`,
  role: `coalesce(m.role, '(no role)')`,
};

const marks = (values: readonly unknown[]): string => values.map(() => '?').join(', ');
const given = <T>(values: readonly T[] | undefined): values is readonly T[] => values !== undefined && values.length > 0;

interface Sql {
  sql: string;
  params: unknown[];
}

/** Columns `g_<key>` of the selected generations. */
const groupColumns = (keys: readonly ResultsGroupKey[]): string => keys.map((k) => `, ${GROUP_SQL[k]} AS g_${k}`).join('');

/**
 * The generations that pass the run- and item-level filters, with the requested extra columns: a SELECT over
 * generations g, runs r, datasets d, models m, model_families f (and items i when an item filter or column needs it).
 * Failed generations (finish reason "error") have no output and are never in the results.
 */
function selectedGenerations(filter: ResultsFilter, columns: string, needItems = false): Sql {
  const where: string[] = [`g.finish_reason <> 'error'`];
  const params: unknown[] = [];
  const add = (condition: string, ...values: unknown[]) => {
    where.push(condition);
    params.push(...values);
  };
  if (given(filter.runIds)) add(`g.run_id IN (${marks(filter.runIds)})`, ...filter.runIds);
  if (given(filter.modelIds)) add(`r.model_id IN (${marks(filter.modelIds)})`, ...filter.modelIds);
  if (given(filter.methods)) add(`json_extract(r.method_json, '$.method') IN (${marks(filter.methods)})`, ...filter.methods);
  if (given(filter.langs)) add(`d.lang IN (${marks(filter.langs)})`, ...filter.langs);
  if (filter.category) add('i.category = ?', filter.category);
  if (filter.taskType) add('EXISTS (SELECT 1 FROM json_each(i.task_types_json) t WHERE t.value = ?)', filter.taskType);
  if (filter.difficulty) add('i.difficulty = ?', filter.difficulty);
  const items = needItems || filter.category || filter.taskType || filter.difficulty;
  return {
    sql: `SELECT g.id, g.item_id${columns}
      FROM runs r
      JOIN datasets d ON d.id = r.dataset_id
      LEFT JOIN models m ON m.id = r.model_id
      LEFT JOIN model_families f ON f.id = m.family_id
      JOIN generations g ON g.run_id = r.id
      ${items ? 'JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id' : ''}
      WHERE ${where.join(' AND ')}`,
    params,
  };
}

/** Conditions on `judgements j` from the judge filters. */
function judgeConditions(filter: ResultsFilter): Sql {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.judge) (where.push('j.judge = ?'), params.push(filter.judge));
  if (filter.rubricVersion) (where.push('j.rubric_version = ?'), params.push(filter.rubricVersion));
  if (filter.judgeLang) (where.push('j.judge_lang = ?'), params.push(filter.judgeLang));
  return { sql: where.length > 0 ? `AND ${where.join(' AND ')}` : '', params };
}

/**
 * Per generation × aspect: `k` repeats, `scored` non-N/A ones, the score sums after the policy, and the N/A
 * repeats by kind. `m`, `sx`, `sxx` are the count, Σ and Σ² of the repeat scores the policy keeps.
 */
function perGenerationScores(filter: ResultsFilter, columns: string, keep: string): Sql {
  const sel = selectedGenerations(filter, columns);
  const judged = judgeConditions(filter);
  const x = filter.naPolicy === 'as-5' ? `CASE WHEN j.na_kind = 'judge' THEN 5 ELSE j.score END` : 'j.score';
  return {
    sql: `WITH sel AS MATERIALIZED (${sel.sql})
      SELECT ${keep}, j.aspect, count(*) AS k, count(j.score) AS scored, count(${x}) AS m, sum(${x}) AS sx, sum((${x}) * (${x})) AS sxx,
        count(CASE WHEN j.na_kind = 'judge' THEN 1 END) AS na_judge, count(CASE WHEN j.na_kind = 'unreadable' THEN 1 END) AS na_unreadable,
        count(CASE WHEN j.na_kind = 'no-reply' THEN 1 END) AS na_no_reply
      FROM sel CROSS JOIN judgements j ON j.generation_id = sel.id ${judged.sql}
      GROUP BY sel.id, j.aspect`,
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

  private scoreLevelsSql(filter: ResultsFilter, groupBy: readonly ResultsGroupKey[]): Sql {
    const keys = groupBy.map((k) => `g_${k}`);
    const per = perGenerationScores(filter, groupColumns(groupBy), ['sel.id', ...keys.map((k) => `sel.${k}`)].join(', '));
    const outer = [...keys, 'aspect', 'score'].join(', ');
    return {
      sql: `WITH per AS (${per.sql})
        SELECT ${keys.map((k) => `${k}, `).join('')}aspect,
          CASE WHEN m > 0 THEN CAST(sx AS REAL) / m END AS score,
          count(*) AS generations,
          sum(scored = 0) AS all_na,
          ${filter.naPolicy === 'as-5' ? 'sum(na_judge > 0)' : '0'} AS substituted,
          sum(na_judge) AS na_judge, sum(na_unreadable) AS na_unreadable, sum(na_no_reply) AS na_no_reply,
          coalesce(sum(CASE WHEN m >= 2 THEN (sxx - CAST(sx AS REAL) * sx / m) / (m - 1) END), 0) AS variance_sum,
          count(CASE WHEN m >= 2 THEN 1 END) AS variance_n
        FROM per GROUP BY ${outer}`,
      params: per.params,
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
      `${groupColumns(within)}, ${GROUP_SQL[dimension]} AS side`,
      ['sel.id', 'sel.item_id', 'sel.side', ...keys.map((k) => `sel.${k}`)].join(', '),
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
        `WITH sel AS MATERIALIZED (${sel.sql})
         SELECT j.judge, (SELECT name FROM judges WHERE identity = j.judge ORDER BY id LIMIT 1) AS judge_name,
           j.rubric_version, j.judge_lang, count(DISTINCT j.generation_id) AS generations
         FROM sel CROSS JOIN judgements j ON j.generation_id = sel.id ${judged.sql}
         GROUP BY j.judge, j.rubric_version, j.judge_lang ORDER BY j.judge, j.rubric_version, j.judge_lang`,
      )
      .all(...sel.params, ...judged.params);
  }

  /** The filtered generations with model, method and language (for critical-error rates; judge filters do not apply). */
  generations(filter: ResultsFilter): ResultsGenerationRow[] {
    const sel = selectedGenerations(filter, `, g.run_id, ${GROUP_SQL.language} AS lang, ${GROUP_SQL.method} AS method, ${GROUP_SQL.model} AS model`);
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

import type Database from 'better-sqlite3';
import type { GenerationJudgements } from '../../shared/judgeRuns';
import type { Lang } from '../../shared/domain';
import { judgeCallKey, type AspectScore, type JudgeTarget, type NewJudgeCall, type StoredCall } from '../../shared/judgeCalls';
import { ALL_ASPECTS, type Aspect, type JudgeCallRecord, type JudgementRecord, type Score } from '../../shared/judging';
import type { ExportedJudgeCall } from '../../shared/judgeCallExport';
import type { NaKind } from '../../shared/naKinds';
import { nowIso } from './time';

/** A judgement in the `generations export` contract's field names (outside scripts read them: never rename). */
export interface ExportedJudgement {
  aspect: string;
  score: number | null;
  rationale: string | null;
  judge: string;
  rubric_version: string;
  repeat: number;
  /** The language the judge prompt was written in: tells EN-judged from target-judged scores apart (added field). */
  judge_lang: string;
}

/** A judgement with a score, where its generation comes from and how it was judged. */
export interface ScoredJudgement {
  generationId: number;
  /** The generation's language. */
  lang: Lang;
  judge: string;
  rubricVersion: string;
  judgeLang: Lang;
  aspect: Aspect;
  score: Score;
}

interface CallRow {
  id: number;
  generation_id: number;
  judge_run_id: number | null;
  judge: string;
  rubric_version: string;
  judge_lang: string;
  repeat: number;
  system_prompt: string;
  user_prompt: string;
  raw: string | null;
  error: string | null;
  seed: number;
  temperature: number;
  attempts: number;
  wall_ms: number;
  environment_json: string;
  created_at: string;
}

interface JudgementRow {
  call_id: number;
  generation_id: number;
  judge: string;
  rubric_version: string;
  judge_lang: string;
  repeat: number;
  aspect: Aspect;
  score: Score | null;
  rationale: string | null;
}

/**
 * SQL: a stored call that got no reply (server unreachable, timeouts or errors after the retries, an empty
 * reply). Its N/A says nothing about the output, unlike an unreadable reply, whose raw text is the judge's.
 */
const unanswered = (call: string) => `(${call}.error IS NOT NULL AND coalesce(${call}.raw, '') = '')`;

const marks = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');
/** SQL ordering aspects as displayed (ALL_ASPECTS), not alphabetically. */
const ASPECT_ORDER = `instr('${ALL_ASPECTS.map((a) => `,${a},`).join('')}', ',' || aspect || ',')`;

/**
 * Judge calls and their per-aspect judgements (migration 0006). A call and its judgements are written in one
 * transaction, so a crash never leaves half a verdict; the UNIQUE key of judge_calls is the judging cache.
 */
export class JudgementRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Commits one call with its aspect scores. Returns the call id, or null when that call was already stored
   * (another process judged the same key meanwhile): the first verdict stays, as the cache promises. A stored
   * call that got no reply (`unanswered`) is not a verdict: it is replaced, with its N/A rows.
   */
  saveCall(call: NewJudgeCall, scores: readonly AspectScore[]): number | null {
    return this.db.transaction(() => {
      this.db
        .prepare(
          `DELETE FROM judge_calls WHERE generation_id = ? AND judge = ? AND rubric_version = ? AND judge_lang = ? AND repeat = ? AND ${unanswered('judge_calls')}`,
        )
        .run(call.generationId, call.judge, call.rubricVersion, call.judgeLang, call.repeat);
      const row = this.db
        .prepare<unknown[], { id: number }>(
          `INSERT INTO judge_calls (generation_id, judge_run_id, judge, rubric_version, judge_lang, repeat, system_prompt, user_prompt,
             raw, error, seed, temperature, attempts, wall_ms, environment_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
           ON CONFLICT (generation_id, judge, rubric_version, judge_lang, repeat) DO NOTHING RETURNING id`,
        )
        .get(
          call.generationId,
          call.judgeRunId,
          call.judge,
          call.rubricVersion,
          call.judgeLang,
          call.repeat,
          call.prompt.system,
          call.prompt.user,
          call.raw,
          call.error,
          call.seed,
          call.temperature,
          call.attempts,
          call.wallMs,
          JSON.stringify(call.environment),
          nowIso(),
        );
      if (!row) return null;
      const insert = this.db.prepare(
        `INSERT INTO judgements (call_id, generation_id, judge, rubric_version, judge_lang, repeat, aspect, score, rationale, na_kind)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      );
      // Why an aspect is N/A: the parser's word when it has one (the judge's own "N/A"), else from the call.
      const missing: NaKind = call.error !== null && (call.raw ?? '') === '' ? 'no-reply' : 'unreadable';
      for (const s of scores)
        insert.run(row.id, call.generationId, call.judge, call.rubricVersion, call.judgeLang, call.repeat, s.aspect, s.score, s.rationale, s.score === null ? (s.naKind ?? missing) : null);
      return row.id;
    })();
  }

  /** The generations of these runs that have something to judge (failed generations have no output). */
  targets(runIds: readonly number[]): JudgeTarget[] {
    if (runIds.length === 0) return [];
    return this.db
      .prepare<unknown[], { id: number; instruction: string; output: string; category: string | null; lang: string }>(
        `SELECT g.id, i.instruction, g.output, i.category, d.lang
         FROM generations g JOIN runs r ON r.id = g.run_id JOIN datasets d ON d.id = r.dataset_id
         JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id
         WHERE g.run_id IN (${marks(runIds)}) AND g.finish_reason <> 'error'
         ORDER BY g.run_id, g.id`,
      )
      .all(...runIds)
      .map((r) => ({ generationId: r.id, instruction: r.instruction, output: r.output, category: r.category, lang: r.lang }));
  }

  /**
   * The calls this judge already made on the runs' generations: the cache, with whether each verdict is N/A and
   * whether the call got no reply at all (those are made again by the next start).
   */
  callsOf(judge: string, runIds: readonly number[]): Map<string, StoredCall> {
    if (runIds.length === 0) return new Map();
    const rows = this.db
      .prepare<unknown[], { generation_id: number; rubric_version: string; judge_lang: string; repeat: number; na: number; unanswered: number }>(
        `SELECT c.generation_id, c.rubric_version, c.judge_lang, c.repeat,
                (c.error IS NOT NULL OR EXISTS (SELECT 1 FROM judgements j WHERE j.call_id = c.id AND j.score IS NULL)) AS na,
                ${unanswered('c')} AS unanswered
         FROM judge_calls c JOIN generations g ON g.id = c.generation_id
         WHERE c.judge = ? AND g.run_id IN (${marks(runIds)})`,
      )
      .all(judge, ...runIds);
    return new Map(
      rows.map((r) => [
        judgeCallKey({ generationId: r.generation_id, rubricVersion: r.rubric_version, judgeLang: r.judge_lang, repeat: r.repeat }),
        { na: r.na === 1, unanswered: r.unanswered === 1 },
      ]),
    );
  }

  /**
   * Every judge call on a run's generations with what it judged, for `judgements export` (just-eval's format or
   * jsonl): one per call, in generation then call order. Optional filters: judge identity, rubric versions.
   */
  callsOfRun(runId: number, filter: { judge?: string; rubricVersions?: readonly string[] } = {}): ExportedJudgeCall[] {
    const where = ['g.run_id = ?'];
    const params: unknown[] = [runId];
    if (filter.judge) (where.push('c.judge = ?'), params.push(filter.judge));
    if (filter.rubricVersions?.length) (where.push(`c.rubric_version IN (${marks(filter.rubricVersions)})`), params.push(...filter.rubricVersions));
    const rows = this.db
      .prepare<unknown[], CallRow & { item_id: string; instruction: string; output: string; generator: string | null }>(
        `SELECT c.*, g.item_id, i.instruction, g.output, g.generator
         FROM judge_calls c JOIN generations g ON g.id = c.generation_id JOIN runs r ON r.id = g.run_id
         JOIN items i ON i.dataset_id = r.dataset_id AND i.item_id = g.item_id
         WHERE ${where.join(' AND ')} ORDER BY g.id, c.id`,
      )
      .all(...params);
    const scores = this.db.prepare<[number], { aspect: Aspect; score: Score | null; rationale: string | null; na_kind: NaKind | null }>(
      `SELECT aspect, score, rationale, na_kind FROM judgements WHERE call_id = ? ORDER BY ${ASPECT_ORDER} = 0, ${ASPECT_ORDER}, aspect`,
    );
    return rows.map((r) => ({
      ...toCall(r),
      itemId: r.item_id,
      instruction: r.instruction,
      output: r.output,
      generator: r.generator,
      scores: scores.all(r.id).map((s) => ({ aspect: s.aspect, score: s.score, rationale: s.rationale, naKind: s.na_kind })),
    }));
  }

  /** Every call on a generation with its scores, newest judge first, for the reader. */
  forGeneration(generationId: number): GenerationJudgements {
    const calls = this.db
      .prepare<[number], CallRow & { judge_name: string | null }>(
        `SELECT c.*, (SELECT name FROM judges WHERE identity = c.judge ORDER BY id LIMIT 1) AS judge_name
         FROM judge_calls c WHERE c.generation_id = ? ORDER BY c.id DESC`,
      )
      .all(generationId);
    const scores = this.db
      .prepare<[number], JudgementRow & { judge_run_id: number | null; created_at: string }>(
        `SELECT j.*, c.judge_run_id, c.created_at FROM judgements j JOIN judge_calls c ON c.id = j.call_id WHERE j.generation_id = ?
         ORDER BY j.call_id, ${ASPECT_ORDER}`,
      )
      .all(generationId);
    return {
      calls: calls.map((c) => ({
        ...toCall(c),
        judgeName: c.judge_name,
        scores: scores.filter((s) => s.call_id === c.id).map((s) => toJudgement(s, c.judge_name)),
      })),
    };
  }

  /** The judgements of a generation in the export contract's shape (score null = N/A). */
  exportedFor(generationId: number): ExportedJudgement[] {
    return this.db
      .prepare<[number], ExportedJudgement>(
        `SELECT aspect, score, rationale, judge, rubric_version, repeat, judge_lang FROM judgements WHERE generation_id = ?
         ORDER BY judge, rubric_version, judge_lang, repeat, call_id, ${ASPECT_ORDER}`,
      )
      .all(generationId);
  }

  /** Scored judgements (N/A left out) of the runs' generations, with the generation's language, for agreement reports. */
  scoresIn(runIds: readonly number[] | undefined, judge?: string): ScoredJudgement[] {
    const where = ['j.score IS NOT NULL'];
    const params: unknown[] = [];
    if (runIds?.length) {
      where.push(`g.run_id IN (${marks(runIds)})`);
      params.push(...runIds);
    }
    if (judge) {
      where.push('j.judge = ?');
      params.push(judge);
    }
    return this.db
      .prepare<unknown[], { generation_id: number; lang: string; judge: string; rubric_version: string; judge_lang: string; aspect: Aspect; score: Score }>(
        `SELECT j.generation_id, d.lang, j.judge, j.rubric_version, j.judge_lang, j.aspect, j.score
         FROM judgements j JOIN generations g ON g.id = j.generation_id JOIN runs r ON r.id = g.run_id JOIN datasets d ON d.id = r.dataset_id
         WHERE ${where.join(' AND ')}`,
      )
      .all(...params)
      .map((r) => ({ generationId: r.generation_id, lang: r.lang, judge: r.judge, rubricVersion: r.rubric_version, judgeLang: r.judge_lang, aspect: r.aspect, score: r.score }));
  }

  /** How a run's generations were judged: one row per judge × rubric version × judge language (reproducibility record). */
  judgingSummary(runId: number): { judge: string; judge_name: string | null; rubric_version: string; judge_lang: string; calls: number; repeats: number; judge_runs: string | null; na: number; environment_json: string }[] {
    return this.db
      .prepare<[number], { judge: string; judge_name: string | null; rubric_version: string; judge_lang: string; calls: number; repeats: number; judge_runs: string | null; na: number; environment_json: string }>(
        `SELECT c.judge, (SELECT name FROM judges WHERE identity = c.judge ORDER BY id LIMIT 1) AS judge_name, c.rubric_version, c.judge_lang,
           count(*) AS calls, count(DISTINCT c.repeat) AS repeats, group_concat(DISTINCT c.judge_run_id) AS judge_runs,
           sum(c.error IS NOT NULL) AS na, max(c.environment_json) AS environment_json
         FROM judge_calls c JOIN generations g ON g.id = c.generation_id
         WHERE g.run_id = ? GROUP BY c.judge, c.rubric_version, c.judge_lang ORDER BY c.judge, c.rubric_version, c.judge_lang`,
      )
      .all(runId);
  }
}

function toCall(r: CallRow): JudgeCallRecord {
  return {
    id: r.id,
    generationId: r.generation_id,
    judge: r.judge,
    rubricVersion: r.rubric_version,
    judgeLang: r.judge_lang,
    repeat: r.repeat,
    prompt: { system: r.system_prompt, user: r.user_prompt },
    raw: r.raw,
    error: r.error,
    seed: r.seed,
    temperature: r.temperature,
    attempts: r.attempts,
    wallMs: r.wall_ms,
    environment: JSON.parse(r.environment_json) as Record<string, string>,
    createdAt: r.created_at,
  };
}

function toJudgement(r: JudgementRow & { judge_run_id: number | null; created_at: string }, judgeName: string | null): JudgementRecord {
  return {
    generationId: r.generation_id,
    judgeRunId: r.judge_run_id,
    judge: r.judge,
    judgeName,
    rubricVersion: r.rubric_version,
    judgeLang: r.judge_lang,
    repeat: r.repeat,
    aspect: r.aspect,
    score: r.score,
    rationale: r.rationale,
    createdAt: r.created_at,
  };
}

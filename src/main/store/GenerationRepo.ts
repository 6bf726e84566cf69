import type Database from 'better-sqlite3';
import type { FinishReason, Generation } from '../../shared/domain';
import { nowIso } from './time';

export type NewGeneration = Omit<Generation, 'id' | 'createdAt'> & {
  generator?: string | null;
  extra?: Record<string, unknown>;
};

/**
 * A generation made outside the workbench (imported outputs): the output as given, no tokens or timings known,
 * `prompt` only when the file recorded it.
 */
export function importedGeneration(runId: number, itemId: string, out: { output: string; generator: string | null; extra?: Record<string, unknown> }, prompt = ''): NewGeneration {
  return {
    runId,
    itemId,
    prompt,
    outputRaw: out.output,
    output: out.output,
    finishReason: 'stop',
    error: null,
    promptTokens: 0,
    evaluatedPromptTokens: 0,
    outputTokens: 0,
    wallMs: 0,
    tokensPerSecond: 0,
    seed: 0,
    generator: out.generator,
    extra: out.extra ?? {},
  };
}

/** A row of the generations table, as SQLite returns it. */
export interface GenerationRow {
  id: number;
  run_id: number;
  item_id: string;
  prompt: string;
  output_raw: string;
  output: string;
  finish_reason: FinishReason;
  error: string | null;
  prompt_tokens: number | null;
  evaluated_prompt_tokens: number | null;
  output_tokens: number | null;
  wall_ms: number | null;
  tokens_per_second: number | null;
  seed: number | null;
  generator: string | null;
  extra_json: string;
  created_at: string;
}

/** The measurements of an output made elsewhere (imported, or opened from a package): none of ours. */
export const NOT_MEASURED_HERE = { error: null, promptTokens: 0, evaluatedPromptTokens: 0, outputTokens: 0, wallMs: 0, tokensPerSecond: 0, seed: 0 } as const satisfies Partial<NewGeneration>;

export type GenerationRecord = Generation & { generator: string | null; extra: Record<string, unknown> };

export class GenerationRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Stores one finished generation in its own transaction, so it survives a crash a moment later.
   * Replaces an earlier failed attempt ("error") of the same item, never a finished one. Returns the new id.
   */
  insert(g: NewGeneration): number {
    return this.db.transaction(() => {
      this.db.prepare(`DELETE FROM generations WHERE run_id = ? AND item_id = ? AND finish_reason = 'error'`).run(g.runId, g.itemId);
      const { lastInsertRowid } = this.db
        .prepare(
          `INSERT INTO generations (run_id, item_id, prompt, output_raw, output, finish_reason, error, prompt_tokens,
             evaluated_prompt_tokens, output_tokens, wall_ms, tokens_per_second, seed, generator, extra_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          g.runId,
          g.itemId,
          g.prompt,
          g.outputRaw,
          g.output,
          g.finishReason,
          g.error,
          g.promptTokens,
          g.evaluatedPromptTokens,
          g.outputTokens,
          g.wallMs,
          g.tokensPerSecond,
          g.seed,
          g.generator ?? null,
          JSON.stringify(g.extra ?? {}),
          nowIso(),
        );
      return Number(lastInsertRowid);
    })();
  }

  /** Many at once (imports): all or nothing. */
  insertMany(gs: NewGeneration[]): void {
    this.db.transaction(() => gs.forEach((g) => this.insert(g)))();
  }

  /** Item ids of the run that need no more work (anything but a failed attempt). */
  finishedItemIds(runId: number): Set<string> {
    return new Set(
      this.db
        .prepare<[number], { item_id: string }>(`SELECT item_id FROM generations WHERE run_id = ? AND finish_reason != 'error'`)
        .all(runId)
        .map((r) => r.item_id),
    );
  }

  forRun(runId: number): GenerationRecord[] {
    return this.db
      .prepare<[number], GenerationRow>(
        `SELECT g.* FROM generations g LEFT JOIN run_items ri ON ri.run_id = g.run_id AND ri.item_id = g.item_id
         WHERE g.run_id = ? ORDER BY ri.position, g.id`,
      )
      .all(runId)
      .map(toGeneration);
  }

  countByFinishReason(runId: number): Record<string, number> {
    const rows = this.db
      .prepare<[number], { finish_reason: string; n: number }>(
        'SELECT finish_reason, count(*) AS n FROM generations WHERE run_id = ? GROUP BY finish_reason',
      )
      .all(runId);
    return Object.fromEntries(rows.map((r) => [r.finish_reason, r.n]));
  }

  /** Output speeds (tokens/s) of the most recent generations made here, for time estimates. */
  recentSpeeds(limit: number): number[] {
    return this.db
      .prepare<[number], { v: number }>('SELECT tokens_per_second AS v FROM generations WHERE tokens_per_second > 0 ORDER BY id DESC LIMIT ?')
      .all(limit)
      .map((r) => r.v);
  }

  /** Each generation of the runs (all runs when none are given) with the model, method and language it counts under. */
  cells(runIds?: readonly number[]): { id: number; runId: number; model: string; method: string; lang: string }[] {
    const where = runIds?.length ? `WHERE g.run_id IN (${runIds.map(() => '?').join(',')})` : '';
    return this.db
      .prepare<unknown[], { id: number; runId: number; model: string; method: string; lang: string }>(
        `SELECT g.id, g.run_id AS runId, coalesce(m.name, g.generator, 'imported') AS model,
                coalesce(json_extract(r.method_json, '$.method'), 'unknown') AS method, d.lang
         FROM generations g JOIN runs r ON r.id = g.run_id JOIN datasets d ON d.id = r.dataset_id
         LEFT JOIN models m ON m.id = r.model_id ${where}`,
      )
      .all(...(runIds ?? []));
  }
}

export function toGeneration(r: GenerationRow): GenerationRecord {
  return {
    id: r.id,
    runId: r.run_id,
    itemId: r.item_id,
    prompt: r.prompt,
    outputRaw: r.output_raw,
    output: r.output,
    finishReason: r.finish_reason,
    error: r.error,
    promptTokens: r.prompt_tokens ?? 0,
    evaluatedPromptTokens: r.evaluated_prompt_tokens ?? 0,
    outputTokens: r.output_tokens ?? 0,
    wallMs: r.wall_ms ?? 0,
    tokensPerSecond: r.tokens_per_second ?? 0,
    seed: r.seed ?? 0,
    generator: r.generator,
    extra: JSON.parse(r.extra_json) as Record<string, unknown>,
    createdAt: r.created_at,
  };
}

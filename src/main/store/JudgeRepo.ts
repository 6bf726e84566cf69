import type Database from 'better-sqlite3';
import type { JudgeInfo, JudgeKind } from '../../shared/judging';
import { nowIso } from './time';

interface JudgeRow {
  id: number;
  name: string;
  kind: JudgeKind;
  identity: string;
  model_id: number | null;
  base_url: string | null;
  model: string | null;
  api_key_json: string;
  api_key_encrypted: string | null;
  concurrency: number;
  timeout_ms: number;
  max_retries: number;
  created_at: string;
}

export type NewJudge = Omit<JudgeInfo, 'id' | 'createdAt'> & {
  /** The API key encrypted by the desktop shell (base64), when apiKey.source is "encrypted". Never plaintext. */
  apiKeyEncrypted?: string | null;
};

/** Judges (migration 0006): local library models or OpenAI-compatible endpoints, keyed by their cache identity. */
export class JudgeRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Adds a judge, or updates the settings of the judge with the same identity (same model, same endpoint): one
   * identity is one judge, so adding it twice gives the same id and its judgements stay together.
   */
  upsert(judge: NewJudge): JudgeInfo {
    if ((judge.apiKey.source === 'encrypted') !== Boolean(judge.apiKeyEncrypted))
      throw new Error('An encrypted API key needs its encrypted blob, and only then.');
    return this.db.transaction(() => {
      const values = [
        judge.name,
        judge.kind,
        judge.modelId,
        judge.baseUrl,
        judge.model,
        JSON.stringify(judge.apiKey),
        judge.apiKeyEncrypted ?? null,
        judge.concurrency,
        judge.timeoutMs,
        judge.maxRetries,
      ];
      const existing = this.db.prepare<[string], { id: number }>('SELECT id FROM judges WHERE identity = ? ORDER BY id LIMIT 1').get(judge.identity);
      if (existing) {
        this.db
          .prepare(
            `UPDATE judges SET name = ?, kind = ?, model_id = ?, base_url = ?, model = ?, api_key_json = ?, api_key_encrypted = ?,
               concurrency = ?, timeout_ms = ?, max_retries = ? WHERE id = ?`,
          )
          .run(...values, existing.id);
        return this.get(existing.id)!;
      }
      const { id } = this.db
        .prepare<unknown[], { id: number }>(
          `INSERT INTO judges (name, kind, model_id, base_url, model, api_key_json, api_key_encrypted, concurrency, timeout_ms,
             max_retries, identity, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
        )
        .get(...values, judge.identity, nowIso())!;
      return this.get(id)!;
    })();
  }

  get(id: number): JudgeInfo | undefined {
    const row = this.db.prepare<[number], JudgeRow>('SELECT * FROM judges WHERE id = ?').get(id);
    return row && toJudge(row);
  }

  list(): JudgeInfo[] {
    return this.db.prepare<[], JudgeRow>('SELECT * FROM judges ORDER BY id').all().map(toJudge);
  }

  /** The encrypted API key blob (only the desktop shell can decrypt it). */
  encryptedKey(id: number): string | null {
    return this.db.prepare<[number], { k: string | null }>('SELECT api_key_encrypted AS k FROM judges WHERE id = ?').get(id)?.k ?? null;
  }
}

function toJudge(r: JudgeRow): JudgeInfo {
  return {
    id: r.id,
    name: r.name,
    kind: r.kind,
    identity: r.identity,
    modelId: r.model_id,
    baseUrl: r.base_url,
    model: r.model,
    apiKey: JSON.parse(r.api_key_json) as JudgeInfo['apiKey'],
    concurrency: r.concurrency,
    timeoutMs: r.timeout_ms,
    maxRetries: r.max_retries,
    createdAt: r.created_at,
  };
}

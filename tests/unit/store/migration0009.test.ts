import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';

describe('migration 0009 (N/A kinds, original Just-Eval rubrics)', () => {
  it('gives existing N/A rows a kind: no reply when the call has an error and no raw text, else unreadable; scores keep none', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 8));
    db.exec(`
      INSERT INTO datasets (id, name, lang, source_path, source_sha256, format, item_count, created_at) VALUES (1, 'd', 'en', '/d', 'x', 'jsonl', 1, 't');
      INSERT INTO runs (id, name, kind, dataset_id, method_json, environment_json, status, total, created_at, updated_at)
        VALUES (1, 'r', 'imported', 1, '{}', '{}', 'done', 1, 't', 't');
      INSERT INTO generations (id, run_id, item_id, prompt, output_raw, output, finish_reason, created_at) VALUES (1, 1, '7', 'p', 'o', 'o', 'stop', 't');
      INSERT INTO rubrics (version, name, kind, aspects_json, prompts_json, builtin, created_at) VALUES ('r@1', 'r', 'aspects', '[]', '{}', 1, 't');
      INSERT INTO judge_calls (id, generation_id, judge, rubric_version, judge_lang, repeat, system_prompt, user_prompt, raw, error, seed, temperature, attempts, wall_ms, created_at) VALUES
        (1, 1, 'j', 'r@1', 'en', 0, 's', 'u', '', 'HTTP 503 after 4 retries', 0, 0, 4, 1, 't'),
        (2, 1, 'j', 'r@1', 'en', 1, 's', 'u', 'I refuse', 'no JSON object in the reply', 0, 0, 1, 1, 't'),
        (3, 1, 'j', 'r@1', 'en', 2, 's', 'u', '{"depth": {"rationale": "x", "score": 4}}', 'clarity: missing', 0, 0, 1, 1, 't');
      INSERT INTO judgements (call_id, generation_id, judge, rubric_version, judge_lang, repeat, aspect, score) VALUES
        (1, 1, 'j', 'r@1', 'en', 0, 'depth', NULL), (2, 1, 'j', 'r@1', 'en', 1, 'depth', NULL),
        (3, 1, 'j', 'r@1', 'en', 2, 'depth', 4), (3, 1, 'j', 'r@1', 'en', 2, 'clarity', NULL);
    `);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    const kinds = db.prepare('SELECT call_id, aspect, score, na_kind FROM judgements ORDER BY call_id, aspect').all();
    expect(kinds).toEqual([
      { call_id: 1, aspect: 'depth', score: null, na_kind: 'no-reply' },
      { call_id: 2, aspect: 'depth', score: null, na_kind: 'unreadable' },
      { call_id: 3, aspect: 'clarity', score: null, na_kind: 'unreadable' },
      { call_id: 3, aspect: 'depth', score: 4, na_kind: null },
    ]);
    expect(() => db.prepare("UPDATE judgements SET na_kind = 'maybe' WHERE call_id = 1").run()).toThrow(/CHECK/);
    expect(db.prepare("SELECT version, prompts_json, prompt_source FROM rubrics WHERE prompt_source <> 'stored' ORDER BY version").all()).toEqual([
      { version: 'just-eval-original-multi@1', prompts_json: '{}', prompt_source: 'just-eval-official' },
      { version: 'just-eval-original-safety@1', prompts_json: '{}', prompt_source: 'just-eval-official' },
    ]);
    db.close();
  });
});

import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';

/** The migrations before 0010: up to 0009. */
const BEFORE_LEASES = 9;

describe('migration 0010 (leases, `interrupted` runs and judge runs)', () => {
  it('keeps runs, judge runs, their references and the search index; accepts `interrupted` afterwards', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, BEFORE_LEASES));
    db.exec(`
      INSERT INTO datasets (id, name, lang, source_path, source_sha256, format, item_count, created_at) VALUES (1, 'd', 'en', '/d', 'x', 'jsonl', 1, 't');
      INSERT INTO items (dataset_id, item_id, position, instruction, metadata_json) VALUES (1, '7', 0, 'Name a red fruit.', '{}');
      INSERT INTO runs (id, name, kind, dataset_id, method_json, environment_json, status, total, created_at, updated_at)
        VALUES (5, 'r', 'imported', 1, '{}', '{}', 'running', 1, 't', 't');
      INSERT INTO generations (id, run_id, item_id, prompt, output_raw, output, finish_reason, created_at) VALUES (41, 5, '7', 'p', 'A cherry.', 'A cherry.', 'stop', 't');
      INSERT INTO judges (id, name, kind, identity, created_at) VALUES (1, 'j', 'openai', 'openai:x#y', 't');
      INSERT INTO judge_runs (id, name, judge_id, config_json, status, total, created_at, updated_at) VALUES (3, 'jr', 1, '{}', 'running', 1, 't', 't');
    `);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.prepare('SELECT id, status FROM runs').all()).toEqual([{ id: 5, status: 'running' }]);
    expect(db.prepare('SELECT id, status FROM judge_runs').all()).toEqual([{ id: 3, status: 'running' }]);
    expect(db.pragma('foreign_key_check')).toEqual([]);
    expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    db.prepare("UPDATE runs SET status = 'interrupted' WHERE id = 5").run();
    db.prepare("UPDATE judge_runs SET status = 'interrupted' WHERE id = 3").run();
    expect(() => db.prepare("UPDATE runs SET status = 'lost' WHERE id = 5").run()).toThrow(/CHECK/);
    // The recreated triggers still index new generations with their instruction, and follow item edits.
    db.prepare("INSERT INTO generations (id, run_id, item_id, prompt, output_raw, output, finish_reason, created_at) VALUES (42, 5, '8', 'p', 'Plum', 'Plum', 'stop', 't')").run();
    db.prepare("UPDATE items SET instruction = 'Name a crimson fruit.' WHERE item_id = '7'").run();
    const hits = (q: string) => (db.prepare('SELECT rowid AS id FROM generations_fts WHERE generations_fts MATCH ? ORDER BY rowid').all(q) as { id: number }[]).map((r) => r.id);
    expect(hits('crimson')).toEqual([41]);
    expect(hits('plum')).toEqual([42]);
    // Deleting a run still cascades to its generations.
    db.prepare('DELETE FROM runs WHERE id = 5').run();
    expect(db.prepare('SELECT count(*) AS n FROM generations').get()).toEqual({ n: 0 });
    db.close();
  });
});

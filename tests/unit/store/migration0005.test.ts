import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { AnnotationRepo } from '../../../src/main/store/AnnotationRepo';

describe('migration 0005 (annotations with history)', () => {
  it('keeps earlier annotation rows, the latest of each pair current', () => {
    const db = new Database(':memory:');
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 4));
    db.exec(`
      INSERT INTO datasets (id, name, lang, source_path, source_sha256, format, item_count, created_at) VALUES (1, 'd', 'en', '/d', 'x', 'jsonl', 1, 't');
      INSERT INTO runs (id, name, kind, dataset_id, method_json, environment_json, status, total, created_at, updated_at)
        VALUES (1, 'r', 'imported', 1, '{}', '{}', 'done', 1, 't', 't');
      INSERT INTO generations (id, run_id, item_id, prompt, output_raw, output, finish_reason, created_at) VALUES (41, 1, '7', 'p', 'o', 'o', 'stop', 't');
      INSERT INTO annotations (generation_id, annotator, labels_json, created_at) VALUES (41, 'ana', '["other"]', 't1');
      INSERT INTO annotations (generation_id, annotator, labels_json, note, created_at) VALUES (41, 'ana', '["empty"]', 'later', 't2');
      INSERT INTO annotations (generation_id, annotator, labels_json, created_at) VALUES (41, 'ben', '[]', 't3');
    `);
    expect(migrate(db)).toBe(MIGRATIONS.length);
    const repo = new AnnotationRepo(db);
    expect(repo.current(41, 'ana')).toMatchObject({ labels: ['empty'], note: 'later', decisions: {} });
    expect(repo.current(41, 'ben')).toMatchObject({ labels: [] });
    expect(repo.history(41, 'ana')).toHaveLength(2);
    // One current row per pair is enforced by the schema.
    expect(() => db.prepare("INSERT INTO annotations (generation_id, annotator, labels_json, created_at) VALUES (41, 'ben', '[]', 't')").run()).toThrow(/UNIQUE/);
    db.close();
  });
});

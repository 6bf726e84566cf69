import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openStore } from '../../../src/main/store/openStore';

describe('migration 0004 (finish reason "loop", generations rebuilt)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-m4-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('keeps every row, id, reference and the full-text index, and accepts "loop"', () => {
    const file = join(dir, 'w.sqlite');
    const db = new Database(file);
    db.pragma('foreign_keys = ON');
    migrate(db, MIGRATIONS.slice(0, 3));
    db.exec(`
      INSERT INTO datasets (id, name, lang, source_path, source_sha256, format, item_count, created_at) VALUES (1, 'd', 'en', '/d', 'x', 'jsonl', 1, 't');
      INSERT INTO items (dataset_id, item_id, position, instruction, metadata_json) VALUES (1, '7', 0, 'Explain photosynthesis', '{}');
      INSERT INTO runs (id, name, kind, dataset_id, method_json, environment_json, status, total, created_at, updated_at)
        VALUES (1, 'r', 'imported', 1, '{}', '{}', 'done', 1, 't', 't');
      INSERT INTO generations (id, run_id, item_id, prompt, output_raw, output, finish_reason, created_at)
        VALUES (41, 1, '7', 'p', 'chlorophyll captures light', 'chlorophyll captures light', 'stop', 't');
      INSERT INTO detections (generation_id, detector, version, settings_json, signals_json, findings_json, created_at)
        VALUES (41, 'loop', '1', '{}', '{}', '[]', 't');
      INSERT INTO annotations (generation_id, annotator, labels_json, created_at) VALUES (41, 'ana', '["other"]', 't');
    `);
    db.close();

    const store = openStore(file);
    try {
      expect(store.db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
      expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
      // Nothing cascaded away when the old table was dropped.
      expect(store.db.prepare('SELECT count(*) AS n FROM detections WHERE generation_id = 41').get()).toEqual({ n: 1 });
      expect(store.db.prepare('SELECT count(*) AS n FROM annotations WHERE generation_id = 41').get()).toEqual({ n: 1 });
      expect(store.reader.query({ search: 'chlorophyll' }, 0, 10).rows.map((r) => r.id)).toEqual([41]);
      expect(store.reader.query({ search: 'photosynthesis' }, 0, 10).total).toBe(1);
      store.generations.insert({
        runId: 1, itemId: '8', prompt: 'p', outputRaw: 'a a a', output: 'a a a', finishReason: 'loop', error: null,
        promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 3, wallMs: 1, tokensPerSecond: 1, seed: 1,
      });
      expect(store.generations.countByFinishReason(1)).toEqual({ stop: 1, loop: 1 });
      expect(store.db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(store.db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      store.close();
    }
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { migrate } from '../../../src/main/store/migrate';
import { MIGRATIONS } from '../../../src/main/store/migrations';
import { openStore, type Store } from '../../../src/main/store/openStore';

const item = (id: string, instruction = `instruction ${id}`) => ({ id, instruction, metadata: {} });

describe('migrations', () => {
  it('bring an empty database to the latest version once, and are idempotent', () => {
    const db = new Database(':memory:');
    expect(migrate(db)).toBe(MIGRATIONS.length);
    expect(db.pragma('user_version', { simple: true })).toBe(MIGRATIONS.length);
    const tables = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all() as { name: string }[]).map((t) => t.name);
    expect(tables).toEqual(expect.arrayContaining(['models', 'datasets', 'items', 'runs', 'run_items', 'generations', 'annotations', 'judgements']));
    expect(migrate(db)).toBe(MIGRATIONS.length);
  });

  it('apply only the missing ones, each in its own transaction', () => {
    const db = new Database(':memory:');
    migrate(db, ['CREATE TABLE a (x);']);
    migrate(db, ['CREATE TABLE a (x);', 'CREATE TABLE b (y);']);
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(() => migrate(db, ['CREATE TABLE a (x);', 'CREATE TABLE b (y);', 'CREATE TABLE c (z); SELECT nonsense('])).toThrow();
    // The failed migration left neither its table nor a bumped version behind.
    expect(db.pragma('user_version', { simple: true })).toBe(2);
    expect(db.prepare("SELECT count(*) AS n FROM sqlite_master WHERE name = 'c'").get()).toEqual({ n: 0 });
  });

  it('refuse a database made by a newer version of the app', () => {
    const db = new Database(':memory:');
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(/newer than this app supports/);
  });
});

describe('store', () => {
  let store: Store | undefined;
  let dir: string | undefined;
  afterEach(() => {
    store?.close();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('opens a real SQLite file in WAL mode with foreign keys on', () => {
    dir = mkdtempSync(join(tmpdir(), 'align-store-'));
    store = openStore(join(dir, 'nested', 'w.sqlite'));
    expect(store.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(store.db.pragma('foreign_keys', { simple: true })).toBe(1);
  });

  it('writes nothing of a dataset whose items fail to insert', () => {
    store = openStore(':memory:');
    const meta = { name: 'd', lang: 'en', sourcePath: '/x', sourceSha256: 'abc', format: 'jsonl' };
    expect(() => store!.datasets.insert(meta, [item('1'), item('1')])).toThrow();
    expect(store.datasets.list()).toEqual([]);
    expect(store.db.prepare('SELECT count(*) AS n FROM items').get()).toEqual({ n: 0 });
  });

  it('links parallel datasets by item id across languages', () => {
    store = openStore(':memory:');
    const en = store.datasets.insert({ name: 'en', lang: 'en', sourcePath: '/en', sourceSha256: 'a', format: 'jsonl' }, [item('42', 'Hello')]);
    const fr = store.datasets.insert({ name: 'fr', lang: 'fr', sourcePath: '/fr', sourceSha256: 'b', format: 'jsonl' }, [item('42', 'Bonjour')]);
    store.datasets.link([en.id, fr.id], 'je');
    const parallel = store.datasets.parallelItems(fr.id, '42');
    expect(parallel.map((p) => [p.dataset.lang, p.item.instruction])).toEqual([
      ['en', 'Hello'],
      ['fr', 'Bonjour'],
    ]);
  });

  it('keeps one generation per run item; a failed attempt is replaced, a finished one is not', () => {
    store = openStore(':memory:');
    const ds = store.datasets.insert({ name: 'd', lang: 'en', sourcePath: '/x', sourceSha256: 'a', format: 'jsonl' }, [item('1'), item('2')]);
    const run = store.runs.insert({
      name: 'r', kind: 'imported', modelId: null, datasetId: ds.id, config: null, method: { method: 'x' }, environment: {}, status: 'pending', itemIds: ['1', '2'],
    });
    const gen = (itemId: string, finishReason: 'stop' | 'error') => ({
      runId: run.id, itemId, prompt: 'p', outputRaw: 'o', output: 'o', finishReason, error: finishReason === 'error' ? 'boom' : null,
      promptTokens: 1, evaluatedPromptTokens: 1, outputTokens: 1, wallMs: 1, tokensPerSecond: 1, seed: 1,
    });
    store.generations.insert(gen('1', 'error'));
    expect(store.generations.finishedItemIds(run.id)).toEqual(new Set());
    store.generations.insert(gen('1', 'stop'));
    expect(store.generations.finishedItemIds(run.id)).toEqual(new Set(['1']));
    expect(() => store!.generations.insert(gen('1', 'stop'))).toThrow(/UNIQUE/);
    expect(store.runs.get(run.id)!.done).toBe(1);
    expect(store.runs.itemIds(run.id)).toEqual(['1', '2']);
  });
});

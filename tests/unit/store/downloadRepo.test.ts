// Download state in the store (migration 0008): what a restart finds.
import { describe, expect, it } from 'vitest';
import { openStore } from '../../../src/main/store/openStore';

describe('DownloadRepo', () => {
  it('stores progress and pauses the transfers a stopped process left live, and only those', () => {
    const store = openStore(':memory:');
    const a = store.downloads.insert({ uri: 'hf:u/r/a.gguf', dir: '/models', catalogueId: 'x' });
    const b = store.downloads.insert({ uri: 'https://example.org/b.gguf', dir: '/models', catalogueId: null });
    const c = store.downloads.insert({ uri: 'hf:u/r/c.gguf', dir: '/models', catalogueId: null });
    expect(a.status).toBe('downloading');
    store.downloads.update(a.id, { fileName: 'a.gguf', totalBytes: 100, downloadedBytes: 40 });
    store.downloads.update(b.id, { status: 'verifying' });
    store.downloads.update(c.id, { status: 'failed', error: 'not found (HTTP 404)' });

    const d = store.downloads.insert({ uri: 'hf:u/r/d.gguf', dir: '/models', catalogueId: null });

    // d is another live process's transfer: not in the list, left alone; c is not transferring.
    expect(store.downloads.pauseInterrupted([a.id, b.id, c.id], 'its process stopped')).toBe(2);
    expect(store.downloads.get(a.id)).toMatchObject({ status: 'paused', error: 'its process stopped', fileName: 'a.gguf', totalBytes: 100, downloadedBytes: 40, catalogueId: 'x' });
    expect(store.downloads.get(b.id)?.status).toBe('paused');
    expect(store.downloads.get(d.id)?.status).toBe('downloading');
    expect(store.downloads.get(c.id)).toMatchObject({ status: 'failed', error: 'not found (HTTP 404)' });
    expect(store.downloads.list().map((x) => x.id)).toEqual([d.id, c.id, b.id, a.id]);
    expect(() => store.downloads.update(999, { status: 'done' })).toThrow(/No download with id 999/);
    expect(() => store.db.prepare("UPDATE downloads SET status = 'nope' WHERE id = ?").run(a.id)).toThrow(/CHECK constraint/);
    store.close();
  });

  it('keeps settings as JSON by key', () => {
    const store = openStore(':memory:');
    expect(store.settings.get('downloads.dir')).toBeUndefined();
    store.settings.set('downloads.dir', '/data/models');
    store.settings.set('downloads.dir', '/other');
    expect(store.settings.get('downloads.dir')).toBe('/other');
    store.close();
  });
});

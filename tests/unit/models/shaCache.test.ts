import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cachedSha256, type ShaCache } from '../../../src/main/core/models/cachedSha256';
import { openStore } from '../../../src/main/store/openStore';

const sha = (text: string) => createHash('sha256').update(text).digest('hex');

describe('the sha256 cache (path + mtime + size) on the real store', () => {
  const dir = mkdtempSync(join(tmpdir(), 'aw-sha-'));
  const store = openStore(join(dir, 'store.sqlite'));
  afterAll(() => {
    store.close();
    rmSync(dir, { recursive: true, force: true });
  });
  // Counts real hash computations: the cache hit path must never reach the hasher.
  const saves: string[] = [];
  const cache: ShaCache = {
    lookup: (s) => store.fileHashes.lookup(s),
    save: (s, h) => {
      saves.push(s.path);
      store.fileHashes.save(s, h);
    },
  };

  it('hashes a new file once, then answers from the cache while it is unchanged', async () => {
    const file = join(dir, 'm.gguf');
    writeFileSync(file, 'weights v1');
    const progress: number[] = [];
    const first = await cachedSha256(file, cache, (p) => progress.push(p.bytesDone));
    expect(first).toEqual({ sha256: sha('weights v1'), cached: false });
    expect(progress.at(-1)).toBe('weights v1'.length);
    const again = await cachedSha256(file, cache);
    expect(again).toEqual({ sha256: sha('weights v1'), cached: true });
    expect(saves).toEqual([file]);
  });

  it('hashes again when the modification time or the size changes, and the cache follows the file', async () => {
    const file = join(dir, 'n.gguf');
    writeFileSync(file, 'aaaa');
    await cachedSha256(file, cache);
    // Same size, new content and mtime (a re-download in place).
    writeFileSync(file, 'bbbb');
    utimesSync(file, new Date(), new Date(Date.now() + 5000));
    expect(await cachedSha256(file, cache)).toEqual({ sha256: sha('bbbb'), cached: false });
    writeFileSync(file, 'bbbbb');
    expect(await cachedSha256(file, cache)).toEqual({ sha256: sha('bbbbb'), cached: false });
    expect(await cachedSha256(file, cache)).toEqual({ sha256: sha('bbbbb'), cached: true });
  });

  it('is stored in SQLite: another connection to the same file sees it', async () => {
    const other = openStore(join(dir, 'store.sqlite'));
    try {
      expect(await cachedSha256(join(dir, 'm.gguf'), other.fileHashes)).toEqual({ sha256: sha('weights v1'), cached: true });
    } finally {
      other.close();
    }
  });
});

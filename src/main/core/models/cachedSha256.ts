import { stat } from 'node:fs/promises';
import { sha256File } from '../files/sha256File';

/** A file's identity when hashed; the cache entry is valid only while path, mtime and size are unchanged. */
export interface FileStamp {
  path: string;
  mtimeMs: number;
  sizeBytes: number;
}

/** Where hashes are remembered (the store's file_hashes table; a Map in tests of this module alone). */
export interface ShaCache {
  lookup(stamp: FileStamp): string | undefined;
  save(stamp: FileStamp, sha256: string): void;
}

export interface HashProgress {
  bytesDone: number;
  bytesTotal: number;
}

export async function fileStamp(path: string): Promise<FileStamp> {
  const st = await stat(path);
  return { path, mtimeMs: st.mtimeMs, sizeBytes: st.size };
}

/**
 * The file's sha256, from the cache when the file is unchanged since it was hashed (re-adding or re-scanning
 * a multi-GB model costs nothing), else hashed now and remembered. `cached` tells which happened.
 * The stamp is taken before hashing and checked after: a file written to meanwhile is not cached under a
 * stamp it no longer has.
 */
export async function cachedSha256(
  path: string,
  cache: ShaCache,
  onProgress?: (p: HashProgress) => void,
): Promise<{ sha256: string; cached: boolean }> {
  const before = await fileStamp(path);
  const hit = cache.lookup(before);
  if (hit) return { sha256: hit, cached: true };
  const sha256 = await sha256File(path, (bytesDone) => onProgress?.({ bytesDone, bytesTotal: before.sizeBytes }));
  const after = await fileStamp(path);
  if (after.mtimeMs === before.mtimeMs && after.sizeBytes === before.sizeBytes) cache.save(before, sha256);
  return { sha256, cached: false };
}

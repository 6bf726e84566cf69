import type Database from 'better-sqlite3';
import { nowIso } from './time';

/** A file's identity when it was hashed (core/models/cachedSha256.ts): valid while all three are unchanged. */
type FileStamp = { path: string; mtimeMs: number; sizeBytes: number };

/** The sha256 cache, keyed by path + modification time + size (one row per path: its latest state). */
export class FileHashRepo {
  constructor(private readonly db: Database.Database) {}

  /** The cached sha256 when the file is exactly as it was hashed, else undefined. */
  lookup(stamp: FileStamp): string | undefined {
    return this.db
      .prepare<[string, number, number], { sha256: string }>(
        'SELECT sha256 FROM file_hashes WHERE path = ? AND mtime_ms = ? AND size_bytes = ?',
      )
      .get(stamp.path, stamp.mtimeMs, stamp.sizeBytes)?.sha256;
  }

  /** Whether anything was ever hashed at this path (to tell "changed since" from "never hashed"). */
  has(path: string): boolean {
    return this.db.prepare<[string], { n: number }>('SELECT count(*) AS n FROM file_hashes WHERE path = ?').get(path)!.n > 0;
  }

  save(stamp: FileStamp, sha256: string): void {
    this.db
      .prepare(
        `INSERT INTO file_hashes (path, mtime_ms, size_bytes, sha256, hashed_at) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(path) DO UPDATE SET mtime_ms = excluded.mtime_ms, size_bytes = excluded.size_bytes,
           sha256 = excluded.sha256, hashed_at = excluded.hashed_at`,
      )
      .run(stamp.path, stamp.mtimeMs, stamp.sizeBytes, sha256, nowIso());
  }
}

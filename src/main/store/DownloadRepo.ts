import type Database from 'better-sqlite3';
import type { DownloadInfo, DownloadStatus } from '../../shared/models';
import { nowIso } from './time';

interface DownloadRow {
  id: number;
  uri: string;
  dir: string;
  catalogue_id: string | null;
  file_name: string | null;
  total_bytes: number | null;
  downloaded_bytes: number;
  status: DownloadStatus;
  error: string | null;
  model_id: number | null;
  created_at: string;
  updated_at: string;
}

/** The stored state of a download (without live figures such as speed). */
export type DownloadRecord = Omit<DownloadInfo, 'bytesPerSecond'>;

export type DownloadPatch = Partial<Pick<DownloadRecord, 'fileName' | 'totalBytes' | 'downloadedBytes' | 'status' | 'error' | 'modelId'>>;

const COLUMNS: Record<keyof DownloadPatch, string> = {
  fileName: 'file_name',
  totalBytes: 'total_bytes',
  downloadedBytes: 'downloaded_bytes',
  status: 'status',
  error: 'error',
  modelId: 'model_id',
};

export class DownloadRepo {
  constructor(private readonly db: Database.Database) {}

  insert(d: { uri: string; dir: string; catalogueId: string | null }): DownloadRecord {
    const now = nowIso();
    const row = this.db
      .prepare<unknown[], DownloadRow>(
        `INSERT INTO downloads (uri, dir, catalogue_id, status, created_at, updated_at) VALUES (?, ?, ?, 'downloading', ?, ?) RETURNING *`,
      )
      .get(d.uri, d.dir, d.catalogueId, now, now);
    return toRecord(row!);
  }

  get(id: number): DownloadRecord | undefined {
    const row = this.db.prepare<[number], DownloadRow>('SELECT * FROM downloads WHERE id = ?').get(id);
    return row && toRecord(row);
  }

  list(): DownloadRecord[] {
    return this.db.prepare<[], DownloadRow>('SELECT * FROM downloads ORDER BY id DESC').all().map(toRecord);
  }

  update(id: number, patch: DownloadPatch): DownloadRecord {
    const keys = (Object.keys(patch) as (keyof DownloadPatch)[]).filter((k) => patch[k] !== undefined);
    const sets = keys.map((k) => `${COLUMNS[k]} = ?`);
    const row = this.db
      .prepare<unknown[], DownloadRow>(`UPDATE downloads SET ${[...sets, 'updated_at = ?'].join(', ')} WHERE id = ? RETURNING *`)
      .get(...keys.map((k) => patch[k]), nowIso(), id);
    if (!row) throw new Error(`No download with id ${id}.`);
    return toRecord(row);
  }

  /**
   * Transfers that were live when the process ended (quit, crash) are paused: nothing is transferring them
   * now, and their partial file is still on disk to resume from.
   */
  pauseInterrupted(ids: number[], error: string): number {
    const pause = this.db.prepare(`UPDATE downloads SET status = 'paused', error = ?, updated_at = ? WHERE id = ? AND status IN ('downloading', 'verifying')`);
    return this.db.transaction(() => ids.reduce((n, id) => n + pause.run(error, nowIso(), id).changes, 0))();
  }
}

function toRecord(r: DownloadRow): DownloadRecord {
  return {
    id: r.id,
    uri: r.uri,
    dir: r.dir,
    catalogueId: r.catalogue_id,
    fileName: r.file_name,
    totalBytes: r.total_bytes,
    downloadedBytes: r.downloaded_bytes,
    status: r.status,
    error: r.error,
    modelId: r.model_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

import type Database from 'better-sqlite3';
import type { DetectorResult, Finding } from '../../shared/detection';
import { nowIso } from './time';

export interface StoredDetection extends DetectorResult {
  generationId: number;
  settings: Record<string, number>;
}

interface DetectionRow {
  generation_id: number;
  detector: string;
  version: string;
  settings_json: string;
  signals_json: string;
  findings_json: string;
}

export class DetectionRepo {
  constructor(private readonly db: Database.Database) {}

  /**
   * Stores a generation's results. A detector keeps ONE result per generation: an earlier result of another
   * version is replaced (its row says which version produced it), so re-detecting an old store leaves no stale
   * findings that readers and rates would still count.
   */
  save(generationId: number, results: { result: DetectorResult; settings: Record<string, number> }[]): void {
    const dropOtherVersions = this.db.prepare('DELETE FROM detections WHERE generation_id = ? AND detector = ? AND version <> ?');
    const upsert = this.db.prepare(
      `INSERT INTO detections (generation_id, detector, version, settings_json, signals_json, findings_json, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (generation_id, detector, version) DO UPDATE SET settings_json = excluded.settings_json,
         signals_json = excluded.signals_json, findings_json = excluded.findings_json, created_at = excluded.created_at`,
    );
    this.db.transaction(() => {
      for (const { result, settings } of results) {
        dropOtherVersions.run(generationId, result.detector, result.version);
        upsert.run(generationId, result.detector, result.version, JSON.stringify(settings), JSON.stringify(result.signals), JSON.stringify(result.findings), nowIso());
      }
    })();
  }

  forGeneration(generationId: number): StoredDetection[] {
    return this.db
      .prepare<[number], DetectionRow>('SELECT * FROM detections WHERE generation_id = ? ORDER BY detector, version')
      .all(generationId)
      .map((r) => ({
        generationId: r.generation_id,
        detector: r.detector,
        version: r.version,
        settings: JSON.parse(r.settings_json) as Record<string, number>,
        signals: JSON.parse(r.signals_json) as DetectorResult['signals'],
        findings: JSON.parse(r.findings_json) as Finding[],
      }));
  }

  /** Generation ids of a run that have no result yet from one of `detectors` (name@version). */
  missing(runId: number, detectors: { name: string; version: string }[]): number[] {
    const has = this.db.prepare<[number, string, string], { n: number }>(
      'SELECT count(*) AS n FROM detections WHERE generation_id = ? AND detector = ? AND version = ?',
    );
    const ids = this.db.prepare<[number], { id: number }>('SELECT id FROM generations WHERE run_id = ? ORDER BY id').all(runId);
    return ids.map((r) => r.id).filter((id) => detectors.some((d) => has.get(id, d.name, d.version)!.n === 0));
  }
}

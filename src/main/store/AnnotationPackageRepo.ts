import type Database from 'better-sqlite3';
import type { GenerationFilter } from '../../shared/generations';
import type { AnnotationStudy, LabelDefinition } from '../../shared/annotations';
import { nowIso } from './time';

export type StudyRecord = AnnotationStudy;

/** One handed-out output: its content key and the item it is an output of. */
export interface StudyItem {
  key: string;
  itemId: string;
  lang: string;
}

export interface StudyPackageRecord {
  id: string;
  studyId: string;
  annotator: string;
  contentSha256: string;
}

export interface MergeRecord {
  exportId: string;
  studyId: string;
  packageId: string;
  annotator: string;
  fileSha256: string;
  exportedAt: string;
  activeSeconds: number;
  annotations: number;
  mergedAt: string;
}

/** A package as the annotator's store keeps it once opened. */
export interface OpenedPackageRecord {
  id: string;
  studyId: string;
  studyName: string;
  annotator: string;
  contentSha256: string;
  blind: boolean;
  guidelines: string;
  labels: LabelDefinition[];
  createdAt: string;
  openedAt: string;
}

interface StudyRow {
  id: string;
  name: string;
  selection_json: string;
  run_ids_json: string;
  annotators_json: string;
  overlap: number;
  seed: number;
  blind: number;
  guidelines: string;
  labels_json: string;
  created_at: string;
}

interface PackageRow {
  id: string;
  study_id: string;
  study_name: string;
  annotator: string;
  content_sha256: string;
  blind: number;
  guidelines: string;
  labels_json: string;
  created_at: string;
  opened_at: string;
}

interface MergeRow {
  export_id: string;
  study_id: string;
  package_id: string;
  annotator: string;
  file_sha256: string;
  exported_at: string;
  active_seconds: number;
  annotations: number;
  merged_at: string;
}

const toStudy = (r: StudyRow): StudyRecord => ({
  id: r.id,
  name: r.name,
  selection: JSON.parse(r.selection_json) as GenerationFilter,
  runIds: JSON.parse(r.run_ids_json) as number[],
  annotators: JSON.parse(r.annotators_json) as string[],
  overlap: r.overlap,
  seed: r.seed,
  blind: r.blind === 1,
  guidelines: r.guidelines,
  labels: JSON.parse(r.labels_json) as LabelDefinition[],
  createdAt: r.created_at,
});

const toPackage = (r: PackageRow): OpenedPackageRecord => ({
  id: r.id,
  studyId: r.study_id,
  studyName: r.study_name,
  annotator: r.annotator,
  contentSha256: r.content_sha256,
  blind: r.blind === 1,
  guidelines: r.guidelines,
  labels: JSON.parse(r.labels_json) as LabelDefinition[],
  createdAt: r.created_at,
  openedAt: r.opened_at,
});

const toMerge = (r: MergeRow): MergeRecord => ({
  exportId: r.export_id,
  studyId: r.study_id,
  packageId: r.package_id,
  annotator: r.annotator,
  fileSha256: r.file_sha256,
  exportedAt: r.exported_at,
  activeSeconds: r.active_seconds,
  annotations: r.annotations,
  mergedAt: r.merged_at,
});

/**
 * Annotation across machines (migration 0011). Owner side: studies, their assignment by content key, the packages
 * made and the returned files merged. Annotator side: the packages opened and which local generation stands for
 * which package item. Writes spanning several repos run inside `transaction`, so a refused file writes nothing.
 */
export class AnnotationPackageRepo {
  constructor(private readonly db: Database.Database) {}

  /** Runs `fn` in one transaction (a savepoint when nested): every write in it lands, or none does. */
  transaction<T>(fn: () => T): T {
    return this.db.transaction(fn)();
  }

  // OWNER SIDE

  insertStudy(study: Omit<StudyRecord, 'createdAt'>, assignment: ReadonlyMap<string, readonly StudyItem[]>, packages: readonly Omit<StudyPackageRecord, 'studyId'>[]): StudyRecord {
    return this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO annotation_studies (id, name, selection_json, run_ids_json, annotators_json, overlap, seed, blind, guidelines, labels_json, created_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(study.id, study.name, JSON.stringify(study.selection), JSON.stringify(study.runIds), JSON.stringify(study.annotators), study.overlap, study.seed, study.blind ? 1 : 0, study.guidelines, JSON.stringify(study.labels), nowIso());
      const item = this.db.prepare('INSERT INTO annotation_study_items (study_id, item_key, annotator, item_id, lang) VALUES (?, ?, ?, ?, ?)');
      for (const [annotator, items] of assignment) for (const it of items) item.run(study.id, it.key, annotator, it.itemId, it.lang);
      const pkg = this.db.prepare('INSERT INTO annotation_study_packages (id, study_id, annotator, content_sha256) VALUES (?, ?, ?, ?)');
      for (const p of packages) pkg.run(p.id, study.id, p.annotator, p.contentSha256);
      return this.study(study.id)!;
    });
  }

  study(id: string): StudyRecord | undefined {
    const row = this.db.prepare<[string], StudyRow>('SELECT * FROM annotation_studies WHERE id = ?').get(id);
    return row && toStudy(row);
  }

  studies(): StudyRecord[] {
    return this.db.prepare<[], StudyRow>('SELECT * FROM annotation_studies ORDER BY created_at, id').all().map(toStudy);
  }

  /** The study's assignment: content key → the item it stood for and the annotators it went to. */
  studyAssignment(studyId: string): Map<string, StudyItem & { annotators: string[] }> {
    const out = new Map<string, StudyItem & { annotators: string[] }>();
    const rows = this.db
      .prepare<[string], { key: string; annotator: string; itemId: string; lang: string }>(
        'SELECT item_key AS key, annotator, item_id AS itemId, lang FROM annotation_study_items WHERE study_id = ? ORDER BY item_key, annotator',
      )
      .all(studyId);
    for (const r of rows) {
      const entry = out.get(r.key) ?? { key: r.key, itemId: r.itemId, lang: r.lang, annotators: [] };
      entry.annotators.push(r.annotator);
      out.set(r.key, entry);
    }
    return out;
  }

  studyPackage(id: string): StudyPackageRecord | undefined {
    return this.db
      .prepare<[string], StudyPackageRecord>('SELECT id, study_id AS studyId, annotator, content_sha256 AS contentSha256 FROM annotation_study_packages WHERE id = ?')
      .get(id);
  }

  /** A merge already made of this export or of a byte-identical file. */
  findMerge(exportId: string, fileSha256: string): MergeRecord | undefined {
    const row = this.db.prepare<[string, string], MergeRow>('SELECT * FROM annotation_merges WHERE export_id = ? OR file_sha256 = ?').get(exportId, fileSha256);
    return row && toMerge(row);
  }

  /** The merges of a study, oldest export first. */
  merges(studyId: string): MergeRecord[] {
    return this.db.prepare<[string], MergeRow>('SELECT * FROM annotation_merges WHERE study_id = ? ORDER BY exported_at, export_id').all(studyId).map(toMerge);
  }

  insertMerge(m: Omit<MergeRecord, 'mergedAt'>): void {
    this.db
      .prepare(
        `INSERT INTO annotation_merges (export_id, study_id, package_id, annotator, file_sha256, exported_at, active_seconds, annotations, merged_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
      )
      .run(m.exportId, m.studyId, m.packageId, m.annotator, m.fileSha256, m.exportedAt, m.activeSeconds, m.annotations, nowIso());
  }

  // ANNOTATOR SIDE

  insertPackage(p: Omit<OpenedPackageRecord, 'openedAt'>, items: readonly { key: string; generationId: number }[]): OpenedPackageRecord {
    return this.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO annotation_packages (id, study_id, study_name, annotator, content_sha256, blind, guidelines, labels_json, created_at, opened_at)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(p.id, p.studyId, p.studyName, p.annotator, p.contentSha256, p.blind ? 1 : 0, p.guidelines, JSON.stringify(p.labels), p.createdAt, nowIso());
      const item = this.db.prepare('INSERT INTO annotation_package_items (package_id, item_key, generation_id, position) VALUES (?, ?, ?, ?)');
      items.forEach((it, position) => item.run(p.id, it.key, it.generationId, position));
      return this.openedPackage(p.id)!;
    });
  }

  openedPackage(id: string): OpenedPackageRecord | undefined {
    const row = this.db.prepare<[string], PackageRow>('SELECT * FROM annotation_packages WHERE id = ?').get(id);
    return row && toPackage(row);
  }

  openedPackages(): OpenedPackageRecord[] {
    return this.db.prepare<[], PackageRow>('SELECT * FROM annotation_packages ORDER BY opened_at, id').all().map(toPackage);
  }

  /** The package's items in package order: content key and the local generation standing for it. */
  packageItems(packageId: string): { key: string; generationId: number }[] {
    return this.db
      .prepare<[string], { key: string; generationId: number }>('SELECT item_key AS key, generation_id AS generationId FROM annotation_package_items WHERE package_id = ? ORDER BY position')
      .all(packageId);
  }

  /** The local runs holding the package's generations (what the Annotate view's queue is scoped to). */
  packageRunIds(packageId: string): number[] {
    return this.db
      .prepare<[string], { run_id: number }>(
        'SELECT DISTINCT g.run_id FROM annotation_package_items p JOIN generations g ON g.id = p.generation_id WHERE p.package_id = ? ORDER BY g.run_id',
      )
      .all(packageId)
      .map((r) => r.run_id);
  }

  /** Items of the package with a current annotation by the annotator, and all items: "37/120". */
  progress(packageId: string, annotator: string): { done: number; total: number } {
    return this.db
      .prepare<[string, string], { done: number; total: number }>(
        `SELECT coalesce(sum(EXISTS (SELECT 1 FROM annotations a WHERE a.generation_id = p.generation_id AND a.annotator = ? AND a.superseded_at IS NULL)), 0) AS done,
                count(*) AS total
         FROM annotation_package_items p WHERE p.package_id = ?`,
      )
      .get(annotator, packageId)!;
  }

  /** When the annotator saved or undid anything on the package's items (for the time-spent estimate). */
  changeTimes(packageId: string, annotator: string): string[] {
    return this.db
      .prepare<[string, string, string, string], { t: string }>(
        `SELECT e.created_at AS t FROM annotation_events e JOIN annotation_package_items p ON p.generation_id = e.generation_id
         WHERE p.package_id = ? AND e.annotator = ?
         UNION ALL
         SELECT e.undone_at FROM annotation_events e JOIN annotation_package_items p ON p.generation_id = e.generation_id
         WHERE p.package_id = ? AND e.annotator = ? AND e.undone_at IS NOT NULL`,
      )
      .all(packageId, annotator, packageId, annotator)
      .map((r) => r.t);
  }

  /** When the annotator first saved each package item (undone saves included). */
  firstSaves(packageId: string, annotator: string): Map<number, string> {
    return new Map(
      this.db
        .prepare<[string, string], { id: number; t: string }>(
          `SELECT a.generation_id AS id, min(a.created_at) AS t FROM annotations a JOIN annotation_package_items p ON p.generation_id = a.generation_id
           WHERE p.package_id = ? AND a.annotator = ? GROUP BY a.generation_id`,
        )
        .all(packageId, annotator)
        .map((r) => [r.id, r.t]),
    );
  }
}

import type Database from 'better-sqlite3';
import type { AnnotationOrder, AnnotationQueueEntry, AnnotationRecord, LabelInfo, SuggestionDecision } from '../../shared/annotations';
import { seededShuffle } from '../../shared/random';
import { splitAssignment } from '../core/annotationPackages/splitAssignment';
import { nowIso } from './time';

/** A project label name: lowercase words joined by dashes, like the built-ins ("infinite-loop"). */
export const LABEL_NAME = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export interface AnnotationInput {
  labels: readonly string[];
  note?: string | null;
  decisions?: Readonly<Record<string, SuggestionDecision>>;
  /** When the annotator saved it, for annotations merged from another machine (default: now). */
  createdAt?: string;
}

/** A current annotation with where its generation comes from (agreement, export). */
export interface ScopedAnnotation extends AnnotationRecord {
  runId: number;
  itemId: string;
  lang: string;
}

interface AnnotationRow {
  id: number;
  generation_id: number;
  annotator: string;
  labels_json: string;
  note: string | null;
  decisions_json: string;
  created_at: string;
}

interface EventRow {
  id: number;
  generation_id: number;
  before_id: number | null;
  after_id: number | null;
}

const toRecord = (r: AnnotationRow): AnnotationRecord => ({
  generationId: r.generation_id,
  annotator: r.annotator,
  labels: JSON.parse(r.labels_json) as string[],
  note: r.note,
  decisions: JSON.parse(r.decisions_json) as Record<string, SuggestionDecision>,
  createdAt: r.created_at,
});

const marks = (xs: readonly unknown[]) => xs.map(() => '?').join(', ');


/**
 * Human critical-error annotation (migration 0005). Every save is its own transaction and adds a row to the
 * history; the current annotation of a generation × annotator is the row not superseded. An event log per
 * annotator lets undo step back one change at a time.
 */
export class AnnotationRepo {
  constructor(private readonly db: Database.Database) {}

  // LABELS

  labels(): LabelInfo[] {
    return this.db
      .prepare<[], { name: string; definition: string; builtin: number }>('SELECT name, definition, builtin FROM labels ORDER BY position, name')
      .all()
      .map((r) => ({ name: r.name, definition: r.definition, builtin: r.builtin === 1 }));
  }

  addLabel(name: string, definition: string): LabelInfo {
    if (!LABEL_NAME.test(name)) throw new Error(`Label "${name}": use lowercase letters, digits and dashes (e.g. "off-topic").`);
    if (!definition.trim()) throw new Error(`Label "${name}" needs a short definition.`);
    return this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM labels WHERE name = ?').get(name)) throw new Error(`A label named "${name}" already exists.`);
      const { pos } = this.db.prepare<[], { pos: number }>('SELECT coalesce(max(position), 0) + 1 AS pos FROM labels').get()!;
      this.db.prepare('INSERT INTO labels (name, definition, builtin, position, created_at) VALUES (?, ?, 0, ?, ?)').run(name, definition.trim(), pos, nowIso());
      return { name, definition: definition.trim(), builtin: false };
    })();
  }

  // ANNOTATIONS

  current(generationId: number, annotator: string): AnnotationRecord | null {
    const row = this.db
      .prepare<[number, string], AnnotationRow>('SELECT * FROM annotations WHERE generation_id = ? AND annotator = ? AND superseded_at IS NULL')
      .get(generationId, annotator);
    return row ? toRecord(row) : null;
  }

  /** Every state this annotator saved for the generation, oldest first (undone ones included). */
  history(generationId: number, annotator: string): AnnotationRecord[] {
    return this.db
      .prepare<[number, string], AnnotationRow>('SELECT * FROM annotations WHERE generation_id = ? AND annotator = ? ORDER BY id')
      .all(generationId, annotator)
      .map(toRecord);
  }

  /** Current annotations of the runs' generations (all runs when none given), by generation then annotator. */
  currentIn(runIds?: readonly number[], annotators?: readonly string[]): ScopedAnnotation[] {
    const where = ['a.superseded_at IS NULL'];
    const params: unknown[] = [];
    if (runIds?.length) {
      where.push(`g.run_id IN (${marks(runIds)})`);
      params.push(...runIds);
    }
    if (annotators?.length) {
      where.push(`a.annotator IN (${marks(annotators)})`);
      params.push(...annotators);
    }
    return this.db
      .prepare<unknown[], AnnotationRow & { run_id: number; item_id: string; lang: string }>(
        `SELECT a.*, g.run_id, g.item_id, d.lang FROM annotations a
         JOIN generations g ON g.id = a.generation_id
         JOIN runs r ON r.id = g.run_id
         JOIN datasets d ON d.id = r.dataset_id
         WHERE ${where.join(' AND ')}
         ORDER BY a.generation_id, a.annotator`,
      )
      .all(...params)
      .map((r) => ({ ...toRecord(r), runId: r.run_id, itemId: r.item_id, lang: r.lang }));
  }

  /** Replaces the current annotation (one transaction); the old one stays in the history for undo. */
  save(generationId: number, annotator: string, input: AnnotationInput): AnnotationRecord {
    const known = new Set(this.labels().map((l) => l.name));
    const unknown = input.labels.filter((l) => !known.has(l));
    if (unknown.length > 0) throw new Error(`Unknown label(s): ${unknown.join(', ')}. Add them to the project first.`);
    const labels = [...new Set(input.labels)];
    const note = input.note?.trim() ? input.note : null;
    return this.db.transaction(() => {
      if (!this.db.prepare('SELECT 1 FROM generations WHERE id = ?').get(generationId)) throw new Error(`No generation with id ${generationId}.`);
      const now = input.createdAt ?? nowIso();
      const before = this.db
        .prepare<[number, string], { id: number }>('SELECT id FROM annotations WHERE generation_id = ? AND annotator = ? AND superseded_at IS NULL')
        .get(generationId, annotator);
      if (before) this.db.prepare('UPDATE annotations SET superseded_at = ? WHERE id = ?').run(now, before.id);
      const after = Number(
        this.db
          .prepare('INSERT INTO annotations (generation_id, annotator, labels_json, note, decisions_json, created_at) VALUES (?, ?, ?, ?, ?, ?)')
          .run(generationId, annotator, JSON.stringify(labels), note, JSON.stringify(input.decisions ?? {}), now).lastInsertRowid,
      );
      this.db
        .prepare('INSERT INTO annotation_events (annotator, generation_id, before_id, after_id, created_at) VALUES (?, ?, ?, ?, ?)')
        .run(annotator, generationId, before?.id ?? null, after, now);
      return toRecord(this.db.prepare<[number], AnnotationRow>('SELECT * FROM annotations WHERE id = ?').get(after)!);
    })();
  }

  /**
   * Undoes the annotator's last change not yet undone: the generation gets back the annotation it had before
   * (none, if that change was the first). Returns what it is now, or null when there is nothing to undo.
   */
  undo(annotator: string): { generationId: number; annotation: AnnotationRecord | null } | null {
    return this.db.transaction(() => {
      const event = this.db
        .prepare<[string], EventRow>('SELECT id, generation_id, before_id, after_id FROM annotation_events WHERE annotator = ? AND undone_at IS NULL ORDER BY id DESC LIMIT 1')
        .get(annotator);
      if (!event) return null;
      const now = nowIso();
      // The change's result is current (each pair is written by one annotator, and events stack): retire it.
      this.db.prepare('UPDATE annotations SET superseded_at = ? WHERE generation_id = ? AND annotator = ? AND superseded_at IS NULL').run(now, event.generation_id, annotator);
      if (event.before_id !== null) this.db.prepare('UPDATE annotations SET superseded_at = NULL WHERE id = ?').run(event.before_id);
      this.db.prepare('UPDATE annotation_events SET undone_at = ? WHERE id = ?').run(now, event.id);
      return { generationId: event.generation_id, annotation: this.current(event.generation_id, annotator) };
    })();
  }

  // ASSIGNMENTS

  /**
   * Assigns generations to annotators: round(overlap × n) of them, picked by a seeded shuffle, go to every
   * annotator (the double-annotated set agreement is computed on); the others to one annotator each, in turn.
   * Replaces earlier assignments of these generations. Returns how many each annotator got.
   */
  assign(generationIds: readonly number[], annotators: readonly string[], overlap: number, seed: number): { overlapItems: number; perAnnotator: Record<string, number> } {
    const { overlap: shared, byAnnotator } = splitAssignment([...new Set(generationIds)].sort((a, b) => a - b), annotators, overlap, seed);
    const now = nowIso();
    this.db.transaction(() => {
      const del = this.db.prepare('DELETE FROM annotation_assignments WHERE generation_id = ?');
      const ins = this.db.prepare('INSERT INTO annotation_assignments (generation_id, annotator, created_at) VALUES (?, ?, ?)');
      for (const ids of byAnnotator.values()) for (const id of ids) del.run(id);
      for (const [a, ids] of byAnnotator) for (const id of ids) ins.run(id, a, now);
    })();
    return { overlapItems: shared.length, perAnnotator: Object.fromEntries([...byAnnotator].map(([a, ids]) => [a, ids.length])) };
  }

  /** Generation ids assigned to the annotator (within the runs when given), in id order. */
  assigned(annotator: string, runIds?: readonly number[]): number[] {
    const restrict = runIds?.length ? `AND g.run_id IN (${marks(runIds)})` : '';
    return this.db
      .prepare<unknown[], { id: number }>(
        `SELECT g.id FROM annotation_assignments s JOIN generations g ON g.id = s.generation_id WHERE s.annotator = ? ${restrict} ORDER BY g.id`,
      )
      .all(annotator, ...(runIds ?? []))
      .map((r) => r.id);
  }

  // QUEUE

  /**
   * The annotator's queue: their assigned generations when they have any in scope, else every generation of
   * the runs (all runs when none given). Orders: flagged-first (generations with detector findings first, most
   * findings first, then id), random (seeded shuffle), stratified (round-robin over model × method × language
   * groups, each group shuffled with the seed). Stable for a given seed, so a position in it can live in a URL.
   */
  queue(opts: { runIds?: readonly number[]; annotator: string; order: AnnotationOrder; seed?: number; limit: number }): { entries: AnnotationQueueEntry[]; total: number } {
    const seed = opts.seed ?? 1;
    const where: string[] = [];
    const params: unknown[] = [opts.annotator];
    if (opts.runIds?.length) {
      where.push(`g.run_id IN (${marks(opts.runIds)})`);
      params.push(...opts.runIds);
    }
    if (this.assigned(opts.annotator, opts.runIds).length > 0) {
      where.push('EXISTS (SELECT 1 FROM annotation_assignments s WHERE s.generation_id = g.id AND s.annotator = ?)');
      params.push(opts.annotator);
    }
    const rows = this.db
      .prepare<unknown[], { id: number; findings: number; annotated: number; stratum: string }>(
        `SELECT g.id,
           coalesce((SELECT sum(json_array_length(x.findings_json)) FROM detections x WHERE x.generation_id = g.id), 0) AS findings,
           EXISTS (SELECT 1 FROM annotations a WHERE a.generation_id = g.id AND a.annotator = ? AND a.superseded_at IS NULL) AS annotated,
           json_array(coalesce(m.name, g.generator, ''), coalesce(json_extract(r.method_json, '$.method'), ''), d.lang) AS stratum
         FROM generations g
         JOIN runs r ON r.id = g.run_id
         JOIN datasets d ON d.id = r.dataset_id
         LEFT JOIN models m ON m.id = r.model_id
         ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
         ORDER BY g.id`,
      )
      .all(...params);
    let ordered: typeof rows;
    if (opts.order === 'random') ordered = seededShuffle(rows, seed);
    else if (opts.order === 'flagged-first') ordered = [...rows].sort((a, b) => b.findings - a.findings || a.id - b.id);
    else {
      const groups = new Map<string, typeof rows>();
      for (const r of rows) groups.set(r.stratum, [...(groups.get(r.stratum) ?? []), r]);
      const lanes = [...groups.keys()].sort().map((k) => seededShuffle(groups.get(k)!, seed));
      ordered = [];
      for (let i = 0; ordered.length < rows.length; i++) for (const lane of lanes) if (i < lane.length) ordered.push(lane[i]!);
    }
    return {
      total: rows.length,
      entries: ordered.slice(0, opts.limit).map((r) => ({ generationId: r.id, findings: r.findings, annotated: r.annotated === 1 })),
    };
  }

  /** Every annotator's current annotation of one generation, by annotator. */
  currentOf(generationId: number): { annotator: string; labels_json: string; note: string | null; decisions_json: string; created_at: string }[] {
    return this.db
      .prepare<[number], { annotator: string; labels_json: string; note: string | null; decisions_json: string; created_at: string }>(
        'SELECT annotator, labels_json, note, decisions_json, created_at FROM annotations WHERE generation_id = ? AND superseded_at IS NULL ORDER BY annotator',
      )
      .all(generationId);
  }
}

import type { AgreementReport, AnnotationItem, AnnotationOrder, AnnotationRecord, CriticalErrorRate, SuggestionDecision } from '../../../shared/annotations';
import type { Store } from '../../store/openStore';
import { NotFoundError } from '../errors';
import { formatExport } from '../generations/formatExport';
import { annotationAgreement, criticalErrorRateReport, exportAnnotations, type AnnotationExportRow } from './annotationReports';

/** The repositories annotation reads and writes. */
export type AnnotationStore = Pick<Store, 'annotations' | 'reader' | 'detections' | 'runs' | 'generations'>;

/** Human critical-error annotation: the queue, one generation's annotation, assignments, agreement, rates, exports. */
export class AnnotationService {
  constructor(private readonly store: AnnotationStore) {}

  labels() {
    return this.store.annotations.labels();
  }

  addLabel(name: string, definition: string) {
    return this.store.annotations.addLabel(name, definition);
  }

  queue(request: { runIds?: number[]; annotator: string; order: AnnotationOrder; seed?: number; limit: number }) {
    return this.store.annotations.queue(request);
  }

  /** A generation as the annotation view shows it: raw output, detector findings, the annotator's current labels. */
  item(generationId: number, annotator: string): AnnotationItem {
    const g = this.#generation(generationId);
    return {
      generationId: g.id,
      runId: g.runId,
      runName: g.runName,
      itemId: g.itemId,
      lang: g.lang,
      method: g.method,
      modelName: g.modelName,
      instruction: g.instruction,
      outputRaw: g.outputRaw,
      finishReason: g.finishReason,
      taskTypes: g.taskTypes,
      findings: this.store.detections.forGeneration(g.id).flatMap((d) => d.findings),
      annotation: this.store.annotations.current(g.id, annotator),
    };
  }

  save(generationId: number, annotator: string, input: { labels: string[]; note?: string | null; decisions?: Record<string, SuggestionDecision> }): AnnotationRecord {
    this.#generation(generationId);
    return this.store.annotations.save(generationId, annotator, input);
  }

  undo(annotator: string) {
    return this.store.annotations.undo(annotator);
  }

  /** Assigns the runs' generations: `overlap` of them to every annotator, the rest to one each (seeded). */
  assign(runIds: number[], annotators: string[], overlap: number, seed: number) {
    for (const runId of runIds) if (!this.store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}.`);
    const ids = runIds.flatMap((runId) => this.store.generations.forRun(runId).map((g) => g.id));
    return { generations: ids.length, ...this.store.annotations.assign(ids, annotators, overlap, seed) };
  }

  agreement(opts: { runIds?: number[]; annotators?: string[] } = {}): AgreementReport {
    return annotationAgreement(this.store, opts);
  }

  rates(opts: { runIds?: number[]; source: 'human' | 'detector'; annotator?: string }): CriticalErrorRate[] {
    return criticalErrorRateReport(this.store, opts);
  }

  /** A run's current annotations, one row per generation × annotator. */
  rows(runId: number): AnnotationExportRow[] {
    return exportAnnotations(this.store, runId);
  }

  export(runId: number, format: 'jsonl' | 'csv'): string {
    return formatExport(this.rows(runId), format);
  }

  #generation(generationId: number) {
    const g = this.store.reader.get(generationId);
    if (!g) throw new NotFoundError(`No generation with id ${generationId}.`);
    return g;
  }
}

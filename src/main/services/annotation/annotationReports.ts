import type { AgreementReport, CriticalErrorRate } from '../../../shared/api';
import { cohensKappa, criticalErrorRates, detectorAgreement, fleissKappa, isDecided } from '../../core/analysis';
import type { ScopedAnnotation } from '../../store/AnnotationRepo';
import type { Store } from '../../store/openStore';
import { NotFoundError } from '../errors';

/** The repositories the annotation reports read. */
export type ReportStore = Pick<Store, 'annotations' | 'runs' | 'generations' | 'detections'>;

/**
 * Agreement on the current annotations of the runs (all runs when none given):
 * - between annotators, per label, on the generations every compared annotator annotated: Cohen's kappa for
 *   two annotators, Fleiss' kappa for more (null with fewer than two, or when undefined, see core/analysis);
 * - detector vs human per label, overall and per language (`detectorAgreement`): one row per current
 *   annotation, the human labels as the truth and the labels of the generation's detector findings as predicted,
 *   over decided suggestions only: a suggestion the annotator neither accepted (labelled) nor rejected with `n` is
 *   pending, and left out for that label (`isDecided`).
 */
export function annotationAgreement(store: ReportStore, opts: { runIds?: number[]; annotators?: string[] }): AgreementReport {
  const annotations = store.annotations.currentIn(opts.runIds, opts.annotators);
  const annotators = [...new Set(annotations.map((a) => a.annotator))].sort();
  const labels = store.annotations.labels().map((l) => l.name);

  const byGeneration = new Map<number, Map<string, ScopedAnnotation>>();
  for (const a of annotations) {
    const m = byGeneration.get(a.generationId) ?? new Map<string, ScopedAnnotation>();
    m.set(a.annotator, a);
    byGeneration.set(a.generationId, m);
  }
  const common = annotators.length >= 2 ? [...byGeneration.values()].filter((m) => annotators.every((n) => m.has(n))) : [];
  const says = (m: Map<string, ScopedAnnotation>, annotator: string, label: string) => m.get(annotator)!.labels.includes(label);

  const statistic: AgreementReport['labels'][number]['statistic'] = annotators.length === 2 ? 'cohen' : annotators.length > 2 ? 'fleiss' : null;
  const labelRows = labels.map((label) => ({
    label,
    statistic,
    n: common.length,
    kappa:
      statistic === 'cohen'
        ? cohensKappa(common.map((m) => [says(m, annotators[0]!, label), says(m, annotators[1]!, label)] as const))
        : statistic === 'fleiss'
          ? fleissKappa(common.map((m) => annotators.map((a) => says(m, a, label))))
          : null,
  }));

  const detected = new Map<number, string[]>();
  const detectedOf = (generationId: number) => {
    let found = detected.get(generationId);
    if (!found) {
      found = detectedLabels(store, generationId);
      detected.set(generationId, found);
    }
    return found;
  };
  const detector = detectorAgreement(
    annotations.map((a) => ({ lang: a.lang, detected: detectedOf(a.generationId), human: a.labels, decisions: a.decisions })),
    labels,
  ).map(({ label, lang, precision, recall, f1, kappa, n }) => ({ label, lang, precision, recall, f1, kappa, n }));

  return { annotators, items: common.length, labels: labelRows, detector };
}

/**
 * Critical-error rates per model × method × language × label, ready for charts. `detector`: the labels of
 * each generation's findings. `human`: one annotator's current labels, or, with none named, the labels that at
 * least half of a generation's annotators gave; generations nobody annotated are left out.
 */
export function criticalErrorRateReport(
  store: ReportStore,
  opts: { runIds?: number[]; source: 'human' | 'detector'; annotator?: string },
): CriticalErrorRate[] {
  return criticalErrorRatesOf(store, store.generations.cells(opts.runIds), opts);
}

/**
 * The same rates over a given set of generations (e.g. the Results view's filtered selection); `runIds` only
 * narrows which human annotations are read.
 */
export function criticalErrorRatesOf(
  store: ReportStore,
  generations: readonly { id: number; model: string; method: string; lang: string }[],
  opts: { runIds?: number[]; source: 'human' | 'detector'; annotator?: string },
): CriticalErrorRate[] {
  const labels = store.annotations.labels().map((l) => l.name);
  let labelsOf: (generationId: number) => string[] | null;
  if (opts.source === 'detector') {
    labelsOf = (id) => detectedLabels(store, id);
  } else {
    labelsOf = humanLabels(store, labels, opts.runIds, opts.annotator);
  }
  const rows = generations.flatMap((g) => {
    const found = labelsOf(g.id);
    return found ? [{ model: g.model, method: g.method, lang: g.lang, labels: found }] : [];
  });
  return criticalErrorRates(rows, { labels });
}

/** The distinct labels of a generation's detector findings. */
export function detectedLabels(store: ReportStore, generationId: number): string[] {
  return labelsOfDetections(store.detections.forGeneration(generationId));
}

/** The distinct labels of stored detector results' findings. */
export function labelsOfDetections(detections: readonly { findings: readonly { label: string }[] }[]): string[] {
  return [...new Set(detections.flatMap((d) => d.findings.map((f) => f.label)))];
}

/**
 * The human labels of each generation of the runs: one annotator's current labels, or, with none named, the
 * labels that at least half of the generation's annotators gave. Null for a generation nobody annotated.
 */
export function humanLabels(store: ReportStore, labels: readonly string[], runIds?: number[], annotator?: string): (generationId: number) => string[] | null {
  const byGeneration = new Map<number, string[][]>();
  for (const a of store.annotations.currentIn(runIds, annotator ? [annotator] : undefined))
    byGeneration.set(a.generationId, [...(byGeneration.get(a.generationId) ?? []), a.labels]);
  return (id) => {
    const votes = byGeneration.get(id);
    if (!votes) return null;
    return labels.filter((label) => votes.filter((v) => v.includes(label)).length * 2 >= votes.length);
  };
}

/**
 * Like `humanLabels`, over decided suggestions only (see `isDecided`): per generation, `flagged` are the labels at
 * least half of the annotators who decided them gave, `pending` the detector suggestions no annotator decided yet
 * (neither flagged nor clean). Null for a generation nobody annotated.
 */
export function decidedHumanLabels(
  store: ReportStore,
  labels: readonly string[],
  runIds?: number[],
): (generationId: number) => { flagged: string[]; pending: string[] } | null {
  const byGeneration = new Map<number, ScopedAnnotation[]>();
  for (const a of store.annotations.currentIn(runIds)) byGeneration.set(a.generationId, [...(byGeneration.get(a.generationId) ?? []), a]);
  return (id) => {
    const annotations = byGeneration.get(id);
    if (!annotations) return null;
    const detected = detectedLabels(store, id);
    const flagged: string[] = [];
    const pending: string[] = [];
    for (const label of labels) {
      const deciders = annotations.filter((a) => isDecided({ lang: a.lang, detected, human: a.labels, decisions: a.decisions }, label));
      if (deciders.length === 0) pending.push(label);
      else if (deciders.filter((a) => a.labels.includes(label)).length * 2 >= deciders.length) flagged.push(label);
    }
    return { flagged, pending };
  };
}

/** One exported annotation. Field names are a contract with outside scripts: add fields, never rename them. */
export interface AnnotationExportRow {
  run_id: number;
  item_id: string;
  generation_id: number;
  lang: string;
  annotator: string;
  labels: string[];
  note: string | null;
  created_at: string;
  decisions: Record<string, string>;
}

/** The current annotations of a run, one row per generation × annotator. */
export function exportAnnotations(store: ReportStore, runId: number): AnnotationExportRow[] {
  if (!store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
  return store.annotations.currentIn([runId]).map((a) => ({
    run_id: a.runId,
    item_id: a.itemId,
    generation_id: a.generationId,
    lang: a.lang,
    annotator: a.annotator,
    labels: a.labels,
    note: a.note,
    created_at: a.createdAt,
    decisions: a.decisions,
  }));
}

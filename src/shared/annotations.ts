/** Human critical-error annotation: labels, annotations, agreement and rates. */
import type { Finding } from './detection';
import type { FinishReason, Lang } from './domain';

/** A label annotators can give: a built-in critical-error label or one the project added. */
export interface LabelInfo {
  name: string;
  /** Short definition shown next to the checkbox. */
  definition: string;
  builtin: boolean;
}

/** What the annotator said about one detector suggestion (by the finding's label). */
export type SuggestionDecision = 'accepted' | 'rejected';

/** The current annotation of one generation by one annotator. */
export interface AnnotationRecord {
  generationId: number;
  annotator: string;
  labels: string[];
  note: string | null;
  decisions: Record<string, SuggestionDecision>;
  /** When this state was saved. */
  createdAt: string;
}

export type AnnotationOrder = 'flagged-first' | 'random' | 'stratified';

export interface AnnotationQueueEntry {
  generationId: number;
  /** Detector findings on this generation (all detectors). */
  findings: number;
  /** Whether this annotator has a current annotation on it. */
  annotated: boolean;
}

/** One generation as the annotation view shows it. */
export interface AnnotationItem {
  generationId: number;
  runId: number;
  runName: string;
  itemId: string;
  lang: Lang;
  method: string;
  modelName: string | null;
  instruction: string;
  /** The raw output: finding evidence spans are in its coordinates. */
  outputRaw: string;
  finishReason: FinishReason;
  taskTypes: string[] | null;
  findings: Finding[];
  annotation: AnnotationRecord | null;
}

export interface CriticalErrorRate {
  model: string;
  method: string;
  lang: Lang;
  label: string;
  /** Generations in the cell, those with the label, and the share with its bootstrap CI. */
  n: number;
  count: number;
  rate: number;
  low: number;
  high: number;
}

export interface AgreementReport {
  /** Annotators compared (sorted), and the generations every one of them annotated. */
  annotators: string[];
  items: number;
  /** Inter-annotator agreement per label on those items: Cohen's kappa for 2 annotators, Fleiss' for more. */
  labels: { label: string; statistic: 'cohen' | 'fleiss' | null; kappa: number | null; n: number }[];
  /** Detector vs human (each current annotation is a reference) per label, 'all' then each language. */
  detector: { label: string; lang: string; precision: number | null; recall: number | null; f1: number | null; kappa: number | null; n: number }[];
}

/** Human critical-error annotation: labels, annotations, agreement and rates. */
import type { Finding } from './detection';
import type { FinishReason, Lang } from './domain';
import type { GenerationFilter } from './generations';

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
  /** Generations in the model × method × language cell. */
  n: number;
  /** How many of them carry the label. */
  count: number;
  /** count / n. */
  rate: number;
  /** Wilson score interval of the rate (95 %): never [1, 1] at n/n nor [0, 0] at 0/n. */
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

/** A label with its definition, as a study hands it out. */
export interface LabelDefinition {
  name: string;
  definition: string;
}

/** The annotator who settles a disagreement: the resolution is a third annotation under this name. */
export const ADJUDICATOR = 'adjudicated';

/** Package out: one file per annotator from a reader selection. */
export interface CreatePackagesRequest {
  studyName: string;
  /** The reader's filters (runs, models, methods, languages, …): the study is every generation they match. */
  selection: GenerationFilter;
  annotators: string[];
  /** Share of items every annotator gets (the agreement set), in percent. */
  overlapPercent: number;
  seed: number;
  /** Blind mode: no detector suggestions, no model or method names. */
  blind?: boolean;
  guidelines?: string;
  outDir: string;
}

export interface CreatePackagesResult {
  studyId: string;
  studyName: string;
  /** Distinct outputs in the study, and those every annotator gets. */
  items: number;
  overlapItems: number;
  files: { annotator: string; path: string; items: number }[];
}

/** A package opened in the annotator's store: annotate it with the usual queue over `runIds`. */
export interface OpenedPackage {
  packageId: string;
  studyId: string;
  studyName: string;
  annotator: string;
  blind: boolean;
  guidelines: string;
  labels: LabelDefinition[];
  runIds: number[];
  /** Annotated items over all items: "37/120". */
  progress: { done: number; total: number };
  openedAt: string;
}

export interface ExportPackageResult {
  path: string;
  annotations: number;
  items: number;
  activeSeconds: number;
}

export interface MergeResult {
  studyId: string;
  files: { file: string; annotator: string; annotations: number; written: number; unchanged: number }[];
}

/** Per annotator, after merging: what they covered, how long it took, where they disagree with others. */
export interface StudyReport {
  studyId: string;
  studyName: string;
  runIds: number[];
  annotators: { name: string; assigned: number; annotated: number; coverage: number; activeSeconds: number; disagreements: number; lastExport: string | null }[];
  /** Overlap generations annotated by two people or more, those where they disagree, and those adjudicated. */
  compared: number;
  disagreements: number;
  resolved: number;
}

/** A disagreement to resolve: each annotator's labels, and the adjudicated annotation once made. */
export interface ResolveEntry {
  generationId: number;
  itemId: string;
  lang: Lang;
  /** The labels not every annotator gave. */
  disputed: string[];
  annotations: { annotator: string; labels: string[]; note: string | null }[];
  adjudicated: AnnotationRecord | null;
}

/** A study as its owner's store keeps it: what was handed out, to whom, how. */
export interface AnnotationStudy {
  id: string;
  name: string;
  selection: GenerationFilter;
  runIds: number[];
  annotators: string[];
  /** Share of items every annotator got, 0–1. */
  overlap: number;
  seed: number;
  blind: boolean;
  guidelines: string;
  labels: LabelDefinition[];
  createdAt: string;
}

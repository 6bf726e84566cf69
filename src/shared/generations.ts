/** Reading generations: the selection shared by the reader and Results, rows and details. */
import type { FinishReason, Generation, Lang } from './domain';
import type { Finding } from './detection';
import type { Aspect } from './judging';

/** Which generations: the selection shared by the reader and the Results view (same meaning, same URL keys). */
export interface SelectionFilter {
  runIds?: number[];
  modelIds?: number[];
  methods?: string[];
  langs?: Lang[];
  /** "regular" or "safety" for Just-Eval. */
  category?: string;
  taskType?: string;
  /** Item difficulty (Just-Eval field). */
  difficulty?: string;
}

/** The filters of the generations reader; every field also lives in the URL hash. */
export interface GenerationFilter extends SelectionFilter {
  finishReasons?: FinishReason[];
  /** Generations whose judgement on `aspect` (mean over repeats, any judge unless `judge` is set) is within [min, max]; `na`: only N/A ones. */
  score?: ScoreFilter;
  /** Full-text search (SQLite FTS5) over instruction and output. */
  search?: string;
  /**
   * Critical errors: `any` (at least one label), `none` (no label), or one label (e.g. "code-leak"). Whose labels:
   * `criticalSource`, the detectors' current findings by default, or the annotators' current labels (then `none`
   * means annotated by someone and given no label by anyone).
   */
  critical?: CriticalFilter;
  criticalSource?: CriticalSource;
}

/** `any`, `none`, or a label name. */
export type CriticalFilter = string;
export const CRITICAL_SOURCES = ['detector', 'annotator'] as const;
export type CriticalSource = (typeof CRITICAL_SOURCES)[number];

/**
 * Where a generation stands with the annotators: `pending` while a detector suggestion has not been decided by any
 * annotator (accepted as a label, or rejected), `decided` when someone annotated it and nothing is pending, `none`
 * when nobody annotated it and nothing was suggested.
 */
export const ANNOTATION_STATUSES = ['none', 'pending', 'decided'] as const;
export type AnnotationStatus = (typeof ANNOTATION_STATUSES)[number];

export interface ScoreFilter {
  aspect: Aspect;
  min?: number;
  max?: number;
  na?: boolean;
  judge?: string;
}

export interface GenerationRow {
  id: number;
  runId: number;
  itemId: string;
  lang: Lang;
  method: string;
  modelName: string | null;
  instruction: string;
  /** The cleaned output, cut to a preview length. */
  outputPreview: string;
  finishReason: FinishReason;
  outputTokens: number;
  /** Labels of the detectors' current findings, distinct, sorted. */
  labels: string[];
  annotation: AnnotationStatus;
}

/** A stored generation with the context the reader shows next to it. */
export type GenerationDetail = Omit<Generation, 'createdAt'> & {
  runName: string;
  lang: Lang;
  method: string;
  modelName: string | null;
  instruction: string;
  category: string | null;
  taskTypes: string[] | null;
  /** The detectors' current findings; evidence spans point into `outputRaw`. */
  findings: Finding[];
};

/** One cell of the side-by-side matrix: the same item id in another run (method, model or language). */
export type SideBySideColumn = Pick<
  GenerationDetail,
  'id' | 'runId' | 'runName' | 'itemId' | 'lang' | 'method' | 'modelName' | 'instruction' | 'output' | 'finishReason' | 'outputTokens'
> & {
  /** Judge score per aspect: the mean over every judge's repeats (N/A left out), in aspect order. */
  scores: { aspect: Aspect; mean: number; n: number }[];
  /** Critical-error labels found by the detectors, distinct, sorted. */
  findings: string[];
  /** Critical-error labels people gave (current annotations of every annotator), distinct, sorted. */
  annotated: string[];
};

/** `generations.export` formats: ours (jsonl, csv), and just-eval's to_eval.json (what its scorer reads). */
export const GENERATIONS_EXPORT_FORMATS = ['jsonl', 'csv', 'just-eval'] as const;
export type GenerationsExportFormat = (typeof GENERATIONS_EXPORT_FORMATS)[number];

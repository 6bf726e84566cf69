/** Critical-error detection: what detectors see and find. Shared because findings are stored and exported. */
import type { FinishReason, Lang } from './domain';

/** The built-in critical-error labels (a project may add its own for human annotation). */
export const CRITICAL_LABELS = ['infinite-loop', 'code-leak', 'wrong-language', 'empty', 'truncated', 'other'] as const;
export type CriticalLabel = (typeof CRITICAL_LABELS)[number];

/** The per-group rate of generations carrying at least one critical-error label (labels overlap: not their sum). */
export const ANY_CRITICAL_ERROR = 'any critical error';

/** What a detector sees of one generation. Detectors are pure: same input and settings, same result. */
export interface DetectorInput {
  /** The model's text before cleaning (URIAL cleaning strips code fences, code detection needs them). */
  outputRaw: string;
  output: string;
  finishReason: FinishReason;
  outputTokens: number;
  /** The run's max-tokens budget, when known (imported outputs have none). */
  maxTokens: number | null;
  /** The language the answer should be in: the dataset's. */
  expectedLang: Lang;
  instruction: string;
  /** The item's task types (Just-Eval `task_types`); code is intended only for `coding`. */
  taskTypes: string[] | null;
}

/** Where in the raw output a finding is, so the annotation view can highlight it. */
export interface Evidence {
  /** Character ranges in `outputRaw`, end exclusive. */
  spans: { start: number; end: number }[];
  /** A human sentence: "the last 412 characters repeat a 37-character unit 11 times". */
  note: string;
}

export interface Finding {
  label: CriticalLabel;
  detector: string;
  version: string;
  /** Confidence in [0, 1]. */
  score: number;
  evidence: Evidence;
}

export interface DetectorResult {
  detector: string;
  version: string;
  /** Every raw signal used, stored so thresholds can be re-tuned later without re-running. */
  signals: Record<string, number | string | boolean | null>;
  findings: Finding[];
}

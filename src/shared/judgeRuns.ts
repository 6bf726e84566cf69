/** Judges and judge runs as the UI sees them (the vocabulary is in judging.ts). */
import type { Lang, RunStatus } from './domain';
import type { Aspect, JudgeCallRecord, JudgeInfo, JudgeLangChoice, JudgeRunConfig, JudgementRecord } from './judging';

export type JudgeAddRequest =
  | { kind: 'local'; model: string; name?: string }
  | {
      kind: 'openai';
      baseUrl: string;
      model: string;
      name?: string;
      /** The key itself: encrypted with the OS keychain (desktop app only); refused where that is unavailable. */
      apiKey?: string;
      /** The name of an environment variable holding the key (CLI / serve mode). */
      apiKeyEnv?: string;
      concurrency?: number;
      timeoutMs?: number;
      maxRetries?: number;
    };

export interface JudgeTestResult {
  ok: boolean;
  /** Plain words: what worked or what failed and what to do. */
  message: string;
  latencyMs: number;
  /** What the judge answered to a tiny test prompt (untrusted text). */
  reply: string | null;
}

export interface JudgeRunProgress {
  judgeRunId: number;
  done: number;
  total: number;
  /** Calls whose verdict is N/A so far. */
  na: number;
  /** Calls answered from the cache (already judged). */
  cached: number;
  etaSeconds: number | null;
  status: RunStatus;
}

export interface JudgeRunInfo {
  id: number;
  name: string;
  judge: JudgeInfo;
  config: JudgeRunConfig;
  status: RunStatus;
  error: string | null;
  total: number;
  done: number;
  na: number;
  /** Of the N/A calls, those that got no reply (server down, errors after the retries): a new start makes them again. */
  unanswered: number;
  environment: Record<string, string>;
  createdAt: string;
  progress: JudgeRunProgress | null;
}

export interface JudgeRunCreateRequest {
  runIds: number[];
  judgeId: number;
  repeats?: number;
  judgeLang?: JudgeLangChoice;
  rubricVersion?: string;
  safetyRubricVersion?: string;
  temperature?: number;
  seed?: number;
  maxTokens?: number;
  name?: string;
  start?: boolean;
}

/** The judgements of one generation, grouped by call, for the reader. */
export interface GenerationJudgements {
  calls: (JudgeCallRecord & { judgeName: string | null; scores: JudgementRecord[] })[];
}

/** Judge vs human, per language: do generations people flagged with a critical error get low judge scores? */
export interface JudgeHumanReport {
  rows: {
    lang: Lang;
    aspect: Aspect;
    label: string;
    /** Mean judge score of generations with / without the label (humans' majority), N/A excluded. */
    flaggedMean: number | null;
    flaggedN: number;
    cleanMean: number | null;
    cleanN: number;
  }[];
  /** Mean score judged in English minus judged in the target language, on the same generations. */
  langDelta: { lang: Lang; aspect: Aspect; enMean: number; targetMean: number; delta: number; n: number }[];
}

/** `judgements.import`: a just-eval judge file (score_multi / score_safety) into a new run, or onto `runId`'s outputs. */
export interface JudgementsImportRequest {
  path: string;
  runId?: number;
  /** New run only: the instructions' language (default en) and the run name (default: the file name). */
  lang?: Lang;
  name?: string;
}

export interface JudgementsImportResult {
  runId: number;
  /** True when the run was made from the file. */
  newRun: boolean;
  /** `import:<eval_config.gpt>` */
  judge: string;
  rubricVersion: string;
  /** Calls stored; calls the store already held (same generation, judge and rubric) are counted apart. */
  imported: number;
  alreadyStored: number;
}

/** `judgements.export` formats: just-eval's judge file (one judge, one mode), or our JSONL (every call). */
export const JUDGEMENTS_EXPORT_FORMATS = ['just-eval', 'jsonl'] as const;
export type JudgementsExportFormat = (typeof JUDGEMENTS_EXPORT_FORMATS)[number];

/** `judgements.export`: one record per judge call of the run; `rubricVersion` "just-eval-original" = both of its rubrics. */
export interface JudgementsExportRequest {
  runId: number;
  format: JudgementsExportFormat;
  judge?: string;
  rubricVersion?: string;
}

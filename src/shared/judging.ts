/**
 * The judging vocabulary (Just-Eval protocol, DESIGN §2), shared by every layer. Imports nothing.
 *   generation ─► judge prompt (rubric × language) ─► judge (local GGUF or OpenAI-compatible) ─► verdict ─► judgements
 */
import type { Lang } from './domain';
import type { RubricPromptSource } from './rubricSources';

/** The five Just-Eval aspects, each scored 1–5 with a rationale. Order = display order. */
export const ASPECTS = ['helpfulness', 'clarity', 'factuality', 'depth', 'engagement'] as const;
/** The safety split (category "safety", Just-Eval ids 800–999) is scored on safety alone (1 = unsafe, 5 = safe). */
export const SAFETY_ASPECT = 'safety';
export const ALL_ASPECTS = [...ASPECTS, SAFETY_ASPECT] as const;
export type Aspect = (typeof ALL_ASPECTS)[number];

/** Scores are an enum, not a range: JSON-schema grammars have no numeric bounds (DESIGN §3). */
export const SCORES = [1, 2, 3, 4, 5] as const;
export type Score = (typeof SCORES)[number];

export const RUBRIC_KINDS = ['aspects', 'safety'] as const;
export type RubricKind = (typeof RUBRIC_KINDS)[number];

/** Judge in English (the reference setting) or in the language of the generation. */
export const JUDGE_LANGS = ['en', 'target'] as const;
export type JudgeLangChoice = (typeof JUDGE_LANGS)[number];

/**
 * How aggregates treat N/A (a judge reply that could not be parsed after retries). "exclude" is the default.
 * "as-5" is the reference code's convention; every table and chart that uses it says so.
 */
export const NA_POLICIES = ['exclude', 'as-5'] as const;
export type NaPolicy = (typeof NA_POLICIES)[number];

export interface RubricPrompt {
  /** System message of the judge call. */
  system: string;
  /**
   * User message template. Placeholders: {instruction}, {output}, {language} (the generation's language
   * name, e.g. "French"), {aspects} (the aspect list of the rubric).
   */
  user: string;
}

export interface RubricInfo {
  /** Unique, immutable: "just-eval-aspects@1". An edit makes a copy with a new version; judgements keep theirs. */
  version: string;
  name: string;
  kind: RubricKind;
  /** The aspects this rubric returns (ASPECTS, or [SAFETY_ASPECT]). */
  aspects: Aspect[];
  /** Prompt per language; "en" is always present (used when judging in English or when no translation exists). */
  prompts: Record<Lang, RubricPrompt>;
  builtin: boolean;
  /** The version it was copied from, for edited rubrics. */
  parent: string | null;
  createdAt: string;
  /**
   * Where the prompt text comes from (migration 0009); "just-eval-official": the official template files, read
   * at call time, and `prompts` is empty. Absent means "stored".
   */
  promptSource?: RubricPromptSource;
}

export const JUDGE_KINDS = ['local', 'openai'] as const;
export type JudgeKind = (typeof JUDGE_KINDS)[number];

export interface JudgeInfo {
  id: number;
  name: string;
  kind: JudgeKind;
  /**
   * What the judgement cache keys on: "gguf:<sha256>" for a local model, "openai:<base url>#<model>" for a
   * remote one. Stored in every judgement's `judge` field.
   */
  identity: string;
  /** local: the model id in the library. */
  modelId: number | null;
  /** openai: endpoint and model name. */
  baseUrl: string | null;
  model: string | null;
  /** How the API key is found: never the key itself. */
  apiKey: { source: 'none' } | { source: 'env'; variable: string } | { source: 'encrypted' };
  /** openai: concurrent requests, per-request timeout, retries on 429/5xx. */
  concurrency: number;
  timeoutMs: number;
  maxRetries: number;
  createdAt: string;
}

/** One aspect score of one judge call. `score` null = N/A (the raw reply is kept on the call). */
export interface JudgementRecord {
  generationId: number;
  judgeRunId: number | null;
  /** JudgeInfo.identity. */
  judge: string;
  judgeName: string | null;
  rubricVersion: string;
  /** The language the judge prompt was written in (resolved: "en", "fr"…). */
  judgeLang: Lang;
  repeat: number;
  aspect: Aspect;
  score: Score | null;
  rationale: string | null;
  createdAt: string;
}

/** One judge call, with exactly how it was made (prompt, settings, raw reply) for reproducibility. */
export interface JudgeCallRecord {
  id: number;
  generationId: number;
  judge: string;
  rubricVersion: string;
  judgeLang: Lang;
  repeat: number;
  /** The exact messages sent. */
  prompt: { system: string; user: string };
  /** The judge's reply as received (also for N/A). */
  raw: string | null;
  /** Why the verdict is N/A (parse failure, HTTP error after retries…), null when parsed. */
  error: string | null;
  seed: number;
  temperature: number;
  attempts: number;
  wallMs: number;
  /** Judge-side facts: library versions, the server's reported model name… */
  environment: Record<string, string>;
  createdAt: string;
}

export interface JudgeRunConfig {
  judgeId: number;
  /** The generation runs judged. */
  runIds: number[];
  rubricVersion: string;
  safetyRubricVersion: string;
  judgeLang: JudgeLangChoice;
  /** k ≥ 1: each generation is judged k times (repeat 0..k-1), with seed = seed + repeat when sampled. */
  repeats: number;
  temperature: number;
  seed: number;
  maxTokens: number;
}

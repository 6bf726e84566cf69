/**
 * Domain types shared by every layer (core, store, api, renderer).
 * This module imports nothing: it is the vocabulary of the pipeline
 *   dataset ─► prompt (method) ─► generate (backend) ─► store
 */

/** ISO 639-1 language code, e.g. "en", "fr", "es". */
export type Lang = string;

/** One instruction of a dataset. `id` is shared across languages: same id ⇒ parallel items. */
export interface Item {
  id: string;
  instruction: string;
  /** Just-Eval-Instruct native fields (all optional for other datasets). */
  sourceId?: string;
  dataset?: string;
  category?: string;
  taskTypes?: string[];
  topics?: string[];
  difficulty?: string;
  /** Every other field of the source row, kept verbatim. */
  metadata: Record<string, unknown>;
}

export interface Dataset {
  id: number;
  name: string;
  lang: Lang;
  sourcePath: string;
  sourceSha256: string;
  itemCount: number;
  createdAt: string;
}

/** Which items of a dataset a run uses. Filters combine with AND; `sample` is applied last. */
export interface Subset {
  category?: string;
  taskType?: string;
  ids?: string[];
  /** Seeded random sample of `size` items (after the filters). */
  sample?: { size: number; seed: number };
  /** First N items (after everything else), for quick runs. */
  limit?: number;
}

export const METHODS = ['zero-shot', 'urial-zero', 'urial', 'chat', 'custom'] as const;
export type MethodName = (typeof METHODS)[number];

export interface MethodConfig {
  method: MethodName;
  /** URIAL: path of the prompt file (official or ours); defaults to the shipped file for `promptLang`. */
  promptFile?: string;
  /** URIAL: language of the prompt, independent of the dataset language. */
  promptLang?: Lang;
  /** chat: optional system prompt. */
  systemPrompt?: string;
  /** chat: override the GGUF's template with a named node-llama-cpp chat wrapper (e.g. "chatML", "llama2Chat"). */
  chatTemplate?: string;
  /** chat: the date (YYYY-MM-DD) date-printing templates see, pinned when the run is created. */
  chatDate?: string;
  /** chat: confirmed that a system prompt may be folded into the user turn of a template without a system role. */
  allowSystemFold?: boolean;
  /** custom: a template containing `{instruction}`. */
  template?: string;
}

/**
 * Decoding settings. Every field is a run setting, never a constant in code.
 * `repeatPenaltyWindow`: how many of the last tokens the repeat penalty looks at. The URIAL authors'
 * HF/vLLM penalty covers the whole prompt + output; "all" replicates that, a number is a window.
 */
export interface SamplerConfig {
  maxTokens: number;
  temperature: number;
  topP: number;
  topK: number;
  minP: number;
  seed: number;
  repeatPenalty: number;
  repeatPenaltyWindow: number | 'all';
  /**
   * Stop generating once the output surely loops (finish reason `loop`; the looping text is kept). Optional so
   * configs stored before it existed stay valid; absent = off (those runs resume as they began). New runs
   * store it explicitly, on by default (`DEFAULT_LOOP_STOP`: on, medium).
   * `enabled: false` generates exactly as before (strict replication).
   */
  loopStop?: LoopStopConfig;
}

export const LOOP_STOP_SENSITIVITIES = ['low', 'medium', 'high'] as const;
export interface LoopStopConfig {
  enabled: boolean;
  /** low: stops later, on more evidence; high: stops sooner. */
  sensitivity: (typeof LOOP_STOP_SENSITIVITIES)[number];
}

export type GpuOffload = 'auto' | 'cpu' | number;

export interface BackendConfig {
  /** Explicit CPU threads; never the library default (see DESIGN §3). */
  threads: number;
  /** GPU offload: "auto" (as many layers as fit), "cpu" (none), or a number of layers to offload. */
  gpu: GpuOffload;
  /** Context size per sequence, in tokens. "auto" = prompt + maxTokens rounded up, within the model's limit. */
  contextSize: number | 'auto';
  /** Parallel sequences that generate at once. */
  parallel: number;
}

export interface RunConfig {
  modelId: number;
  datasetId: number;
  subset: Subset;
  method: MethodConfig;
  sampler: SamplerConfig;
  backend: BackendConfig;
  /**
   * The decoding preset the sampler was set from (src/shared/presets.ts, e.g. "urial-reference"), recorded by
   * name so tables can cite it; only when the sampler still matches it (`presetDeviations` is empty).
   */
  preset?: string;
}

export const FINISH_REASONS = ['stop', 'eos', 'max-tokens', 'loop', 'aborted', 'error'] as const;
export type FinishReason = (typeof FINISH_REASONS)[number];

/** `interrupted`: the process that ran it is gone (crash, kill -9); resumable like `paused`. */
export const RUN_STATUSES = ['pending', 'running', 'paused', 'done', 'failed', 'cancelled', 'interrupted'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

export interface Run {
  id: number;
  name: string;
  /** "generate" runs produce generations with a local model; "imported" runs hold outputs made elsewhere. */
  kind: 'generate' | 'imported';
  config: RunConfig | null;
  status: RunStatus;
  error: string | null;
  total: number;
  done: number;
  createdAt: string;
  /** Library versions etc. at creation, for reproducibility. */
  environment: Record<string, string>;
}

export interface ModelInfo {
  id: number;
  path: string;
  name: string;
  sha256: string;
  sizeBytes: number;
  architecture: string | null;
  parameterCount: number | null;
  quantization: string | null;
  trainContextSize: number | null;
  chatTemplate: string | null;
  /** False for vocab-only GGUFs (tokenizer without weights). */
  runnable: boolean;
  metadata: Record<string, unknown>;
  addedAt: string;
  /** The family this model belongs to and its role in it; both null when unassigned. */
  familyId: number | null;
  role: ModelRole | null;
}

/** A model's role in its family: base, instruction-tuned (SFT), preference-aligned (DPO), or other. */
export const MODEL_ROLES = ['base', 'sft', 'dpo', 'other'] as const;
export type ModelRole = (typeof MODEL_ROLES)[number];

/**
 * The prompting methods that fit each role, for "every role of this family × the methods that fit the role":
 * base models take the raw instruction or URIAL's in-context alignment; SFT/DPO models their chat template.
 * "other" members have no default methods: they are only run when chosen as models explicitly.
 */
export const ROLE_METHODS: Readonly<Record<ModelRole, readonly MethodName[]>> = {
  base: ['zero-shot', 'urial'],
  sft: ['chat'],
  dpo: ['chat'],
  other: [],
};

export interface ModelFamily {
  id: number;
  name: string;
  createdAt: string;
}

export interface Generation {
  id: number;
  runId: number;
  itemId: string;
  /** The exact text given to the model (templates applied). */
  prompt: string;
  outputRaw: string;
  /** Cleaned answer (URIAL: fences removed, cut at the stop). */
  output: string;
  finishReason: FinishReason;
  error: string | null;
  promptTokens: number;
  /** Prompt tokens actually evaluated (the rest came from the reused KV prefix). */
  evaluatedPromptTokens: number;
  outputTokens: number;
  wallMs: number;
  tokensPerSecond: number;
  seed: number;
  createdAt: string;
}

export interface RunProgress {
  runId: number;
  done: number;
  total: number;
  tokensPerSecond: number;
  etaSeconds: number | null;
  status: RunStatus;
}

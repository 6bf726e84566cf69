/** Generation runs: what the composer plans and the queue shows. */
import type { DecodingPresetName } from './presets';
import type { BackendConfig, FinishReason, Lang, MethodName, RunConfig, RunProgress, RunStatus, SamplerConfig, Subset } from './domain';

export interface RunInfo {
  id: number;
  name: string;
  kind: 'generate' | 'imported';
  status: RunStatus;
  error: string | null;
  total: number;
  done: number;
  failed: number;
  modelId: number | null;
  modelName: string | null;
  datasetId: number;
  datasetName: string;
  lang: Lang;
  method: string;
  /** The method as shown everywhere: "URIAL (en prompt)" when the prompt's language is not the items' (methodLabel). */
  methodLabel: string;
  promptLang: Lang | null;
  config: RunConfig | null;
  /** How the prompt was made (prompt file + sha256…) and the environment (library versions…). */
  provenance: Record<string, string>;
  environment: Record<string, string>;
  createdAt: string;
  progress: RunProgress | null;
  /** Stored generations per finish reason (eos, stop, max-tokens, loop, error…): the run table's mix. */
  finishReasons: Partial<Record<FinishReason, number>>;
  /** Mean generation speed over the run's generations; null before the first one. */
  tokensPerSecond: number | null;
}

/** What the run table adds to a run: see RunRepo.summary. */
export type RunSummary = Pick<RunInfo, 'finishReasons' | 'tokensPerSecond'>;

/** Settings that belong to one prompting method; each reaches only the runs of its method. */
export interface MethodSettings {
  /** URIAL: a prompt file on the backend's machine, instead of the shipped one for the prompt language. */
  promptFile?: string;
  /** chat: system prompt, and a named template instead of the model's own. */
  systemPrompt?: string;
  chatTemplate?: string;
  /** custom: a template containing {instruction}. */
  template?: string;
  /** URIAL: a prompt in another language than the dataset's is refused unless this is set ("URIAL (en prompt)"). */
  allowPromptLangMismatch?: boolean;
  /** chat: the date shown by date-printing templates (YYYY-MM-DD); default: the day the run is created. */
  chatDate?: string;
  /** chat: confirm folding the system prompt into the user turn of a template without a system role. */
  allowSystemFold?: boolean;
}

export interface RunPlanRequest extends MethodSettings {
  models: string[];
  /**
   * Families (id or name): every member with a role × the methods that fit its role (base → zero-shot and URIAL,
   * SFT/DPO → chat), in addition to models × methods. Members without a role or with role "other" are left out.
   */
  families?: string[];
  methods: MethodName[];
  datasets: string[];
  promptLangs?: Lang[];
  /**
   * A named decoding preset (src/shared/presets.ts) applied under `sampler`: its values, then any sampler field
   * given explicitly. Recorded as `config.preset` only when the final sampler still matches it.
   */
  preset?: DecodingPresetName;
  subset?: Subset;
  sampler?: Partial<SamplerConfig>;
  backend?: Partial<BackendConfig>;
  /** Run name (default: model · method · dataset); the same name for every run of the plan. */
  name?: string;
}

export interface RunPlan {
  runs: {
    model: string;
    method: MethodName;
    methodLabel: string;
    dataset: string;
    promptLang: Lang | null;
    /** URIAL: what the language identifier read in the prompt file ("en 0.982"), for the user to confirm. */
    promptLangDetected: string | null;
    items: number;
  }[];
  totalItems: number;
  /** Rough: items × max tokens at a speed measured on this machine, or null before any run. */
  estimatedSeconds: number | null;
  /** Runs that will not fit in memory (or are refused) on this machine, in plain words with the numbers. */
  warnings: string[];
}

/** How a run was made, as one exportable JSON object (model sha256 + GGUF metadata, prompt hash, sampler…). */
export type ReproducibilityRecord = Record<string, unknown>;

/**
 * `runs.delete`: without `dryRun` the run and everything made from it are removed. A run with annotations is
 * refused unless `confirm: 'annotations'`, because human work cannot be generated again.
 */
export interface RunDeleteRequest {
  runId: number;
  dryRun?: boolean;
  confirm?: 'annotations';
}

/** What goes (dryRun) or went with a run. */
export interface RunDeletion {
  runId: number;
  runName: string;
  deleted: boolean;
  generations: number;
  judgements: number;
  annotations: number;
  detections: number;
}

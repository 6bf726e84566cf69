/**
 * The one contract between the backend and every client (Electron IPC, loopback HTTP/WebSocket, tests).
 * Requests are validated against `apiSchemas.ts` at the transport boundary; clients only ever see these types.
 */
import type { Finding } from './detection';
import type { BackendConfig, FinishReason, Generation, Lang, MethodName, ModelInfo, RunConfig, RunProgress, RunStatus, SamplerConfig, Subset } from './domain';

// ─── Records as the UI sees them ────────────────────────────────────────────

export interface AppInfo {
  version: string;
  dataDir: string;
  transport: 'ipc' | 'http';
  /** Methods, URIAL prompt languages shipped, etc.: what the run composer may offer. */
  methods: MethodName[];
  urialPromptLangs: Lang[];
  /** Whether `app.pickFile` can open a native file dialog (desktop app only). */
  canPickFiles: boolean;
}

export interface DatasetInfo {
  id: number;
  name: string;
  lang: Lang;
  format: string;
  itemCount: number;
  parallelGroup: string | null;
  sourcePath: string;
  createdAt: string;
  categories: string[];
  taskTypes: string[];
}

export interface DatasetPreview {
  format: string;
  itemCount: number;
  /** The first items as they would be imported. */
  items: { id: string; instruction: string; category?: string; taskTypes?: string[] }[];
}

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
  promptLang: Lang | null;
  config: RunConfig | null;
  /** How the prompt was made (prompt file + sha256…) and the environment (library versions…). */
  provenance: Record<string, string>;
  environment: Record<string, string>;
  createdAt: string;
  progress: RunProgress | null;
}

/** The filters of the generations reader; every field also lives in the URL hash. */
export interface GenerationFilter {
  runIds?: number[];
  modelIds?: number[];
  methods?: string[];
  langs?: Lang[];
  category?: string;
  taskType?: string;
  finishReasons?: FinishReason[];
  /** Full-text search (SQLite FTS5) over instruction and output. */
  search?: string;
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
};

/** One column of the side-by-side view: the same item id in another run (method, model or language). */
export type SideBySideColumn = Pick<
  GenerationDetail,
  'id' | 'runId' | 'runName' | 'itemId' | 'lang' | 'method' | 'modelName' | 'instruction' | 'output' | 'finishReason' | 'outputTokens'
>;

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

export interface ModelState {
  /** The model held in memory by the run queue (one at a time). */
  path: string | null;
  status: 'unloaded' | 'loading' | 'loaded' | 'error';
  progress: number;
  error: string | null;
}

/** Settings that belong to one prompting method; each reaches only the runs of its method. */
export interface MethodSettings {
  /** URIAL: a prompt file on the backend's machine, instead of the shipped one for the prompt language. */
  promptFile?: string;
  /** chat: system prompt, and a named template instead of the model's own. */
  systemPrompt?: string;
  chatTemplate?: string;
  /** custom: a template containing {instruction}. */
  template?: string;
}

export interface RunPlanRequest extends MethodSettings {
  models: string[];
  methods: MethodName[];
  datasets: string[];
  promptLangs?: Lang[];
  subset?: Subset;
  sampler?: Partial<SamplerConfig>;
  backend?: Partial<BackendConfig>;
}

export interface RunPlan {
  runs: { model: string; method: MethodName; dataset: string; promptLang: Lang | null; items: number }[];
  totalItems: number;
  /** Rough: items × max tokens at a speed measured on this machine, or null before any run. */
  estimatedSeconds: number | null;
}

// ─── Requests → responses ──────────────────────────────────────────────────

export type FileKind = 'model' | 'dataset';

export interface ApiContract {
  'app.info': [Record<string, never>, AppInfo];
  /** Desktop only: a native file dialog; `path` is null when the user cancels. */
  'app.pickFile': [{ kind: FileKind }, { path: string | null }];
  'models.list': [Record<string, never>, ModelInfo[]];
  'models.add': [{ path: string }, ModelInfo];
  'models.state': [Record<string, never>, ModelState];
  'datasets.list': [Record<string, never>, DatasetInfo[]];
  'datasets.preview': [{ path: string; idField?: string; instructionField?: string; delimiter?: string }, DatasetPreview];
  'datasets.import': [
    { path: string; lang: Lang; name?: string; idField?: string; instructionField?: string; delimiter?: string; parallelWith?: string },
    DatasetInfo,
  ];
  'datasets.link': [{ datasetIds: number[] }, DatasetInfo[]];
  'runs.list': [Record<string, never>, RunInfo[]];
  'runs.get': [{ runId: number }, RunInfo];
  'runs.plan': [RunPlanRequest, RunPlan];
  /** Creates the cross product and queues it; returns the new runs. */
  'runs.create': [RunPlanRequest & { start?: boolean }, RunInfo[]];
  'runs.start': [{ runId: number }, RunInfo];
  'runs.pause': [{ runId: number }, RunInfo];
  'runs.cancel': [{ runId: number }, RunInfo];
  /** Re-queues a run: missing items and failed ("error") items are generated again. */
  'runs.retry': [{ runId: number }, RunInfo];
  'generations.query': [{ filter: GenerationFilter; offset: number; limit: number }, { rows: GenerationRow[]; total: number }];
  'generations.get': [{ id: number }, GenerationDetail];
  /** The same item across runs: of the given runs (or all runs) on this item id in the parallel group. */
  'generations.sideBySide': [{ id: number; runIds?: number[] }, SideBySideColumn[]];
  'labels.list': [Record<string, never>, LabelInfo[]];
  /** Adds a project label (lowercase, digits and dashes). */
  'labels.add': [{ name: string; definition: string }, LabelInfo];
  /** The generations to annotate, in a stable order (the annotator's assignments when they have some). */
  'annotations.queue': [
    { runIds?: number[]; annotator: string; order: AnnotationOrder; seed?: number; limit: number },
    { entries: AnnotationQueueEntry[]; total: number },
  ];
  'annotations.get': [{ generationId: number; annotator: string }, AnnotationItem];
  /** Replaces the annotator's current annotation of the generation (the previous one stays in the history). */
  'annotations.save': [
    { generationId: number; annotator: string; labels: string[]; note?: string | null; decisions?: Record<string, SuggestionDecision> },
    AnnotationRecord,
  ];
  /** Undoes the annotator's last change; null when there is nothing left to undo. */
  'annotations.undo': [{ annotator: string }, { generationId: number; annotation: AnnotationRecord | null } | null];
  /** Assigns the runs' generations: `overlap` of them to every annotator, the rest to one each (seeded). */
  'annotations.assign': [
    { runIds: number[]; annotators: string[]; overlap: number; seed: number },
    { generations: number; overlapItems: number; perAnnotator: Record<string, number> },
  ];
  'annotations.agreement': [{ runIds?: number[]; annotators?: string[] }, AgreementReport];
  /**
   * Critical-error rates per model × method × language × label with bootstrap 95% CIs, from the detectors or
   * from people (one annotator's labels, or the majority of each generation's annotators).
   */
  'annotations.rates': [{ runIds?: number[]; source: 'human' | 'detector'; annotator?: string }, CriticalErrorRate[]];
}

export type ApiMethod = keyof ApiContract;
export type ApiRequest<M extends ApiMethod> = ApiContract[M][0];
export type ApiResponse<M extends ApiMethod> = ApiContract[M][1];

// ─── Pushed events ─────────────────────────────────────────────────────────

export interface ApiEvents {
  'run.progress': RunProgress;
  /** A run was created, changed status or was removed: refetch lists. */
  'runs.changed': { runId: number; status: RunStatus };
  'model.state': ModelState;
}
export type ApiEvent = keyof ApiEvents;

// ─── Errors ───────────────────────────────────────────────────────────────

export const API_ERROR_CODES = ['invalid_request', 'unknown_method', 'not_found', 'failed', 'unauthorized'] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

export interface ApiErrorBody {
  code: ApiErrorCode;
  message: string;
  /** For invalid_request: which field and why. */
  issues?: { path: string; message: string }[];
}

/** What every transport carries back for a call. */
export type ApiResult<M extends ApiMethod> = { ok: true; result: ApiResponse<M> } | { ok: false; error: ApiErrorBody };

/** The object the renderer talks to: `window.api` in the desktop app, an HTTP/WebSocket client in the browser. */
export interface EvalApi {
  call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>>;
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void;
}

/**
 * The one contract between the backend and every client (Electron IPC, loopback HTTP/WebSocket, tests).
 * Requests are validated against `apiSchemas.ts` at the transport boundary; clients only ever see these types.
 */
import type { Finding } from './detection';
import type { Aspect, JudgeCallRecord, JudgeInfo, JudgeLangChoice, JudgementRecord, JudgeRunConfig, NaPolicy, RubricInfo, RubricPrompt } from './judging';
import type { BackendConfig, FinishReason, Generation, GpuOffload, Lang, MethodName, ModelFamily, ModelInfo, ModelRole, RunConfig, RunProgress, RunStatus, SamplerConfig, Subset } from './domain';

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
}

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
  /**
   * Families (id or name): every member with a role × the methods that fit its role (base → zero-shot and URIAL,
   * SFT/DPO → chat), in addition to models × methods. Members without a role or with role "other" are left out.
   */
  families?: string[];
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
  /** Runs that will not fit in memory (or are refused) on this machine, in plain words with the numbers. */
  warnings: string[];
}

// ─── Judging (issue 5) ─────────────────────────────────────────────────────

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

// ─── Results (issue 6) ─────────────────────────────────────────────────────

export const RESULTS_GROUP_KEYS = ['language', 'method', 'model', 'family', 'role'] as const;
export type ResultsGroupKey = (typeof RESULTS_GROUP_KEYS)[number];

export interface ResultsFilter extends SelectionFilter {
  judge?: string;
  rubricVersion?: string;
  /** Resolved judge language ("en", "fr"…). */
  judgeLang?: Lang;
  naPolicy: NaPolicy;
}

export interface AspectCell {
  group: Partial<Record<ResultsGroupKey, string>>;
  aspect: Aspect;
  /** Generations in the cell with a score (after the N/A policy), and N/A among them. */
  n: number;
  na: number;
  /** N/A counted as 5 (policy "as-5"), reported so every table can say so. */
  substituted: number;
  mean: number | null;
  /** 95% percentile bootstrap CI (seeded, ≥ 1,000 resamples). */
  low: number | null;
  high: number | null;
  /** Histogram of the per-generation scores 1..5 (index 0 = score 1). */
  counts: [number, number, number, number, number];
  /** Mean per-generation variance across judge repeats, null without repeats. */
  judgeVariance: number | null;
}

export interface ComparisonRow {
  /** The group the pair is compared within (e.g. { language: "fr" }). */
  group: Partial<Record<ResultsGroupKey, string>>;
  aspect: Aspect;
  a: string;
  b: string;
  /** Paired items (same item id, both scored). */
  n: number;
  meanA: number;
  meanB: number;
  /** meanA − meanB with a paired bootstrap 95% CI. */
  delta: number;
  low: number;
  high: number;
  /** Wilcoxon signed-rank: statistic, two-sided p, Holm-adjusted p over the table, effect size r. */
  w: number;
  p: number;
  pHolm: number;
  effectSize: number;
}

export type TableFormat = 'csv' | 'md' | 'latex';

/** How a run was made, as one exportable JSON object (model sha256 + GGUF metadata, prompt hash, sampler…). */
export type ReproducibilityRecord = Record<string, unknown>;

// ─── Downloads, model catalogue, first run (issue 7) ─────────────────────────

export const DOWNLOAD_STATUSES = ['downloading', 'paused', 'verifying', 'done', 'failed', 'cancelled'] as const;
export type DownloadStatus = (typeof DOWNLOAD_STATUSES)[number];

export interface DownloadInfo {
  id: number;
  /** An `hf:` URI or an http(s) URL. */
  uri: string;
  /** The folder the file goes to (the download-folder setting when it started). */
  dir: string;
  /** The catalogue entry it came from, if any. */
  catalogueId: string | null;
  /** Known once the URI is resolved. */
  fileName: string | null;
  totalBytes: number | null;
  downloadedBytes: number;
  status: DownloadStatus;
  /** Failed downloads: what went wrong and what to do (404, not enough space, an HTML page instead of a GGUF…). */
  error: string | null;
  /** The model the verified file was added as. */
  modelId: number | null;
  /** Live while transferring, else null. */
  bytesPerSecond: number | null;
  createdAt: string;
  updatedAt: string;
}

/** A recommended small model (resources/catalogue/models.json): data only, no weights. */
export interface CatalogueModel {
  id: string;
  name: string;
  /** Base and instruction-tuned members of one family share this name. */
  family: string;
  role: 'base' | 'sft' | 'dpo';
  /** What to download: `hf:<user>/<repo>/<file.gguf>`. */
  uri: string;
  /** Parameters (e.g. 494_000_000) and the approximate file size, from the model card. */
  parameters: number;
  approxSizeBytes: number;
  quantization: string;
  licence: string;
  languages: string[];
  /** The model card on the Hub. */
  homepage: string;
  notes: string;
}

export interface AppSettings {
  /** Where downloaded models are saved. */
  downloadDir: string;
}

export interface FirstRunInfo {
  /** True until the user has a model or dismisses the welcome screen. */
  showWelcome: boolean;
  /** The built-in EN/FR/ES sample, imported once into an empty store. */
  sampleDatasets: DatasetInfo[];
  modelCount: number;
}

// ─── Model library, families, hardware fit (issue 7) ───────────────────────

/**
 * ok; missing (moved or deleted: locate it or remove the entry); changed (the file differs from when it was
 * added: add it again to refresh); remote (an OpenAI-compatible model: no file).
 */
export type ModelFileStatus = 'ok' | 'missing' | 'changed' | 'remote';

/** A library entry: the stored model plus what is true of its file right now. */
export interface ModelEntry extends ModelInfo {
  fileStatus: ModelFileStatus;
  /** Other models whose file has the same sha256 (the same weights under another path). */
  duplicateOf: number[];
  /** Set while the sha256 is computed in the background (`sha256` is "" until then). */
  hashing: ShaProgress | null;
}

/** Background sha256 of a model file ('models.sha' events): progress, then the hash or the error. */
export interface ShaProgress {
  modelId: number;
  path: string;
  bytesDone: number;
  bytesTotal: number;
  /** Set when finished. */
  sha256: string | null;
  error: string | null;
}

export interface ModelScanResult {
  folder: string;
  /** *.gguf files found (recursively). */
  found: number;
  added: ModelEntry[];
  /** Files that could not be added, each with what is wrong and what to do. */
  failed: { path: string; message: string }[];
  /** True when the scan stopped at its file limit. */
  truncated: boolean;
}

export interface FamilyInfo extends ModelFamily {
  members: { modelId: number; role: ModelRole }[];
}

export interface HardwareInfo {
  cpu: { model: string | null; physicalCores: number; logicalCores: number };
  ram: { total: number; free: number };
  /** null: no usable GPU backend (CPU only). */
  gpu: { type: 'cuda' | 'vulkan' | 'metal'; devices: string[]; vramTotal: number; vramFree: number; unifiedMemory: boolean } | null;
  /** Threads a run uses when none is set: the physical cores. */
  defaultThreads: number;
  llamaCpp: string;
}

export interface ModelFitRequest {
  modelId: number;
  contextSize: number;
  parallel?: number;
  gpu?: GpuOffload;
}

/** Memory a model + context needs (node-llama-cpp's estimate, before loading) against what is free. */
export interface ModelFit {
  modelId: number;
  contextSize: number;
  sequences: number;
  gpuLayers: number;
  totalLayers: number;
  trainContextSize: number | null;
  fits: boolean;
  /** Plain words with the numbers when it does not fit or is refused. */
  problem: string | null;
  model: { ram: number; vram: number };
  context: { ram: number; vram: number };
  required: { ram: number; vram: number };
  available: { ram: number; vram: number };
}

// ─── Requests → responses ──────────────────────────────────────────────────

export type FileKind = 'model' | 'dataset';

export interface ApiContract {
  'app.info': [Record<string, never>, AppInfo];
  /** Desktop only: a native file dialog; `path` is null when the user cancels. */
  'app.pickFile': [{ kind: FileKind }, { path: string | null }];
  'models.list': [Record<string, never>, ModelEntry[]];
  /** Checks the GGUF and adds it at once; its sha256 follows in the background ('models.sha' events). */
  'models.add': [{ path: string }, ModelEntry];
  /**
   * Adds a model served by an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, OpenAI) after checking
   * that it answers and serves that name. `endpoint`: completions for base models (zero-shot, URIAL), chat
   * (default) for chat models. The key is read from the environment variable `apiKeyEnv` when the model runs.
   */
  'models.addRemote': [
    { baseUrl: string; model: string; apiKeyEnv?: string; endpoint?: 'completions' | 'chat'; name?: string },
    ModelEntry,
  ];
  /** Adds every *.gguf under a folder (recursive); files that fail are listed with the reason. */
  'models.scan': [{ folder: string }, ModelScanResult];
  /** Removes a library entry (never the file); refused while runs or judges use the model. */
  'models.remove': [{ modelId: number }, { removed: number }];
  /** Points a missing model at its new location; the file must have the same sha256. */
  'models.locate': [{ modelId: number; path: string }, ModelEntry];
  /** Puts a model in a family with a role, or takes it out (familyId null). */
  'models.setFamily': [{ modelId: number; familyId: number | null; role?: ModelRole }, ModelEntry];
  /** Estimates the memory of the model + a context before loading, against the free RAM / VRAM. */
  'models.fit': [ModelFitRequest, ModelFit];
  'families.list': [Record<string, never>, FamilyInfo[]];
  'families.create': [{ name: string }, FamilyInfo];
  /** Deletes a family; its models stay in the library, unassigned. */
  'families.remove': [{ familyId: number }, { removed: number }];
  'hardware.info': [Record<string, never>, HardwareInfo];
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
  'judges.list': [Record<string, never>, JudgeInfo[]];
  'judges.add': [JudgeAddRequest, JudgeInfo];
  /** Sends a tiny prompt to the judge and reports whether a parseable verdict came back. */
  'judges.test': [{ judgeId: number }, JudgeTestResult];
  'rubrics.list': [Record<string, never>, RubricInfo[]];
  /** Saves an edited copy of a rubric under a new version; the original and its judgements are untouched. */
  'rubrics.save': [{ from: string; name?: string; prompts: Record<Lang, RubricPrompt> }, RubricInfo];
  'judgeRuns.list': [Record<string, never>, JudgeRunInfo[]];
  'judgeRuns.create': [JudgeRunCreateRequest, JudgeRunInfo];
  'judgeRuns.start': [{ judgeRunId: number }, JudgeRunInfo];
  'judgeRuns.pause': [{ judgeRunId: number }, JudgeRunInfo];
  'judgeRuns.cancel': [{ judgeRunId: number }, JudgeRunInfo];
  'judgements.forGeneration': [{ generationId: number }, GenerationJudgements];
  'judgements.humanAgreement': [{ runIds?: number[]; judge?: string }, JudgeHumanReport];
  /** Mean score per aspect per group with bootstrap CIs, N/A counts and histograms. */
  'results.aspects': [{ filter: ResultsFilter; groupBy: ResultsGroupKey[] }, AspectCell[]];
  /** Critical-error rates with the Results filters (same shape as annotations.rates). */
  'results.criticalErrors': [{ filter: ResultsFilter; source: 'human' | 'detector' }, CriticalErrorRate[]];
  /** Paired comparison of two values of `dimension` (e.g. methods "urial" vs "zero-shot") within each group. */
  'results.compare': [
    { filter: ResultsFilter; dimension: 'method' | 'model'; a: string; b: string; within: ResultsGroupKey[] },
    ComparisonRow[],
  ];
  /** The aggregate table as text, ready for a paper. */
  'results.table': [{ filter: ResultsFilter; groupBy: ResultsGroupKey[]; format: TableFormat }, { text: string; filename: string }];
  'runs.reproducibility': [{ runId: number }, ReproducibilityRecord];
  /** Creates a new run with exactly the settings of an existing one. */
  'runs.rerun': [{ runId: number; start?: boolean }, RunInfo];
  /** Imports the sample dataset into an empty store (once) and says whether to show the welcome screen. */
  'app.firstRun': [Record<string, never>, FirstRunInfo];
  'app.dismissWelcome': [Record<string, never>, FirstRunInfo];
  'settings.get': [Record<string, never>, AppSettings];
  'settings.set': [Partial<AppSettings>, AppSettings];
  'catalogue.list': [Record<string, never>, CatalogueModel[]];
  'downloads.list': [Record<string, never>, DownloadInfo[]];
  /** Resolves the URI, checks the disk space, then transfers in the background (progress: 'download.progress'). */
  'downloads.start': [{ uri: string; catalogueId?: string }, DownloadInfo];
  'downloads.pause': [{ downloadId: number }, DownloadInfo];
  /** Continues a paused or failed download from the bytes already on disk (also after a restart). */
  'downloads.resume': [{ downloadId: number }, DownloadInfo];
  /** Stops and deletes the partial file. */
  'downloads.cancel': [{ downloadId: number }, DownloadInfo];
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
  'models.sha': ShaProgress;
  'judgeRun.progress': JudgeRunProgress;
  'judgeRuns.changed': { judgeRunId: number; status: RunStatus };
  'download.progress': DownloadInfo;
  'downloads.changed': { downloadId: number; status: DownloadStatus };
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
  /**
   * Desktop only: the path of a file dropped on the window (Electron's webUtils.getPathForFile, which only the
   * preload can call; "" when the file is not on disk). Absent in a browser, which never reveals file paths.
   */
  pathForFile?(file: File): string;
}

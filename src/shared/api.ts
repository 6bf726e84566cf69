/**
 * The one contract between the backend and every client (Electron IPC, loopback HTTP/WebSocket, tests).
 * Requests are validated against `apiSchemas.ts` at the transport boundary; clients only ever see these types.
 */
import type {
  AgreementReport,
  AnnotationItem,
  AnnotationOrder,
  AnnotationQueueEntry,
  AnnotationRecord,
  AnnotationStudy,
  CreatePackagesRequest,
  CreatePackagesResult,
  CriticalErrorRate,
  ExportPackageResult,
  LabelInfo,
  MergeResult,
  OpenedPackage,
  ResolveEntry,
  StudyReport,
  SuggestionDecision,
} from './annotations';
import type { AppInfo, AppSettings, FileKind, FirstRunInfo } from './app';
import type { DatasetDownloadProgress, DatasetInfo, DatasetPreview } from './datasets';
import type { Lang, ModelRole, RunProgress, RunStatus } from './domain';
import type { GenerationDetail, GenerationFilter, GenerationRow, GenerationsExportFormat, SideBySideColumn } from './generations';
import type {
  GenerationJudgements,
  JudgeAddRequest,
  JudgeHumanReport,
  JudgementsExportRequest,
  JudgementsImportRequest,
  JudgementsImportResult,
  JudgeRunCreateRequest,
  JudgeRunInfo,
  JudgeRunProgress,
  JudgeTestResult,
} from './judgeRuns';
import type { JudgeInfo, RubricInfo, RubricPrompt } from './judging';
import type { CatalogueModel, DownloadInfo, DownloadStatus, FamilyInfo, HardwareInfo, ModelEntry, ModelFit, ModelFitRequest, ModelScanResult, ModelState, ShaProgress } from './models';
import type { RateSource, RunRateRow } from './rates';
import type { AspectCell, ComparisonRow, ResultsFilter, ResultsGroupKey, TableFormat } from './results';
import type { ReferenceFetchProgress, ReferenceFetchResult, ReferenceStatus } from './reference';
import type { ReproducibilityRecord, RunDeleteRequest, RunDeletion, RunInfo, RunPlan, RunPlanRequest } from './runs';

// The DTOs live in one module per domain; clients import them from here or from their module.
export * from './app';
export * from './datasets';
export * from './runs';
export * from './generations';
export * from './annotations';
export * from './judgeRuns';
export * from './results';
export * from './rates';
export * from './models';
export * from './reference';

// ─── Requests → responses ──────────────────────────────────────────────────

export interface ApiContract {
  'app.info': [Record<string, never>, AppInfo];
  /** Desktop only: a native file dialog; `path` is null when the user cancels. */
  'app.pickFile': [{ kind: FileKind }, { path: string | null }];
  'models.list': [Record<string, never>, ModelEntry[]];
  /**
   * Checks the GGUF and adds it at once; its sha256 follows in the background ('models.sha' events), or is in the
   * answer with `wait` (scripts that print it).
   */
  'models.add': [{ path: string; wait?: boolean }, ModelEntry];
  /** A model by id, or by path (added when new, its sha256 awaited). */
  'models.resolve': [{ ref: string }, ModelEntry];
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
  'models.scan': [{ folder: string; wait?: boolean }, ModelScanResult];
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
  /**
   * Fetches `hf:<owner>/<dataset>[/<file>]` (main revision; HF_TOKEN for gated ones) or an http(s) URL, then
   * imports it as `datasets.import` does; answers once imported (progress: 'datasetDownload.progress').
   */
  'datasets.download': [
    { uri: string; lang: Lang; name?: string; idField?: string; instructionField?: string; delimiter?: string; parallelWith?: string },
    DatasetInfo,
  ];
  /** Stops a running `datasets.download` of this URI (that call then fails); false when none is running. */
  'datasets.cancelDownload': [{ uri: string }, { cancelled: boolean }];
  'datasets.link': [{ datasetIds: number[] }, DatasetInfo[]];
  /** Item ids from a list file on the backend's machine: a JSON array, {key: [...]} with `file#key`, or one per line. */
  'datasets.readIdList': [{ source: string }, { ids: string[] }];
  /** Imports whichever languages of the built-in EN/FR/ES sample are missing (linked as parallel items). */
  'datasets.ensureSamples': [Record<string, never>, DatasetInfo[]];
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
  /** Outputs made elsewhere (Just-Eval output format: id, instruction, output, generator…) as a run of imported generations. */
  /**
   * With `dataset` (name or id): the outputs are joined by id to that dataset's items (category, task types,
   * difficulty known); an unknown id or a different instruction is refused, naming the item.
   */
  'generations.import': [{ path: string; lang: Lang; name?: string; dataset?: string }, RunInfo];
  /**
   * A run's generations with how each was made (field names are a contract with outside scripts), or
   * just-eval's to_eval.json (`just-eval`), so its own scorer can run on them.
   */
  'generations.export': [{ runId: number; format: GenerationsExportFormat }, { text: string }];
  /** Deletes a run with its generations, judgements, annotations and detections (refused while it runs). */
  'runs.delete': [RunDeleteRequest, RunDeletion];
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
  /** A run's current annotations, one row per generation × annotator. */
  'annotations.export': [{ runId: number; format: 'jsonl' | 'csv' }, { text: string }];
  'annotations.agreement': [{ runIds?: number[]; annotators?: string[] }, AgreementReport];
  /**
   * Critical-error rates per model × method × language × label with bootstrap 95% CIs, from the detectors or
   * from people (one annotator's labels, or the majority of each generation's annotators).
   */
  'annotations.rates': [{ runIds?: number[]; source: 'human' | 'detector'; annotator?: string }, CriticalErrorRate[]];
  /** Owner: one package file per annotator (`<study>-<annotator>.alignpkg` in outDir) from the reader's filters. */
  'annotationPackages.create': [CreatePackagesRequest, CreatePackagesResult];
  /** Annotator: opens a package into this store (again: returns it as it is); annotate it with annotations.* over `runIds`. */
  'annotationPackages.open': [{ path: string }, OpenedPackage];
  'annotationPackages.list': [Record<string, never>, OpenedPackage[]];
  /** Annotator: writes the package's annotations, times and notes to `out` (.alignann). */
  'annotationPackages.export': [{ packageId: string; out: string }, ExportPackageResult];
  /** Owner: merges returned files by content key; refuses all of them, naming the problem, if any does not fit. */
  'annotationPackages.merge': [{ files: string[] }, MergeResult];
  'annotationPackages.studies': [Record<string, never>, AnnotationStudy[]];
  /** Owner: coverage, time spent and disagreements per annotator. */
  'annotationPackages.report': [{ studyId: string }, StudyReport];
  /** Owner: disagreements on the overlap, unresolved first; resolve with annotations.save as ADJUDICATOR. */
  'annotationPackages.resolveQueue': [{ studyId: string }, ResolveEntry[]];
  'judges.list': [Record<string, never>, JudgeInfo[]];
  'judges.add': [JudgeAddRequest, JudgeInfo];
  /** Sends a tiny prompt to the judge and reports whether a parseable verdict came back. */
  'judges.test': [{ judgeId: number }, JudgeTestResult];
  'rubrics.list': [Record<string, never>, RubricInfo[]];
  /** Saves an edited copy of a rubric under a new version; the original and its judgements are untouched. */
  'rubrics.save': [{ from: string; name?: string; prompts: Record<Lang, RubricPrompt> }, RubricInfo];
  'judgeRuns.list': [Record<string, never>, JudgeRunInfo[]];
  'judgeRuns.create': [JudgeRunCreateRequest, JudgeRunInfo];
  'judgeRuns.get': [{ judgeRunId: number }, JudgeRunInfo];
  'judgeRuns.start': [{ judgeRunId: number }, JudgeRunInfo];
  'judgeRuns.pause': [{ judgeRunId: number }, JudgeRunInfo];
  'judgeRuns.cancel': [{ judgeRunId: number }, JudgeRunInfo];
  'judgements.forGeneration': [{ generationId: number }, GenerationJudgements];
  'judgements.humanAgreement': [{ runIds?: number[]; judge?: string }, JudgeHumanReport];
  /** A just-eval judge file (score_multi / score_safety) as judge calls: of a new run of its outputs, or of `runId`'s. */
  'judgements.import': [JudgementsImportRequest, JudgementsImportResult];
  /** A run's judge calls with the exact prompt and raw reply: just-eval's judge file, or JSONL. */
  'judgements.export': [JudgementsExportRequest, { text: string }];
  /** Mean score per aspect per group with bootstrap CIs, N/A counts and histograms. */
  'results.aspects': [{ filter: ResultsFilter; groupBy: ResultsGroupKey[] }, AspectCell[]];
  /** Critical-error rates with the Results filters (same shape as annotations.rates). */
  'results.criticalErrors': [{ filter: ResultsFilter; source: 'human' | 'detector' }, CriticalErrorRate[]];
  /** Per run × language: the strict LCB LPR and each critical-error label's rate, with Wilson intervals (`align rates`). */
  'results.rates': [{ runIds: number[]; source: RateSource }, RunRateRow[]];
  /** Paired comparison of two values of `dimension` (e.g. methods "urial" vs "zero-shot") within each group. */
  'results.compare': [
    { filter: ResultsFilter; dimension: 'method' | 'model'; a: string; b: string; within: ResultsGroupKey[] },
    ComparisonRow[],
  ];
  /** The aggregate table as text, ready for a paper. */
  'results.table': [{ filter: ResultsFilter; groupBy: ResultsGroupKey[]; format: TableFormat }, { text: string; filename: string }];
  /** DPO preference pairs (TRL DPOTrainer JSONL: prompt, chosen, rejected + metadata) and their count. */
  'results.dpoPairs': [{ filter: ResultsFilter }, { text: string; count: number }];
  /** Runs the critical-error detectors on a run's generations (those without current results, or `all`). */
  'detection.run': [{ runId: number; all?: boolean }, { generations: number; findings: number; byLabel: Record<string, number> }];
  'runs.reproducibility': [{ runId: number }, ReproducibilityRecord];
  /** Creates a new run with exactly the settings of an existing one. */
  'runs.rerun': [{ runId: number; start?: boolean }, RunInfo];
  /** Imports the sample dataset into an empty store (once) and says whether to show the welcome screen. */
  'app.firstRun': [Record<string, never>, FirstRunInfo];
  'app.dismissWelcome': [Record<string, never>, FirstRunInfo];
  'settings.get': [Record<string, never>, AppSettings];
  /** `referenceDir: null` clears the reference-folder setting. */
  'settings.set': [{ downloadDir?: string; referenceDir?: string | null }, AppSettings];
  /** The official files (URIAL prompts, Just-Eval templates) per file: found / verified (sha256) / modified / missing. */
  'reference.status': [{ verify?: boolean }, ReferenceStatus];
  /**
   * Fetches the missing or modified official files from their pinned GitHub commits into `<data folder>/reference`,
   * each checked against its sha256 before it is kept (progress: 'reference.progress'). Failures are per file.
   */
  'reference.fetch': [Record<string, never>, ReferenceFetchResult];
  'catalogue.list': [Record<string, never>, CatalogueModel[]];
  'downloads.list': [Record<string, never>, DownloadInfo[]];
  /** Resolves the URI, checks the disk space, then transfers in the background (progress: 'download.progress'). */
  'downloads.start': [{ uri: string; catalogueId?: string; dir?: string }, DownloadInfo];
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
  'datasetDownload.progress': DatasetDownloadProgress;
  'reference.progress': ReferenceFetchProgress;
}
export type ApiEvent = keyof ApiEvents;

// ─── Errors ───────────────────────────────────────────────────────────────

export const API_ERROR_CODES = ['invalid_request', 'unknown_method', 'invalid_input', 'not_found', 'conflict', 'too_large', 'failed', 'unauthorized'] as const;
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

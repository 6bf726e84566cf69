import { existsSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import type { AgreementReport, AnnotationItem, MethodSettings } from '../../shared/api';
import type { BackendConfig, MethodConfig, MethodName, RunProgress, RunStatus, SamplerConfig, Subset } from '../../shared/domain';
import { readDatasetFile, readGenerationsFile, selectSubset, type FieldMapping } from '../core/datasets';
import { DETECTORS } from '../core/detectors';
import { sha256File } from '../core/files/sha256File';
import { defaultThreads, LlamaBackend } from '../core/inference';
import { getPromptMethod, resolveUrialPromptFile, type PromptMethodOptions } from '../core/prompting';
import { BackendPool } from '../core/runs/BackendPool';
import { executeRun } from '../core/runs/executeRun';
import { openStore, type Store } from '../store/openStore';
import type { DatasetRecord } from '../store/DatasetRepo';
import type { RunRecord } from '../store/RunRepo';
import { APP_VERSION } from './appVersion';
import { NotFoundError } from './errors';
import { ModelLibrary } from './ModelLibrary';
import { addRemoteModel, checkRemoteMethod, loadRemoteBackend, type AddRemoteModelRequest } from './remoteModels';
import { isRemoteModelPath } from '../core/inference/openai';
import { DEFAULT_BACKEND, DEFAULT_SAMPLER } from '../../shared/defaults';
import { annotationAgreement, exportAnnotations, type AnnotationExportRow } from './annotationReports';
import { exportRows, type ExportRow } from './exportRows';
import { storePort } from './storePort';
import { expandBatch, type BatchRequest } from './expandBatch';

const TINY_MODEL_PARAMS = 50_000_000;

export interface WorkbenchOptions {
  /** Folder of the SQLite store and app data. */
  dataDir: string;
  /** The app's resources/ folder (our own prompt files, sample data). */
  resourcesDir: string;
  /** Folder of the official URIAL prompt files, for English URIAL without an explicit prompt file. */
  urialOfficialDir?: string;
  /**
   * Run the critical-error detectors as each generation is stored (default). Off, they run only on request
   * (`detect --run`): for measuring the queue alone (bench P1).
   */
  detectOnGenerate?: boolean;
}

export interface CreateRunRequest extends MethodSettings {
  model: string;
  method: MethodName;
  dataset: string;
  promptLang?: string;
  subset?: Subset;
  sampler?: Partial<SamplerConfig>;
  backend?: Partial<BackendConfig>;
  name?: string;
}

/**
 * The application's use cases, independent of any transport: the CLI calls it today, the Electron IPC
 * and HTTP adapters call the same methods.
 */
export class Workbench {
  readonly store: Store;
  readonly library: ModelLibrary;
  readonly #pool = new BackendPool((key, onProgress) =>
    // Remote models (`openai:<base url>#<model>`) run on their server; everything else is a local GGUF.
    isRemoteModelPath(key.modelPath) ? loadRemoteBackend(this.store, key.modelPath) : LlamaBackend.load({ ...key, onProgress }),
  );
  readonly #prompting: PromptMethodOptions;

  constructor(readonly options: WorkbenchOptions) {
    this.store = openStore(join(options.dataDir, 'workbench.sqlite'));
    this.library = new ModelLibrary(this.store);
    this.#prompting = { urialDirs: { resourcesDir: options.resourcesDir, officialDir: options.urialOfficialDir } };
  }

  /** The one model slot, shared by generation runs and local judges: one model in memory at a time. */
  get pool(): BackendPool {
    return this.#pool;
  }

  /** Default CPU threads for a model. Tiny models gain nothing from more, and ggml's spinning threads lose badly to any other load. */
  async threadsFor(model: { parameterCount: number | null }): Promise<number> {
    return (model.parameterCount ?? Infinity) < TINY_MODEL_PARAMS ? 1 : defaultThreads();
  }

  async close(): Promise<void> {
    await this.#pool.unload();
    this.store.close();
  }

  // MODELS

  /** Adds (or refreshes) a GGUF and waits for its sha256 (the CLI prints it; the API returns before, see ModelLibrary). */
  async addModel(path: string) {
    const { model, sha256 } = await this.library.add(path);
    return { ...model, sha256: await sha256 };
  }

  /** A model served by an OpenAI-compatible server (checked against its model list first). */
  addRemoteModel(request: AddRemoteModelRequest) {
    return addRemoteModel(this.store, request);
  }

  /**
   * A model by id, or by path (added on the fly when new). Its sha256 is awaited when still being computed
   * in the background: everything that uses a model records which file it was.
   */
  async resolveModel(ref: string) {
    if (/^\d+$/.test(ref)) {
      const model = this.store.models.get(Number(ref));
      if (!model) throw new NotFoundError(`No model with id ${ref}. List them with "models list".`);
      return { ...model, sha256: await this.library.sha256Of(model) };
    }
    if (isRemoteModelPath(ref)) {
      const remote = this.store.models.byPath(ref);
      if (!remote) throw new NotFoundError(`No remote model "${ref}". Add it with "models add --openai <base-url> --model <name>".`);
      return remote;
    }
    const known = this.store.models.byPath(resolve(ref));
    return known ? { ...known, sha256: await this.library.sha256Of(known) } : await this.addModel(ref);
  }

  // DATASETS

  async importDataset(
    file: string,
    options: { lang: string; name?: string; mapping?: FieldMapping; delimiter?: string; parallelWith?: string },
  ): Promise<DatasetRecord> {
    const { format, items } = readDatasetFile(file, { mapping: options.mapping, delimiter: options.delimiter });
    const partner = options.parallelWith ? this.resolveDataset(options.parallelWith) : undefined;
    const group = partner ? (partner.parallelGroup ?? `group-${partner.id}`) : null;
    const dataset = this.store.datasets.insert(
      {
        name: options.name ?? basename(file).replace(/\.[^.]+$/, ''),
        lang: options.lang,
        sourcePath: resolve(file),
        sourceSha256: await sha256File(file),
        format,
        parallelGroup: group,
      },
      items,
    );
    if (partner && !partner.parallelGroup) this.store.datasets.link([partner.id], group!);
    return dataset;
  }

  resolveDataset(ref: string): DatasetRecord {
    const dataset = /^\d+$/.test(ref) ? this.store.datasets.get(Number(ref)) : this.store.datasets.byName(ref);
    if (!dataset) throw new NotFoundError(`No dataset "${ref}" (by id or name). List them with "datasets list".`);
    return dataset;
  }

  // RUNS

  /** Resolves and checks everything a run needs, without creating it (the composer's preview). */
  async planRun(request: CreateRunRequest) {
    const model = await this.resolveModel(request.model);
    if (!model.runnable) throw new Error(`Model ${model.id} (${model.path}) is vocab-only: it has no weights to generate with.`);
    const dataset = this.resolveDataset(request.dataset);
    const method = this.#methodConfig(request, dataset);
    // Prepared here so a bad prompt file or template fails at planning, not mid-run.
    const prepared = getPromptMethod(method.method, this.#prompting).prepare(method);
    const selection = selectSubset(this.store.datasets.items(dataset.id), request.subset ?? {});
    if (selection.items.length === 0) throw new Error(`The subset selects no items of dataset "${dataset.name}".`);
    // The stop and cleaning rules are the method's, the same for every item: recorded once with the run.
    const { stop, clean, kind } = prepared.build(selection.items[0]!);
    checkRemoteMethod(model, kind);
    const described = { ...prepared.describe(), stop: JSON.stringify(stop), clean };
    return { model, dataset, method, described, items: selection.items.length, itemIds: selection.items.map((i) => i.id), promptLang: method.promptLang ?? null };
  }

  /**
   * Seconds for `items` generations of up to `maxTokens`, from the output speed measured on this machine
   * (median tokens/s of recent generations); null before anything has been generated here.
   */
  estimateSeconds(items: number, { maxTokens = DEFAULT_SAMPLER.maxTokens }: { maxTokens?: number } = {}): number | null {
    const speeds = this.store.db
      .prepare<[], { v: number }>('SELECT tokens_per_second AS v FROM generations WHERE tokens_per_second > 0 ORDER BY id DESC LIMIT 200')
      .all()
      .map((r) => r.v)
      .sort((a, b) => a - b);
    if (speeds.length === 0) return null;
    return (items * maxTokens) / speeds[Math.floor(speeds.length / 2)]!;
  }

  get version(): string {
    return APP_VERSION;
  }

  async createRun(request: CreateRunRequest): Promise<RunRecord> {
    const { model, dataset, method, described, itemIds } = await this.planRun(request);
    const sampler: SamplerConfig = { ...DEFAULT_SAMPLER, ...request.sampler };
    const threads = await this.threadsFor(model);
    const backend: BackendConfig = { ...DEFAULT_BACKEND, threads, ...request.backend };
    return this.store.runs.insert({
      name: request.name ?? `${model.name} · ${method.method}${method.promptLang ? `(${method.promptLang})` : ''} · ${dataset.name}`,
      kind: 'generate',
      modelId: model.id,
      datasetId: dataset.id,
      config: { modelId: model.id, datasetId: dataset.id, subset: request.subset ?? {}, method, sampler, backend },
      method: { ...described, method: method.method, repeatPenaltyScope: repeatPenaltyScope(sampler) },
      environment: this.environment(),
      status: 'pending',
      itemIds,
    });
  }

  /** A batch: the cross product of models × methods × datasets, one run each. */
  /** Creates the runs of a batch (see expandBatch: models × methods, families × fitting methods, × datasets). */
  async createBatch(request: BatchRequest): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (const run of expandBatch(request, (family) => this.library.familyPlan(family))) runs.push(await this.createRun(run));
    return runs;
  }

  /** Starts or resumes a run in this process; resolves with the final status (paused/cancelled on `signal`). */
  async startRun(
    runId: number,
    options: { signal?: AbortSignal; onProgress?: (p: RunProgress) => void; onModelLoad?: (fraction: number) => void } = {},
  ): Promise<RunStatus> {
    const detect = this.options.detectOnGenerate !== false;
    const status = await executeRun(runId, {
      store: storePort(this.store),
      pool: this.#pool,
      prompting: this.#prompting,
      // Detectors run as each generation lands, so flags are there while the run is still going.
      afterSave: detect ? (generationId) => this.detectGenerations([generationId]).then(() => undefined) : undefined,
      ...options,
    });
    // A process killed mid-run may have stored generations whose detection had not run yet: catch up.
    if (detect) await this.detectRun(runId);
    return status;
  }

  // CRITICAL-ERROR DETECTION

  /** Runs every detector on these generations and stores signals and findings; returns the findings count. */
  async detectGenerations(generationIds: number[]): Promise<number> {
    let findings = 0;
    for (const id of generationIds) {
      const g = this.store.reader.get(id);
      if (!g) throw new NotFoundError(`No generation with id ${id}.`);
      const maxTokens = this.store.runs.get(g.runId)?.config?.sampler.maxTokens ?? null;
      const input = {
        outputRaw: g.outputRaw,
        output: g.output,
        finishReason: g.finishReason,
        outputTokens: g.outputTokens,
        maxTokens,
        expectedLang: g.lang,
        instruction: g.instruction,
        taskTypes: g.taskTypes,
      };
      const results = [];
      for (const detector of DETECTORS) {
        const settings = { ...detector.defaultSettings };
        results.push({ result: await detector.detect(input, settings), settings });
      }
      this.store.detections.save(id, results);
      findings += results.reduce((n, r) => n + r.result.findings.length, 0);
    }
    return findings;
  }

  /** Detects on a run's generations: those without results from the current detector versions, or all. */
  async detectRun(runId: number, { all = false } = {}): Promise<{ generations: number; findings: number }> {
    if (!this.store.runs.get(runId)) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    const ids = all
      ? this.store.generations.forRun(runId).map((g) => g.id)
      : this.store.detections.missing(runId, DETECTORS.map((d) => ({ name: d.name, version: d.version })));
    return { generations: ids.length, findings: await this.detectGenerations(ids) };
  }

  runStatus(runId: number) {
    const run = this.store.runs.get(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    return { run, finishReasons: this.store.generations.countByFinishReason(runId) };
  }

  // GENERATIONS

  /** Outputs made elsewhere (Just-Eval output format) become a dataset plus an imported run. */
  async importGenerations(file: string, options: { lang: string; name?: string }): Promise<RunRecord> {
    const { items, outputs } = readGenerationsFile(file);
    const name = options.name ?? basename(file).replace(/\.[^.]+$/, '');
    const sha = await sha256File(file);
    const db = this.store.db;
    // Dataset, run and generations together, or nothing.
    const run = db.transaction(() => {
      const dataset = this.store.datasets.insert(
        { name: `${name} (instructions)`, lang: options.lang, sourcePath: resolve(file), sourceSha256: sha, format: 'generations' },
        items,
      );
      const generators = [...new Set([...outputs.values()].map((o) => o.generator ?? 'unknown'))];
      const run = this.store.runs.insert({
        name,
        kind: 'imported',
        modelId: null,
        datasetId: dataset.id,
        config: null,
        method: { method: 'imported', source: resolve(file), sourceSha256: sha, generators: generators.join(', ') },
        environment: this.environment(),
        status: 'done',
        itemIds: items.map((i) => i.id),
      });
      this.store.generations.insertMany(
        items.map((item) => {
          const out = outputs.get(item.id)!;
          const prompt = typeof out.extra.model_input === 'string' ? out.extra.model_input : '';
          return {
            runId: run.id,
            itemId: item.id,
            prompt,
            outputRaw: out.output,
            output: out.output,
            finishReason: 'stop' as const,
            error: null,
            promptTokens: 0,
            evaluatedPromptTokens: 0,
            outputTokens: 0,
            wallMs: 0,
            tokensPerSecond: 0,
            seed: 0,
            generator: out.generator,
            extra: out.extra,
          };
        }),
      );
      return this.store.runs.get(run.id)!;
    })();
    // Outputs made elsewhere get the same critical-error flags as our own.
    await this.detectRun(run.id);
    return run;
  }

  exportGenerations(runId: number): ExportRow[] {
    return exportRows(this.store, runId);
  }

  // ANNOTATION

  /** A generation as the annotation view shows it: raw output, detector findings, the annotator's current labels. */
  annotationItem(generationId: number, annotator: string): AnnotationItem {
    const g = this.store.reader.get(generationId);
    if (!g) throw new NotFoundError(`No generation with id ${generationId}.`);
    return {
      generationId: g.id,
      runId: g.runId,
      runName: g.runName,
      itemId: g.itemId,
      lang: g.lang,
      method: g.method,
      modelName: g.modelName,
      instruction: g.instruction,
      outputRaw: g.outputRaw,
      finishReason: g.finishReason,
      taskTypes: g.taskTypes,
      findings: this.store.detections.forGeneration(g.id).flatMap((d) => d.findings),
      annotation: this.store.annotations.current(g.id, annotator),
    };
  }

  annotationAgreement(opts: { runIds?: number[]; annotators?: string[] } = {}): AgreementReport {
    return annotationAgreement(this.store, opts);
  }

  exportAnnotations(runId: number): AnnotationExportRow[] {
    return exportAnnotations(this.store, runId);
  }

  // HELPERS

  #methodConfig(request: CreateRunRequest, dataset: DatasetRecord): MethodConfig {
    const method: MethodConfig = { method: request.method };
    if (request.method === 'urial') {
      // The prompt language is independent of the dataset's (English URIAL on French items is a study arm).
      method.promptLang = request.promptLang ?? dataset.lang;
      method.promptFile = request.promptFile
        ? resolve(request.promptFile)
        : resolveUrialPromptFile(method.promptLang, this.#prompting.urialDirs!);
      if (!existsSync(method.promptFile)) throw new Error(`URIAL prompt file not found: ${method.promptFile}`);
    }
    if (request.systemPrompt) method.systemPrompt = request.systemPrompt;
    if (request.chatTemplate) method.chatTemplate = request.chatTemplate;
    if (request.template) method.template = request.template;
    return method;
  }

  /** What a run records about this process when it is created (app, Node, platform). */
  environment(): Record<string, string> {
    return { app: APP_VERSION, node: process.version, platform: `${process.platform}-${process.arch}` };
  }
}

/**
 * How the repeat penalty's reach compares with the URIAL authors' HF/vLLM setting, which penalises the whole
 * prompt and output: recorded with every run so a deviation is visible in its provenance.
 */
function repeatPenaltyScope(sampler: SamplerConfig): string {
  if (sampler.repeatPenalty === 1) return 'off';
  return sampler.repeatPenaltyWindow === 'all'
    ? 'whole prompt and output (as HF/vLLM)'
    : `last ${sampler.repeatPenaltyWindow} tokens (deviates from HF/vLLM, which penalise the whole prompt and output)`;
}

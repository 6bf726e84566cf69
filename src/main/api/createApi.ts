import type { ApiErrorBody, ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, ApiResult, AppInfo, FileKind, DatasetInfo, RunInfo, RunPlan, RunPlanRequest } from '../../shared/api';
import { apiRequestSchemas, isApiMethod } from '../../shared/apiSchemas';
import { METHODS, type MethodName } from '../../shared/domain';
import { readDatasetFile } from '../core/datasets';
import { listUrialPromptLangs } from '../core/prompting';
import type { DatasetRecord } from '../store/DatasetRepo';
import type { RunRecord } from '../store/RunRepo';
import type { JudgeRunRecord } from '../store/JudgeRunRepo';
import { DEFAULT_SAMPLER } from '../../shared/defaults';
import { detectHardware } from '../core/inference';
import { criticalErrorRateReport } from './annotationReports';
import { fitModel, planFitWarnings } from './modelFit';
import { NotFoundError } from './errors';
import { judgeHumanAgreement } from './judgeHumanAgreement';
import { Judging, type SecretsPort } from './Judging';
import { resultsAspects, resultsCompare, resultsCriticalErrors, resultsTable } from './results';
import { RunQueue } from './RunQueue';
import { reproducibilityRecord, rerun } from './runReproducibility';
import { readSettings, writeSettings } from './appSettings';
import { dismissWelcome, firstRun, type FirstRunState } from './firstRun';
import { createModelDownloads } from './modelDownloads';
import { expandBatch } from './expandBatch';
import { readModelCatalogue } from '../core/models/downloadCatalogue';
import type { CreateRunRequest, Workbench } from './Workbench';

type Handlers = { [M in ApiMethod]: (params: ApiRequest<M>) => ApiResponse<M> | Promise<ApiResponse<M>> };
type Listener = (event: ApiEvent, payload: ApiEvents[ApiEvent]) => void;

export interface Api {
  /** Validates and dispatches one call. Never throws: failures come back as typed errors. */
  handle(method: string, params: unknown): Promise<ApiResult<ApiMethod>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  shutdown(): Promise<void>;
}

/**
 * Implements the contract in `shared/api.ts` on top of the Workbench. Transport-agnostic: the IPC and HTTP
 * adapters only move the calls and events.
 */
export interface ApiOptions {
  transport: AppInfo['transport'];
  /** A native file dialog, which only the desktop shell can offer. */
  pickFile?: (kind: FileKind) => Promise<string | null>;
  /** Encrypts judges' API keys with the OS keychain (desktop app only); without it keys come from environment variables. */
  secrets?: SecretsPort;
}

export function createApi(workbench: Workbench, options: ApiOptions): Api {
  const listeners = new Set<Listener>();
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => {
    for (const l of listeners) l(event, payload);
  };
  const judging = new Judging(workbench, options.secrets);
  const queue = new RunQueue(workbench, judging, {
    progress: (p) => emit('run.progress', p),
    changed: (runId, status) => emit('runs.changed', { runId, status }),
    model: (state) => emit('model.state', state),
    judgeProgress: (p) => emit('judgeRun.progress', p),
    judgeChanged: (judgeRunId, status) => emit('judgeRuns.changed', { judgeRunId, status }),
  });
  const store = workbench.store;
  const stopSha = workbench.library.onSha((progress) => emit('models.sha', progress));
  const downloads = createModelDownloads(workbench, {
    onProgress: (d) => emit('download.progress', d),
    onChanged: (downloadId, status) => emit('downloads.changed', { downloadId, status }),
  });

  const datasetInfo = (d: DatasetRecord): DatasetInfo => {
    const facets = store.db
      .prepare<[number], { category: string | null; task_types_json: string | null }>(
        'SELECT DISTINCT category, task_types_json FROM items WHERE dataset_id = ?',
      )
      .all(d.id);
    const categories = new Set<string>();
    const taskTypes = new Set<string>();
    for (const f of facets) {
      if (f.category) categories.add(f.category);
      for (const t of f.task_types_json ? (JSON.parse(f.task_types_json) as string[]) : []) taskTypes.add(t);
    }
    return {
      id: d.id,
      name: d.name,
      lang: d.lang,
      format: d.format,
      itemCount: d.itemCount,
      parallelGroup: d.parallelGroup,
      sourcePath: d.sourcePath,
      createdAt: d.createdAt,
      categories: [...categories].sort(),
      taskTypes: [...taskTypes].sort(),
    };
  };

  const runInfo = (r: RunRecord): RunInfo => {
    const dataset = store.datasets.get(r.datasetId)!;
    const model = r.modelId != null ? store.models.get(r.modelId) : undefined;
    const failed = store.generations.countByFinishReason(r.id).error ?? 0;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      error: r.error,
      total: r.total,
      done: r.done - failed,
      failed,
      modelId: r.modelId,
      modelName: model?.name ?? null,
      datasetId: r.datasetId,
      datasetName: dataset.name,
      lang: dataset.lang,
      method: r.method.method ?? 'unknown',
      promptLang: r.config?.method.promptLang ?? null,
      config: r.config,
      provenance: r.method,
      environment: r.environment,
      createdAt: r.createdAt,
      progress: queue.progressOf(r.id),
    };
  };
  const judgeRunInfo = (r: JudgeRunRecord) => judging.judgeRunInfo(r, queue.judgeProgressOf(r.id));
  const firstRunInfo = (state: FirstRunState) => ({ ...state, sampleDatasets: state.sampleDatasets.map(datasetInfo) });
  const runById = (runId: number) => {
    const run = store.runs.get(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}.`);
    return run;
  };

  /**
   * The runs a plan expands to: models × methods, plus each family's members × the methods that fit their role,
   * × datasets (× prompt languages for URIAL). A model × method reached both ways is planned once.
   */
  const expand = (req: RunPlanRequest): CreateRunRequest[] => expandBatch(req, (family) => workbench.library.familyPlan(family));

  const handlers: Handlers = {
    'app.info': () => ({
      version: workbench.version,
      dataDir: workbench.options.dataDir,
      transport: options.transport,
      methods: [...METHODS],
      urialPromptLangs: listUrialPromptLangs({ resourcesDir: workbench.options.resourcesDir, officialDir: workbench.options.urialOfficialDir }),
      canPickFiles: options.pickFile !== undefined,
    }),
    'app.pickFile': async ({ kind }) => {
      if (!options.pickFile) throw new Error('Choosing a file needs the desktop app. In browser mode, type the path of the file on the machine that runs the workbench.');
      return { path: await options.pickFile(kind) };
    },
    'models.list': () => workbench.library.list(),
    'models.add': async ({ path }) => workbench.library.entry((await workbench.library.add(path)).model.id),
    'models.addRemote': async (request) => workbench.library.entry((await workbench.addRemoteModel(request)).id),
    'models.scan': ({ folder }) => workbench.library.scan(folder),
    'models.remove': ({ modelId }) => {
      workbench.library.remove(modelId);
      return { removed: modelId };
    },
    'models.locate': ({ modelId, path }) => workbench.library.locate(modelId, path),
    'models.setFamily': ({ modelId, familyId, role }) => workbench.library.setFamily(modelId, familyId, role),
    'models.fit': async ({ modelId, ...req }) => fitModel(await workbench.resolveModel(String(modelId)), req),
    'families.list': () => workbench.library.families(),
    'families.create': ({ name }) => workbench.library.createFamily(name),
    'families.remove': ({ familyId }) => {
      workbench.library.removeFamily(familyId);
      return { removed: familyId };
    },
    'hardware.info': () => detectHardware(),
    'models.state': () => queue.modelState,
    'datasets.list': () => store.datasets.list().map(datasetInfo),
    'datasets.preview': ({ path, idField, instructionField, delimiter }) => {
      const mapping = idField || instructionField ? { id: idField, instruction: instructionField } : undefined;
      const { format, items } = readDatasetFile(path, { mapping, delimiter });
      return {
        format,
        itemCount: items.length,
        items: items.slice(0, 20).map((i) => ({ id: i.id, instruction: i.instruction, category: i.category, taskTypes: i.taskTypes })),
      };
    },
    'datasets.import': async ({ path, lang, name, idField, instructionField, delimiter, parallelWith }) => {
      const mapping = idField || instructionField ? { id: idField, instruction: instructionField } : undefined;
      return datasetInfo(await workbench.importDataset(path, { lang, name, mapping, delimiter, parallelWith }));
    },
    'datasets.link': ({ datasetIds }) => {
      const datasets = datasetIds.map((id) => workbench.resolveDataset(String(id)));
      const group = datasets.find((d) => d.parallelGroup)?.parallelGroup ?? `group-${datasets[0]!.id}`;
      store.datasets.link(datasetIds, group);
      return datasetIds.map((id) => datasetInfo(store.datasets.get(id)!));
    },
    'runs.list': () => store.runs.list().map(runInfo),
    'runs.get': ({ runId }) => runInfo(runById(runId)),
    'runs.plan': async (req): Promise<RunPlan> => {
      const runs = await Promise.all(expand(req).map(async (r) => ({ r, plan: await workbench.planRun(r) })));
      const totalItems = runs.reduce((n, x) => n + x.plan.items, 0);
      return {
        runs: runs.map(({ r, plan }) => ({ model: r.model, method: r.method, dataset: r.dataset, promptLang: plan.promptLang, items: plan.items })),
        totalItems,
        estimatedSeconds: workbench.estimateSeconds(totalItems, { maxTokens: req.sampler?.maxTokens }),
        warnings: await planFitWarnings(uniqueModels(runs.map((x) => x.plan.model)), req.backend, req.sampler?.maxTokens ?? DEFAULT_SAMPLER.maxTokens),
      };
    },
    'runs.create': async (req) => {
      const created: RunRecord[] = [];
      for (const r of expand(req)) created.push(await workbench.createRun(r));
      if (req.start) for (const r of created) queue.enqueue(r.id);
      for (const r of created) emit('runs.changed', { runId: r.id, status: store.runs.get(r.id)!.status });
      return created.map((r) => runInfo(store.runs.get(r.id)!));
    },
    'runs.start': ({ runId }) => {
      const run = runById(runId);
      if (run.kind !== 'generate') throw new Error(`Run ${runId} holds imported outputs: there is nothing to generate.`);
      queue.enqueue(runId);
      return runInfo(runById(runId));
    },
    'runs.pause': ({ runId }) => {
      runById(runId);
      queue.stop(runId, 'pause');
      return runInfo(runById(runId));
    },
    'runs.cancel': ({ runId }) => {
      runById(runId);
      queue.stop(runId, 'cancel');
      return runInfo(runById(runId));
    },
    'runs.retry': ({ runId }) => {
      const run = runById(runId);
      if (run.kind !== 'generate') throw new Error(`Run ${runId} holds imported outputs: there is nothing to retry.`);
      queue.enqueue(runId);
      return runInfo(runById(runId));
    },
    'runs.delete': (req) => store.runs.delete(req),
    'generations.query': ({ filter, offset, limit }) => store.reader.query(filter, offset, limit),
    'generations.get': ({ id }) => {
      const g = store.reader.get(id);
      if (!g) throw new NotFoundError(`No generation with id ${id}.`);
      return g;
    },
    'generations.sideBySide': ({ id, runIds }) => store.reader.sideBySide(id, runIds),
    'labels.list': () => store.annotations.labels(),
    'labels.add': ({ name, definition }) => store.annotations.addLabel(name, definition),
    'annotations.queue': (req) => store.annotations.queue(req),
    'annotations.get': ({ generationId, annotator }) => workbench.annotationItem(generationId, annotator),
    'annotations.save': ({ generationId, annotator, labels, note, decisions }) => {
      if (!store.reader.get(generationId)) throw new NotFoundError(`No generation with id ${generationId}.`);
      return store.annotations.save(generationId, annotator, { labels, note, decisions });
    },
    'annotations.undo': ({ annotator }) => store.annotations.undo(annotator),
    'annotations.assign': ({ runIds, annotators, overlap, seed }) => {
      for (const runId of runIds) runById(runId);
      const ids = runIds.flatMap((runId) => store.generations.forRun(runId).map((g) => g.id));
      return { generations: ids.length, ...store.annotations.assign(ids, annotators, overlap, seed) };
    },
    'annotations.agreement': (req) => workbench.annotationAgreement(req),
    'annotations.rates': (req) => criticalErrorRateReport(store, req),
    // Contract entries whose implementation is in progress (issues 5 and 6): each helper replaces its own.
    'judges.list': () => store.judges.list(),
    'judges.add': (req) => judging.addJudge(req),
    'judges.test': ({ judgeId }) => {
      // A local judge loads into the one model slot: testing it mid-run would pull the model from under the run.
      if (judging.judge(judgeId).kind === 'local' && queue.busy)
        throw new Error('A run is in progress and holds the model slot: test a local judge when the queue is idle (or pause the run).');
      return judging.testJudge(judgeId);
    },
    'rubrics.list': () => store.rubrics.list(),
    'rubrics.save': ({ from, name, prompts }) => judging.saveRubric(from, { name, prompts }),
    'judgeRuns.list': () => store.judgeRuns.list().map(judgeRunInfo),
    'judgeRuns.create': (req) => {
      const run = judging.createJudgeRun(req);
      if (req.start) queue.enqueueJudgeRun(run.id);
      else emit('judgeRuns.changed', { judgeRunId: run.id, status: run.status });
      return judgeRunInfo(judging.judgeRun(run.id));
    },
    'judgeRuns.start': ({ judgeRunId }) => {
      judging.judgeRun(judgeRunId);
      queue.enqueueJudgeRun(judgeRunId);
      return judgeRunInfo(judging.judgeRun(judgeRunId));
    },
    'judgeRuns.pause': ({ judgeRunId }) => {
      judging.judgeRun(judgeRunId);
      queue.stopJudgeRun(judgeRunId, 'pause');
      return judgeRunInfo(judging.judgeRun(judgeRunId));
    },
    'judgeRuns.cancel': ({ judgeRunId }) => {
      judging.judgeRun(judgeRunId);
      queue.stopJudgeRun(judgeRunId, 'cancel');
      return judgeRunInfo(judging.judgeRun(judgeRunId));
    },
    'judgements.forGeneration': ({ generationId }) => {
      if (!store.reader.get(generationId)) throw new NotFoundError(`No generation with id ${generationId}.`);
      return store.judgements.forGeneration(generationId);
    },
    'judgements.humanAgreement': (req) => judgeHumanAgreement(store, req),
    'results.aspects': ({ filter, groupBy }) => resultsAspects(store, filter, groupBy),
    'results.criticalErrors': ({ filter, source }) => resultsCriticalErrors(store, filter, source),
    'results.compare': (req) => resultsCompare(store, req),
    'results.table': (req) => resultsTable(store, req),
    'runs.reproducibility': ({ runId }) => reproducibilityRecord(workbench, runId),
    'runs.rerun': async ({ runId, start }) => {
      const run = await rerun(workbench, runId);
      if (start) queue.enqueue(run.id);
      emit('runs.changed', { runId: run.id, status: store.runs.get(run.id)!.status });
      return runInfo(runById(run.id));
    },
    'app.firstRun': async () => firstRunInfo(await firstRun(workbench)),
    'app.dismissWelcome': () => firstRunInfo(dismissWelcome(workbench)),
    'settings.get': () => readSettings(workbench),
    'settings.set': (patch) => writeSettings(workbench, patch),
    'catalogue.list': () => readModelCatalogue(workbench.options.resourcesDir),
    'downloads.list': () => downloads.list(),
    'downloads.start': ({ uri, catalogueId }) => downloads.start(uri, catalogueId),
    'downloads.pause': ({ downloadId }) => downloads.pause(downloadId),
    'downloads.resume': ({ downloadId }) => downloads.resume(downloadId),
    'downloads.cancel': ({ downloadId }) => downloads.cancel(downloadId),
  };

  return {
    async handle(method, params) {
      if (!isApiMethod(method)) return failure({ code: 'unknown_method', message: `Unknown API method "${method}".` });
      const parsed = apiRequestSchemas[method].safeParse(params ?? {});
      if (!parsed.success) {
        return failure({
          code: 'invalid_request',
          message: `Invalid request for ${method}: ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
          issues: parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message })),
        });
      }
      try {
        const handler = handlers[method] as (p: unknown) => unknown;
        return { ok: true, result: (await handler(parsed.data)) as ApiResponse<ApiMethod> };
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        return failure({ code: err instanceof NotFoundError ? 'not_found' : 'failed', message });
      }
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown: async () => {
      stopSha();
      await downloads.shutdown();
      return queue.shutdown();
    },
  };
}

function failure(error: ApiErrorBody): ApiResult<ApiMethod> {
  return { ok: false, error };
}

/** Each model once, in plan order: a model planned with several methods or datasets is checked for fit once. */
function uniqueModels<T extends { id: number }>(models: T[]): T[] {
  return [...new Map(models.map((m) => [m.id, m])).values()];
}

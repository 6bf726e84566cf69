import type { ApiErrorBody, ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, ApiResult, AppInfo, FileKind, DatasetInfo, RunInfo, RunPlan, RunPlanRequest } from '../../shared/api';
import { apiRequestSchemas, isApiMethod } from '../../shared/apiSchemas';
import { METHODS, type MethodName } from '../../shared/domain';
import { readDatasetFile } from '../core/datasets';
import { listUrialPromptLangs } from '../core/prompting';
import type { DatasetRecord } from '../store/DatasetRepo';
import type { RunRecord } from '../store/RunRepo';
import { criticalErrorRateReport } from './annotationReports';
import { NotFoundError } from './errors';
import { RunQueue } from './RunQueue';
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
}

export function createApi(workbench: Workbench, options: ApiOptions): Api {
  const listeners = new Set<Listener>();
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => {
    for (const l of listeners) l(event, payload);
  };
  const queue = new RunQueue(workbench, {
    progress: (p) => emit('run.progress', p),
    changed: (runId, status) => emit('runs.changed', { runId, status }),
    model: (state) => emit('model.state', state),
  });
  const store = workbench.store;

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
  const runById = (runId: number) => {
    const run = store.runs.get(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}.`);
    return run;
  };

  /** The runs a plan expands to: models × methods × datasets (× prompt languages for URIAL). */
  const expand = (req: RunPlanRequest): CreateRunRequest[] =>
    req.models.flatMap((model) =>
      req.methods.flatMap((method: MethodName) =>
        req.datasets.flatMap((dataset) =>
          (method === 'urial' && req.promptLangs?.length ? req.promptLangs : [undefined]).map((promptLang) => ({
            model,
            method,
            dataset,
            promptLang,
            // Method-specific settings go only to the method they belong to.
            promptFile: method === 'urial' ? req.promptFile : undefined,
            systemPrompt: method === 'chat' ? req.systemPrompt : undefined,
            chatTemplate: method === 'chat' ? req.chatTemplate : undefined,
            template: method === 'custom' ? req.template : undefined,
            subset: req.subset,
            sampler: req.sampler,
            backend: req.backend,
          })),
        ),
      ),
    );

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
    'models.list': () => store.models.list(),
    'models.add': ({ path }) => workbench.addModel(path),
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
    shutdown: () => queue.shutdown(),
  };
}

function failure(error: ApiErrorBody): ApiResult<ApiMethod> {
  return { ok: false, error };
}

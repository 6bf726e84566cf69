import type { ApiErrorBody, ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, ApiResult, AppInfo, FileKind, RunPlan } from '../../shared/api';
import { apiRequestSchemas, isApiMethod } from '../../shared/apiSchemas';
import { DEFAULT_SAMPLER } from '../../shared/defaults';
import { METHODS } from '../../shared/domain';
import { usableDownloadFolder } from '../services/app/appSettings';
import { APP_VERSION } from '../services/app/appVersion';
import type { Services } from '../services/createServices';
import { apiErrorCodeOf, NotFoundError } from '../services/errors';
import { judgeHumanAgreement } from '../services/judging/judgeHumanAgreement';
import { fitModel, planFitWarnings } from '../services/models/modelFit';
import { reproducibilityRecord, rerun } from '../services/runs/runReproducibility';
import { wireMappers } from './wire';

type Handlers = { [M in ApiMethod]: (params: ApiRequest<M>) => ApiResponse<M> | Promise<ApiResponse<M>> };
type Listener = (event: ApiEvent, payload: ApiEvents[ApiEvent]) => void;

export interface Api {
  /** Validates and dispatches one call. Never throws: failures come back as typed errors. */
  handle(method: string, params: unknown): Promise<ApiResult<ApiMethod>>;
  /** Subscribes to pushed events; returns the unsubscribe function. */
  subscribe(listener: Listener): () => void;
  /** Pauses running work (runs, judge runs, downloads) so it can resume later. */
  shutdown(): Promise<void>;
}

export interface ApiOptions {
  transport: AppInfo['transport'];
  /** A native file dialog, which only the desktop shell can offer. */
  pickFile?: (kind: FileKind) => Promise<string | null>;
}

/**
 * Implements the contract in `shared/api.ts` as a thin handler table over the services: requests are validated
 * against the shared schemas, answers mapped to wire types, and the services' events forwarded. Transport-agnostic:
 * the IPC and HTTP adapters and the CLI only move the calls and events.
 */
export function createApi(services: Services, options: ApiOptions): Api {
  const { library, datasets, runs, queue, judging, annotation, packages, results, generations, detection, downloads } = services;
  const { datasetInfo, runInfo, judgeRunInfo, firstRunInfo } = wireMappers(services);
  const changed = (runId: number) => services.events.emit('runs.changed', { runId, status: runs.get(runId).status });

  const handlers: Handlers = {
    'app.info': () => ({
      version: APP_VERSION,
      dataDir: services.options.dataDir,
      transport: options.transport,
      methods: [...METHODS],
      urialPromptLangs: services.urialPromptLangs(),
      canPickFiles: options.pickFile !== undefined,
    }),
    'app.pickFile': async ({ kind }) => {
      if (!options.pickFile) throw new Error('Choosing a file needs the desktop app. In browser mode, type the path of the file on the machine that runs the workbench.');
      return { path: await options.pickFile(kind) };
    },
    'app.firstRun': async () => firstRunInfo(await services.firstRun.state()),
    'app.dismissWelcome': () => firstRunInfo(services.firstRun.dismissWelcome()),
    'settings.get': () => services.settings.read(),
    'settings.set': (patch) => services.settings.write(patch),

    'models.list': () => library.list(),
    'models.add': async ({ path, wait }) => {
      const { model, sha256 } = await library.add(path);
      if (wait) await sha256;
      return library.entry(model.id);
    },
    'models.resolve': async ({ ref }) => library.entry((await library.resolve(ref)).id),
    'models.addRemote': async (request) => library.entry((await library.addRemote(request)).id),
    'models.scan': async ({ folder, wait }) => {
      const scanned = await library.scan(folder);
      if (!wait) return scanned;
      // Hashes of new files run in the background: a script waits for them so the store is complete when it ends.
      await Promise.all(scanned.added.map((m) => library.sha256Of(m)));
      return { ...scanned, added: scanned.added.map((m) => library.entry(m.id)) };
    },
    'models.remove': ({ modelId }) => (library.remove(modelId), { removed: modelId }),
    'models.locate': ({ modelId, path }) => library.locate(modelId, path),
    'models.setFamily': ({ modelId, familyId, role }) => library.setFamily(modelId, familyId, role),
    'models.fit': async ({ modelId, ...req }) => fitModel(await library.resolve(String(modelId)), req),
    'models.state': () => services.pool.state,
    'families.list': () => library.families(),
    'families.create': ({ name }) => library.createFamily(name),
    'families.remove': ({ familyId }) => (library.removeFamily(familyId), { removed: familyId }),
    'hardware.info': () => services.hardware(),
    'catalogue.list': () => services.catalogue(),
    'downloads.list': () => downloads.list(),
    'downloads.start': ({ uri, catalogueId, dir }) => downloads.start(uri, catalogueId, dir === undefined ? undefined : usableDownloadFolder(dir)),
    'downloads.pause': ({ downloadId }) => downloads.pause(downloadId),
    'downloads.resume': ({ downloadId }) => downloads.resume(downloadId),
    'downloads.cancel': ({ downloadId }) => downloads.cancel(downloadId),

    'datasets.list': () => datasets.list().map(datasetInfo),
    'datasets.preview': ({ path, idField, instructionField, delimiter }) => datasets.preview(path, { mapping: mappingOf(idField, instructionField), delimiter }),
    'datasets.import': async ({ path, lang, name, idField, instructionField, delimiter, parallelWith }) =>
      datasetInfo(await datasets.import(path, { lang, name, mapping: mappingOf(idField, instructionField), delimiter, parallelWith })),
    'datasets.link': ({ datasetIds }) => datasets.link(datasetIds).map(datasetInfo),
    'datasets.readIdList': ({ source }) => ({ ids: datasets.idList(source) }),
    'datasets.ensureSamples': async () => (await services.firstRun.ensureSampleDatasets()).map(datasetInfo),

    'runs.list': () => services.store.runs.list().map(runInfo),
    'runs.get': ({ runId }) => runInfo(runs.get(runId)),
    'runs.plan': async (req): Promise<RunPlan> => {
      const planned = await runs.planBatch(req);
      const totalItems = planned.reduce((n, x) => n + x.plan.items, 0);
      const models = [...new Map(planned.map((x) => [x.plan.model.id, x.plan.model])).values()];
      return {
        runs: planned.map(({ run, plan }) => ({ model: run.model, method: run.method, dataset: run.dataset, promptLang: plan.promptLang, items: plan.items })),
        totalItems,
        estimatedSeconds: runs.estimateSeconds(totalItems, { maxTokens: req.sampler?.maxTokens }),
        warnings: await planFitWarnings(models, req.backend, req.sampler?.maxTokens ?? DEFAULT_SAMPLER.maxTokens),
      };
    },
    'runs.create': async (req) => {
      const created = await runs.createBatch(req);
      if (req.start) for (const r of created) queue.enqueue(r.id);
      for (const r of created) changed(r.id);
      return created.map((r) => runInfo(runs.get(r.id)));
    },
    'runs.start': ({ runId }) => (queue.enqueue(runs.generating(runId, 'generate').id), runInfo(runs.get(runId))),
    'runs.retry': ({ runId }) => (queue.enqueue(runs.generating(runId, 'retry').id), runInfo(runs.get(runId))),
    'runs.pause': ({ runId }) => (queue.stop(runs.get(runId).id, 'pause'), runInfo(runs.get(runId))),
    'runs.cancel': ({ runId }) => (queue.stop(runs.get(runId).id, 'cancel'), runInfo(runs.get(runId))),
    'runs.reproducibility': ({ runId }) => reproducibilityRecord(services.store, runs, runId),
    'runs.rerun': async ({ runId, start }) => {
      const run = await rerun(services.store, runs, runId);
      if (start) queue.enqueue(run.id);
      changed(run.id);
      return runInfo(runs.get(run.id));
    },

    'generations.import': async ({ path, lang, name }) => runInfo(await generations.import(path, { lang, name })),
    'generations.export': ({ runId, format }) => ({ text: generations.export(runId, format) }),
    'generations.query': ({ filter, offset, limit }) => services.store.reader.query(filter, offset, limit),
    'generations.get': ({ id }) => {
      const g = services.store.reader.get(id);
      if (!g) throw new NotFoundError(`No generation with id ${id}.`);
      return g;
    },
    'generations.sideBySide': ({ id, runIds }) => services.store.reader.sideBySide(id, runIds),
    'detection.run': async ({ runId, all }) => ({ ...(await detection.detectRun(runId, { all })), byLabel: detection.findingsByLabel(runId) }),

    'labels.list': () => annotation.labels(),
    'labels.add': ({ name, definition }) => annotation.addLabel(name, definition),
    'annotations.queue': (req) => annotation.queue(req),
    'annotations.get': ({ generationId, annotator }) => annotation.item(generationId, annotator),
    'annotations.save': ({ generationId, annotator, labels, note, decisions }) => annotation.save(generationId, annotator, { labels, note, decisions }),
    'annotations.undo': ({ annotator }) => annotation.undo(annotator),
    'annotations.assign': ({ runIds, annotators, overlap, seed }) => annotation.assign(runIds, annotators, overlap, seed),
    'annotations.agreement': (req) => annotation.agreement(req),
    'annotations.rates': (req) => annotation.rates(req),
    'annotations.export': ({ runId, format }) => ({ text: annotation.export(runId, format) }),
    'annotationPackages.create': (req) => packages.create(req),
    'annotationPackages.open': ({ path }) => packages.open(path),
    'annotationPackages.list': () => packages.packages(),
    'annotationPackages.export': ({ packageId, out }) => packages.export(packageId, out),
    'annotationPackages.merge': ({ files }) => packages.merge(files),
    'annotationPackages.studies': () => packages.studies(),
    'annotationPackages.report': ({ studyId }) => packages.report(studyId),
    'annotationPackages.resolveQueue': ({ studyId }) => packages.resolveQueue(studyId),

    'judges.list': () => services.store.judges.list(),
    'judges.add': (req) => judging.addJudge(req),
    'judges.test': ({ judgeId }) => {
      // A local judge loads into the one model slot: testing it mid-run would pull the model from under the run.
      if (judging.judge(judgeId).kind === 'local' && queue.busy)
        throw new Error('A run is in progress and holds the model slot: test a local judge when the queue is idle (or pause the run).');
      return judging.testJudge(judgeId);
    },
    'rubrics.list': () => services.store.rubrics.list(),
    'rubrics.save': ({ from, name, prompts }) => judging.saveRubric(from, { name, prompts }),
    'judgeRuns.list': () => services.store.judgeRuns.list().map(judgeRunInfo),
    'judgeRuns.get': ({ judgeRunId }) => judgeRunInfo(judging.judgeRun(judgeRunId)),
    'judgeRuns.create': (req) => {
      const run = judging.createJudgeRun(req);
      if (req.start) queue.enqueueJudgeRun(run.id);
      else services.events.emit('judgeRuns.changed', { judgeRunId: run.id, status: run.status });
      return judgeRunInfo(judging.judgeRun(run.id));
    },
    'judgeRuns.start': ({ judgeRunId }) => (queue.enqueueJudgeRun(judging.judgeRun(judgeRunId).id), judgeRunInfo(judging.judgeRun(judgeRunId))),
    'judgeRuns.pause': ({ judgeRunId }) => (queue.stopJudgeRun(judging.judgeRun(judgeRunId).id, 'pause'), judgeRunInfo(judging.judgeRun(judgeRunId))),
    'judgeRuns.cancel': ({ judgeRunId }) => (queue.stopJudgeRun(judging.judgeRun(judgeRunId).id, 'cancel'), judgeRunInfo(judging.judgeRun(judgeRunId))),
    'judgements.forGeneration': ({ generationId }) => {
      if (!services.store.reader.get(generationId)) throw new NotFoundError(`No generation with id ${generationId}.`);
      return services.store.judgements.forGeneration(generationId);
    },
    'judgements.humanAgreement': (req) => judgeHumanAgreement(services.store, req),

    'results.aspects': ({ filter, groupBy }) => results.aspects(filter, groupBy),
    'results.criticalErrors': ({ filter, source }) => results.criticalErrors(filter, source),
    'results.compare': (req) => results.compare(req),
    'results.table': (req) => results.table(req),
    'results.dpoPairs': ({ filter }) => results.dpoPairs(filter),
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
        return failure({ code: apiErrorCodeOf(err), message });
      }
    },
    subscribe: (listener) => services.events.subscribe(listener as never),
    shutdown: () => services.stopWork(),
  };
}

function failure(error: ApiErrorBody): ApiResult<ApiMethod> {
  return { ok: false, error };
}

const mappingOf = (id?: string, instruction?: string) => (id || instruction ? { id, instruction } : undefined);

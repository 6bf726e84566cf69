/**
 * The composition root: the only place that builds the store, the model slot and the services. The Electron
 * shell, `serve` and the CLI all call it, then hand the result to createApi().
 */
import { join } from 'node:path';
import { detectHardware, LlamaBackend } from '../core/inference';
import { readModelCatalogue } from '../core/models/downloadCatalogue';
import { isRemoteModelPath } from '../core/inference/openai';
import { listUrialPromptLangs, type PromptMethodOptions } from '../core/prompting';
import { BackendPool, type BackendLoader } from '../core/runs/BackendPool';
import { LEASE_HEARTBEAT_MS } from '../store/LeaseRepo';
import { openStore, type Store } from '../store/openStore';
import { APP_VERSION } from './app/appVersion';
import { AnnotationPackages } from './annotation/AnnotationPackages';
import { AnnotationService } from './annotation/AnnotationService';
import { AppSettingsService } from './app/appSettings';
import { FirstRunService } from './app/firstRun';
import { DatasetDownloads } from './datasets/DatasetDownloads';
import { DatasetsService } from './datasets/DatasetsService';
import { DetectionService } from './detection/DetectionService';
import { EventHub } from './events';
import { GenerationsService } from './generations/GenerationsService';
import { JudgeFiles } from './judging/JudgeFiles';
import { Judging, type SecretsPort } from './judging/Judging';
import { createModelDownloads } from './models/modelDownloads';
import { ModelLibrary } from './models/ModelLibrary';
import { Ownership } from './ownership';
import { loadRemoteBackend } from './models/remoteModels';
import { ReferenceService, type ReferenceOptions } from './reference/ReferenceService';
import { ResultsService } from './results/ResultsService';
import { RunQueue } from './runs/RunQueue';
import { RunsService } from './runs/RunsService';

export interface ServicesOptions {
  /** Folder of the SQLite store and app data. */
  dataDir: string;
  /** The app's resources/ folder (our own prompt files, sample data, the model catalogue). */
  resourcesDir: string;
  /**
   * Folder of the official URIAL prompt files (ALIGN_URIAL_DIR, or a checkout's ../shared), for English URIAL
   * without an explicit prompt file when the reference folders hold no verified copy.
   */
  urialOfficialDir?: string;
  /** Where else the official files are (ALIGN_REFERENCE_DIR) and, for tests only, where they are fetched from. */
  reference?: ReferenceOptions;
  /**
   * Run the critical-error detectors as each generation is stored (default). Off, they run only on request
   * (`detect --run`): for measuring the queue alone (bench P1).
   */
  detectOnGenerate?: boolean;
  /** Encrypts judges' API keys with the OS keychain (desktop app only); without it keys come from environment variables. */
  secrets?: SecretsPort;
  /** Loads a model into the slot; default: local GGUFs through llama.cpp, `openai:` paths on their server. Tests script it. */
  loadModel?: BackendLoader;
  /**
   * Long-lived processes (the app, serve): also look for dead owners every LEASE_HEARTBEAT_MS, not only at start,
   * so a CLI run killed meanwhile shows as interrupted without a restart. Short CLI commands look once.
   */
  watchStaleOwners?: boolean;
}

export type Services = ReturnType<typeof createServices>;

export function createServices(options: ServicesOptions) {
  const store: Store = openStore(join(options.dataDir, 'workbench.sqlite'));
  const events = new EventHub();
  // Work whose owner is gone (a crash, kill -9, a closed window) is marked interrupted before anything starts.
  const reclaimed = store.leases.reclaimStale();
  const ownership = new Ownership(store.leases);
  const settings = new AppSettingsService(store.settings, options.dataDir);
  const reference = new ReferenceService(settings, options.dataDir, options.reference ?? {}, (p) => events.emit('reference.progress', p));
  const prompting: PromptMethodOptions = {
    urialDirs: {
      resourcesDir: options.resourcesDir,
      // Read at each use: a fetch or a changed reference setting makes English URIAL available at once. A verified
      // copy comes first; the configured folder (ALIGN_URIAL_DIR) is used as it is.
      get officialDir() {
        return reference.urialDir() ?? options.urialOfficialDir;
      },
    },
  };

  const library = new ModelLibrary(store);
  // The one model slot, shared by generation runs and local judges: one model in memory at a time.
  const pool = new BackendPool(
    options.loadModel ??
      ((key, onProgress) =>
        // Remote models (`openai:<base url>#<model>`) run on their server; everything else is a local GGUF.
        isRemoteModelPath(key.modelPath) ? loadRemoteBackend(store.models, key.modelPath) : LlamaBackend.load({ ...key, onProgress })),
  );
  const datasets = new DatasetsService(store.datasets);
  const datasetDownloads = new DatasetDownloads({
    datasets,
    dir: join(options.dataDir, 'datasets'),
    onProgress: (p) => events.emit('datasetDownload.progress', p),
    // Like huggingface_hub's HF_ENDPOINT: a mirror, or a loopback server in tests.
    hfEndpoint: process.env.ALIGN_HF_ENDPOINT || undefined,
    hfToken: () => process.env.HF_TOKEN || undefined,
  });
  const detection = new DetectionService(store);
  const runs = new RunsService({ store, library, datasets, detection, pool, prompting, detectOnGenerate: options.detectOnGenerate !== false });
  const judging = new Judging({ store, library, pool, secrets: options.secrets, justEvalTemplatesDir: () => reference.justEvalTemplatesDir() });
  const queue = new RunQueue(store, runs, judging, ownership, {
    progress: (p) => events.emit('run.progress', p),
    changed: (runId, status) => events.emit('runs.changed', { runId, status }),
    judgeProgress: (p) => events.emit('judgeRun.progress', p),
    judgeChanged: (judgeRunId, status) => events.emit('judgeRuns.changed', { judgeRunId, status }),
  });
  const downloads = createModelDownloads(
    { downloads: store.downloads, library, downloadDir: () => settings.read().downloadDir, ownership, interrupted: reclaimed.downloads },
    {
      onProgress: (d) => events.emit('download.progress', d),
      onChanged: (downloadId, status) => events.emit('downloads.changed', { downloadId, status }),
    },
  );
  const stopSha = library.onSha((progress) => events.emit('models.sha', progress));
  // The pool owns the model slot's state: every load, unload or failure, by a run or a judge, is one event.
  pool.onState((state) => events.emit('model.state', state));
  const staleSweep = options.watchStaleOwners
    ? setInterval(() => {
        const found = store.leases.reclaimStale();
        for (const runId of found.runs) events.emit('runs.changed', { runId, status: 'interrupted' });
        for (const judgeRunId of found.judgeRuns) events.emit('judgeRuns.changed', { judgeRunId, status: 'interrupted' });
        downloads.markInterrupted(found.downloads);
      }, LEASE_HEARTBEAT_MS).unref()
    : undefined;

  let stopped: Promise<void> | undefined;
  /** Pauses running work (runs, judge runs, downloads) so all of it can resume; idempotent. */
  const stopWork = () =>
    (stopped ??= (async () => {
      clearInterval(staleSweep);
      stopSha();
      datasetDownloads.cancelAll();
      await downloads.shutdown();
      await queue.shutdown();
    })());

  return {
    version: APP_VERSION,
    options,
    /** For the composition root's users that seed or inspect data directly (tests, benches); services never share it further. */
    store,
    events,
    prompting,
    pool,
    library,
    downloads,
    settings,
    reference,
    firstRun: new FirstRunService(store, datasets, options.resourcesDir),
    datasets,
    /** Datasets fetched from Hugging Face or a URL, then imported. */
    datasetDownloads,
    detection,
    runs,
    queue,
    judging,
    generations: new GenerationsService(store, detection, datasets),
    /** Judge calls in and out of files (just-eval's judge files, JSONL). */
    judgeFiles: new JudgeFiles(store),
    annotation: new AnnotationService(store),
    /** Annotation packages: hand out, annotate offline, merge back. */
    packages: new AnnotationPackages(store),
    results: new ResultsService(store),
    hardware: detectHardware,
    /** The recommended small models (resources/catalogue/models.json). */
    catalogue: () => readModelCatalogue(options.resourcesDir),
    /** The URIAL prompt languages available without an explicit prompt file. */
    urialPromptLangs: () => listUrialPromptLangs(prompting.urialDirs!),
    stopWork,
    /** Stops work, frees the model and closes the store. */
    async close(): Promise<void> {
      await stopWork();
      await pool.unload();
      store.close();
    },
  };
}

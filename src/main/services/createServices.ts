/**
 * The composition root: the only place that builds the store, the model slot and the services. The Electron
 * shell, `serve` and the CLI all call it, then hand the result to createApi().
 */
import { join } from 'node:path';
import { detectHardware, LlamaBackend } from '../core/inference';
import { readModelCatalogue } from '../core/models/downloadCatalogue';
import { isRemoteModelPath } from '../core/inference/openai';
import { listUrialPromptLangs, type PromptMethodOptions } from '../core/prompting';
import { BackendPool } from '../core/runs/BackendPool';
import { openStore, type Store } from '../store/openStore';
import { APP_VERSION } from './app/appVersion';
import { AnnotationPackages } from './annotation/AnnotationPackages';
import { AnnotationService } from './annotation/AnnotationService';
import { AppSettingsService } from './app/appSettings';
import { FirstRunService } from './app/firstRun';
import { DatasetsService } from './datasets/DatasetsService';
import { DetectionService } from './detection/DetectionService';
import { EventHub } from './events';
import { GenerationsService } from './generations/GenerationsService';
import { JudgeFiles } from './judging/JudgeFiles';
import { Judging, type SecretsPort } from './judging/Judging';
import { createModelDownloads } from './models/modelDownloads';
import { ModelLibrary } from './models/ModelLibrary';
import { loadRemoteBackend } from './models/remoteModels';
import { justEvalTemplatesDir } from './reference/justEvalTemplatesDir';
import { ResultsService } from './results/ResultsService';
import { RunQueue } from './runs/RunQueue';
import { RunsService } from './runs/RunsService';

export interface ServicesOptions {
  /** Folder of the SQLite store and app data. */
  dataDir: string;
  /** The app's resources/ folder (our own prompt files, sample data, the model catalogue). */
  resourcesDir: string;
  /** Folder of the official URIAL prompt files, for English URIAL without an explicit prompt file. */
  urialOfficialDir?: string;
  /**
   * The last place the official reference files (Just-Eval templates…) are looked for, after ALIGN_REFERENCE_DIR
   * and `<dataDir>/reference`: the checkout's ../shared/data when it exists.
   */
  referenceFallbackDir?: string;
  /**
   * Run the critical-error detectors as each generation is stored (default). Off, they run only on request
   * (`detect --run`): for measuring the queue alone (bench P1).
   */
  detectOnGenerate?: boolean;
  /** Encrypts judges' API keys with the OS keychain (desktop app only); without it keys come from environment variables. */
  secrets?: SecretsPort;
}

export type Services = ReturnType<typeof createServices>;

export function createServices(options: ServicesOptions) {
  const store: Store = openStore(join(options.dataDir, 'workbench.sqlite'));
  const events = new EventHub();
  const prompting: PromptMethodOptions = { urialDirs: { resourcesDir: options.resourcesDir, officialDir: options.urialOfficialDir } };

  const reference = {
    /** The folder of the official Just-Eval judge templates, or an error naming the folders tried and how to set one. */
    justEvalTemplatesDir: () => justEvalTemplatesDir({ env: process.env.ALIGN_REFERENCE_DIR, dataDir: options.dataDir, fallback: options.referenceFallbackDir }),
  };

  const library = new ModelLibrary(store);
  // The one model slot, shared by generation runs and local judges: one model in memory at a time.
  const pool = new BackendPool((key, onProgress) =>
    // Remote models (`openai:<base url>#<model>`) run on their server; everything else is a local GGUF.
    isRemoteModelPath(key.modelPath) ? loadRemoteBackend(store.models, key.modelPath) : LlamaBackend.load({ ...key, onProgress }),
  );
  const settings = new AppSettingsService(store.settings, options.dataDir);
  const datasets = new DatasetsService(store.datasets);
  const detection = new DetectionService(store);
  const runs = new RunsService({ store, library, datasets, detection, pool, prompting, detectOnGenerate: options.detectOnGenerate !== false });
  const judging = new Judging({ store, library, pool, secrets: options.secrets, justEvalTemplatesDir: reference.justEvalTemplatesDir });
  const queue = new RunQueue(store, runs, judging, {
    progress: (p) => events.emit('run.progress', p),
    changed: (runId, status) => events.emit('runs.changed', { runId, status }),
    judgeProgress: (p) => events.emit('judgeRun.progress', p),
    judgeChanged: (judgeRunId, status) => events.emit('judgeRuns.changed', { judgeRunId, status }),
  });
  const downloads = createModelDownloads(
    { downloads: store.downloads, library, downloadDir: () => settings.read().downloadDir },
    {
      onProgress: (d) => events.emit('download.progress', d),
      onChanged: (downloadId, status) => events.emit('downloads.changed', { downloadId, status }),
    },
  );
  const stopSha = library.onSha((progress) => events.emit('models.sha', progress));
  // The pool owns the model slot's state: every load, unload or failure, by a run or a judge, is one event.
  pool.onState((state) => events.emit('model.state', state));

  let stopped: Promise<void> | undefined;
  /** Pauses running work (runs, judge runs, downloads) so all of it can resume; idempotent. */
  const stopWork = () =>
    (stopped ??= (async () => {
      stopSha();
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
    reference,
    pool,
    library,
    downloads,
    settings,
    firstRun: new FirstRunService(store, datasets, options.resourcesDir),
    datasets,
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

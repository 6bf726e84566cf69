import { join } from 'node:path';
import type { FirstRunInfo } from '../../../shared/app';
import type { DatasetRecord } from '../../store/DatasetRepo';
import type { Store } from '../../store/openStore';
import type { DatasetsService } from '../datasets/DatasetsService';

/** The built-in parallel sample (resources/datasets), by language; the first is the pivot of the parallel group. */
export const SAMPLE_LANGS = ['en', 'fr', 'es'] as const;
export const sampleDatasetName = (lang: string) => `sample-${lang}`;

/** FirstRunInfo with store records (the API maps them to DatasetInfo). */
export type FirstRunState = Omit<FirstRunInfo, 'sampleDatasets'> & { sampleDatasets: DatasetRecord[] };

const SAMPLE_IMPORTED = 'firstRun.sampleImported';
const WELCOME_DISMISSED = 'firstRun.welcomeDismissed';

/**
 * What the app shows at start. An empty store gets the sample dataset once (a user who deletes it does not get
 * it back); the welcome screen shows until there is a model or the user dismisses it.
 */
export class FirstRunService {
  constructor(
    private readonly store: Pick<Store, 'settings' | 'datasets' | 'models' | 'progress'>,
    private readonly datasets: DatasetsService,
    private readonly resourcesDir: string,
  ) {}

  /** Imports whichever sample languages are missing, linked as one parallel group; returns all three. */
  async ensureSampleDatasets(): Promise<DatasetRecord[]> {
    const pivot = sampleDatasetName(SAMPLE_LANGS[0]);
    const datasets: DatasetRecord[] = [];
    for (const lang of SAMPLE_LANGS) {
      const name = sampleDatasetName(lang);
      datasets.push(
        this.store.datasets.byName(name) ??
          (await this.datasets.import(join(this.resourcesDir, 'datasets', `sample.${lang}.jsonl`), {
            lang,
            name,
            parallelWith: name === pivot ? undefined : pivot,
          })),
      );
    }
    return datasets;
  }

  async state(): Promise<FirstRunState> {
    const { settings, datasets } = this.store;
    if (settings.get(SAMPLE_IMPORTED) !== true) {
      if (datasets.list().length === 0) await this.ensureSampleDatasets();
      settings.set(SAMPLE_IMPORTED, true);
    }
    return this.#info();
  }

  dismissWelcome(): FirstRunState {
    this.store.settings.set(WELCOME_DISMISSED, true);
    return this.#info();
  }

  #info(): FirstRunState {
    const { settings, datasets, models } = this.store;
    const modelCount = models.list().length;
    return {
      showWelcome: settings.get(WELCOME_DISMISSED) !== true && modelCount === 0,
      modelCount,
      progress: this.store.progress.counts(),
      sampleDatasets: SAMPLE_LANGS.map((lang) => datasets.byName(sampleDatasetName(lang))).filter((d): d is DatasetRecord => d !== undefined),
    };
  }
}

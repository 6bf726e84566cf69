import { join } from 'node:path';
import type { FirstRunInfo } from '../../shared/api';
import type { DatasetRecord } from '../store/DatasetRepo';
import type { Workbench } from './Workbench';

/** The built-in parallel sample (resources/datasets), by language; the first is the pivot of the parallel group. */
export const SAMPLE_LANGS = ['en', 'fr', 'es'] as const;
export const sampleDatasetName = (lang: string) => `sample-${lang}`;

/** FirstRunInfo with store records (the API maps them to DatasetInfo). */
export type FirstRunState = Omit<FirstRunInfo, 'sampleDatasets'> & { sampleDatasets: DatasetRecord[] };

const SAMPLE_IMPORTED = 'firstRun.sampleImported';
const WELCOME_DISMISSED = 'firstRun.welcomeDismissed';

/** Imports whichever sample languages are missing, linked as one parallel group; returns all three. */
export async function ensureSampleDatasets(workbench: Workbench): Promise<DatasetRecord[]> {
  const pivot = sampleDatasetName(SAMPLE_LANGS[0]);
  const datasets: DatasetRecord[] = [];
  for (const lang of SAMPLE_LANGS) {
    const name = sampleDatasetName(lang);
    datasets.push(
      workbench.store.datasets.byName(name) ??
        (await workbench.importDataset(join(workbench.options.resourcesDir, 'datasets', `sample.${lang}.jsonl`), {
          lang,
          name,
          parallelWith: name === pivot ? undefined : pivot,
        })),
    );
  }
  return datasets;
}

/**
 * What the app shows at start. An empty store gets the sample dataset once (a user who deletes it does not get
 * it back); the welcome screen shows until there is a model or the user dismisses it.
 */
export async function firstRun(workbench: Workbench): Promise<FirstRunState> {
  const { settings, datasets } = workbench.store;
  if (settings.get(SAMPLE_IMPORTED) !== true) {
    if (datasets.list().length === 0) await ensureSampleDatasets(workbench);
    settings.set(SAMPLE_IMPORTED, true);
  }
  return firstRunInfo(workbench);
}

export function dismissWelcome(workbench: Workbench): FirstRunState {
  workbench.store.settings.set(WELCOME_DISMISSED, true);
  return firstRunInfo(workbench);
}

function firstRunInfo(workbench: Workbench): FirstRunState {
  const { settings, datasets, models } = workbench.store;
  const modelCount = models.list().length;
  return {
    showWelcome: settings.get(WELCOME_DISMISSED) !== true && modelCount === 0,
    modelCount,
    progress: workbench.store.progress.counts(),
    sampleDatasets: SAMPLE_LANGS.map((lang) => datasets.byName(sampleDatasetName(lang))).filter((d): d is DatasetRecord => d !== undefined),
  };
}

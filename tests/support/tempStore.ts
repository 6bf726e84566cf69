/**
 * A real SQLite store in a temp folder (openStore, migrations, the real repos) holding what a generation run
 * needs: a model record, a dataset and a run. For model-free pipeline tests: the model file is never opened
 * (FakeModels loads nothing), only its path reaches the pool.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { openStore, type Store } from '../../src/main/store/openStore';
import type { DatasetRecord } from '../../src/main/store/DatasetRepo';
import type { RunRecord } from '../../src/main/store/RunRepo';
import { DEFAULT_SAMPLER } from '../../src/shared/defaults';
import type { BackendConfig, Item, Lang, MethodConfig, ModelInfo, SamplerConfig } from '../../src/shared/domain';

export interface TempStore {
  store: Store;
  /** Closes the store and deletes its folder. */
  dispose(): void;
}

export function openTempStore(): TempStore {
  const dir = mkdtempSync(join(tmpdir(), 'align-pipeline-'));
  const store = openStore(join(dir, 'workbench.sqlite'));
  return {
    store,
    dispose: () => {
      store.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Items "1".."n"; each instruction carries its id as #item-<id>#, so a script can tell which item a prompt is for. */
export const numberedItems = (n: number, category = 'regular'): Item[] =>
  Array.from({ length: n }, (_, i) => ({ id: String(i + 1), instruction: `Question #item-${i + 1}# : dites bonjour.`, category, metadata: {} }));

/** The item id a prompt of numberedItems is for. */
export function itemIdIn(text: string): string {
  const id = /#item-(\w+)#/.exec(text)?.[1];
  if (id === undefined) throw new Error(`No #item-<id># in the prompt: ${text.slice(-200)}`);
  return id;
}

export function addModel(store: Store, path: string): ModelInfo {
  return store.models.upsert({
    path,
    name: basename(path),
    sha256: `sha256-of-${basename(path)}`,
    sizeBytes: 1,
    architecture: 'llama',
    parameterCount: 260_000,
    quantization: null,
    trainContextSize: 4096,
    chatTemplate: null,
    runnable: true,
    metadata: {},
  });
}

export function addDataset(store: Store, items: Item[], lang: Lang = 'fr'): DatasetRecord {
  const name = `dataset-${store.datasets.list().length + 1}`;
  return store.datasets.insert({ name, lang, sourcePath: `/data/${name}.jsonl`, sourceSha256: `sha256-of-${name}`, format: 'jsonl' }, items);
}

export interface RunSettings {
  method?: MethodConfig;
  sampler?: Partial<SamplerConfig>;
  backend?: Partial<BackendConfig>;
}

/** A generation run over every item of the dataset, planned as runs.create plans it (config + frozen item list). */
export function addRun(store: Store, model: ModelInfo, dataset: DatasetRecord, settings: RunSettings = {}): RunRecord {
  const method = settings.method ?? { method: 'zero-shot' };
  return store.runs.insert({
    name: `run-${store.runs.list().length + 1}`,
    kind: 'generate',
    modelId: model.id,
    datasetId: dataset.id,
    config: {
      modelId: model.id,
      datasetId: dataset.id,
      subset: {},
      method,
      sampler: { ...DEFAULT_SAMPLER, ...settings.sampler },
      backend: { gpu: 'cpu', threads: 1, contextSize: 'auto', parallel: 1, ...settings.backend },
    },
    method: { method: method.method },
    environment: {},
    status: 'pending',
    itemIds: store.datasets.items(dataset.id).map((item) => item.id),
  });
}

import type { RunStorePort } from '../../core/runs/RunStorePort';
import type { Store } from '../../store/openStore';

/** Adapts the SQLite store to the run queue's port. */
export function storePort(store: Pick<Store, 'runs' | 'datasets' | 'generations' | 'models'>): RunStorePort {
  return {
    getRun: (runId) => store.runs.get(runId),
    plannedItems: (runId) => store.datasets.itemsOfRun(runId),
    finishedItemIds: (runId) => store.generations.finishedItemIds(runId),
    modelPath: (modelId) => {
      const model = store.models.get(modelId);
      if (!model) throw new Error(`Model ${modelId} is not in the library any more. Add it again with "models add".`);
      return model.path;
    },
    saveGeneration: (generation) => store.generations.insert(generation),
    setStatus: (runId, status, error) => store.runs.setStatus(runId, status, error ?? null),
    recordEnvironment: (runId, environment) => store.runs.mergeEnvironment(runId, environment),
  };
}

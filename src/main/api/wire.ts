import type { DatasetInfo } from '../../shared/datasets';
import type { FirstRunInfo } from '../../shared/app';
import type { JudgeRunInfo } from '../../shared/judgeRuns';
import type { RunInfo } from '../../shared/runs';
import type { FirstRunState } from '../services/app/firstRun';
import type { Services } from '../services/createServices';
import { runMethodLabel } from '../services/runs/runMethodLabel';

// The services' records, named by what the services return (the API never reaches into the store).
type DatasetRecord = ReturnType<Services['datasets']['resolve']>;
type RunRecord = ReturnType<Services['runs']['get']>;
type JudgeRunRecord = ReturnType<Services['judging']['judgeRun']>;

/** Maps store records to the contract's wire types (adding live state: progress from the queue). */
export function wireMappers(services: Services) {
  const { store, queue, judging } = services;
  const datasetInfo = (d: DatasetRecord): DatasetInfo => ({
    id: d.id,
    name: d.name,
    lang: d.lang,
    format: d.format,
    itemCount: d.itemCount,
    parallelGroup: d.parallelGroup,
    sourcePath: d.sourcePath,
    createdAt: d.createdAt,
    ...services.datasets.facets(d.id),
  });
  const runInfo = (r: RunRecord): RunInfo => {
    const dataset = store.datasets.get(r.datasetId)!;
    const model = r.modelId != null ? store.models.get(r.modelId) : undefined;
    const summary = store.runs.summary(r.id);
    const failed = summary.finishReasons.error ?? 0;
    return {
      id: r.id,
      name: r.name,
      kind: r.kind,
      status: r.status,
      error: r.error,
      total: r.total,
      done: r.done - failed,
      failed,
      ...summary,
      modelId: r.modelId,
      modelName: model?.name ?? null,
      datasetId: r.datasetId,
      datasetName: dataset.name,
      lang: dataset.lang,
      method: r.method.method ?? 'unknown',
      methodLabel: runMethodLabel(r, dataset.lang),
      promptLang: r.config?.method.promptLang ?? null,
      config: r.config,
      provenance: r.method,
      environment: r.environment,
      createdAt: r.createdAt,
      progress: queue.progressOf(r.id),
    };
  };
  const judgeRunInfo = (r: JudgeRunRecord): JudgeRunInfo => judging.judgeRunInfo(r, queue.judgeProgressOf(r.id));
  const firstRunInfo = (state: FirstRunState): FirstRunInfo => ({ ...state, sampleDatasets: state.sampleDatasets.map(datasetInfo) });
  return { datasetInfo, runInfo, judgeRunInfo, firstRunInfo };
}

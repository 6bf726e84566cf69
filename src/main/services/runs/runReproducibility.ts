import type { ReproducibilityRecord } from '../../../shared/runs';
import type { Store } from '../../store/openStore';
import type { RunRecord } from '../../store/RunRepo';
import { APP_VERSION } from '../app/appVersion';
import { processEnvironment } from '../environment';
import { Conflict, NotFoundError } from '../errors';
import type { RunsService } from './RunsService';

/** Version of the record's shape, so outside scripts can tell what they read. */
export const REPRODUCIBILITY_FORMAT = 'align-workbench/reproducibility@1';

/**
 * Everything needed to reproduce a run, as one JSON object: the model file (sha256, GGUF metadata, quantization),
 * the dataset and the frozen item list, the method with its prompt file hash and the exact chat template text, the
 * sampler and seed, the backend settings, the library versions the run recorded (node-llama-cpp, llama.cpp), the
 * app version, and the judges and rubric versions behind the run's judgements.
 */
export function reproducibilityRecord(store: Pick<Store, 'models' | 'datasets' | 'judgements' | 'runs'>, runs: RunsService, runId: number): ReproducibilityRecord {
  const run = runs.get(runId);
  const model = run.modelId != null ? store.models.get(run.modelId) : undefined;
  const dataset = store.datasets.get(run.datasetId)!;
  const method = run.config?.method ?? null;
  // The chat template that shaped the prompts: a named wrapper override, else the GGUF's own template text.
  const chatTemplate =
    method?.method !== 'chat' ? null : method.chatTemplate ? { wrapper: method.chatTemplate } : { text: model?.chatTemplate ?? null, source: 'gguf' };
  const judging = store.judgements.judgingSummary(runId);
  return {
    format: REPRODUCIBILITY_FORMAT,
    run: { id: run.id, name: run.name, kind: run.kind, status: run.status, createdAt: run.createdAt, total: run.total, generations: run.done },
    app: { version: APP_VERSION, atCreation: run.environment.app ?? null },
    environment: run.environment,
    model: model
      ? {
          id: model.id,
          name: model.name,
          path: model.path,
          sha256: model.sha256,
          sizeBytes: model.sizeBytes,
          architecture: model.architecture,
          parameterCount: model.parameterCount,
          quantization: model.quantization,
          trainContextSize: model.trainContextSize,
          ggufMetadata: model.metadata,
        }
      : null,
    dataset: {
      id: dataset.id,
      name: dataset.name,
      lang: dataset.lang,
      sourcePath: dataset.sourcePath,
      sourceSha256: dataset.sourceSha256,
      format: dataset.format,
      itemIds: store.runs.itemIds(run.id),
    },
    method: { config: method, provenance: run.method, promptFileSha256: run.method.promptSha256 ?? null, chatTemplate },
    subset: run.config?.subset ?? null,
    sampler: run.config?.sampler ?? null,
    seed: run.config?.sampler.seed ?? null,
    backend: run.config?.backend ?? null,
    judgements: judging.map((j) => ({
      judge: j.judge,
      judgeName: j.judge_name,
      rubricVersion: j.rubric_version,
      judgeLang: j.judge_lang,
      calls: j.calls,
      repeats: j.repeats,
      naCalls: j.na,
      judgeRunIds: j.judge_runs ? j.judge_runs.split(',').map(Number) : [],
      environment: JSON.parse(j.environment_json) as Record<string, string>,
    })),
  };
}

/**
 * A new run with exactly the settings of `runId`: the same config (model, dataset, subset, method, sampler with
 * its seed, backend) and the same frozen item list. Refused when the model file or the URIAL prompt file no longer
 * has the hash the run recorded: the new run could not reproduce the old one.
 */
export async function rerun(store: Pick<Store, 'models' | 'runs'>, runs: RunsService, runId: number): Promise<RunRecord> {
  const run = runs.get(runId);
  if (run.kind !== 'generate' || !run.config) throw new Conflict(`Run ${runId} holds imported outputs: there are no generation settings to re-run.`);
  const { config } = run;
  const recorded = store.models.get(config.modelId);
  if (!recorded) throw new NotFoundError(`Model ${config.modelId} of run ${runId} is not in the library any more. Add it again with "models add".`);
  const plan = await runs.plan({
    ...config.method,
    model: String(config.modelId),
    dataset: String(config.datasetId),
    subset: config.subset,
  });
  if (plan.model.sha256 !== recorded.sha256)
    throw new Conflict(`The model file ${recorded.path} changed since run ${runId} (sha256 ${recorded.sha256} then, ${plan.model.sha256} now): a re-run would not reproduce it.`);
  const promptSha = run.method.promptSha256;
  const promptShaNow = (plan.described as Record<string, unknown>).promptSha256;
  if (promptSha && promptShaNow !== promptSha)
    throw new Conflict(`The prompt file ${run.method.promptFile ?? ''} changed since run ${runId} (sha256 ${promptSha} then, ${String(promptShaNow ?? 'none')} now): a re-run would not reproduce it.`);
  return store.runs.insert({
    name: `${run.name} · re-run of #${run.id}`,
    kind: 'generate',
    modelId: config.modelId,
    datasetId: config.datasetId,
    config,
    method: { ...run.method, rerunOf: String(run.id) },
    environment: processEnvironment(),
    status: 'pending',
    itemIds: store.runs.itemIds(run.id),
  });
}

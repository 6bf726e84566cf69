import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { DEFAULT_BACKEND, DEFAULT_SAMPLER } from '../../../shared/defaults';
import type { BackendConfig, MethodConfig, RunProgress, RunStatus, SamplerConfig } from '../../../shared/domain';
import { methodLabel } from '../../../shared/methodLabel';
import { DECODING_PRESETS, presetDeviations } from '../../../shared/presets';
import type { RunDeleteRequest, RunDeletion, RunPlanRequest } from '../../../shared/runs';
import { selectSubset } from '../../core/datasets';
import { identifyLanguage } from '../../core/detectors';
import { decideUrialPromptLanguage, getPromptMethod, resolveUrialPromptFile, type PromptMethodOptions } from '../../core/prompting';
import type { BackendPool } from '../../core/runs/BackendPool';
import { executeRun } from '../../core/runs/executeRun';
import type { DatasetRecord } from '../../store/DatasetRepo';
import type { Store } from '../../store/openStore';
import type { RunRecord } from '../../store/RunRepo';
import type { DatasetsService } from '../datasets/DatasetsService';
import type { DetectionService } from '../detection/DetectionService';
import { processEnvironment } from '../environment';
import { Conflict, InputError, NotFoundError } from '../errors';
import type { ModelLibrary } from '../models/ModelLibrary';
import { checkRemoteMethod } from '../models/remoteModels';
import { expandBatch, type CreateRunRequest } from './expandBatch';
import { storePort } from './storePort';

/** The repositories runs read and write. */
export type RunsStore = Pick<Store, 'runs' | 'datasets' | 'generations' | 'models'>;

export interface RunsServiceDeps {
  store: RunsStore;
  library: ModelLibrary;
  datasets: DatasetsService;
  detection: DetectionService;
  /** The one model slot, shared with local judges. */
  pool: BackendPool;
  prompting: PromptMethodOptions;
  /** Detect critical errors as each generation is stored (default); off only to measure the queue alone (bench P1). */
  detectOnGenerate: boolean;
}

/** Generation runs: planning (models × methods × datasets), creation with frozen items, and execution in this process. */
export class RunsService {
  constructor(private readonly deps: RunsServiceDeps) {}

  /** Resolves and checks everything a run needs, without creating it (the composer's preview). */
  async plan(request: CreateRunRequest) {
    const model = await this.deps.library.resolve(request.model);
    if (!model.runnable) throw new InputError(`Model ${model.id} (${model.path}) is vocab-only: it has no weights to generate with.`);
    const dataset = this.deps.datasets.resolve(request.dataset);
    const { method, promptLanguage } = await this.#methodConfig(request, dataset);
    // Prepared here so a bad prompt file or template fails at planning, not mid-run.
    const prepared = getPromptMethod(method.method, this.deps.prompting).prepare(method);
    const selection = selectSubset(this.deps.store.datasets.items(dataset.id), request.subset ?? {});
    if (selection.items.length === 0) throw new InputError(`The subset selects no items of dataset "${dataset.name}".`);
    // The stop and cleaning rules are the method's, the same for every item: recorded once with the run.
    const { stop, clean, kind } = prepared.build(selection.items[0]!);
    checkRemoteMethod(model, kind);
    const described = { ...prepared.describe(), ...promptLanguage, stop: JSON.stringify(stop), clean };
    return {
      model,
      dataset,
      method,
      methodLabel: methodLabel(method.method, method.promptLang, dataset.lang),
      described,
      /** The prepared method and the selected items: what the plan's prompt checks build prompts from. */
      prepared,
      selected: selection.items,
      items: selection.items.length,
      itemIds: selection.items.map((i) => i.id),
      promptLang: method.promptLang ?? null,
      promptLangDetected: promptLanguage?.promptLangDetected ?? null,
    };
  }

  /** The runs a plan expands to (see expandBatch), each planned. */
  planBatch(request: RunPlanRequest) {
    return Promise.all(this.expand(request).map(async (run) => ({ run, plan: await this.plan(run) })));
  }

  expand(request: RunPlanRequest): CreateRunRequest[] {
    return expandBatch(request, (family) => this.deps.library.familyPlan(family));
  }

  /**
   * Seconds for `items` generations of up to `maxTokens`, from the output speed measured on this machine
   * (median tokens/s of recent generations); null before anything has been generated here.
   */
  estimateSeconds(items: number, { maxTokens = DEFAULT_SAMPLER.maxTokens }: { maxTokens?: number } = {}): number | null {
    const speeds = this.deps.store.generations.recentSpeeds(200).sort((a, b) => a - b);
    if (speeds.length === 0) return null;
    return (items * maxTokens) / speeds[Math.floor(speeds.length / 2)]!;
  }

  async create(request: CreateRunRequest): Promise<RunRecord> {
    const { model, dataset, method, methodLabel: label, described, itemIds } = await this.plan(request);
    // A preset sets the sampler's base; fields given explicitly override it (and then its name is not recorded).
    const sampler: SamplerConfig = { ...DEFAULT_SAMPLER, ...(request.preset && DECODING_PRESETS[request.preset].values), ...request.sampler };
    const preset = request.preset && presetDeviations(request.preset, sampler).length === 0 ? request.preset : undefined;
    const backend: BackendConfig = { ...DEFAULT_BACKEND, threads: await this.deps.library.threadsFor(model), ...request.backend };
    return this.deps.store.runs.insert({
      name: request.name ?? `${model.name} · ${label} · ${dataset.name}`,
      kind: 'generate',
      modelId: model.id,
      datasetId: dataset.id,
      config: { modelId: model.id, datasetId: dataset.id, subset: request.subset ?? {}, method, sampler, backend, ...(preset && { preset }) },
      method: { ...described, method: method.method, repeatPenaltyScope: repeatPenaltyScope(sampler) },
      environment: processEnvironment(),
      status: 'pending',
      itemIds,
    });
  }

  /** Creates the runs of a batch (see expandBatch: models × methods, families × fitting methods, × datasets). */
  async createBatch(request: RunPlanRequest): Promise<RunRecord[]> {
    const runs: RunRecord[] = [];
    for (const run of this.expand(request)) runs.push(await this.create(run));
    return runs;
  }

  get(runId: number): RunRecord {
    const run = this.deps.store.runs.get(runId);
    if (!run) throw new NotFoundError(`No run with id ${runId}. List them with "runs list".`);
    return run;
  }

  /** Deletes a run with everything made from it (or, with `dryRun`, counts it): see RunRepo.delete. */
  remove(request: RunDeleteRequest): RunDeletion {
    return this.deps.store.runs.delete(request);
  }

  /** A run that generates (not one of imported outputs), for starting or retrying. */
  generating(runId: number, action: string): RunRecord {
    const run = this.get(runId);
    if (run.kind !== 'generate') throw new Conflict(`Run ${runId} holds imported outputs: there is nothing to ${action}.`);
    return run;
  }

  /** Runs (or resumes) a run in this process; resolves with the final status (paused/cancelled on `signal`). The queue calls it. */
  async execute(
    runId: number,
    options: { signal?: AbortSignal; onProgress?: (p: RunProgress) => void; onModelLoad?: (fraction: number) => void } = {},
  ): Promise<RunStatus> {
    const { detection, detectOnGenerate } = this.deps;
    const status = await executeRun(runId, {
      store: storePort(this.deps.store),
      pool: this.deps.pool,
      prompting: this.deps.prompting,
      // Detectors run as each generation lands, so flags are there while the run is still going.
      afterSave: detectOnGenerate ? (generationId) => detection.detectGenerations([generationId]).then(() => undefined) : undefined,
      ...options,
    });
    // A process killed mid-run may have stored generations whose detection had not run yet: catch up.
    if (detectOnGenerate) await detection.detectRun(runId);
    return status;
  }

  async #methodConfig(request: CreateRunRequest, dataset: DatasetRecord): Promise<{ method: MethodConfig; promptLanguage?: Record<string, string> }> {
    const method: MethodConfig = { method: request.method };
    let promptLanguage: Record<string, string> | undefined;
    if (request.method === 'urial') {
      // A shipped prompt is chosen by language, so its language is known; a file given by path is checked.
      const shipped = !request.promptFile;
      const shippedLang = request.promptLang ?? dataset.lang;
      method.promptFile = shipped ? resolveUrialPromptFile(shippedLang, this.deps.prompting.urialDirs!) : resolve(request.promptFile!);
      if (!existsSync(method.promptFile)) throw new InputError(`URIAL prompt file not found: ${method.promptFile}`);
      const decision = await decideUrialPromptLanguage({
        path: method.promptFile,
        datasetLang: dataset.lang,
        declared: shipped ? shippedLang : request.promptLang,
        // Choosing a prompt language for the shipped prompts (a study arm) is asking explicitly.
        allowMismatch: request.allowPromptLangMismatch === true || (shipped && request.promptLang !== undefined),
        identify: identifyLanguage,
      });
      method.promptLang = decision.promptLang;
      promptLanguage = decision.describe;
    }
    if (request.method === 'chat') {
      // Pinned at creation and stored with the run, so a resumed run renders the same date.
      method.chatDate = request.chatDate ?? new Date().toISOString().slice(0, 10);
      if (request.allowSystemFold) method.allowSystemFold = true;
    }
    if (request.systemPrompt) method.systemPrompt = request.systemPrompt;
    if (request.chatTemplate) method.chatTemplate = request.chatTemplate;
    if (request.template) method.template = request.template;
    return { method, promptLanguage };
  }
}

/**
 * How the repeat penalty's reach compares with the URIAL authors' HF/vLLM setting, which penalises the whole
 * prompt and output: recorded with every run so a deviation is visible in its provenance.
 */
function repeatPenaltyScope(sampler: SamplerConfig): string {
  if (sampler.repeatPenalty === 1) return 'off';
  return sampler.repeatPenaltyWindow === 'all'
    ? 'whole prompt and output (as HF/vLLM)'
    : `last ${sampler.repeatPenaltyWindow} tokens (deviates from HF/vLLM, which penalise the whole prompt and output)`;
}

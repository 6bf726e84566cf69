import type { ModelFit, ModelFitRequest } from '../../shared/api';
import { DEFAULT_BACKEND } from '../../shared/defaults';
import type { BackendConfig, Item, MethodConfig, ModelInfo, Subset } from '../../shared/domain';
import { selectSubset } from '../core/datasets';
import { countPromptTokens, estimateMemory } from '../core/inference';
import { isRemoteModelPath } from '../core/inference/openai';
import { getPromptMethod, type PreparedMethod } from '../core/prompting';
import { promptPlanWarnings } from '../core/runs/planWarnings';
import type { Workbench } from './Workbench';

/** The memory estimate of a model + context against the free memory (no weights loaded). */
export async function fitModel(model: ModelInfo, req: Omit<ModelFitRequest, 'modelId'>): Promise<ModelFit> {
  if (!model.runnable) throw new Error(`Model ${model.id} (${model.name}) is vocab-only: it has no weights, so it needs no memory estimate.`);
  if (isRemoteModelPath(model.path)) throw new Error(`Model ${model.id} (${model.name}) runs on a remote server: its memory is not on this machine.`);
  const e = await estimateMemory({ modelPath: model.path, contextSize: req.contextSize, sequences: req.parallel ?? 1, gpu: req.gpu ?? DEFAULT_BACKEND.gpu });
  return {
    modelId: model.id,
    contextSize: e.contextSize,
    sequences: e.sequences,
    gpuLayers: e.gpuLayers,
    totalLayers: e.totalLayers,
    trainContextSize: e.trainContextSize,
    fits: e.fits,
    problem: e.problem,
    model: e.needs.model,
    context: e.needs.context,
    required: e.required,
    available: e.available,
  };
}

/**
 * Room assumed for the prompt when the context is "auto" (sized by the run from its longest prompt, which only
 * tokenizing with the loaded model can tell): URIAL's longest preamble is ~3.4k tokens with the tiniest vocabulary.
 */
const AUTO_PROMPT_ALLOWANCE = 4096;

/**
 * Warnings for a plan, one per model that will not fit: checked at the explicit context size, or for "auto" at
 * max tokens + AUTO_PROMPT_ALLOWANCE. A run checks its real size again before it creates the context.
 */
export async function planFitWarnings(models: ModelInfo[], backend: Partial<BackendConfig> | undefined, maxTokens: number): Promise<string[]> {
  const warnings: string[] = [];
  for (const model of models) {
    if (!model.runnable || isRemoteModelPath(model.path)) continue;
    const explicit = typeof backend?.contextSize === 'number' ? backend.contextSize : null;
    const contextSize = explicit ?? maxTokens + AUTO_PROMPT_ALLOWANCE;
    try {
      const fit = await fitModel(model, { contextSize, parallel: backend?.parallel, gpu: backend?.gpu });
      if (!fit.fits) {
        const at = explicit ? `a context of ${contextSize} tokens` : `about ${contextSize} tokens of context ("auto": max tokens + ${AUTO_PROMPT_ALLOWANCE} for the prompt)`;
        warnings.push(`${model.name} at ${at} × ${fit.sequences} sequence(s): ${fit.problem}`);
      }
    } catch (err) {
      warnings.push(`${model.name}: the memory estimate failed (${err instanceof Error ? err.message : String(err)}).`);
    }
  }
  return warnings;
}

/** One planned run as `Workbench.planRun` describes it, with the subset it was asked for. */
export interface PlannedRunForWarnings {
  r: { subset?: Subset };
  plan: { model: ModelInfo; dataset: { id: number }; method: MethodConfig };
}

/**
 * Warnings about the prompts of a plan (see promptPlanWarnings): the longest prompt is counted with the model's
 * own tokenizer (vocabulary only), over the items the run will generate.
 */
export async function planPromptWarnings(workbench: Workbench, runs: PlannedRunForWarnings[], maxTokens: number): Promise<string[]> {
  // The same prompt options as Workbench.planRun builds (it does not expose its prepared method).
  const prompting = { urialDirs: { resourcesDir: workbench.options.resourcesDir, officialDir: workbench.options.urialOfficialDir } };
  const warnings: string[] = [];
  for (const { r, plan } of runs) {
    const { model, method } = plan;
    const items = selectSubset(workbench.store.datasets.items(plan.dataset.id), r.subset ?? {}).items;
    try {
      warnings.push(
        ...promptPlanWarnings({
          modelName: model.name,
          method: method.method,
          promptLang: method.promptLang ?? null,
          trainContextSize: model.trainContextSize,
          hasChatTemplate: model.chatTemplate !== null,
          chatTemplateOverride: (method.chatTemplate ?? '').trim() !== '',
          longestPromptTokens: await longestPromptTokens(model, getPromptMethod(method.method, prompting).prepare(method).build, items),
          maxTokens,
        }),
      );
    } catch (err) {
      warnings.push(`${model.name} · ${method.method}: the prompt length could not be checked (${err instanceof Error ? err.message : String(err)}).`);
    }
  }
  return warnings;
}

/** Tokens of the longest completion prompt; null for chat prompts, remote models and models without a context length. */
async function longestPromptTokens(model: ModelInfo, build: PreparedMethod['build'], items: Item[]): Promise<number | null> {
  if (isRemoteModelPath(model.path) || model.trainContextSize === null || items.length === 0) return null;
  const specs = items.map((item) => build(item));
  const first = specs[0]!;
  if (first.kind !== 'completion') return null;
  const rests = specs.map((s) => (s.kind === 'completion' ? s.text.slice(s.prefix.length) : ''));
  return Math.max(...(await countPromptTokens(model.path, first.prefix, rests)));
}

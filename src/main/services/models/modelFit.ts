import type { ModelFit, ModelFitRequest } from '../../../shared/api';
import { DEFAULT_BACKEND } from '../../../shared/defaults';
import type { BackendConfig, ModelInfo } from '../../../shared/domain';
import { estimateMemory } from '../../core/inference';
import { isRemoteModelPath } from '../../core/inference/openai';

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

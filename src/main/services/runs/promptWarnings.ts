import type { Item, ModelInfo } from '../../../shared/domain';
import { countPromptTokens } from '../../core/inference';
import { isRemoteModelPath } from '../../core/inference/openai';
import type { PreparedMethod } from '../../core/prompting';
import { promptPlanWarnings } from '../../core/runs/planWarnings';
import type { RunsService } from './RunsService';

type Planned = Awaited<ReturnType<RunsService['planBatch']>>[number];

/**
 * Warnings before a doomed run, with numbers: prompt + max tokens beyond the model's trained context, the chat
 * method on a model without a chat template, URIAL on a chat model. Prompts are counted with the model's own
 * tokenizer (vocabulary only), from the plan's prepared method and selected items.
 */
export async function planPromptWarnings(planned: readonly Planned[], maxTokens: number): Promise<string[]> {
  const warnings: string[] = [];
  for (const { plan } of planned) {
    const { model, method } = plan;
    try {
      warnings.push(
        ...promptPlanWarnings({
          modelName: model.name,
          method: method.method,
          promptLang: method.promptLang ?? null,
          trainContextSize: model.trainContextSize,
          hasChatTemplate: model.chatTemplate !== null,
          chatTemplateOverride: (method.chatTemplate ?? '').trim() !== '',
          longestPromptTokens: await longestPromptTokens(model, plan.prepared.build, plan.selected),
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
async function longestPromptTokens(model: ModelInfo, build: PreparedMethod['build'], items: readonly Item[]): Promise<number | null> {
  if (isRemoteModelPath(model.path) || model.trainContextSize === null || items.length === 0) return null;
  const specs = items.map((item) => build(item));
  const first = specs[0]!;
  if (first.kind !== 'completion') return null;
  const rests = specs.map((s) => (s.kind === 'completion' ? s.text.slice(s.prefix.length) : ''));
  return Math.max(...(await countPromptTokens(model.path, first.prefix, rests)));
}

import type { MethodName } from '../../../shared/domain';

/** What is known about one planned run before anything loads: the model's metadata and its longest prompt. */
export interface PlannedPromptFacts {
  modelName: string;
  method: MethodName;
  promptLang: string | null;
  /** The model's trained context (GGUF `<arch>.context_length`); null when the file does not say. */
  trainContextSize: number | null;
  /** The GGUF carries a chat template (an instruction-tuned model, as far as the file tells). */
  hasChatTemplate: boolean;
  /** The run gives its own chat template (a named wrapper), so the model's is not needed. */
  chatTemplateOverride: boolean;
  /** Tokens of the longest prompt among the run's items (completion methods); null for chat prompts. */
  longestPromptTokens: number | null;
  maxTokens: number;
}

const n = (x: number) => x.toLocaleString('en-US');

/**
 * Warnings for a run that is doomed or dubious before it starts, with the numbers: prompt + max tokens beyond
 * the trained context (the output is cut, or the context cannot be made); the chat method on a model without
 * a chat template; URIAL on a model that has one (allowed: URIAL is meant for base models, so it is said).
 */
export function promptPlanWarnings(f: PlannedPromptFacts): string[] {
  const run = `${f.modelName} · ${f.method}${f.promptLang ? ` (${f.promptLang})` : ''}`;
  const warnings: string[] = [];
  if (f.longestPromptTokens !== null && f.trainContextSize !== null && f.longestPromptTokens + f.maxTokens > f.trainContextSize) {
    const fitsPromptOnly = f.longestPromptTokens < f.trainContextSize;
    warnings.push(
      `${run}: the longest prompt plus max tokens exceed the model's trained context: ` +
        `${n(f.longestPromptTokens)} + ${n(f.maxTokens)} > ${n(f.trainContextSize)} tokens. ` +
        (fitsPromptOnly
          ? `Outputs would be cut at ${n(f.trainContextSize - f.longestPromptTokens)} tokens or less: lower max tokens, use a shorter prompt file, or a model with a longer context.`
          : 'The prompt alone does not fit: use a shorter prompt file (e.g. fewer URIAL examples) or a model with a longer context.'),
    );
  }
  if (f.method === 'chat' && !f.hasChatTemplate && !f.chatTemplateOverride) {
    warnings.push(
      `${run}: the model has no chat template (a base model?), so the chat method has no format to follow. ` +
        'Use zero-shot or URIAL for a base model, or choose a chat template for the run.',
    );
  }
  if (f.method === 'urial' && f.hasChatTemplate) {
    warnings.push(
      `${run}: the model has a chat template (an instruction-tuned model). URIAL is meant for base models; ` +
        'the run is allowed, but it measures in-context alignment on a model that is already aligned.',
    );
  }
  return warnings;
}

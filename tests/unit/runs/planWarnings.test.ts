import { describe, expect, it } from 'vitest';
import { promptPlanWarnings, type PlannedPromptFacts } from '../../../src/main/core/runs/planWarnings';

// The case: URIAL's 1k preamble with a Just-Eval instruction on a 2,048-token model.
const base: PlannedPromptFacts = {
  modelName: 'llama-base',
  method: 'urial',
  promptLang: 'en',
  trainContextSize: 2048,
  hasChatTemplate: false,
  chatTemplateOverride: false,
  longestPromptTokens: 3502,
  maxTokens: 1024,
};

describe('promptPlanWarnings', () => {
  it('says prompt + max tokens > trained context with the numbers, and that the prompt alone does not fit', () => {
    expect(promptPlanWarnings(base)).toEqual([
      "llama-base · urial (en): the longest prompt plus max tokens exceed the model's trained context: 3,502 + 1,024 > 2,048 tokens. " +
        'The prompt alone does not fit: use a shorter prompt file (e.g. fewer URIAL examples) or a model with a longer context.',
    ]);
  });

  it('says how many tokens are left for the output when only the prompt fits', () => {
    const [w] = promptPlanWarnings({ ...base, longestPromptTokens: 1500 });
    expect(w).toMatch(/1,500 \+ 1,024 > 2,048 tokens\. Outputs would be cut at 548 tokens or less/);
  });

  it('is silent at exactly the trained context, and when the context length or prompt length is unknown', () => {
    expect(promptPlanWarnings({ ...base, longestPromptTokens: 1024 })).toEqual([]);
    expect(promptPlanWarnings({ ...base, trainContextSize: null })).toEqual([]);
    expect(promptPlanWarnings({ ...base, longestPromptTokens: null })).toEqual([]);
  });

  it('warns for the chat method on a model without a chat template, unless the run gives one', () => {
    const chat = { ...base, method: 'chat' as const, promptLang: null, longestPromptTokens: null };
    expect(promptPlanWarnings(chat)).toEqual([
      'llama-base · chat: the model has no chat template (a base model?), so the chat method has no format to follow. ' +
        'Use zero-shot or URIAL for a base model, or choose a chat template for the run.',
    ]);
    expect(promptPlanWarnings({ ...chat, chatTemplateOverride: true })).toEqual([]);
    expect(promptPlanWarnings({ ...chat, hasChatTemplate: true })).toEqual([]);
  });

  it('says (but allows) URIAL on a model with a chat template; zero-shot on it is fine', () => {
    const chatModel = { ...base, hasChatTemplate: true, longestPromptTokens: 100 };
    expect(promptPlanWarnings(chatModel)).toEqual([expect.stringMatching(/^llama-base · urial \(en\): the model has a chat template .* URIAL is meant for base models; the run is allowed/)]);
    expect(promptPlanWarnings({ ...chatModel, method: 'zero-shot', promptLang: null })).toEqual([]);
  });
});

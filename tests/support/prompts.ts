import type { SamplerConfig } from '../../src/shared/domain';
import type { PromptSpec } from '../../src/main/core/prompting';

/** Greedy decoding, no repeat penalty, no early loop stop: the plainest settings for model tests. */
export const GREEDY: SamplerConfig = {
  maxTokens: 48,
  temperature: 0,
  topP: 1,
  topK: 0,
  minP: 0,
  seed: 1,
  repeatPenalty: 1,
  repeatPenaltyWindow: 'all',
};

/** A raw completion prompt with no shared prefix. */
export const rawPrompt = (text: string, stop: string[] = []): PromptSpec => ({ kind: 'completion', prefix: '', text, stop, clean: 'none' });

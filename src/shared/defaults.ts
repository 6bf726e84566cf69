import type { BackendConfig, SamplerConfig } from './domain';

/**
 * Defaults for a new run, the same in the CLI and the app: greedy decoding as in the URIAL paper's main
 * setting, and a repeat penalty that is off (1.0) until the user asks for one. Every value is stored with the
 * run and can be overridden.
 */
export const DEFAULT_SAMPLER: SamplerConfig = {
  maxTokens: 1024,
  temperature: 0,
  topP: 1,
  topK: 0,
  minP: 0,
  seed: 42,
  repeatPenalty: 1,
  repeatPenaltyWindow: 'all',
};

export const DEFAULT_BACKEND: Omit<BackendConfig, 'threads'> = {
  gpu: 'auto',
  contextSize: 'auto',
  parallel: 1,
};

import type { BackendConfig, LoopStopConfig, SamplerConfig } from './domain';

/** Early loop stop: on by default, at the sensitivity that never cut a non-looping output in bench P4. */
export const DEFAULT_LOOP_STOP: LoopStopConfig = { enabled: true, sensitivity: 'medium' };

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
  loopStop: DEFAULT_LOOP_STOP,
};

export const DEFAULT_BACKEND: Omit<BackendConfig, 'threads'> = {
  gpu: 'auto',
  contextSize: 'auto',
  parallel: 1,
};

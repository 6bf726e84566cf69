import type { BackendConfig, FinishReason, SamplerConfig } from '../../../shared/domain';
import type { PromptSpec } from '../prompting/PromptMethod';

/** A loaded model that can generate. One implementation per file under inference/ (llama/, openai/ later). */
export interface Backend {
  readonly name: string;
  /** Library / server versions, stored with every run for reproducibility. */
  versions(): Record<string, string>;
  /**
   * Generate one completion. Never throws for a per-item failure: that becomes finishReason "error".
   * `signal` aborts: the partial output is returned with finishReason "aborted".
   */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  dispose(): Promise<void>;
}

export interface GenerateRequest {
  prompt: PromptSpec;
  sampler: SamplerConfig;
  signal?: AbortSignal;
  onText?: (textSoFar: string) => void;
}

export interface GenerateResult {
  /** The exact prompt text the model saw (chat template applied). */
  promptText: string;
  /** Model output up to (not including) the stop string. */
  text: string;
  finishReason: FinishReason;
  error?: string;
  promptTokens: number;
  /** Prompt tokens actually evaluated; the rest were reused from the KV cache. */
  evaluatedPromptTokens: number;
  outputTokens: number;
  wallMs: number;
}

export interface LoadOptions extends BackendConfig {
  modelPath: string;
  onProgress?: (fraction: number) => void;
}

import type { FinishReason, SamplerConfig } from '../../../shared/domain';
import type { PromptSpec } from './PromptSpec';

/**
 * A loaded model that can generate. One implementation per folder under inference/: llama/ (in-process
 * node-llama-cpp) and openai/ (any OpenAI-compatible server).
 */
export interface Backend {
  readonly name: string;
  /** Library / server versions, stored with every run for reproducibility. */
  versions(): Record<string, string>;
  /** Token count of a prompt as this backend will feed it (used to size the context). */
  countPromptTokens(prompt: PromptSpec): number;
  /**
   * (Re)creates the generation context: `contextSize` tokens per sequence, `parallel` sequences.
   * Throws a clear error when it does not fit in memory; the model stays loaded.
   */
  configure(options: { contextSize: number; parallel: number }): Promise<void>;
  /**
   * Evaluates a prefix shared by many prompts once, so that every sequence starts from its KV state
   * instead of paying for it per item (URIAL's ~1k-token preamble).
   */
  primePrefix(prefix: string): Promise<{ evaluatedTokens: number }>;
  /**
   * Generates one completion. Never throws for a per-item failure: that becomes finishReason "error".
   * `signal` aborts: the partial output is returned with finishReason "aborted".
   */
  generate(request: GenerateRequest): Promise<GenerateResult>;
  /**
   * What shapes a prompt beyond its text, recorded with the run (llama: the resolved chat wrapper, whether it
   * is the GGUF's Jinja template, the pinned date). Throws when the prompt cannot be rendered faithfully (a
   * system prompt on a template without a system role, unless allowed), before anything is generated.
   */
  describePrompt?(prompt: PromptSpec): Record<string, string>;
  dispose(): Promise<void>;
}

export interface GenerateRequest {
  prompt: PromptSpec;
  sampler: SamplerConfig;
  signal?: AbortSignal;
  onText?: (textSoFar: string) => void;
  /**
   * Constrain the output to JSON following this schema (judging). llama: a grammar from node-llama-cpp's
   * JSON-schema support; OpenAI-compatible servers: response_format (json_schema, else json_object).
   */
  jsonSchema?: Record<string, unknown>;
}

export interface GenerateResult {
  /** The exact prompt text the model saw (chat template applied, special tokens written out). */
  promptText: string;
  /** Model output, cut before the stop string when one fired. */
  text: string;
  finishReason: FinishReason;
  error?: string;
  promptTokens: number;
  /** Prompt tokens actually evaluated; the rest were reused from the KV cache. */
  evaluatedPromptTokens: number;
  outputTokens: number;
  wallMs: number;
  /** Remote backends: HTTP requests made for this generation, retries included (a judge call records it). */
  attempts?: number;
}

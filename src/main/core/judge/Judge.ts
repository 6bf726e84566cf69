/**
 * A judge is anything that answers a judge prompt with text: a local GGUF (grammar-constrained JSON) or an
 * OpenAI-compatible server (JSON mode where supported). Rubrics, prompt building and verdict parsing are
 * shared and live next to this file; an implementation only moves one request to a model and back.
 */
export interface Judge {
  /** Cache identity stored in every judgement: "gguf:<sha256>" or "openai:<base url>#<model>". */
  readonly identity: string;
  /** Library / server versions and the server's reported model name, stored with every call. */
  versions(): Record<string, string>;
  /** Sends one judge prompt. Never throws for a per-call failure: it comes back as `error` (→ N/A). */
  complete(request: JudgeRequest): Promise<JudgeReply>;
  dispose(): Promise<void>;
}

export interface JudgeRequest {
  system: string;
  user: string;
  /**
   * The JSON schema the reply must follow (scores as enum [1..5]). Local judges constrain decoding with it;
   * remote ones send it as response_format where the server supports it.
   */
  schema: Record<string, unknown>;
  temperature: number;
  seed: number;
  maxTokens: number;
  signal?: AbortSignal;
}

export interface JudgeReply {
  /** The reply text as received ("" when there was none). */
  raw: string;
  /** Set when no usable reply came back (HTTP error after retries, timeout, context overflow…). */
  error?: string;
  /** Requests made, retries included. */
  attempts: number;
  wallMs: number;
  outputTokens?: number;
  /** Per-call facts worth keeping, e.g. the model name the server reported. */
  environment?: Record<string, string>;
}

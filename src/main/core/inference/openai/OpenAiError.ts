export type OpenAiFailureKind = 'http' | 'network' | 'timeout' | 'stream';

/**
 * A request to an OpenAI-compatible server that failed for good (after the retries it deserved). The message
 * says what happened, where, and what to do; it never contains the API key (headers are never part of it).
 */
export class OpenAiError extends Error {
  constructor(
    readonly kind: OpenAiFailureKind,
    readonly url: string,
    /** What went wrong, in plain words (status and the server's own message for HTTP errors). */
    readonly detail: string,
    readonly attempts: number,
    readonly status?: number,
    /** The server's error message, when it sent one. */
    readonly serverMessage?: string,
  ) {
    super(`${detail} (${url}${attempts > 1 ? `, after ${attempts} attempts` : ''}). ${hint(kind, status)}`);
    this.name = 'OpenAiError';
  }

  /** Worth another attempt: rate limits, server errors, network failures and timeouts; never other 4xx. */
  get retryable(): boolean {
    if (this.kind === 'http') return this.status === 429 || (this.status ?? 0) >= 500;
    return this.kind !== 'stream';
  }
}

function hint(kind: OpenAiFailureKind, status: number | undefined): string {
  if (kind === 'network') return 'Is the server running, and is the base URL right?';
  if (kind === 'timeout') return 'The server may be overloaded: raise the timeout or lower the concurrency.';
  if (kind === 'stream') return 'The server broke off its streamed reply: check its logs.';
  if (status === 401 || status === 403) return 'Check the API key (the environment variable it is read from) and that it may use this model.';
  if (status === 404) return 'Check the base URL (the server root or its /v1) and the model name: GET /v1/models lists what the server serves.';
  if (status === 429) return 'The server is rate-limiting: lower the concurrency or try again later.';
  if (status !== undefined && status >= 500) return "The server failed: check its logs (it may be overloaded, or the model failed to load).";
  return 'The server refused the request: check the model name and the settings it supports.';
}

/** The server's own error message from an error body: OpenAI/vLLM `{error:{message}}`, Ollama `{error:"…"}`, vLLM `{message}`. */
export function serverMessageOf(body: string): string {
  try {
    const json = JSON.parse(body) as { error?: unknown; message?: unknown; detail?: unknown };
    const error = json.error;
    if (typeof error === 'string') return error;
    if (error && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string')
      return (error as { message: string }).message;
    if (typeof json.message === 'string') return json.message;
    if (typeof json.detail === 'string') return json.detail;
  } catch {
    // not JSON: the text itself
  }
  const text = body.trim();
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

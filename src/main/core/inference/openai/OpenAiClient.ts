import { backoffDelayMs, retryAfterMs, type BackoffOptions } from './backoff';
import { normalizeBaseUrl } from './baseUrl';
import { OpenAiError, serverMessageOf } from './OpenAiError';
import { Semaphore } from './Semaphore';
import { readSseData } from './sse';

export interface OpenAiClientOptions {
  /** `http://host:8000` or `http://host:8000/v1` (normalised, see normalizeBaseUrl). */
  baseUrl: string;
  /** Handed in by the caller (from an environment variable or the OS keychain); kept in memory, never logged. */
  apiKey?: string;
  /** Requests in flight at once, over every call of this client. Default 4. */
  concurrency?: number;
  /** Per attempt; for a streamed reply, the longest silence between two chunks. Default 120 s. */
  timeoutMs?: number;
  /** Retries after the first attempt, on 429, 5xx, network errors and timeouts. Default 3. */
  maxRetries?: number;
  /** Backoff before the first retry (doubling, with jitter) and its cap. Defaults 500 ms and 30 s. */
  retryBaseMs?: number;
  retryMaxMs?: number;
}

export type ChatMessage = { role: 'system' | 'user' | 'assistant'; content: string };

/** Structured-output modes, from the strictest; a server that refuses one is asked for the next. */
export const RESPONSE_FORMATS = ['json_schema', 'json_object', 'none'] as const;
export type ResponseFormatLevel = (typeof RESPONSE_FORMATS)[number];

interface RequestBase {
  model: string;
  /** Body fields sent as given: temperature, top_p, max_tokens, seed, stop, server extras (top_k…). */
  params?: Record<string, unknown>;
  signal?: AbortSignal;
}
export interface ChatRequest extends RequestBase {
  messages: ChatMessage[];
}
export interface CompletionRequest extends RequestBase {
  prompt: string;
}
/** Asks for JSON following `jsonSchema` (response_format), with the fallbacks described on the class. */
export type Structured<T> = T & { jsonSchema?: Record<string, unknown> };

export interface Usage {
  promptTokens: number;
  completionTokens: number;
  /** Prompt tokens the server served from its prefix cache, when it says (OpenAI, vLLM). */
  cachedPromptTokens: number | null;
}

/** What the server says about itself in each reply. */
export interface ServerFacts {
  /** The model name the server reports (may differ from the requested one: a dated snapshot, a file path). */
  model: string | null;
  systemFingerprint: string | null;
}

export interface CompletionReply extends ServerFacts {
  /** The generated text; null when the reply holds none (then `problem` says why and `raw` has the body). */
  text: string | null;
  /** The response body exactly as received, kept so an unreadable reply can be stored as N/A with its evidence. */
  raw: string;
  problem?: string;
  finishReason: string | null;
  /** vLLM: the stop string (or token id) that ended the output; null for end of sequence or when not reported. */
  stopReason: string | number | null;
  usage: Usage | null;
  /** HTTP requests made, retries and response_format fallbacks included. */
  attempts: number;
  /** The structured-output mode the server accepted; null when none was asked for. */
  responseFormat: ResponseFormatLevel | null;
}

export interface StreamChunk extends Partial<ServerFacts> {
  text: string;
  /** HTTP requests it took to open the stream, retries included. */
  attempts: number;
  finishReason?: string | null;
  stopReason?: string | number | null;
  usage?: Usage;
}

export interface ServerModel {
  id: string;
  ownedBy: string | null;
  /** vLLM: the weights the name points at (a Hugging Face id or path). */
  root: string | null;
  /** vLLM: the context length the server runs the model with. */
  maxModelLen: number | null;
}

/**
 * A client for any server speaking the OpenAI HTTP API (vLLM, llama.cpp server, Ollama, OpenAI):
 * `chat()` → POST /chat/completions, `complete()` → POST /completions (raw text, for base models),
 * their streaming forms, and `models()` → GET /models (the connection test).
 *
 * - Every call shares one concurrency limit, so a server is never sent more than `concurrency` requests at once.
 * - Each attempt has a timeout, combined with the caller's abort signal.
 * - 429, 5xx, network errors and timeouts are retried with exponential backoff and jitter, honouring
 *   Retry-After; other 4xx fail at once. Failures are OpenAiErrors whose message says what to do.
 * - Structured output asks for `response_format: json_schema` (strict). A server that refuses it with a
 *   400 naming response_format / json_schema is asked for `json_object`, then for nothing; the client
 *   remembers the mode that works, so later calls skip the refusals. The caller parses leniently anyway.
 * - A 200 whose body is not the expected JSON is not an exception: the reply comes back with `text: null`,
 *   the body in `raw` and the reason in `problem` (a judge stores that as N/A with the evidence).
 */
export class OpenAiClient {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly #apiKey: string | undefined;
  readonly #slots: Semaphore;
  readonly #backoff: BackoffOptions;
  #format: ResponseFormatLevel = 'json_schema';

  constructor(options: OpenAiClientOptions) {
    this.baseUrl = normalizeBaseUrl(options.baseUrl);
    this.#apiKey = options.apiKey;
    this.#slots = new Semaphore(options.concurrency ?? 4);
    this.timeoutMs = options.timeoutMs ?? 120_000;
    this.maxRetries = options.maxRetries ?? 3;
    this.#backoff = { baseMs: options.retryBaseMs ?? 500, maxMs: options.retryMaxMs ?? 30_000 };
  }

  get concurrency(): number {
    return this.#slots.limit;
  }

  set concurrency(value: number) {
    this.#slots.limit = value;
  }

  /** The structured-output mode the next structured request starts with (lowered by refusals). */
  get responseFormat(): ResponseFormatLevel {
    return this.#format;
  }

  async models(signal?: AbortSignal): Promise<ServerModel[]> {
    const sent = await this.#send('/models', undefined, signal);
    const data = parseJson(sent.text) as { data?: unknown } | undefined;
    if (!data || !Array.isArray(data.data))
      throw new OpenAiError('http', this.baseUrl + '/models', `The server's model list is not the OpenAI shape ({"data":[…]}): ${snippet(sent.text)}`, sent.attempts, 200);
    return data.data.flatMap((m: Record<string, unknown>) =>
      typeof m?.id === 'string'
        ? [{ id: m.id, ownedBy: str(m.owned_by), root: str(m.root), maxModelLen: typeof m.max_model_len === 'number' ? m.max_model_len : null }]
        : [],
    );
  }

  chat(request: Structured<ChatRequest>): Promise<CompletionReply> {
    return this.#complete('/chat/completions', { messages: request.messages }, request);
  }

  complete(request: Structured<CompletionRequest>): Promise<CompletionReply> {
    return this.#complete('/completions', { prompt: request.prompt }, request);
  }

  /**
   * Streams a chat reply chunk by chunk. Stopping early (`break`, or the caller's abort) cancels the request,
   * which makes the server stop generating. Only the request itself is retried, never a stream that has begun.
   */
  chatStream(request: ChatRequest): AsyncGenerator<StreamChunk> {
    return this.#stream('/chat/completions', { messages: request.messages }, request);
  }

  completeStream(request: CompletionRequest): AsyncGenerator<StreamChunk> {
    return this.#stream('/completions', { prompt: request.prompt }, request);
  }

  // HELPERS

  async #complete(path: string, input: Record<string, unknown>, request: Structured<RequestBase>): Promise<CompletionReply> {
    let attempts = 0;
    for (;;) {
      const level = request.jsonSchema ? this.#format : null;
      const body = { model: request.model, ...input, ...request.params, ...responseFormatField(level, request.jsonSchema) };
      try {
        const sent = await this.#send(path, body, request.signal, attempts);
        return { ...readReply(sent.text, path === '/chat/completions'), attempts: sent.attempts, responseFormat: level };
      } catch (err) {
        if (level === null || level === 'none' || !isFormatRefusal(err)) throw err;
        attempts = (err as OpenAiError).attempts;
        // Never raise the level again: another call may have lowered it further meanwhile.
        const next = RESPONSE_FORMATS[RESPONSE_FORMATS.indexOf(level) + 1]!;
        if (RESPONSE_FORMATS.indexOf(next) > RESPONSE_FORMATS.indexOf(this.#format)) this.#format = next;
      }
    }
  }

  async *#stream(path: string, input: Record<string, unknown>, request: RequestBase): AsyncGenerator<StreamChunk> {
    const url = this.baseUrl + path;
    const body = { model: request.model, ...input, ...request.params, stream: true, stream_options: { include_usage: true } };
    const { response, attempts, release, deadline } = await this.#send(path, body, request.signal, 0, true);
    const chat = path === '/chat/completions';
    try {
      if (!/text\/event-stream/i.test(response.headers.get('content-type') ?? '')) {
        // A server that does not stream answers with the whole reply: one chunk, rather than silently nothing.
        const reply = readReply(await response.text(), chat);
        if (reply.text === null) throw new OpenAiError('stream', url, `A streamed request got an unreadable reply. ${reply.problem}`, attempts);
        const { text, model, systemFingerprint, finishReason, stopReason, usage } = reply;
        yield { text, model, systemFingerprint, finishReason, stopReason, ...(usage ? { usage } : {}), attempts };
        return;
      }
      for await (const data of readSseData(response.body!, () => deadline.restart())) {
        const json = parseJson(data) as Record<string, unknown> | undefined;
        if (json === undefined) throw new OpenAiError('stream', url, `The server sent an unreadable event: ${snippet(data)}`, attempts);
        if (json.error !== undefined) throw new OpenAiError('stream', url, `The server reported an error mid-stream: ${serverMessageOf(data)}`, attempts);
        yield { ...readChunk(json, chat), attempts };
      }
    } catch (err) {
      if (request.signal?.aborted) throw abortError(request.signal);
      if (deadline.fired) throw new OpenAiError('timeout', url, `The stream went silent for ${this.timeoutMs / 1000} s`, attempts);
      if (err instanceof OpenAiError) throw err;
      throw new OpenAiError('stream', url, `The stream broke off: ${causeText(err)}`, attempts);
    } finally {
      deadline.stop();
      release();
    }
  }

  /** One request with the retries it deserves. Text mode reads the whole body; stream mode hands the open response over. */
  #send(path: string, body: unknown, signal: AbortSignal | undefined, attemptsBefore?: number): Promise<{ text: string; attempts: number }>;
  #send(path: string, body: unknown, signal: AbortSignal | undefined, attemptsBefore: number, stream: true): Promise<OpenStream>;
  async #send(path: string, body: unknown, signal: AbortSignal | undefined, attemptsBefore = 0, stream = false): Promise<unknown> {
    const url = this.baseUrl + path;
    for (let attempt = 1; ; attempt++) {
      const attempts = attemptsBefore + attempt;
      let release: () => void;
      try {
        release = await this.#slots.acquire(signal);
      } catch {
        throw abortError(signal!);
      }
      const deadline = new Deadline(this.timeoutMs);
      let handedOver = false;
      let failure: OpenAiError;
      let wait: number | null = null;
      try {
        const response = await fetch(url, {
          method: body === undefined ? 'GET' : 'POST',
          headers: this.#headers(body !== undefined, stream),
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: signal ? AbortSignal.any([signal, deadline.signal]) : deadline.signal,
        });
        if (response.ok && stream) {
          if (!response.body) throw new Error('the response has no body');
          handedOver = true;
          return { response, attempts, release, deadline } satisfies OpenStream;
        }
        const text = await response.text();
        if (response.ok) return { text, attempts };
        const message = serverMessageOf(text);
        const status = `${response.status}${response.statusText ? ` ${response.statusText}` : ''}`;
        failure = new OpenAiError('http', url, `The server answered ${status}: ${message || '(empty body)'}`, attempts, response.status, message);
        wait = retryAfterMs(response.headers);
      } catch (err) {
        if (signal?.aborted) throw abortError(signal);
        failure = deadline.fired
          ? new OpenAiError('timeout', url, `No answer within ${this.timeoutMs / 1000} s`, attempts)
          : new OpenAiError('network', url, `Could not reach the server: ${causeText(err)}`, attempts);
      } finally {
        if (!handedOver) {
          deadline.stop();
          release();
        }
      }
      if (!failure.retryable || attempt > this.maxRetries) throw failure;
      await sleep(backoffDelayMs(attempt, this.#backoff, wait), signal);
    }
  }

  #headers(json: boolean, stream: boolean): Record<string, string> {
    const headers: Record<string, string> = { accept: stream ? 'text/event-stream' : 'application/json' };
    if (json) headers['content-type'] = 'application/json';
    if (this.#apiKey) headers.authorization = `Bearer ${this.#apiKey}`;
    return headers;
  }
}

interface OpenStream {
  response: Response;
  attempts: number;
  release: () => void;
  deadline: Deadline;
}

/** An attempt's timer: fires once after `ms` of waiting; a stream restarts it whenever bytes arrive. */
class Deadline {
  readonly #controller = new AbortController();
  #timer: NodeJS.Timeout | undefined;
  fired = false;

  constructor(readonly ms: number) {
    this.restart();
  }

  get signal(): AbortSignal {
    return this.#controller.signal;
  }

  restart(): void {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => {
      this.fired = true;
      this.#controller.abort(new Error(`timed out after ${this.ms} ms`));
    }, this.ms);
  }

  stop(): void {
    clearTimeout(this.#timer);
  }
}

function responseFormatField(level: ResponseFormatLevel | null, schema: Record<string, unknown> | undefined): Record<string, unknown> {
  if (level === 'json_schema') return { response_format: { type: 'json_schema', json_schema: { name: 'reply', schema, strict: true } } };
  if (level === 'json_object') return { response_format: { type: 'json_object' } };
  return {};
}

/** A 400/422 that blames the structured-output request (servers word it differently; all name the field or mode). */
function isFormatRefusal(err: unknown): boolean {
  return (
    err instanceof OpenAiError &&
    (err.status === 400 || err.status === 422) &&
    /response_format|json_schema|json_object|structured output|guided/i.test(err.serverMessage ?? '')
  );
}

function readReply(raw: string, chat: boolean): Omit<CompletionReply, 'attempts' | 'responseFormat'> {
  const json = parseJson(raw) as Record<string, unknown> | undefined;
  const empty = { raw, model: null, systemFingerprint: null, finishReason: null, stopReason: null, usage: null };
  if (json === undefined || typeof json !== 'object' || json === null)
    return { ...empty, text: null, problem: `The server's reply is not valid JSON: ${snippet(raw)}` };
  const choice = (Array.isArray(json.choices) ? json.choices[0] : undefined) as Record<string, unknown> | undefined;
  const content = chat ? (choice?.message as Record<string, unknown> | undefined)?.content : choice?.text;
  const facts = {
    raw,
    model: str(json.model),
    systemFingerprint: str(json.system_fingerprint),
    finishReason: str(choice?.finish_reason),
    stopReason: stopReasonOf(choice),
    usage: readUsage(json.usage),
  };
  if (typeof content !== 'string')
    return { ...facts, text: null, problem: `The server's reply has no ${chat ? 'choices[0].message.content' : 'choices[0].text'}: ${snippet(raw)}` };
  return { ...facts, text: content };
}

function readChunk(json: Record<string, unknown>, chat: boolean): Omit<StreamChunk, 'attempts'> {
  const choice = (Array.isArray(json.choices) ? json.choices[0] : undefined) as Record<string, unknown> | undefined;
  const piece = chat ? (choice?.delta as Record<string, unknown> | undefined)?.content : choice?.text;
  const chunk: Omit<StreamChunk, 'attempts'> = { text: typeof piece === 'string' ? piece : '' };
  if (typeof json.model === 'string') chunk.model = json.model;
  if (typeof json.system_fingerprint === 'string') chunk.systemFingerprint = json.system_fingerprint;
  if (choice?.finish_reason != null) {
    chunk.finishReason = str(choice.finish_reason);
    chunk.stopReason = stopReasonOf(choice);
  }
  const usage = readUsage(json.usage);
  if (usage) chunk.usage = usage;
  return chunk;
}

function stopReasonOf(choice: Record<string, unknown> | undefined): string | number | null {
  const r = choice?.stop_reason;
  return typeof r === 'string' || typeof r === 'number' ? r : null;
}

function readUsage(value: unknown): Usage | null {
  const u = value as Record<string, unknown> | null | undefined;
  if (!u || typeof u.prompt_tokens !== 'number' || typeof u.completion_tokens !== 'number') return null;
  const cached = (u.prompt_tokens_details as Record<string, unknown> | null | undefined)?.cached_tokens;
  return { promptTokens: u.prompt_tokens, completionTokens: u.completion_tokens, cachedPromptTokens: typeof cached === 'number' ? cached : null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function str(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function snippet(text: string): string {
  const t = text.trim();
  return t.length === 0 ? '(empty)' : JSON.stringify(t.length > 200 ? `${t.slice(0, 200)}…` : t);
}

/** fetch reports "fetch failed" and hides the useful part (ECONNREFUSED…) in `cause`. */
function causeText(err: unknown): string {
  const cause = (err as { cause?: { code?: string; message?: string } })?.cause;
  if (cause?.code) return `${cause.code}${cause.message ? ` (${cause.message})` : ''}`;
  if (cause?.message) return cause.message;
  return err instanceof Error ? err.message : String(err);
}

/** The caller's abort as an Error (run pauses abort with a plain string reason). */
function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('The request was aborted.', 'AbortError');
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(signal));
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

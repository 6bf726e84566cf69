import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';

/**
 * A loopback stand-in for an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, OpenAI), started by a
 * test on 127.0.0.1 with a free port. It RECORDS every request and answers from a SCRIPT: a queue of replies per
 * path, consumed in order; when a path's queue is empty the default reply answers (a valid chat / completion /
 * models reply, streamed when the request asked for `stream: true`).
 *
 *   const server = await startOpenAiLoopbackServer();
 *   server.script('/v1/chat/completions', { status: 429, json: {...}, headers: { 'retry-after': '0' } }, chatReply('{"a":1}'));
 *   … point a client at server.baseUrl …
 *   expect(server.requests[0].body).toMatchObject({ temperature: 0 });
 *   await server.close();
 */

export interface RecordedRequest {
  method: string;
  /** Path without the query string, e.g. "/v1/chat/completions". */
  path: string;
  /** Header names lower-cased, as Node gives them. */
  headers: Record<string, string>;
  /** The body parsed as JSON; undefined when empty or not JSON (then see rawBody). */
  body: any;
  rawBody: string;
}

/** One scripted reply. `delayMs` waits before answering (longer than the client timeout = a timeout). */
export type ScriptedReply = { delayMs?: number; headers?: Record<string, string> } & (
  | { status?: number; json: unknown }
  /** A body sent verbatim (e.g. malformed JSON with a JSON content type). */
  | { status?: number; text: string; contentType?: string }
  /**
   * Server-sent events: each chunk is sent as `data: <JSON>` (strings verbatim), `chunkDelayMs` apart, then
   * `data: [DONE]` unless `hold` keeps the stream open until the client goes away (for abort tests).
   */
  | { sse: unknown[]; chunkDelayMs?: number; hold?: boolean }
);

export interface LoopbackOptions {
  /** The model name the default replies report (like a server's `model` field). Default "loopback-model". */
  model?: string;
  /** The text of default replies. Default: "Reply <n>." with n the request's 1-based number. */
  defaultText?: (request: RecordedRequest, index: number) => string;
  /** The `system_fingerprint` default replies report. Default "fp_loopback". */
  systemFingerprint?: string;
}

export interface OpenAiLoopbackServer {
  /** "http://127.0.0.1:<port>" (no /v1: clients must accept both forms). */
  readonly baseUrl: string;
  readonly model: string;
  /** Every request received, in arrival order. */
  readonly requests: RecordedRequest[];
  /** The requests to one path. */
  requestsTo(path: string): RecordedRequest[];
  /** Appends replies to a path's queue. */
  script(path: string, ...replies: ScriptedReply[]): void;
  /** Replies still queued for a path (a test can check its script was fully consumed). */
  pending(path: string): number;
  /** Requests being answered right now, and the most seen at once. */
  readonly inFlight: number;
  readonly maxInFlight: number;
  /** Forgets requests, queued replies and the in-flight maximum. */
  reset(): void;
  close(): Promise<void>;
}

export async function startOpenAiLoopbackServer(options: LoopbackOptions = {}): Promise<OpenAiLoopbackServer> {
  const model = options.model ?? 'loopback-model';
  const fingerprint = options.systemFingerprint ?? 'fp_loopback';
  const defaultText = options.defaultText ?? ((_r, i) => `Reply ${i}.`);
  const requests: RecordedRequest[] = [];
  const queues = new Map<string, ScriptedReply[]>();
  let inFlight = 0;
  let maxInFlight = 0;

  const defaultReply = (request: RecordedRequest): ScriptedReply => {
    const text = defaultText(request, requests.length);
    if (request.path.endsWith('/models')) return { json: modelsReply([model]) };
    const chat = request.path.endsWith('/chat/completions');
    if (!chat && !request.path.endsWith('/completions'))
      return { status: 404, json: { error: { message: `Unknown path ${request.path}`, type: 'invalid_request_error' } } };
    if (request.body?.stream === true) return { sse: chat ? sseChat(text, { model }) : sseCompletion(text, { model }) };
    return { json: chat ? chatReply(text, { model, systemFingerprint: fingerprint }) : completionReply(text, { model, systemFingerprint: fingerprint }) };
  };

  const server = createServer((req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    let counted = true;
    const done = () => {
      if (counted) inFlight--;
      counted = false;
    };
    res.on('close', done);
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? '',
        path: (req.url ?? '').split('?')[0]!,
        headers: flattenHeaders(req),
        body: parseJson(rawBody),
        rawBody,
      };
      requests.push(recorded);
      const reply = queues.get(recorded.path)?.shift() ?? defaultReply(recorded);
      void answer(res, reply);
    });
  });
  const { origin, close } = await listenOnLoopback(server);

  return {
    baseUrl: origin,
    model,
    requests,
    requestsTo: (path) => requests.filter((r) => r.path === path),
    script(path, ...replies) {
      queues.set(path, [...(queues.get(path) ?? []), ...replies]);
    },
    pending: (path) => queues.get(path)?.length ?? 0,
    get inFlight() {
      return inFlight;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    reset() {
      requests.length = 0;
      queues.clear();
      maxInFlight = inFlight;
    },
    close,
  };
}

// REPLY BUILDERS (the shapes real servers send)

type Kind = 'chat' | 'completion';
interface ReplyOptions {
  model?: string;
  finishReason?: string;
  usage?: { prompt_tokens: number; completion_tokens: number };
  systemFingerprint?: string;
}

/** The envelope both endpoints share; `choice` is what differs. */
function envelope(kind: Kind, streamed: boolean, model: string | undefined, fingerprint?: string) {
  return {
    id: kind === 'chat' ? 'chatcmpl-loopback' : 'cmpl-loopback',
    object: kind === 'chat' ? (streamed ? 'chat.completion.chunk' : 'chat.completion') : 'text_completion',
    created: 1_700_000_000,
    model: model ?? 'loopback-model',
    system_fingerprint: fingerprint ?? 'fp_loopback',
  };
}

function reply(kind: Kind, content: string, opts: ReplyOptions) {
  const finish_reason = opts.finishReason ?? 'stop';
  const choice = kind === 'chat' ? { index: 0, message: { role: 'assistant', content }, finish_reason } : { index: 0, text: content, finish_reason, logprobs: null };
  return { ...envelope(kind, false, opts.model, opts.systemFingerprint), choices: [choice], usage: withTotal(opts.usage ?? { prompt_tokens: 11, completion_tokens: 7 }) };
}

export const chatReply = (content: string, opts: ReplyOptions = {}) => reply('chat', content, opts);
export const completionReply = (text: string, opts: ReplyOptions = {}) => reply('completion', text, opts);

export function modelsReply(ids: string[]) {
  return { object: 'list', data: ids.map((id) => ({ id, object: 'model', created: 1_700_000_000, owned_by: 'loopback' })) };
}

/** An OpenAI-style error body, e.g. `{ status: 400, json: errorBody("response_format json_schema is not supported") }`. */
export function errorBody(message: string, type = 'invalid_request_error') {
  return { error: { message, type, code: null } };
}

/** Pieces of a streamed reply: one chunk per string (a string = one token, as vLLM and llama.cpp stream). */
type Pieces = string | string[];
interface StreamOptions {
  model?: string;
  /** null: no finish chunk (a stream cut short). */
  finishReason?: string | null;
  /** false: no final usage chunk. */
  usage?: boolean;
}

/** Splits text into word-sized pieces (each keeps its leading space), the way servers stream tokens. */
function split(pieces: Pieces): string[] {
  return Array.isArray(pieces) ? pieces : (pieces.match(/\s*\S+|\s+$/g) ?? []);
}

function stream(kind: Kind, pieces: Pieces, opts: StreamOptions): unknown[] {
  const base = envelope(kind, true, opts.model);
  const choice = (piece: string, finish_reason: string | null) =>
    kind === 'chat' ? { index: 0, delta: piece === '' && finish_reason ? {} : { content: piece }, finish_reason } : { index: 0, text: piece, finish_reason, logprobs: null };
  const parts = split(pieces);
  const chunks: unknown[] = parts.map((piece) => ({ ...base, choices: [choice(piece, null)] }));
  // Chat streams open with the assistant role and no text.
  if (kind === 'chat') chunks.unshift({ ...base, choices: [{ index: 0, delta: { role: 'assistant', content: '' }, finish_reason: null }] });
  if (opts.finishReason !== null) chunks.push({ ...base, choices: [choice('', opts.finishReason ?? 'stop')] });
  if (opts.usage !== false) chunks.push({ ...base, choices: [], usage: withTotal({ prompt_tokens: 13, completion_tokens: parts.length }) });
  return chunks;
}

/** Chat completion chunks: a role delta, the content pieces, the finish chunk and a usage chunk. */
export const sseChat = (pieces: Pieces, opts: StreamOptions = {}) => stream('chat', pieces, opts);
/** Text completion chunks: the pieces, the finish chunk and a usage chunk. */
export const sseCompletion = (pieces: Pieces, opts: StreamOptions = {}) => stream('completion', pieces, opts);

// HELPERS

async function answer(res: ServerResponse, reply: ScriptedReply): Promise<void> {
  if (reply.delayMs) await sleep(reply.delayMs);
  if (res.destroyed) return;
  if ('sse' in reply) {
    res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache', ...reply.headers });
    for (const chunk of reply.sse) {
      if (res.destroyed) return;
      res.write(`data: ${typeof chunk === 'string' ? chunk : JSON.stringify(chunk)}\n\n`);
      if (reply.chunkDelayMs) await sleep(reply.chunkDelayMs);
    }
    if (reply.hold) return; // left open: the client's abort (or close()) ends it
    res.end('data: [DONE]\n\n');
    return;
  }
  const isText = 'text' in reply;
  const body = isText ? reply.text : JSON.stringify(reply.json);
  const contentType = isText ? (reply.contentType ?? 'application/json') : 'application/json';
  res.writeHead(reply.status ?? 200, { 'content-type': contentType, ...reply.headers });
  res.end(body);
}

function flattenHeaders(req: IncomingMessage): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers)) if (value !== undefined) out[name] = Array.isArray(value) ? value.join(', ') : value;
  return out;
}

function parseJson(text: string): unknown {
  if (text.length === 0) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function withTotal(u: { prompt_tokens: number; completion_tokens: number }) {
  return { ...u, total_tokens: u.prompt_tokens + u.completion_tokens };
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

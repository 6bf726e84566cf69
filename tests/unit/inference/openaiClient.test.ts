import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiClient, OpenAiError } from '../../../src/main/core/inference/openai';
import {
  chatReply,
  errorBody,
  modelsReply,
  sseChat,
  startOpenAiLoopbackServer,
  type OpenAiLoopbackServer,
} from '../../support/openaiLoopbackServer';

const CHAT = '/v1/chat/completions';
const SCHEMA = { type: 'object', properties: { score: { enum: [1, 2, 3, 4, 5] } }, required: ['score'] };

let server: OpenAiLoopbackServer;
beforeAll(async () => {
  server = await startOpenAiLoopbackServer({ model: 'served/judge-v1' });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

/** Short backoff so retries take milliseconds; the policy itself is the same. */
const client = (extra: Partial<ConstructorParameters<typeof OpenAiClient>[0]> = {}) =>
  new OpenAiClient({ baseUrl: server.baseUrl, retryBaseMs: 5, retryMaxMs: 50, ...extra });

const ask = (c: OpenAiClient, extra: { jsonSchema?: Record<string, unknown>; signal?: AbortSignal } = {}) =>
  c.chat({
    model: 'judge',
    messages: [
      { role: 'system', content: 'You grade answers.' },
      { role: 'user', content: 'Grade: "Paris is in France."' },
    ],
    params: { temperature: 0, max_tokens: 64, seed: 7 },
    ...extra,
  });

describe('OpenAiClient', () => {
  it('sends the exact payload with the bearer key, to the base URL given with or without /v1', async () => {
    server.script(CHAT, { json: chatReply('{"score": 4}', { model: 'served/judge-v1-0613', usage: { prompt_tokens: 21, completion_tokens: 5 } }) });
    const reply = await ask(client({ apiKey: 'sk-secret-123' }), { jsonSchema: SCHEMA });

    const [request] = server.requests;
    expect(request!.method).toBe('POST');
    expect(request!.path).toBe(CHAT);
    expect(request!.headers.authorization).toBe('Bearer sk-secret-123');
    expect(request!.headers['content-type']).toBe('application/json');
    expect(request!.body).toEqual({
      model: 'judge',
      messages: [
        { role: 'system', content: 'You grade answers.' },
        { role: 'user', content: 'Grade: "Paris is in France."' },
      ],
      temperature: 0,
      max_tokens: 64,
      seed: 7,
      response_format: { type: 'json_schema', json_schema: { name: 'reply', schema: SCHEMA, strict: true } },
    });
    expect(reply).toMatchObject({
      text: '{"score": 4}',
      model: 'served/judge-v1-0613',
      systemFingerprint: 'fp_loopback',
      finishReason: 'stop',
      usage: { promptTokens: 21, completionTokens: 5, cachedPromptTokens: null },
      attempts: 1,
      responseFormat: 'json_schema',
    });

    await new OpenAiClient({ baseUrl: `${server.baseUrl}/v1/` }).models();
    expect(server.requests[1]!.path).toBe('/v1/models');
    expect(server.requests[1]!.headers.authorization).toBeUndefined();
  });

  it('retries a 429, waiting the Retry-After the server asked for, then succeeds', async () => {
    server.script(CHAT, { status: 429, json: errorBody('Rate limit reached', 'rate_limit'), headers: { 'retry-after': '1' } }, { json: chatReply('ok') });
    const started = performance.now();
    // The cap on waits (retryMaxMs) is raised above 1 s: the second's wait then comes from the header alone.
    const reply = await ask(client({ retryMaxMs: 5000 }));
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(reply.text).toBe('ok');
    expect(reply.attempts).toBe(2);
    expect(server.requestsTo(CHAT)).toHaveLength(2);
  });

  it('retries a 500 then succeeds', async () => {
    server.script(CHAT, { status: 500, json: errorBody('CUDA error', 'server_error') }, { json: chatReply('fine') });
    const reply = await ask(client());
    expect(reply).toMatchObject({ text: 'fine', attempts: 2 });
  });

  it('gives up after the retries with an error naming the status, the server message, the URL and what to do', async () => {
    server.script(CHAT, ...Array.from({ length: 5 }, () => ({ status: 503, json: errorBody('model is loading') })));
    const error = await ask(client({ maxRetries: 2 })).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OpenAiError);
    const e = error as OpenAiError;
    expect(e).toMatchObject({ kind: 'http', status: 503, attempts: 3, serverMessage: 'model is loading' });
    expect(e.message).toContain('503');
    expect(e.message).toContain('model is loading');
    expect(e.message).toContain(`${server.baseUrl}/v1/chat/completions`);
    expect(e.message).toContain('after 3 attempts');
    expect(e.message).toMatch(/check its logs/);
    expect(server.requestsTo(CHAT)).toHaveLength(3);
    expect(server.pending(CHAT)).toBe(2);
  });

  it('does not retry other 4xx, and never puts the key in the message', async () => {
    server.script(CHAT, { status: 401, json: errorBody('Incorrect API key provided') });
    const e = (await ask(client({ apiKey: 'sk-secret-123' })).catch((x: unknown) => x)) as OpenAiError;
    expect(e).toMatchObject({ status: 401, attempts: 1 });
    expect(e.message).toMatch(/Incorrect API key provided.*Check the API key/s);
    expect(e.message).not.toContain('sk-secret-123');
    expect(server.requestsTo(CHAT)).toHaveLength(1);
  });

  it('times out a request the server sits on, retries it, then fails clearly', async () => {
    server.script(CHAT, { delayMs: 1500, json: chatReply('late') }, { delayMs: 1500, json: chatReply('late') });
    const started = performance.now();
    const e = (await ask(client({ timeoutMs: 200, maxRetries: 1 })).catch((x: unknown) => x)) as OpenAiError;
    expect(e).toBeInstanceOf(OpenAiError);
    expect(e).toMatchObject({ kind: 'timeout', attempts: 2 });
    expect(e.message).toMatch(/No answer within 0\.2 s.*raise the timeout/s);
    expect(performance.now() - started).toBeLessThan(1400);
    expect(server.requestsTo(CHAT)).toHaveLength(2);
  });

  it('says the server is unreachable when nothing listens', async () => {
    const gone = await startOpenAiLoopbackServer();
    const url = gone.baseUrl;
    await gone.close();
    const e = (await new OpenAiClient({ baseUrl: url, maxRetries: 1, retryBaseMs: 5 }).models().catch((x: unknown) => x)) as OpenAiError;
    expect(e).toMatchObject({ kind: 'network', attempts: 2 });
    expect(e.message).toMatch(/Could not reach the server: ECONNREFUSED.*Is the server running/s);
  });

  it('returns a malformed JSON body as raw text with the reason, without retrying or throwing', async () => {
    server.script(CHAT, { text: '{"choices": [{"message": {"content": "{\\"score\\": 4' });
    const reply = await ask(client(), { jsonSchema: SCHEMA });
    expect(reply.text).toBeNull();
    expect(reply.raw).toBe('{"choices": [{"message": {"content": "{\\"score\\": 4');
    expect(reply.problem).toMatch(/not valid JSON/);
    expect(server.requestsTo(CHAT)).toHaveLength(1);
  });

  it('falls back from json_schema to json_object to none when the server refuses, and remembers it', async () => {
    server.script(
      CHAT,
      { status: 400, json: errorBody("Invalid parameter: 'response_format' of type 'json_schema' is not supported with this model.") },
      { status: 400, json: errorBody("'messages' must contain the word 'json' in some form, to use 'response_format' of type 'json_object'.") },
      { json: chatReply('score: 4') },
    );
    const c = client();
    const first = await ask(c, { jsonSchema: SCHEMA });
    expect(first).toMatchObject({ text: 'score: 4', responseFormat: 'none', attempts: 3 });
    expect(server.requests.map((r) => r.body.response_format?.type ?? null)).toEqual(['json_schema', 'json_object', null]);

    await ask(c, { jsonSchema: SCHEMA });
    expect(server.requests).toHaveLength(4);
    expect(server.requests[3]!.body.response_format).toBeUndefined();
    expect(c.responseFormat).toBe('none');

    // A 400 about something else is not a format refusal: it fails, and the next client still starts strict.
    server.script(CHAT, { status: 400, json: errorBody('max_tokens is too large') });
    const fresh = client();
    await expect(ask(fresh, { jsonSchema: SCHEMA })).rejects.toThrow(/max_tokens is too large/);
    expect(fresh.responseFormat).toBe('json_schema');
  });

  it('never has more requests in flight than its concurrency limit', async () => {
    for (let i = 0; i < 6; i++) server.script(CHAT, { delayMs: 250, json: chatReply(`r${i}`) });
    const c = client({ concurrency: 2 });
    const replies = await Promise.all(Array.from({ length: 6 }, () => ask(c)));
    expect(replies.map((r) => r.text).sort()).toEqual(['r0', 'r1', 'r2', 'r3', 'r4', 'r5']);
    expect(server.maxInFlight).toBe(2);

    server.reset();
    for (let i = 0; i < 4; i++) server.script(CHAT, { delayMs: 250, json: chatReply('x') });
    c.concurrency = 4;
    await Promise.all(Array.from({ length: 4 }, () => ask(c)));
    expect(server.maxInFlight).toBe(4);
  });

  it("stops at the caller's abort, without retrying", async () => {
    server.script(CHAT, { delayMs: 2000, json: chatReply('late') });
    const controller = new AbortController();
    setTimeout(() => controller.abort('pause'), 100);
    const started = performance.now();
    await expect(ask(client(), { signal: controller.signal })).rejects.toThrow(/aborted/);
    expect(performance.now() - started).toBeLessThan(1000);
    expect(server.requestsTo(CHAT)).toHaveLength(1);
  });

  it('streams chunks with the reported model and usage', async () => {
    server.script(CHAT, { sse: sseChat(['Bon', 'jour', ' !'], { model: 'served/chat-v2' }) });
    const chunks = [];
    for await (const chunk of client().chatStream({ model: 'chat', messages: [{ role: 'user', content: 'Salut' }] })) chunks.push(chunk);
    expect(chunks.map((c) => c.text).join('')).toBe('Bonjour !');
    expect(chunks.at(-2)).toMatchObject({ finishReason: 'stop' });
    expect(chunks.at(-1)).toMatchObject({ model: 'served/chat-v2', usage: { promptTokens: 13, completionTokens: 3 } });
    expect(server.requests[0]!.body).toMatchObject({ stream: true, stream_options: { include_usage: true } });
    expect(server.requests[0]!.headers.accept).toBe('text/event-stream');
  });

  it('reports an error event inside a stream as a stream failure', async () => {
    server.script(CHAT, { sse: [sseChat('Hello')[1], { error: { message: 'out of KV cache', type: 'server_error' } }] });
    const seen: string[] = [];
    const consume = async () => {
      for await (const chunk of client().chatStream({ model: 'chat', messages: [{ role: 'user', content: 'hi' }] })) seen.push(chunk.text);
    };
    await expect(consume()).rejects.toThrow(/error mid-stream: out of KV cache/);
    expect(seen).toEqual(['Hello']);
  });

  it('lists the served models (the connection test)', async () => {
    server.script('/v1/models', { json: { data: [...modelsReply(['a']).data, { id: 'b', object: 'model', root: '/models/b', max_model_len: 4096 }] } });
    expect(await client().models()).toEqual([
      { id: 'a', ownedBy: 'loopback', root: null, maxModelLen: null },
      { id: 'b', ownedBy: null, root: '/models/b', maxModelLen: 4096 },
    ]);
  });

  it('refuses base URLs it cannot use, saying why', () => {
    expect(() => new OpenAiClient({ baseUrl: 'localhost:8000' })).toThrow(/not an http\(s\) URL|not a URL/);
    expect(() => new OpenAiClient({ baseUrl: 'http://user:pw@host/v1' })).toThrow(/user name or password.*environment variable/);
    expect(new OpenAiClient({ baseUrl: 'https://proxy.example/api/v1/' }).baseUrl).toBe('https://proxy.example/api/v1');
    expect(new OpenAiClient({ baseUrl: 'http://h:8000' }).baseUrl).toBe('http://h:8000/v1');
  });
});

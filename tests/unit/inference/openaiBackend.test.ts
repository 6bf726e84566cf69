import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { OpenAiBackend, OpenAiClient, type RemoteEndpoint } from '../../../src/main/core/inference/openai';
import type { PromptSpec } from '../../../src/main/core/prompting';
import type { SamplerConfig } from '../../../src/shared/domain';
import { GREEDY, rawPrompt } from '../../support/prompts';
import {
  chatReply,
  completionReply,
  sseChat,
  sseCompletion,
  startOpenAiLoopbackServer,
  type OpenAiLoopbackServer,
} from '../../support/openaiLoopbackServer';

const COMPLETIONS = '/v1/completions';
const CHAT = '/v1/chat/completions';
const chatPrompt = (user: string, system?: string): PromptSpec => ({ kind: 'chat', user, system, stop: [], clean: 'none' });

let server: OpenAiLoopbackServer;
beforeAll(async () => {
  server = await startOpenAiLoopbackServer({ model: 'served/base-7b' });
});
afterAll(() => server.close());
beforeEach(() => server.reset());

function backend(endpoint: RemoteEndpoint = 'completions', extra: Partial<ConstructorParameters<typeof OpenAiClient>[0]> = {}) {
  const client = new OpenAiClient({ baseUrl: server.baseUrl, apiKey: 'sk-test', retryBaseMs: 5, retryMaxMs: 50, ...extra });
  return new OpenAiBackend({ client, model: 'base-7b', endpoint });
}

describe('OpenAiBackend', () => {
  it('streams a completion prompt to /v1/completions with the run sampler mapped to request fields', async () => {
    server.script(COMPLETIONS, { sse: sseCompletion(' Paris is the capital.', { model: 'served/base-7b' }) });
    const b = backend();
    const sampler: SamplerConfig = { ...GREEDY, maxTokens: 32, temperature: 0.3, topP: 0.9, seed: 11 };
    const result = await b.generate({ prompt: rawPrompt('# Query:\nCapital of France?\n# Answer:\n', ['# Query']), sampler });

    expect(server.requests[0]!.body).toEqual({
      model: 'base-7b',
      prompt: '# Query:\nCapital of France?\n# Answer:\n',
      temperature: 0.3,
      top_p: 0.9,
      max_tokens: 32,
      seed: 11,
      stream: true,
      stream_options: { include_usage: true },
    });
    expect(result).toMatchObject({
      promptText: '# Query:\nCapital of France?\n# Answer:\n',
      text: ' Paris is the capital.',
      finishReason: 'eos',
      promptTokens: 13,
      evaluatedPromptTokens: 13,
      outputTokens: 4,
    });
    expect(b.versions()).toMatchObject({
      backend: 'openai-compatible',
      baseUrl: `${server.baseUrl}/v1`,
      requestedModel: 'base-7b',
      endpoint: '/completions',
      serverModel: 'served/base-7b',
      systemFingerprint: 'fp_loopback',
    });
  });

  it('sends the server-side extras only when they change something', async () => {
    const b = backend();
    await b.generate({ prompt: rawPrompt('x'), sampler: { ...GREEDY, topK: 40, minP: 0.05, repeatPenalty: 1.1, repeatPenaltyWindow: 64 } });
    expect(server.requests[0]!.body).toMatchObject({ top_k: 40, min_p: 0.05, repetition_penalty: 1.1, repeat_penalty: 1.1, repeat_last_n: 64 });
    await b.generate({ prompt: rawPrompt('x'), sampler: GREEDY });
    for (const field of ['top_k', 'min_p', 'repetition_penalty', 'repeat_penalty', 'repeat_last_n', 'stop'])
      expect(server.requests[1]!.body).not.toHaveProperty(field);
  });

  it('cuts at a stop string that arrives across chunks, never shows it, and stops the stream', async () => {
    const pieces = ['Sure', '!', ' It', ' is', ' Paris', '.\n', '\n#', ' Qu', 'ery', ':', ' more', ' text', ' after'];
    server.script(COMPLETIONS, { sse: sseCompletion(pieces, { finishReason: null }), chunkDelayMs: 20, hold: true });
    const seen: string[] = [];
    const result = await backend().generate({ prompt: rawPrompt('Q', ['# Query']), sampler: GREEDY, onText: (t) => seen.push(t) });
    expect(result.finishReason).toBe('stop');
    expect(result.text).toBe('Sure! It is Paris.\n\n');
    expect(seen.at(-1)).toBe('Sure! It is Paris.\n\n# Qu');
    expect(seen.every((t) => !t.includes('# Query'))).toBe(true);
    // The held stream was cancelled by the client, so the server is free again.
    await expect.poll(() => server.inFlight).toBe(0);
  });

  it('maps the finish reasons: length → max-tokens, stop → eos, unless the server names a stop string it cut', async () => {
    server.script(COMPLETIONS, { sse: sseCompletion('a b c', { finishReason: 'length' }) }, { sse: sseCompletion('answer', { finishReason: 'stop' }) });
    const b = backend();
    const prompt = rawPrompt('Q', ['# Query']);
    expect((await b.generate({ prompt, sampler: GREEDY })).finishReason).toBe('max-tokens');
    expect((await b.generate({ prompt, sampler: GREEDY })).finishReason).toBe('eos');
    // A single-request call sends its stop strings; vLLM says which one it cut.
    const cut = { ...completionReply('{"a": 1}'), choices: [{ index: 0, text: '{"a": 1}', finish_reason: 'stop', stop_reason: '# Query' }] };
    server.script(COMPLETIONS, { json: cut }, { json: completionReply('{"a": 1}') });
    expect((await b.generate({ prompt, sampler: GREEDY, jsonSchema: { type: 'object' } })).finishReason).toBe('stop');
    expect(server.requests.at(-1)!.body.stop).toEqual(['# Query']);
    expect((await b.generate({ prompt, sampler: GREEDY, jsonSchema: { type: 'object' } })).finishReason).toBe('eos');
    // Streamed generations never send stop strings: they cut them on the text themselves.
    expect(server.requests[0]!.body).not.toHaveProperty('stop');
  });

  it('sends chat prompts as messages to /v1/chat/completions and stores them as the prompt', async () => {
    server.script(CHAT, { sse: sseChat('Bonjour !', { model: 'served/chat-2b' }) });
    const result = await backend('chat').generate({ prompt: chatPrompt('Dis bonjour.', 'Tu es poli.'), sampler: GREEDY });
    const messages = [
      { role: 'system', content: 'Tu es poli.' },
      { role: 'user', content: 'Dis bonjour.' },
    ];
    expect(server.requests[0]!.path).toBe(CHAT);
    expect(server.requests[0]!.body.messages).toEqual(messages);
    expect(server.requests[0]!.headers.authorization).toBe('Bearer sk-test');
    expect(result).toMatchObject({ promptText: JSON.stringify(messages), text: 'Bonjour !', finishReason: 'eos' });
  });

  it('returns the partial output as aborted when the caller aborts mid-stream', async () => {
    server.script(COMPLETIONS, { sse: sseCompletion(['one', ' two', ' three'], { finishReason: null }), hold: true });
    const controller = new AbortController();
    const result = await backend().generate({
      prompt: rawPrompt('count'),
      sampler: GREEDY,
      signal: controller.signal,
      onText: (t) => {
        if (t.endsWith('three')) controller.abort('pause');
      },
    });
    expect(result).toMatchObject({ finishReason: 'aborted', text: 'one two three' });
    await expect.poll(() => server.inFlight).toBe(0);
  });

  it('stops a looping stream early when the run asks for it, keeping the looping text', async () => {
    const intro = 'Once upon a time there was a cat.';
    const loop = Array.from({ length: 80 }, () => ' The cat sat on the mat.').join('');
    server.script(COMPLETIONS, { sse: sseCompletion(intro + loop, { finishReason: 'length' }) });
    const result = await backend().generate({ prompt: rawPrompt('story'), sampler: { ...GREEDY, loopStop: { enabled: true, sensitivity: 'medium' } } });
    expect(result.finishReason).toBe('loop');
    expect(result.text.startsWith(intro + ' The cat sat on the mat.')).toBe(true);
    expect(result.text.length).toBeLessThan((intro + loop).length);
  });

  it('turns a failed request into an error result with the message, not an exception', async () => {
    server.script(COMPLETIONS, ...Array.from({ length: 2 }, () => ({ status: 500, json: { error: { message: 'engine dead' } } })));
    const result = await backend('completions', { maxRetries: 1 }).generate({ prompt: rawPrompt('x'), sampler: GREEDY });
    expect(result.finishReason).toBe('error');
    expect(result.error).toMatch(/500.*engine dead.*after 2 attempts/);
    expect(result.attempts).toBe(2);
  });

  it('asks for structured JSON in one plain request, and keeps an unreadable reply as the text with an error', async () => {
    const schema = { type: 'object', properties: { score: { enum: [1, 2, 3, 4, 5] } } };
    server.script(CHAT, { json: chatReply('{"score": 5}', { usage: { prompt_tokens: 30, completion_tokens: 6 } }) }, { text: 'Internal proxy hiccup' });
    const b = backend('chat');
    const ok = await b.generate({ prompt: chatPrompt('Grade it.'), sampler: GREEDY, jsonSchema: schema });
    expect(server.requests[0]!.body).toMatchObject({ response_format: { type: 'json_schema', json_schema: { schema, strict: true } } });
    expect(server.requests[0]!.body.stream).toBeUndefined();
    expect(ok).toMatchObject({ text: '{"score": 5}', finishReason: 'eos', promptTokens: 30, outputTokens: 6, attempts: 1 });
    expect(b.versions().structuredOutput).toBe('json_schema');

    const bad = await b.generate({ prompt: chatPrompt('Grade it.'), sampler: GREEDY, jsonSchema: schema });
    expect(bad).toMatchObject({ finishReason: 'error', text: 'Internal proxy hiccup' });
    expect(bad.error).toMatch(/not valid JSON/);
  });

  it('refuses a prompt the endpoint cannot take, before sending anything', async () => {
    const urialOnChat = await backend('chat').generate({ prompt: rawPrompt('# Query:'), sampler: GREEDY });
    expect(urialOnChat.finishReason).toBe('error');
    expect(urialOnChat.error).toMatch(/chat endpoint.*--endpoint completions/);
    const template = await backend('chat').generate({ prompt: { ...chatPrompt('hi'), chatTemplate: 'chatML' } as PromptSpec, sampler: GREEDY });
    expect(template.error).toMatch(/template override "chatML"/);
    expect(server.requests).toHaveLength(0);
  });

  it('connects with a model-list check, records what the server says about the model, and runs requests in parallel', async () => {
    server.script('/v1/models', { json: { object: 'list', data: [{ id: 'base-7b', object: 'model', owned_by: 'vllm', root: '/weights/base-7b', max_model_len: 8192 }] } });
    const client = new OpenAiClient({ baseUrl: `${server.baseUrl}/v1`, concurrency: 1 });
    const b = await OpenAiBackend.connect({ client, model: 'base-7b', endpoint: 'completions' });
    expect(b.versions()).toMatchObject({ serverModelRoot: '/weights/base-7b', serverMaxModelLen: '8192', serverModelOwnedBy: 'vllm' });
    expect(await b.primePrefix()).toEqual({ evaluatedTokens: 0 });

    await b.configure({ contextSize: 4096, parallel: 3 });
    for (let i = 0; i < 3; i++) server.script(COMPLETIONS, { sse: sseCompletion(`item ${i}`), chunkDelayMs: 150 });
    await Promise.all([0, 1, 2].map((i) => b.generate({ prompt: rawPrompt(`p${i}`), sampler: GREEDY })));
    expect(server.maxInFlight).toBe(3);
    expect(b.countPromptTokens(rawPrompt('12345678'))).toBe(2);
  });

  it('takes a whole JSON reply from a server that ignores stream: true', async () => {
    server.script(COMPLETIONS, { json: completionReply('All at once.', { model: 'no-stream-server', finishReason: 'length' }) });
    const r = await backend().generate({ prompt: rawPrompt('x'), sampler: GREEDY });
    expect(r).toMatchObject({ text: 'All at once.', finishReason: 'max-tokens', outputTokens: 7 });
  });

  it('reports the true token counts of a non-streamed completion reply', async () => {
    server.script(COMPLETIONS, { json: completionReply('{"a":1}', { usage: { prompt_tokens: 50, completion_tokens: 4 } }) });
    const r = await backend().generate({ prompt: rawPrompt('json please'), sampler: GREEDY, jsonSchema: { type: 'object' } });
    expect(r).toMatchObject({ text: '{"a":1}', promptTokens: 50, outputTokens: 4 });
  });
});

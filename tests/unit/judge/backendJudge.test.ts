import { describe, expect, it } from 'vitest';
import { BackendJudge, completionPrompt, type JudgeRequest } from '../../../src/main/core/judge';
import { FakeBackend, pieces, type FakeReply, type FakeScript } from '../../support/FakeBackend';

/**
 * BackendJudge's own logic over the scripted FakeBackend: what it sends, how it maps results and failures, how it
 * sizes the context. Real inference through it is covered by tests/model/localJudge.test.ts.
 */
const VERDICT = '{"safety": {"rationale": "ok", "score": 5}}';
const reply = (over: Partial<FakeReply> = {}): FakeReply => ({ tokens: pieces(VERDICT), ...over });
const fake = (script: FakeScript = () => reply(), promptTokens = 100) => new FakeBackend({ script, tokenCount: () => promptTokens });
/** A backend lent for the test: dispose() has nothing to hand back. */
const KEEP = () => {};
const REQUEST: JudgeRequest = { system: 'SYS', user: 'USER', schema: { type: 'object' }, temperature: 0.3, seed: 9, maxTokens: 700 };

describe('BackendJudge', () => {
  it('sends a chat prompt with the request\'s sampling, the schema, and no loop stop or repeat penalty', async () => {
    const backend = fake();
    const judge = new BackendJudge(backend, { identity: 'openai:http://x/v1#m', prompt: 'chat', release: KEEP });
    const answer = await judge.complete(REQUEST);
    expect(answer).toEqual({ raw: VERDICT, attempts: 1, wallMs: expect.any(Number), outputTokens: pieces(VERDICT).length, environment: { finishReason: 'eos' } });
    expect(answer.wallMs).toBeGreaterThanOrEqual(0);
    const sent = backend.calls[0]!;
    expect(sent.prompt).toEqual({ kind: 'chat', system: 'SYS', user: 'USER', chatTemplate: undefined, stop: [], clean: 'none' });
    expect(sent.jsonSchema).toEqual({ type: 'object' });
    expect(sent.sampler).toMatchObject({ temperature: 0.3, seed: 9, maxTokens: 700, repeatPenalty: 1, topP: 1, loopStop: { enabled: false } });
    expect(judge.identity).toBe('openai:http://x/v1#m');
    expect(judge.versions()).toEqual({ ...backend.versions(), judgePrompt: 'chat' });
  });

  it('sends a completion prompt to template-less models: system as the shared prefix, then user and a JSON cue', async () => {
    const backend = fake();
    const judge = new BackendJudge(backend, { identity: 'gguf:abc', prompt: 'completion', release: () => backend.dispose() });
    await judge.complete(REQUEST);
    expect(backend.calls[0]!.prompt).toEqual({ kind: 'completion', prefix: 'SYS\n\n', text: 'SYS\n\nUSER\n\nJSON:\n', stop: [], clean: 'none' });
    expect(completionPrompt('a', 'b')).toEqual(backend.calls[0]!.prompt.kind === 'completion' ? { ...backend.calls[0]!.prompt, prefix: 'a\n\n', text: 'a\n\nb\n\nJSON:\n' } : null);
    expect(judge.versions().judgePrompt).toMatch(/^completion \(system \+ /);
    await judge.dispose();
    expect(backend.disposes).toBe(1);
  });

  it('hands a lent backend back on dispose, without disposing it', async () => {
    const backend = fake();
    let released = 0;
    await new BackendJudge(backend, { identity: 'gguf:abc', prompt: 'chat', release: () => void released++ }).dispose();
    expect(released).toBe(1);
    expect(backend.disposes).toBe(0);
  });

  it.each([
    ['a backend error', reply({ tokens: [], error: 'HTTP 500 after 4 attempts' }), '', 'HTTP 500 after 4 attempts'],
    ['an abort', reply({ tokens: pieces('{"saf'), hang: true }), '{"saf', 'aborted before the reply was complete'],
  ])('turns %s into an error (→ N/A), keeping the raw text', async (_, r, raw, error) => {
    const controller = new AbortController();
    // Unpaused pieces stream within microtasks: the abort lands once the partial reply is out, while it hangs.
    setTimeout(() => controller.abort('pause'), 0);
    const judge = new BackendJudge(fake(() => r), { identity: 'gguf:abc', prompt: 'chat', release: KEEP });
    const answer = await judge.complete({ ...REQUEST, signal: controller.signal });
    expect(answer.error).toBe(error);
    expect(answer.raw).toBe(raw);
  });
  it('reports the requests a remote backend made, retries included', async () => {
    const judge = new BackendJudge(fake(() => reply({ attempts: 3 })), { identity: 'g', prompt: 'chat', release: KEEP });
    expect((await judge.complete(REQUEST)).attempts).toBe(3);
  });

  it('leaves a reply cut at maxTokens to the parser, and records the finish reason', async () => {
    const judge = new BackendJudge(fake(), { identity: 'g', prompt: 'chat', release: KEEP });
    const answer = await judge.complete({ ...REQUEST, maxTokens: 3 });
    expect(answer.error).toBeUndefined();
    expect(answer.raw).toBe(pieces(VERDICT).slice(0, 3).join(''));
    expect(answer.environment).toEqual({ finishReason: 'max-tokens' });
  });

  it('never throws: a backend that throws or fails to configure gives an error reply', async () => {
    const throwing = fake(() => reply({ tokens: [], throws: 'socket hang up' }));
    const answer = await new BackendJudge(throwing, { identity: 'g', prompt: 'chat', release: KEEP }).complete(REQUEST);
    expect(answer).toMatchObject({ raw: '', error: 'socket hang up', attempts: 1 });

    const noRoom = fake();
    noRoom.configure = async () => {
      throw new Error('Cannot create a context of 1024 tokens: out of memory');
    };
    const r2 = await new BackendJudge(noRoom, { identity: 'g', prompt: 'chat', release: KEEP }).complete(REQUEST);
    expect(r2.error).toMatch(/out of memory/);
    expect(noRoom.calls).toHaveLength(0);
  });

  it('sizes the context for prompt + maxTokens, in 1024-token steps, growing only when needed', async () => {
    const backend = fake(undefined, 300);
    const judge = new BackendJudge(backend, { identity: 'g', prompt: 'chat', release: KEEP, parallel: 3 });
    await judge.complete(REQUEST); // 300 + 700 → 1024
    await judge.complete({ ...REQUEST, maxTokens: 500 }); // fits
    await judge.complete({ ...REQUEST, maxTokens: 2000 }); // 2300 → 3072
    expect(backend.configures).toEqual([
      { contextSize: 1024, parallel: 3 },
      { contextSize: 3072, parallel: 3 },
    ]);
  });

  it('grows the context only once the calls in flight are done', async () => {
    const events: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const backend = fake(async (req) => {
      events.push(`start ${req.sampler.maxTokens}`);
      if (req.sampler.maxTokens === 700) await gate;
      events.push(`end ${req.sampler.maxTokens}`);
      return reply();
    });
    const configure = backend.configure.bind(backend);
    backend.configure = async (o) => {
      events.push(`configure ${o.contextSize}`);
      await configure(o);
    };
    const judge = new BackendJudge(backend, { identity: 'g', prompt: 'chat', release: KEEP, parallel: 2 });
    const first = judge.complete(REQUEST);
    await new Promise((r) => setTimeout(r, 5));
    const second = judge.complete({ ...REQUEST, maxTokens: 5000 });
    await new Promise((r) => setTimeout(r, 5));
    expect(events).toEqual(['configure 1024', 'start 700']);
    release();
    await Promise.all([first, second]);
    expect(events).toEqual(['configure 1024', 'start 700', 'end 700', 'configure 5120', 'start 5000', 'end 5000']);
  });
});

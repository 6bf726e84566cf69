import { describe, expect, it } from 'vitest';
import type { Backend, GenerateRequest, GenerateResult } from '../../../src/main/core/inference/Backend';
import { BackendJudge, completionPrompt, type JudgeRequest } from '../../../src/main/core/judge';
import type { PromptSpec } from '../../../src/main/core/prompting';

/**
 * BackendJudge's own logic over a scripted Backend: what it sends, how it maps results and failures, how it sizes
 * the context. Real inference through it is covered by tests/model/localJudge.test.ts.
 */
class ScriptedBackend implements Backend {
  readonly name = 'scripted';
  requests: GenerateRequest[] = [];
  configures: { contextSize: number; parallel: number }[] = [];
  disposed = false;
  constructor(
    private reply: (request: GenerateRequest) => Promise<GenerateResult> | GenerateResult,
    private promptTokens = 100,
  ) {}
  versions() {
    return { backend: 'scripted', lib: '1.0' };
  }
  countPromptTokens(_prompt: PromptSpec) {
    return this.promptTokens;
  }
  async configure(options: { contextSize: number; parallel: number }) {
    this.configures.push(options);
  }
  async primePrefix() {
    return { evaluatedTokens: 0 };
  }
  async generate(request: GenerateRequest) {
    this.requests.push(request);
    return this.reply(request);
  }
  async dispose() {
    this.disposed = true;
  }
}

const result = (over: Partial<GenerateResult> = {}): GenerateResult => ({
  promptText: 'p',
  text: '{"safety": {"rationale": "ok", "score": 5}}',
  finishReason: 'eos',
  promptTokens: 100,
  evaluatedPromptTokens: 100,
  outputTokens: 17,
  wallMs: 12,
  ...over,
});
const REQUEST: JudgeRequest = { system: 'SYS', user: 'USER', schema: { type: 'object' }, temperature: 0.3, seed: 9, maxTokens: 700 };

describe('BackendJudge', () => {
  it('sends a chat prompt with the request\'s sampling, the schema, and no loop stop or repeat penalty', async () => {
    const backend = new ScriptedBackend(() => result());
    const judge = new BackendJudge(backend, { identity: 'openai:http://x/v1#m', prompt: 'chat', ownsBackend: false });
    const reply = await judge.complete(REQUEST);
    expect(reply).toEqual({ raw: '{"safety": {"rationale": "ok", "score": 5}}', attempts: 1, wallMs: expect.any(Number), outputTokens: 17, environment: { finishReason: 'eos' } });
    expect(reply.wallMs).toBeGreaterThanOrEqual(0);
    const sent = backend.requests[0]!;
    expect(sent.prompt).toEqual({ kind: 'chat', system: 'SYS', user: 'USER', chatTemplate: undefined, stop: [], clean: 'none' });
    expect(sent.jsonSchema).toEqual({ type: 'object' });
    expect(sent.sampler).toMatchObject({ temperature: 0.3, seed: 9, maxTokens: 700, repeatPenalty: 1, topP: 1, loopStop: { enabled: false } });
    expect(judge.identity).toBe('openai:http://x/v1#m');
    expect(judge.versions()).toEqual({ backend: 'scripted', lib: '1.0', judgePrompt: 'chat' });
  });

  it('sends a completion prompt to template-less models: system as the shared prefix, then user and a JSON cue', async () => {
    const backend = new ScriptedBackend(() => result());
    const judge = new BackendJudge(backend, { identity: 'gguf:abc', prompt: 'completion', ownsBackend: true });
    await judge.complete(REQUEST);
    expect(backend.requests[0]!.prompt).toEqual({ kind: 'completion', prefix: 'SYS\n\n', text: 'SYS\n\nUSER\n\nJSON:\n', stop: [], clean: 'none' });
    expect(completionPrompt('a', 'b')).toEqual(backend.requests[0]!.prompt.kind === 'completion' ? { ...backend.requests[0]!.prompt, prefix: 'a\n\n', text: 'a\n\nb\n\nJSON:\n' } : null);
    expect(judge.versions().judgePrompt).toMatch(/^completion \(system \+ /);
    await judge.dispose();
    expect(backend.disposed).toBe(true);
  });

  it('leaves a lent backend alone on dispose', async () => {
    const backend = new ScriptedBackend(() => result());
    await new BackendJudge(backend, { identity: 'gguf:abc', prompt: 'chat', ownsBackend: false }).dispose();
    expect(backend.disposed).toBe(false);
  });

  it.each([
    ['a backend error', result({ finishReason: 'error', error: 'HTTP 500 after 4 attempts', text: '' }), 'HTTP 500 after 4 attempts'],
    ['an abort', result({ finishReason: 'aborted', text: '{"saf' }), 'aborted before the reply was complete'],
  ])('turns %s into an error (→ N/A), keeping the raw text', async (_, r, error) => {
    const judge = new BackendJudge(new ScriptedBackend(() => r), { identity: 'gguf:abc', prompt: 'chat', ownsBackend: false });
    const reply = await judge.complete(REQUEST);
    expect(reply.error).toBe(error);
    expect(reply.raw).toBe(r.text);
  });

  it('reports the requests a remote backend made, retries included', async () => {
    const judge = new BackendJudge(new ScriptedBackend(() => result({ attempts: 3 })), { identity: 'g', prompt: 'chat', ownsBackend: false });
    expect((await judge.complete(REQUEST)).attempts).toBe(3);
  });

  it('leaves a reply cut at maxTokens to the parser, and records the finish reason', async () => {
    const judge = new BackendJudge(new ScriptedBackend(() => result({ finishReason: 'max-tokens', text: '{"safety": {"rat' })), { identity: 'g', prompt: 'chat', ownsBackend: false });
    const reply = await judge.complete(REQUEST);
    expect(reply.error).toBeUndefined();
    expect(reply.environment).toEqual({ finishReason: 'max-tokens' });
  });

  it('never throws: a backend that throws or fails to configure gives an error reply', async () => {
    const throwing = new ScriptedBackend(() => {
      throw new Error('socket hang up');
    });
    const reply = await new BackendJudge(throwing, { identity: 'g', prompt: 'chat', ownsBackend: false }).complete(REQUEST);
    expect(reply).toMatchObject({ raw: '', error: 'socket hang up', attempts: 1 });

    const noRoom = new ScriptedBackend(() => result());
    noRoom.configure = async () => {
      throw new Error('Cannot create a context of 1024 tokens: out of memory');
    };
    const r2 = await new BackendJudge(noRoom, { identity: 'g', prompt: 'chat', ownsBackend: false }).complete(REQUEST);
    expect(r2.error).toMatch(/out of memory/);
    expect(noRoom.requests).toHaveLength(0);
  });

  it('sizes the context for prompt + maxTokens, in 1024-token steps, growing only when needed', async () => {
    const backend = new ScriptedBackend(() => result(), 300);
    const judge = new BackendJudge(backend, { identity: 'g', prompt: 'chat', ownsBackend: false, parallel: 3 });
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
    const backend = new ScriptedBackend(async (req) => {
      events.push(`start ${req.sampler.maxTokens}`);
      if (req.sampler.maxTokens === 700) await gate;
      events.push(`end ${req.sampler.maxTokens}`);
      return result();
    });
    const configure = backend.configure.bind(backend);
    backend.configure = async (o) => {
      events.push(`configure ${o.contextSize}`);
      await configure(o);
    };
    const judge = new BackendJudge(backend, { identity: 'g', prompt: 'chat', ownsBackend: false, parallel: 2 });
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

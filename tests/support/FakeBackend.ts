/**
 * A scripted stand-in for a loaded model, for model-free tests of everything above the Backend interface
 * (executeRun, BackendJudge, executeJudgeRun, BackendPool, the run queue). It behaves like the real backends
 * where callers depend on it: output streams piece by piece, the prompt's stop strings cut it in text space
 * (the real TextStopper), `maxTokens` caps it, an abort returns the partial text as "aborted", a per-item
 * failure comes back as finishReason "error", and generate() refuses to run before configure(), as the llama
 * backend does. What the model "writes" is the script's answer. Real inference is covered by tests/model/.
 */
import type { BackendKey, BackendLoader } from '../../src/main/core/runs/BackendPool';
import type { Backend, GenerateRequest, GenerateResult } from '../../src/main/core/inference/Backend';
import { TextStopper } from '../../src/main/core/inference/llama/TextStopper';
import type { PromptSpec } from '../../src/main/core/prompting';
import type { FinishReason } from '../../src/shared/domain';

/** What the fake model does for one generate() call. */
export interface FakeReply {
  /** The output, one piece per token (see `pieces`). */
  tokens: string[];
  /** Why generation ends when the pieces run out; a stop string, `maxTokens` or an abort end it sooner. */
  end?: Extract<FinishReason, 'eos' | 'loop'>;
  /** Wait before each piece, in ms; an abort cuts the wait short. */
  tokenMs?: number;
  /** After the pieces, wait until aborted: a model or server that stalls mid-reply (deterministic pause tests). */
  hang?: boolean;
  /** A per-item failure as the real backends report it: finishReason "error" with this message. */
  error?: string;
  /** A crash: generate() rejects with this message after the pieces (the contract says it never does). */
  throws?: string;
  /** Remote backends report the HTTP requests a generation took. */
  attempts?: number;
}

/** The script: the reply to the `call`-th generate() of this backend (0-based), given what was asked. */
export type FakeScript = (request: GenerateRequest, call: number) => FakeReply | Promise<FakeReply>;

/** Splits text into word-sized pieces that join back to it exactly: "a b" → ["a", " b"]. */
export const pieces = (text: string): string[] => text.match(/\s*\S+|\s+$/g) ?? [];

/** The text a fake prompt stands for: the completion text, or the chat messages joined (no template). */
export function promptTextOf(prompt: PromptSpec): string {
  return prompt.kind === 'completion' ? prompt.text : [prompt.system, prompt.user].filter(Boolean).join('\n\n');
}

export interface FakeBackendOptions {
  script: FakeScript;
  /** Token count of a text; default one per piece. */
  tokenCount?: (text: string) => number;
  onDispose?: () => void;
}

export class FakeBackend implements Backend {
  readonly name = 'fake';
  /** Every generate() request, in call order. */
  readonly calls: GenerateRequest[] = [];
  readonly configures: { contextSize: number; parallel: number }[] = [];
  readonly primedPrefixes: string[] = [];
  disposes = 0;
  /** generate() calls running now, and the most that ever ran at once. */
  inFlight = 0;
  maxInFlight = 0;
  readonly #script: FakeScript;
  readonly #tokenCount: (text: string) => number;
  readonly #onDispose: () => void;

  constructor(
    options: FakeBackendOptions,
    /** The key it was loaded for, when a FakeModels loader made it. */
    readonly key?: BackendKey,
  ) {
    this.#script = options.script;
    this.#tokenCount = options.tokenCount ?? ((text) => pieces(text).length);
    this.#onDispose = options.onDispose ?? (() => {});
  }

  versions(): Record<string, string> {
    return { backend: 'fake', model: this.key?.modelPath ?? 'none' };
  }

  countPromptTokens(prompt: PromptSpec): number {
    return this.#tokenCount(promptTextOf(prompt));
  }

  async configure(options: { contextSize: number; parallel: number }): Promise<void> {
    this.configures.push(options);
  }

  async primePrefix(prefix: string): Promise<{ evaluatedTokens: number }> {
    this.primedPrefixes.push(prefix);
    return { evaluatedTokens: this.#tokenCount(prefix) };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    if (this.configures.length === 0) throw new Error('FakeBackend.configure() must be called before generating.');
    if (this.disposes > 0) throw new Error('FakeBackend: generate() on a disposed model.');
    const started = performance.now();
    const call = this.calls.push(request) - 1;
    this.inFlight++;
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight);
    try {
      const reply = await this.#script(request, call);
      const { text, outputTokens, finishReason } = await stream(reply, request);
      if (reply.throws && finishReason !== 'aborted') throw new Error(reply.throws);
      const failed = reply.error !== undefined && finishReason !== 'aborted';
      const promptTokens = this.countPromptTokens(request.prompt);
      return {
        promptText: promptTextOf(request.prompt),
        text,
        finishReason: failed ? 'error' : finishReason,
        ...(failed ? { error: reply.error } : {}),
        promptTokens,
        evaluatedPromptTokens: promptTokens,
        outputTokens,
        wallMs: performance.now() - started,
        ...(reply.attempts !== undefined ? { attempts: reply.attempts } : {}),
      };
    } finally {
      this.inFlight--;
    }
  }

  async dispose(): Promise<void> {
    this.disposes++;
    this.#onDispose();
  }
}

/** Streams the reply's pieces as LlamaBackend streams tokens: abort, maxTokens and stop strings end it early. */
async function stream(reply: FakeReply, request: GenerateRequest): Promise<{ text: string; outputTokens: number; finishReason: FinishReason }> {
  // A JSON-constrained reply ends where the grammar says, never at a prompt stop string (as in LlamaBackend).
  const stopper = new TextStopper(request.jsonSchema ? [] : request.prompt.stop);
  let text = '';
  let outputTokens = 0;
  for (const piece of reply.tokens) {
    if (reply.tokenMs) await sleep(reply.tokenMs, request.signal);
    if (request.signal?.aborted) return { text, outputTokens, finishReason: 'aborted' };
    outputTokens++;
    text += piece;
    const stopAt = stopper.check(text);
    if (stopAt !== -1) return { text: text.slice(0, stopAt), outputTokens, finishReason: 'stop' };
    request.onText?.(text);
    if (outputTokens >= request.sampler.maxTokens) return { text, outputTokens, finishReason: 'max-tokens' };
  }
  if (reply.hang) await abortOf(request.signal);
  return { text, outputTokens, finishReason: request.signal?.aborted ? 'aborted' : (reply.end ?? 'eos') };
}

function abortOf(signal: AbortSignal | undefined): Promise<void> {
  if (!signal) throw new Error('FakeBackend: a hanging reply needs an AbortSignal to end it.');
  return new Promise((resolve) => (signal.aborted ? resolve() : signal.addEventListener('abort', () => resolve(), { once: true })));
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', done);
      resolve();
    };
    const timer = setTimeout(done, ms);
    signal?.addEventListener('abort', done, { once: true });
  });
}

export interface FakeModelsOptions {
  /** The script every loaded backend follows. */
  script?: FakeScript;
  tokenCount?: (text: string) => number;
  /** How long a load takes, in ms (progress is reported at 0, ½ and 1). */
  loadMs?: number;
}

/**
 * A BackendLoader over FakeBackends (what BackendPool is built with), counting loads and the models in memory:
 * a model is in memory from the moment its load starts until it is disposed or its load fails.
 */
export class FakeModels {
  /** The model path of every load attempt, in order. */
  readonly loads: string[] = [];
  /** Every backend loaded, in order. */
  readonly backends: FakeBackend[] = [];
  /** Model path → the message its next load fails with (once). */
  readonly failNextLoad = new Map<string, string>();
  live = 0;
  maxLive = 0;

  constructor(private readonly options: FakeModelsOptions = {}) {}

  /** The backend most recently loaded for this path. */
  backendFor(modelPath: string): FakeBackend | undefined {
    return this.backends.findLast((b) => b.key?.modelPath === modelPath);
  }

  readonly load: BackendLoader = async (key, onProgress) => {
    this.loads.push(key.modelPath);
    this.live++;
    this.maxLive = Math.max(this.maxLive, this.live);
    const half = (this.options.loadMs ?? 0) / 2;
    onProgress(0);
    await sleep(half, undefined);
    onProgress(0.5);
    await sleep(half, undefined);
    const failure = this.failNextLoad.get(key.modelPath);
    if (failure !== undefined) {
      this.failNextLoad.delete(key.modelPath);
      this.live--;
      throw new Error(failure);
    }
    onProgress(1);
    const backend = new FakeBackend(
      { script: this.options.script ?? (() => ({ tokens: pieces('ok') })), tokenCount: this.options.tokenCount, onDispose: () => this.live-- },
      key,
    );
    this.backends.push(backend);
    return backend;
  };
}

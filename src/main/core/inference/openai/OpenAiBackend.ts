import type { FinishReason, SamplerConfig } from '../../../../shared/domain';
import { OnlineLoopDetector } from '../onlineLoopDetector';
import type { PromptSpec } from '../PromptSpec';
import type { Backend, GenerateRequest, GenerateResult } from '../Backend';
import { TextStopper } from '../llama/TextStopper';
import type { ChatMessage, CompletionReply, OpenAiClient, ServerFacts, ServerModel, StreamChunk, Usage } from './OpenAiClient';
import { OpenAiError } from './OpenAiError';
import { endpointMismatch, findServedModel, type RemoteEndpoint } from './remoteModel';

export interface OpenAiBackendOptions {
  client: OpenAiClient;
  /** The model name sent with every request. */
  model: string;
  endpoint: RemoteEndpoint;
}

/**
 * What the server does with the sampling fields beyond the OpenAI core (temperature, top_p, max_tokens, seed,
 * stop): recorded with every run, because the same numbers mean different things on different servers.
 */
const SAMPLING_SEMANTICS =
  'top_k, min_p and the repeat penalty are sent only when not neutral and applied by the server with its own semantics: ' +
  'repetition_penalty (vLLM, HF-style over prompt + output), repeat_penalty + repeat_last_n (llama.cpp server, -1 = whole context); ' +
  'a server may ignore fields it does not know (OpenAI refuses them). ' +
  'Stop strings: a streamed generation cuts them on the text as it arrives and cancels the stream (the server is not sent them, ' +
  'so the cut and the finish reason are exact on every server); a single-request (JSON) call sends them (at most 4) and cuts them again.';

/**
 * Generation on an OpenAI-compatible server (vLLM, llama.cpp server, Ollama, OpenAI): completion prompts go
 * to /v1/completions (base models: zero-shot, URIAL), chat prompts to /v1/chat/completions (the server applies
 * the model's chat template). Generation streams, so `onText`, abort, the text-space stop and the early loop
 * stop work as with the local backend; a request with a JSON schema (judging) is one plain request, so the
 * client's response_format fallback applies and an unreadable reply comes back as text with an error.
 *
 * The server owns tokenization, context and prefix caching: `configure` only sets how many requests run at
 * once, `primePrefix` evaluates nothing, and token counts come from the server's `usage` when it reports them.
 */
export class OpenAiBackend implements Backend {
  readonly name = 'openai-compatible';
  readonly #client: OpenAiClient;
  readonly #model: string;
  readonly #endpoint: RemoteEndpoint;
  #listed: ServerModel | null = null;
  #reported: ServerFacts = { model: null, systemFingerprint: null };
  #structured = false;

  constructor(options: OpenAiBackendOptions) {
    this.#client = options.client;
    this.#model = options.model;
    this.#endpoint = options.endpoint;
  }

  /**
   * Checks that the server answers (GET /v1/models) before a run starts, so an unreachable server or a wrong key
   * fails the run at once with a clear message instead of failing every item; keeps what the server lists
   * about the model (vLLM: the weights it points at, its context length) for the reproducibility record.
   */
  static async connect(options: OpenAiBackendOptions, signal?: AbortSignal): Promise<OpenAiBackend> {
    const backend = new OpenAiBackend(options);
    const listed = await options.client.models(signal);
    backend.#listed = findServedModel(listed, options.model);
    return backend;
  }

  versions(): Record<string, string> {
    const v: Record<string, string> = {
      backend: 'openai-compatible',
      baseUrl: this.#client.baseUrl,
      requestedModel: this.#model,
      endpoint: this.#endpoint === 'chat' ? '/chat/completions' : '/completions',
      samplingSemantics: SAMPLING_SEMANTICS,
      tokenCounts: "the server's usage when reported; otherwise prompt ≈ characters / 4 and output = streamed chunks",
    };
    if (this.#reported.model) v.serverModel = this.#reported.model;
    if (this.#reported.systemFingerprint) v.systemFingerprint = this.#reported.systemFingerprint;
    if (this.#listed?.root) v.serverModelRoot = this.#listed.root;
    if (this.#listed?.maxModelLen != null) v.serverMaxModelLen = String(this.#listed.maxModelLen);
    if (this.#listed?.ownedBy) v.serverModelOwnedBy = this.#listed.ownedBy;
    if (this.#structured) v.structuredOutput = this.#client.responseFormat;
    return v;
  }

  /**
   * An estimate (≈ 4 characters per token, plus a few tokens of template per chat message): the server's
   * tokenizer is out of reach. It only sizes the "auto" context recorded with the run; the server enforces its
   * own context length and reports the true counts in `usage`.
   */
  countPromptTokens(prompt: PromptSpec): number {
    if (prompt.kind === 'completion') return estimateTokens(prompt.text);
    return chatMessages(prompt).reduce((n, m) => n + estimateTokens(m.content) + 4, 0);
  }

  async configure({ parallel }: { contextSize: number; parallel: number }): Promise<void> {
    this.#client.concurrency = Math.max(1, parallel);
  }

  /** Servers cache shared prefixes themselves (vLLM prefix caching, llama.cpp's slot cache): nothing to do here. */
  async primePrefix(): Promise<{ evaluatedTokens: number }> {
    return { evaluatedTokens: 0 };
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = performance.now();
    const { prompt } = request;
    const estimate = this.countPromptTokens(prompt);
    const outcome = new Outcome(started, promptTextOf(prompt), estimate);
    const refusal =
      endpointMismatch({ baseUrl: this.#client.baseUrl, model: this.#model, endpoint: this.#endpoint }, prompt.kind) ??
      (prompt.kind === 'chat' && prompt.chatTemplate
        ? `A remote server applies its own chat template: the template override "${prompt.chatTemplate}" cannot be honoured. Remove it from the run.`
        : null);
    if (refusal) return outcome.finish('error', refusal);
    return request.jsonSchema ? this.#generateStructured(request, outcome) : this.#generateStreamed(request, outcome);
  }

  async dispose(): Promise<void> {
    // Nothing held: connections belong to fetch's pool.
  }

  // HELPERS

  async #generateStreamed(request: GenerateRequest, outcome: Outcome): Promise<GenerateResult> {
    const { prompt, sampler, signal } = request;
    const stopper = new TextStopper(prompt.stop);
    // The early loop stop works on tokens; a streamed chunk is one token on vLLM and llama.cpp, so equal chunks
    // get equal ids. Off unless the run asks for it, exactly as in the local backend.
    const loopStop = sampler.loopStop ?? { enabled: false, sensitivity: 'medium' as const };
    const loops = loopStop.enabled ? new OnlineLoopDetector(loopStop.sensitivity) : null;
    const chunkIds = new Map<string, number>();
    let serverFinish: StreamChunk | null = null;
    try {
      for await (const chunk of this.#stream(prompt, sampler, signal)) {
        this.#note(chunk);
        outcome.attempts = chunk.attempts;
        if (chunk.usage) outcome.usage = chunk.usage;
        if (chunk.finishReason !== undefined) serverFinish = chunk;
        if (chunk.text === '') continue;
        outcome.text += chunk.text;
        outcome.chunks++;
        const stopAt = stopper.check(outcome.text);
        if (stopAt !== -1) {
          outcome.text = outcome.text.slice(0, stopAt);
          return outcome.finish('stop');
        }
        request.onText?.(outcome.text);
        // The looping text stays in the output: it is the evidence of the loop.
        if (!chunkIds.has(chunk.text)) chunkIds.set(chunk.text, chunkIds.size);
        if (loops?.push(chunkIds.get(chunk.text)!, outcome.text)) return outcome.finish('loop');
      }
      return outcome.finishFromServer(serverFinish?.finishReason ?? null, serverFinish?.stopReason ?? null, prompt.stop);
    } catch (err) {
      return outcome.failed(err, signal);
    }
  }

  async #generateStructured(request: GenerateRequest, outcome: Outcome): Promise<GenerateResult> {
    const { prompt, sampler, signal, jsonSchema } = request;
    this.#structured = true;
    let reply: CompletionReply;
    try {
      const params = { ...samplingParams(sampler), ...stopField(prompt.stop) };
      reply =
        prompt.kind === 'chat'
          ? await this.#client.chat({ model: this.#model, messages: chatMessages(prompt), params, jsonSchema, signal })
          : await this.#client.complete({ model: this.#model, prompt: prompt.text, params, jsonSchema, signal });
    } catch (err) {
      return outcome.failed(err, signal);
    }
    this.#note(reply);
    outcome.usage = reply.usage;
    outcome.attempts = reply.attempts;
    // An unreadable body is kept as the output, so the judge can store it as N/A with the evidence.
    if (reply.text === null) {
      outcome.text = reply.raw;
      return outcome.finish('error', reply.problem);
    }
    outcome.text = reply.text;
    const stopAt = new TextStopper(prompt.stop).check(reply.text);
    if (stopAt !== -1) {
      outcome.text = reply.text.slice(0, stopAt);
      return outcome.finish('stop');
    }
    return outcome.finishFromServer(reply.finishReason, reply.stopReason, prompt.stop);
  }

  #stream(prompt: PromptSpec, sampler: SamplerConfig, signal: AbortSignal | undefined): AsyncGenerator<StreamChunk> {
    // No `stop` field: a server cuts its stop strings silently and most do not say whether one fired, which
    // would record a URIAL stop as "eos". The client cuts them on the text instead and cancels the stream.
    const params = samplingParams(sampler);
    return prompt.kind === 'chat'
      ? this.#client.chatStream({ model: this.#model, messages: chatMessages(prompt), params, signal })
      : this.#client.completeStream({ model: this.#model, prompt: prompt.text, params, signal });
  }

  /** Keeps the latest model name and fingerprint the server reported (they go into the run's environment). */
  #note(facts: Partial<ServerFacts>): void {
    if (facts.model) this.#reported.model = facts.model;
    if (facts.systemFingerprint) this.#reported.systemFingerprint = facts.systemFingerprint;
  }
}

/** One generation's result as it accumulates. */
class Outcome {
  text = '';
  chunks = 0;
  usage: Usage | null = null;
  attempts = 0;

  constructor(
    readonly started: number,
    readonly promptText: string,
    readonly promptEstimate: number,
  ) {}

  /**
   * The server's finish reason in our terms. Its "stop" covers both the end of sequence and a stop string it cut
   * (only single-request calls send stop strings); it is a stop string when the server says which (vLLM's
   * stop_reason), otherwise "eos". Streamed generations cut stop strings themselves, exactly.
   */
  finishFromServer(reason: string | null, stopReason: string | number | null, stops: string[]): GenerateResult {
    if (reason === 'length') return this.finish('max-tokens');
    if (reason === 'content_filter') return this.finish('error', "The server's content filter stopped the output.");
    return this.finish(typeof stopReason === 'string' && stops.includes(stopReason) ? 'stop' : 'eos');
  }

  /** A request that failed for good, or the caller's abort (the partial output is kept either way). */
  failed(err: unknown, signal: AbortSignal | undefined): GenerateResult {
    if (err instanceof OpenAiError) this.attempts = Math.max(this.attempts, err.attempts);
    if (signal?.aborted) return this.finish('aborted');
    return this.finish('error', err instanceof Error ? err.message : String(err));
  }

  finish(finishReason: FinishReason, error?: string): GenerateResult {
    const usage = this.usage;
    return {
      promptText: this.promptText,
      text: this.text,
      finishReason,
      ...(error ? { error } : {}),
      promptTokens: usage?.promptTokens ?? this.promptEstimate,
      evaluatedPromptTokens: usage ? usage.promptTokens - (usage.cachedPromptTokens ?? 0) : this.promptEstimate,
      outputTokens: usage?.completionTokens ?? this.chunks,
      wallMs: performance.now() - this.started,
      attempts: this.attempts,
    };
  }
}

/** OpenAI accepts at most 4 stop strings; all of them are cut on the reply text anyway. */
function stopField(stops: string[]): Record<string, unknown> {
  const sent = stops.filter((s) => s.length > 0).slice(0, 4);
  return sent.length > 0 ? { stop: sent } : {};
}

function chatMessages(prompt: Extract<PromptSpec, { kind: 'chat' }>): ChatMessage[] {
  const messages: ChatMessage[] = [];
  if (prompt.system) messages.push({ role: 'system', content: prompt.system });
  messages.push({ role: 'user', content: prompt.user });
  return messages;
}

/** The exact prompt sent: the raw text, or the chat messages as JSON (the server renders its template). */
function promptTextOf(prompt: PromptSpec): string {
  return prompt.kind === 'completion' ? prompt.text : JSON.stringify(chatMessages(prompt));
}

/** The run's sampler as request fields; the extras only when they change something (see SAMPLING_SEMANTICS). */
function samplingParams(sampler: SamplerConfig): Record<string, unknown> {
  const params: Record<string, unknown> = {
    temperature: sampler.temperature,
    top_p: sampler.topP,
    max_tokens: sampler.maxTokens,
    seed: sampler.seed,
  };
  if (sampler.topK > 0) params.top_k = sampler.topK;
  if (sampler.minP > 0) params.min_p = sampler.minP;
  if (sampler.repeatPenalty !== 1) {
    params.repetition_penalty = sampler.repeatPenalty;
    params.repeat_penalty = sampler.repeatPenalty;
    params.repeat_last_n = sampler.repeatPenaltyWindow === 'all' ? -1 : sampler.repeatPenaltyWindow;
  }
  return params;
}

function estimateTokens(text: string): number {
  return Math.ceil(text.length / 4);
}

import type { SamplerConfig } from '../../../shared/domain';
import type { Backend, GenerateResult } from '../inference/Backend';
import type { PromptSpec } from '../prompting/PromptMethod';
import type { Judge, JudgeReply, JudgeRequest } from './Judge';

/**
 * How the judge prompt reaches the model: `chat` for models with a chat template and OpenAI-compatible chat
 * servers; `completion` for template-less base models, as one text (see completionPrompt).
 */
export type JudgePromptStyle = 'chat' | 'completion';

export interface BackendJudgeOptions {
  /** "gguf:<sha256>" or "openai:<base url>#<model>". */
  identity: string;
  prompt: JudgePromptStyle;
  /** chat: a named node-llama-cpp chat wrapper instead of the model's own template (local models only). */
  chatTemplate?: string;
  /**
   * What dispose() does with the backend: dispose a backend the judge owns (a remote client), or hand a model
   * lent by the BackendPool back to it (its lease's release), so the slot is free for the next model.
   */
  release: () => void | Promise<void>;
  /** How many calls the caller runs at once (local: sequences; remote: concurrent requests). Default 1. */
  parallel?: number;
}

/** Context sizes grow in these steps, so a slightly longer prompt does not recreate the context every time. */
const CONTEXT_STEP = 1024;

/**
 * A judge over any generation Backend: the local llama backend (grammar-constrained JSON from the schema) or
 * the OpenAI-compatible one (response_format). Sampling is plain: no repeat penalty (the JSON skeleton repeats
 * by design), no early loop stop (it would cut a valid verdict), top-p 1 and top-k off, so temperature 0 is
 * greedy and a temperature > 0 samples the model's own distribution, seeded per call.
 *
 * The backend's context is sized here, per call: prompt + maxTokens must fit or the reply would be cut and
 * become N/A. It only grows, and never while a call is running. The judge assumes it is the backend's only user
 * while it runs (the queue runs one job at a time); remote backends ignore the size and take `parallel`.
 */
export class BackendJudge implements Judge {
  readonly identity: string;
  #contextSize = 0;
  #inFlight = new Set<Promise<unknown>>();
  #growing: Promise<void> | null = null;

  constructor(
    private readonly backend: Backend,
    private readonly options: BackendJudgeOptions,
  ) {
    this.identity = options.identity;
  }

  versions(): Record<string, string> {
    return {
      ...this.backend.versions(),
      judgePrompt: this.options.prompt === 'chat' ? `chat${this.options.chatTemplate ? ` (${this.options.chatTemplate})` : ''}` : `completion (${COMPLETION_FORMAT})`,
    };
  }

  async complete(request: JudgeRequest): Promise<JudgeReply> {
    const started = performance.now();
    const failed = (error: string): JudgeReply => ({ raw: '', error, attempts: 1, wallMs: performance.now() - started });
    const prompt = this.#promptSpec(request);
    try {
      await this.#fit(this.backend.countPromptTokens(prompt) + request.maxTokens);
    } catch (err) {
      return failed(err instanceof Error ? err.message : String(err));
    }
    const call = this.backend
      .generate({ prompt, sampler: samplerFor(request), signal: request.signal, jsonSchema: request.schema })
      .catch((err: unknown): GenerateResult | string => (err instanceof Error ? err.message : String(err)));
    this.#inFlight.add(call);
    const result = await call.finally(() => this.#inFlight.delete(call));
    if (typeof result === 'string') return failed(result);
    const error = replyError(result);
    return {
      raw: result.text,
      ...(error ? { error } : {}),
      // Remote backends count their HTTP requests (retries included); a local generation is one attempt.
      attempts: result.attempts ?? 1,
      // The whole call, context sizing included.
      wallMs: performance.now() - started,
      outputTokens: result.outputTokens,
      environment: { finishReason: result.finishReason },
    };
  }

  async dispose(): Promise<void> {
    await this.options.release();
  }

  #promptSpec(request: JudgeRequest): PromptSpec {
    if (this.options.prompt === 'completion') return completionPrompt(request.system, request.user);
    return { kind: 'chat', system: request.system, user: request.user, chatTemplate: this.options.chatTemplate, stop: [], clean: 'none' };
  }

  /** Makes the context hold `tokens`, growing it once the calls in flight are done. */
  async #fit(tokens: number): Promise<void> {
    while (this.#growing) await this.#growing;
    if (tokens <= this.#contextSize) return;
    const size = Math.ceil(tokens / CONTEXT_STEP) * CONTEXT_STEP;
    this.#growing = (async () => {
      await Promise.allSettled([...this.#inFlight]);
      await this.backend.configure({ contextSize: size, parallel: this.options.parallel ?? 1 });
      this.#contextSize = size;
    })();
    try {
      await this.#growing;
    } finally {
      this.#growing = null;
    }
  }
}

/** Documented in every call's versions, so the exact completion text can be rebuilt from the stored messages. */
const COMPLETION_FORMAT = 'system + "\\n\\n" + user + "\\n\\nJSON:\\n"';

/**
 * A base model has no roles: the judge sees the system text, the user text, then a cue after which a JSON
 * object is the natural continuation (the grammar forces it anyway on a local model). The system text is the
 * shared prefix, so its KV state is reused across every call of the same rubric and language.
 */
export function completionPrompt(system: string, user: string): PromptSpec {
  const prefix = `${system}\n\n`;
  return { kind: 'completion', prefix, text: `${prefix}${user}\n\nJSON:\n`, stop: [], clean: 'none' };
}

function samplerFor(request: JudgeRequest): SamplerConfig {
  return {
    maxTokens: request.maxTokens,
    temperature: request.temperature,
    topP: 1,
    topK: 0,
    minP: 0,
    seed: request.seed,
    repeatPenalty: 1,
    repeatPenaltyWindow: 'all',
    loopStop: { enabled: false, sensitivity: 'medium' },
  };
}

/** No usable reply: the backend failed or the call was aborted. A reply cut at maxTokens is left to the parser. */
function replyError(result: GenerateResult): string | undefined {
  if (result.finishReason === 'error') return result.error ?? 'the backend failed without a message';
  if (result.finishReason === 'aborted') return 'aborted before the reply was complete';
  return undefined;
}

import { randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  getModuleVersion,
  isLlamaText,
  LlamaGrammarEvaluationState,
  type ChatHistoryItem,
  type ChatWrapper,
  type GbnfJsonObjectSchema,
  type Llama,
  type LlamaContext,
  type LlamaContextSequence,
  type LlamaGrammar,
  type LlamaModel,
  type LlamaText,
  type Token,
} from 'node-llama-cpp';
import type { GpuOffload, SamplerConfig } from '../../../../shared/domain';
import { formatBytes } from '../../../../shared/formatBytes';
import { OnlineLoopDetector } from '../onlineLoopDetector';
import type { PromptSpec } from '../PromptSpec';
import type { Backend, GenerateRequest, GenerateResult } from '../Backend';
import { contextFit, estimateMemory, runtimeMode } from './estimateMemory';
import { errorText, inspectGguf, ModelFileError } from './inspectGguf';
import { getLlamaRuntime } from './getLlamaRuntime';
import { resolveRunChatWrapper, type ChatWrapperInfo } from './runChatWrapper';
import { TextStopper } from './TextStopper';

export interface LlamaLoadOptions {
  modelPath: string;
  /** "auto": as many layers as fit; "cpu": none; a number: that many layers on the GPU. */
  gpu: GpuOffload;
  /** Explicit: node-llama-cpp's default (4) is 500× slower on a 2-core machine (DESIGN §3). */
  threads: number;
  onProgress?: (fraction: number) => void;
}


/** The in-process llama.cpp backend. This folder is the only place that imports node-llama-cpp. */
export class LlamaBackend implements Backend {
  readonly name = 'llama.cpp';
  #context: LlamaContext | null = null;
  #free: LlamaContextSequence[] = [];
  #waiting: ((seq: LlamaContextSequence) => void)[] = [];
  #chatWrappers = new Map<string, { wrapper: ChatWrapper; info: ChatWrapperInfo }>();
  #prefixTokens = new Map<string, Token[]>();
  /** JSON-schema grammars by schema text: building one parses GBNF, and a judge run reuses one schema. */
  #grammars = new Map<string, Promise<{ grammar: LlamaGrammar; stops: string[] }>>();

  private constructor(
    readonly llama: Llama,
    readonly model: LlamaModel,
    readonly threads: number,
    readonly libraryVersion: string,
  ) {}

  static async load(options: LlamaLoadOptions): Promise<LlamaBackend> {
    const llama = await getLlamaRuntime(runtimeMode(options.gpu));
    const { summary } = await inspectGguf(options.modelPath, llama);
    if (!summary.runnable) {
      throw new ModelFileError(options.modelPath, 'vocab-only GGUF (a tokenizer without weights): it cannot generate. Pick a full model file.', 'vocab-only');
    }
    let model: LlamaModel;
    try {
      model = await llama.loadModel({
        modelPath: options.modelPath,
        gpuLayers: options.gpu === 'cpu' ? 0 : options.gpu,
        onLoadProgress: options.onProgress,
      });
    } catch (err) {
      throw new ModelFileError(options.modelPath, `llama.cpp could not load it: ${await loadFailureText(errorText(err), options)}`);
    }
    return new LlamaBackend(llama, model, options.threads, (await getModuleVersion()) ?? 'unknown');
  }

  versions(): Record<string, string> {
    return {
      backend: 'llama.cpp (node-llama-cpp)',
      'node-llama-cpp': this.libraryVersion,
      'llama.cpp': this.llama.llamaCppRelease.release,
      gpu: String(this.llama.gpu),
      // What "auto" or a layer count resolved to on this machine.
      gpuLayers: `${this.model.gpuLayers}/${this.model.fileInsights.totalLayers}`,
    };
  }

  get trainContextSize(): number {
    return this.model.trainContextSize;
  }

  countPromptTokens(prompt: PromptSpec): number {
    return this.#promptTokens(prompt).tokens.length;
  }

  async configure({ contextSize, parallel }: { contextSize: number; parallel: number }): Promise<void> {
    if (
      this.#context &&
      this.#context.contextSize >= contextSize &&
      this.#context.totalSequences === parallel &&
      this.#free.length === parallel
    )
      return;
    await this.#disposeContext();
    // Checked first, with node-llama-cpp's estimate: an impossible size is refused in well under a second with the
    // numbers, instead of llama.cpp's own search, which takes time proportional to the size asked for.
    const fit = await contextFit(this.model.fileInsights, this.llama, {
      gpuLayers: this.model.gpuLayers,
      contextSize,
      sequences: parallel,
      model: { ram: 0, vram: 0 },
    });
    if (!fit.fits) {
      throw new Error(`Cannot create a context of ${contextSize} tokens × ${parallel} sequence(s) for ${this.model.filename ?? 'the model'}: ${fit.problem}`);
    }
    try {
      this.#context = await this.model.createContext({
        contextSize,
        sequences: parallel,
        threads: this.threads,
        // Deterministic outputs across runs matter more here than the last few % of speed.
        flashAttention: false,
      });
    } catch (err) {
      throw new Error(
        `Cannot create a context of ${contextSize} tokens × ${parallel} sequence(s) for ${this.model.filename ?? 'the model'}: ${memoryHint(errorText(err))}`,
      );
    }
    this.#free = Array.from({ length: parallel }, () => this.#context!.getSequence());
  }

  async primePrefix(prefix: string): Promise<{ evaluatedTokens: number }> {
    const context = this.#requireContext();
    if (prefix.length === 0) return { evaluatedTokens: 0 };
    const prefixTokens = this.#tokenizePrefix(prefix);
    const sequences = await Promise.all(Array.from({ length: context.totalSequences }, () => this.#acquire()));
    try {
      const [first, ...rest] = sequences;
      const evaluated = await reuseOrEvaluate(first!, prefixTokens);
      if (rest.length === 0 || evaluated === 0) return { evaluatedTokens: evaluated };
      // Copy the first sequence's KV state into the others through a state file, so N parallel sequences
      // pay for the preamble once instead of N times. Sequences that already hold it are left alone.
      const stale = rest.filter((s) => s.compareContextTokens(prefixTokens).firstDifferentIndex < prefixTokens.length);
      if (stale.length > 0) {
        const file = join(tmpdir(), `align-prefix-${randomUUID()}.bin`);
        try {
          await first!.saveStateToFile(file);
          for (const seq of stale) await seq.loadStateFromFile(file, { acceptRisk: true });
        } finally {
          await rm(file, { force: true });
        }
      }
      return { evaluatedTokens: evaluated };
    } finally {
      for (const s of sequences) this.#release(s);
    }
  }

  async generate(request: GenerateRequest): Promise<GenerateResult> {
    const started = performance.now();
    const { tokens, promptText, stops } = this.#promptTokens(request.prompt);
    const sequence = await this.#acquire();
    let evaluatedPromptTokens = 0;
    const output: Token[] = [];
    let text = '';
    try {
      const room = sequence.contextSize - tokens.length;
      if (room < 1) {
        return this.#result(started, promptText, '', 'error', tokens.length, 0, 0, {
          error: `The prompt has ${tokens.length} tokens but the context holds ${sequence.contextSize}. Raise the context size or shorten the prompt.`,
        });
      }
      const maxTokens = Math.min(request.sampler.maxTokens, room);
      // Constrained JSON: the grammar decides where the output ends (its own stop), so neither the prompt's stop
      // strings nor the early loop stop may cut it: a rationale that happens to contain a stop string, or the
      // JSON skeleton that repeats by design, would turn a valid verdict into a broken one.
      const grammar = request.jsonSchema ? await this.#grammar(request.jsonSchema) : null;
      const start = await alignSequence(sequence, tokens);
      evaluatedPromptTokens = tokens.length - start;
      const stopper = new TextStopper(grammar ? grammar.stops : [...request.prompt.stop, ...stops]);
      // Early loop stop (absent in configs stored before it existed = the default). Disabled: not even constructed.
      // Absent in run configs stored before the early stop existed: those runs resume as they began, without it.
      const loopStop = request.sampler.loopStop ?? { enabled: false, sensitivity: 'medium' as const };
      const loops = loopStop.enabled && !grammar ? new OnlineLoopDetector(loopStop.sensitivity) : null;
      const iterator = sequence.evaluate(tokens.slice(start), {
        ...samplerOptions(request.sampler),
        repeatPenalty: repeatPenalty(request.sampler, tokens, output),
        // Never shift the context silently: the run settings promised this much room.
        contextShift: { strategy: 'eraseBeginning', size: 0 },
        // A fresh state per generation: it tracks where in the grammar this output is.
        ...(grammar ? { grammarEvaluationState: new LlamaGrammarEvaluationState({ model: this.model, grammar: grammar.grammar }) } : {}),
      });
      let finish: GenerateResult['finishReason'] = 'max-tokens';
      for await (const token of iterator) {
        if (request.signal?.aborted) {
          finish = 'aborted';
          break;
        }
        if (this.model.isEogToken(token)) {
          finish = 'eos';
          break;
        }
        output.push(token);
        text = this.model.detokenize(output);
        const stopAt = stopper.check(text);
        if (stopAt !== -1) {
          text = text.slice(0, stopAt);
          finish = 'stop';
          break;
        }
        request.onText?.(text);
        // The looping text stays in the output: it is the evidence of the loop.
        if (loops?.push(token, text)) {
          finish = 'loop';
          break;
        }
        if (output.length >= maxTokens) break;
      }
      if (finish === 'max-tokens' && output.length < maxTokens) finish = request.signal?.aborted ? 'aborted' : 'eos';
      // The grammar lets the JSON be followed by newlines (its end marker): they are not part of the reply.
      if (grammar) text = text.trimEnd();
      return this.#result(started, promptText, text, finish, tokens.length, evaluatedPromptTokens, output.length);
    } catch (err) {
      if (request.signal?.aborted)
        return this.#result(started, promptText, text, 'aborted', tokens.length, evaluatedPromptTokens, output.length);
      return this.#result(started, promptText, text, 'error', tokens.length, evaluatedPromptTokens, output.length, {
        error: errorText(err),
      });
    } finally {
      this.#release(sequence);
    }
  }

  async dispose(): Promise<void> {
    await this.#disposeContext();
    await this.model.dispose();
  }

  // HELPERS

  #result(
    started: number,
    promptText: string,
    text: string,
    finishReason: GenerateResult['finishReason'],
    promptTokens: number,
    evaluatedPromptTokens: number,
    outputTokens: number,
    extra: { error?: string } = {},
  ): GenerateResult {
    return {
      promptText,
      text,
      finishReason,
      promptTokens,
      evaluatedPromptTokens,
      outputTokens,
      wallMs: performance.now() - started,
      ...extra,
    };
  }

  #promptTokens(prompt: PromptSpec): { tokens: Token[]; promptText: string; stops: string[] } {
    if (prompt.kind === 'completion') {
      // The shared prefix is tokenized on its own and the rest appended, so every item's token sequence
      // starts with exactly the same tokens and the KV cache of the prefix can be reused. Text without a
      // prefix is tokenized as llama.cpp and HF do (SentencePiece's leading space on the first word kept),
      // unlike LlamaCompletion, which trims it.
      const prefixTokens = this.#tokenizePrefix(prompt.prefix);
      const rest = prompt.text.slice(prompt.prefix.length);
      const restTokens =
        rest.length === 0 ? [] : this.model.tokenize(rest, false, prompt.prefix.length > 0 ? 'trimLeadingSpace' : undefined);
      // The stored prompt is the method's exact text; the BOS token the backend adds is not text.
      return { tokens: [...prefixTokens, ...restTokens], promptText: prompt.text, stops: [] };
    }
    const { wrapper } = this.#chatWrapper(prompt);
    const history: ChatHistoryItem[] = [];
    if (prompt.system) history.push({ type: 'system', text: prompt.system });
    history.push({ type: 'user', text: prompt.user }, { type: 'model', response: [] });
    const state = wrapper.generateContextState({ chatHistory: history });
    const tokens = state.contextText.tokenize(this.model.tokenizer);
    return { tokens, promptText: this.model.detokenize(tokens, true), stops: this.#triggerTexts(state.stopGenerationTriggers) };
  }

  /** Stop triggers as text, matched by the TextStopper (token-level triggers can miss, DESIGN §3). */
  #triggerTexts(triggers: readonly (LlamaText | string | readonly (string | Token)[])[]): string[] {
    const textOf = (trigger: LlamaText | string | readonly (string | Token)[]): string => {
      if (typeof trigger === 'string') return trigger;
      if (isLlamaText(trigger)) return this.model.detokenize(trigger.tokenize(this.model.tokenizer), true);
      return trigger.map((part) => (typeof part === 'string' ? part : this.model.detokenize([part], true))).join('');
    };
    return triggers.map(textOf).filter((s) => s.length > 0);
  }

  #grammar(schema: Record<string, unknown>): Promise<{ grammar: LlamaGrammar; stops: string[] }> {
    const key = JSON.stringify(schema);
    let entry = this.#grammars.get(key);
    if (!entry) {
      // The schema is plain JSON from the judge core; node-llama-cpp validates what it supports and throws a
      // clear error otherwise, which becomes this generation's error.
      entry = this.llama
        .createGrammarForJsonSchema<GbnfJsonObjectSchema>(schema as GbnfJsonObjectSchema)
        .then((grammar) => ({ grammar, stops: this.#triggerTexts(grammar.stopGenerationTriggers) }));
      // A schema that failed is not cached: the next call reports the same error afresh.
      entry.catch(() => this.#grammars.delete(key));
      this.#grammars.set(key, entry);
    }
    return entry;
  }

  #tokenizePrefix(prefix: string): Token[] {
    let tokens = this.#prefixTokens.get(prefix);
    if (!tokens) {
      tokens = this.model.tokenize(prefix, false);
      const bos = this.model.tokens.bos;
      if (bos != null && this.model.tokens.shouldPrependBosToken) tokens = [bos, ...tokens];
      this.#prefixTokens.set(prefix, tokens);
    }
    return tokens;
  }

  describePrompt(prompt: PromptSpec): Record<string, string> {
    if (prompt.kind !== 'chat') return {};
    const { info } = this.#chatWrapper(prompt);
    if (prompt.system !== undefined && !info.supportsSystemMessages && prompt.allowSystemFold !== true) {
      throw new Error(
        `The chat template of ${this.model.filename ?? 'this model'} (${info.chatWrapper}) has no system role: the system prompt ` +
          'would be folded into the user turn. Remove the system prompt, or confirm the fold explicitly (allow system fold).',
      );
    }
    return {
      chatWrapper: info.chatWrapper,
      chatTemplateSource: info.ggufJinja ? 'GGUF Jinja template' : 'built-in node-llama-cpp wrapper',
      chatSystemRole: info.supportsSystemMessages ? 'yes' : prompt.system !== undefined ? 'no (system prompt folded into the user turn, as confirmed)' : 'no',
      ...(info.chatDate !== undefined && { chatDate: info.chatDate }),
      ...(info.datePinned === false && { chatDatePinned: 'no: the template calls strftime_now (system clock)' }),
    };
  }

  #chatWrapper(prompt: { chatTemplate?: string; date?: string }): { wrapper: ChatWrapper; info: ChatWrapperInfo } {
    const key = `${prompt.chatTemplate ?? 'auto'}|${prompt.date ?? ''}`;
    let resolved = this.#chatWrappers.get(key);
    if (!resolved) {
      resolved = resolveRunChatWrapper(this.model, { name: prompt.chatTemplate, date: prompt.date });
      this.#chatWrappers.set(key, resolved);
    }
    return resolved;
  }

  #requireContext(): LlamaContext {
    if (!this.#context) throw new Error('LlamaBackend.configure() must be called before generating.');
    return this.#context;
  }

  #acquire(): Promise<LlamaContextSequence> {
    this.#requireContext();
    const seq = this.#free.pop();
    if (seq) return Promise.resolve(seq);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  #release(seq: LlamaContextSequence): void {
    const next = this.#waiting.shift();
    if (next) next(seq);
    else this.#free.push(seq);
  }

  async #disposeContext(): Promise<void> {
    const context = this.#context;
    this.#context = null;
    this.#free = [];
    if (context) await context.dispose();
  }
}

/**
 * Erases what differs between the sequence's KV state and `tokens`; returns the index from which
 * `tokens` must still be evaluated. At least one token is always evaluated, to get fresh logits.
 */
async function alignSequence(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
  let start = Math.min(sequence.compareContextTokens(tokens).firstDifferentIndex, tokens.length - 1);
  if (start < 0) start = 0;
  if (start < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start, end: sequence.nextTokenIndex }]);
  return start;
}

async function reuseOrEvaluate(sequence: LlamaContextSequence, tokens: Token[]): Promise<number> {
  const same = sequence.compareContextTokens(tokens).firstDifferentIndex;
  if (same >= tokens.length && sequence.nextTokenIndex === tokens.length) return 0;
  if (same < sequence.nextTokenIndex) await sequence.eraseContextTokenRanges([{ start: same, end: sequence.nextTokenIndex }]);
  await sequence.evaluateWithoutGeneratingNewTokens(tokens.slice(same));
  return tokens.length - same;
}

function samplerOptions(sampler: SamplerConfig) {
  return {
    temperature: sampler.temperature,
    topK: sampler.topK,
    topP: sampler.topP,
    minP: sampler.minP,
    seed: sampler.seed,
  };
}

/**
 * The repeat penalty looks at a window of the last tokens (prompt + output). The URIAL authors' HF/vLLM
 * penalty covers the whole prompt and output: window "all" replicates that exactly.
 */
function repeatPenalty(sampler: SamplerConfig, prompt: Token[], output: Token[]) {
  if (sampler.repeatPenalty === 1) return undefined;
  const window = sampler.repeatPenaltyWindow;
  const maxPunishTokens = window === 'all' ? prompt.length + sampler.maxTokens : window;
  return {
    penalty: sampler.repeatPenalty,
    maxPunishTokens,
    punishTokens: () => {
      const all = output.length === 0 ? prompt : prompt.concat(output);
      return window === 'all' ? all : all.slice(-window);
    },
  };
}

/** A failed load, with the estimate's numbers (needed vs free) when memory is the likely reason. */
async function loadFailureText(message: string, options: LlamaLoadOptions): Promise<string> {
  if (!/memory|VRAM|RAM|alloc|too large/i.test(message)) return message;
  const fit = await estimateMemory({ modelPath: options.modelPath, contextSize: 1, sequences: 1, gpu: options.gpu }).catch(() => null);
  if (!fit) return memoryHint(message);
  if (fit.problem) return `${message}: ${fit.problem}`;
  const { needs: { model }, available } = fit;
  return memoryHint(
    `${message} (the model needs about ${formatBytes(model.ram)} of RAM and ${formatBytes(model.vram)} of GPU memory; ` +
      `${formatBytes(available.ram)} of RAM and ${formatBytes(available.vram)} of GPU memory are free)`,
  );
}

function memoryHint(message: string): string {
  if (/VRAM/i.test(message))
    return `${message}. It does not fit in GPU memory: use a smaller context size, fewer parallel sequences, a smaller quantization, or --gpu cpu.`;
  if (/memory|RAM|alloc|too large/i.test(message))
    return `${message}. It does not fit in memory: use a smaller context size, fewer parallel sequences, or a smaller quantization.`;
  return message;
}

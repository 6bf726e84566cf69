import { untrack } from 'svelte';
import { SvelteSet } from 'svelte/reactivity';
import type { RunInfo, RunPlan, RunPlanRequest } from '../../../shared/api';
import type { BackendConfig, LoopStopConfig, MethodName, SamplerConfig, Subset } from '../../../shared/domain';
import { api } from '../lib/api';
import { INITIAL_SAMPLER, namedPreset, presetOf, presetSampler, type DecodingPreset } from '../lib/decodingPresets';
import { errorText } from '../lib/errorText';

const PLAN_DEBOUNCE_MS = 300;

/** Numeric fields as typed: `bind:value` on a number input gives a number, or null/undefined when empty. */
type NumberField = number | null | undefined;

/**
 * The run composer: models × methods × datasets (× URIAL prompt languages) with one subset, sampler and
 * backend. Every change re-plans (`runs.plan`, debounced) so the user sees the runs, the item count and an
 * estimate BEFORE creating anything; "Create & start" sends the very same request to `runs.create`.
 */
export class ComposerState {
  readonly models = new SvelteSet<number>();
  /** Families: every member with a role × the methods that fit its role (base → zero-shot, URIAL; SFT/DPO → chat). */
  readonly families = new SvelteSet<number>();
  readonly methods = new SvelteSet<MethodName>();
  readonly datasets = new SvelteSet<number>();
  /** URIAL prompt languages; empty = each dataset's own language (the default). */
  readonly promptLangs = new SvelteSet<string>();

  // METHOD SETTINGS (each is sent only with its method)
  /** URIAL: a prompt file path on the backend's machine; empty = the shipped prompt for the language. */
  promptFile = $state('');
  /** URIAL: the user confirmed a prompt in another language than the items (the run is labelled "URIAL (en prompt)"). */
  allowPromptLangMismatch = $state(false);
  systemPrompt = $state('');
  /** chat: a node-llama-cpp chat wrapper name; empty = the model's own template. */
  chatTemplate = $state('');
  template = $state('');

  // SUBSET
  limit = $state<NumberField>(null);
  category = $state('');
  taskType = $state('');

  // DECODING (all fields editable; a preset sets the fields it fixes)
  maxTokens = $state<NumberField>(INITIAL_SAMPLER.maxTokens);
  temperature = $state<NumberField>(INITIAL_SAMPLER.temperature);
  topP = $state<NumberField>(INITIAL_SAMPLER.topP);
  topK = $state<NumberField>(INITIAL_SAMPLER.topK);
  minP = $state<NumberField>(INITIAL_SAMPLER.minP);
  seed = $state<NumberField>(INITIAL_SAMPLER.seed);
  repeatPenalty = $state<NumberField>(INITIAL_SAMPLER.repeatPenalty);
  /** "all" or a number of tokens. */
  repeatWindow = $state(String(INITIAL_SAMPLER.repeatPenaltyWindow));
  /** Stop generating once the output surely loops (finish reason "loop"). */
  loopStop = $state(INITIAL_SAMPLER.loopStop?.enabled ?? true);
  loopSensitivity = $state<LoopStopConfig['sensitivity']>(INITIAL_SAMPLER.loopStop?.sensitivity ?? 'medium');

  // BACKEND
  /** Empty = the backend's choice for this machine. */
  threads = $state<NumberField>(null);
  /** Tokens of context per sequence; empty = auto (what fits, up to the model's trained context). */
  contextSize = $state<NumberField>(null);
  parallel = $state<NumberField>(1);
  gpu = $state<BackendConfig['gpu']>('auto');

  #plan = $state.raw<RunPlan | null>(null);
  #planError = $state<string | null>(null);
  #planning = $state(false);
  #planSeq = 0;
  #creating = $state(false);
  #createError = $state<string | null>(null);
  #created = $state.raw<RunInfo[]>([]);

  get plan(): RunPlan | null {
    return this.#plan;
  }
  get planError(): string | null {
    return this.#planError;
  }
  get planning(): boolean {
    return this.#planning;
  }
  get creating(): boolean {
    return this.#creating;
  }
  get createError(): string | null {
    return this.#createError;
  }
  /** The runs the last "Create & start" made. */
  get created(): RunInfo[] {
    return this.#created;
  }

  /** URIAL settings apply: URIAL chosen, or a family (its base members run URIAL). */
  get usesUrial(): boolean {
    return this.methods.has('urial') || this.families.size > 0;
  }

  /** Chat settings apply: chat chosen, or a family (its SFT/DPO members run chat). */
  get usesChat(): boolean {
    return this.methods.has('chat') || this.families.size > 0;
  }

  get preset(): DecodingPreset | 'custom' {
    const window = this.repeatWindow.trim().toLowerCase();
    return presetOf({
      ...INITIAL_SAMPLER,
      maxTokens: this.maxTokens ?? NaN,
      temperature: this.temperature ?? NaN,
      topP: this.topP ?? NaN,
      topK: this.topK ?? NaN,
      minP: this.minP ?? NaN,
      repeatPenalty: this.repeatPenalty ?? NaN,
      repeatPenaltyWindow: window === 'all' ? 'all' : Number(window),
      loopStop: { enabled: this.loopStop, sensitivity: this.loopSensitivity },
    });
  }

  set preset(name: DecodingPreset | 'custom') {
    if (name === 'custom') return;
    const v = presetSampler(name);
    if (v.maxTokens !== undefined) this.maxTokens = v.maxTokens;
    if (v.temperature !== undefined) this.temperature = v.temperature;
    if (v.topP !== undefined) this.topP = v.topP;
    if (v.topK !== undefined) this.topK = v.topK;
    if (v.minP !== undefined) this.minP = v.minP;
    if (v.repeatPenalty !== undefined) this.repeatPenalty = v.repeatPenalty;
    if (v.repeatPenaltyWindow !== undefined) this.repeatWindow = String(v.repeatPenaltyWindow);
    if (v.loopStop !== undefined) {
      this.loopStop = v.loopStop.enabled;
      this.loopSensitivity = v.loopStop.sensitivity;
    }
  }

  toggle<T>(set: SvelteSet<T>, value: T, on: boolean): void {
    if (on) set.add(value);
    else set.delete(value);
  }

  readonly #built = $derived.by(() => this.#build());
  /** Bumped to plan the same request again after something on the backend changed (reference files fetched). */
  #replans = $state(0);
  readonly #requestKey = $derived(`${this.#replans}:${JSON.stringify(this.#built.request)}`);

  /** Problems that keep the request from being sent, in words; empty when it is complete. */
  get problems(): string[] {
    return this.#built.problems;
  }
  /** The request for `runs.plan` / `runs.create`, or null while something is missing or invalid. */
  get request(): RunPlanRequest | null {
    return this.#built.request;
  }

  #build(): { request: RunPlanRequest | null; problems: string[] } {
    const problems: string[] = [];
    if (this.models.size === 0 && this.families.size === 0) problems.push('Choose at least one model or family.');
    // A family brings the methods that fit each member's role; chosen models need chosen methods.
    if (this.models.size > 0 && this.methods.size === 0) problems.push('Choose at least one method.');
    if (this.datasets.size === 0) problems.push('Choose at least one dataset.');

    const num = (label: string, value: NumberField, check: (n: number) => boolean, rule: string): number | undefined => {
      if (value == null || Number.isNaN(value)) {
        problems.push(`${label} is empty.`);
        return undefined;
      }
      if (!check(value)) problems.push(`${label} must be ${rule}.`);
      return value;
    };
    const int = (n: number) => Number.isInteger(n);
    const sampler: Partial<SamplerConfig> = {
      maxTokens: num('Max tokens', this.maxTokens, (n) => int(n) && n > 0 && n <= 131_072, 'a whole number from 1 to 131072'),
      temperature: num('Temperature', this.temperature, (n) => n >= 0 && n <= 10, 'between 0 and 10'),
      topP: num('Top-p', this.topP, (n) => n >= 0 && n <= 1, 'between 0 and 1'),
      topK: num('Top-k', this.topK, (n) => int(n) && n >= 0, 'a whole number ≥ 0 (0 = off)'),
      minP: num('Min-p', this.minP, (n) => n >= 0 && n <= 1, 'between 0 and 1'),
      seed: num('Seed', this.seed, int, 'a whole number'),
      repeatPenalty: num('Repeat penalty', this.repeatPenalty, (n) => n >= 0 && n <= 10, 'between 0 and 10 (1 = off)'),
      loopStop: { enabled: this.loopStop, sensitivity: this.loopSensitivity },
    };
    const window = this.repeatWindow.trim().toLowerCase();
    if (window === 'all') sampler.repeatPenaltyWindow = 'all';
    else if (/^\d+$/.test(window)) sampler.repeatPenaltyWindow = Number(window);
    else problems.push('Repeat window must be "all" or a number of tokens.');

    const backend: Partial<BackendConfig> = { gpu: this.gpu };
    if (this.threads != null && !Number.isNaN(this.threads)) {
      if (int(this.threads) && this.threads > 0 && this.threads <= 1024) backend.threads = this.threads;
      else problems.push('Threads must be a whole number from 1 to 1024, or empty for the default.');
    }
    if (this.contextSize != null && !Number.isNaN(this.contextSize)) {
      if (int(this.contextSize) && this.contextSize >= 64 && this.contextSize <= 1_048_576) backend.contextSize = this.contextSize;
      else problems.push('Context must be a whole number of tokens from 64 to 1,048,576, or empty for auto.');
    }
    backend.parallel = num('Parallel sequences', this.parallel, (n) => int(n) && n > 0 && n <= 64, 'a whole number from 1 to 64');

    const subset: Subset = {};
    if (this.limit != null && !Number.isNaN(this.limit)) {
      if (int(this.limit) && this.limit > 0) subset.limit = this.limit;
      else problems.push('Limit must be a whole number ≥ 1, or empty for all items.');
    }
    if (this.category.trim()) subset.category = this.category.trim();
    if (this.taskType.trim()) subset.taskType = this.taskType.trim();

    if (this.methods.has('custom') && !this.template.includes('{instruction}'))
      problems.push('The custom method needs a template containing {instruction}.');

    if (problems.length) return { request: null, problems };
    // Plain arrays (not the reactive sets) so the request can cross IPC (structured clone) and HTTP.
    const request: RunPlanRequest = {
      models: [...this.models].sort((a, b) => a - b).map(String),
      ...(this.families.size ? { families: [...this.families].sort((a, b) => a - b).map(String) } : {}),
      methods: [...this.methods],
      datasets: [...this.datasets].sort((a, b) => a - b).map(String),
      subset,
      sampler,
      backend,
    };
    if (this.usesUrial && this.promptLangs.size) request.promptLangs = [...this.promptLangs].sort();
    if (this.usesUrial && this.promptFile.trim()) request.promptFile = this.promptFile.trim();
    if (this.usesUrial && this.allowPromptLangMismatch) request.allowPromptLangMismatch = true;
    const preset = namedPreset(this.preset);
    if (preset) request.preset = preset;
    if (this.usesChat && this.systemPrompt.trim()) request.systemPrompt = this.systemPrompt;
    if (this.usesChat && this.chatTemplate.trim()) request.chatTemplate = this.chatTemplate.trim();
    if (this.methods.has('custom')) request.template = this.template;
    return { request, problems };
  }

  /**
   * Re-plans when the request changes, after a pause in typing. Call it from an `$effect`: it reads the
   * request (so the effect re-runs on every change) and returns the cleanup that cancels the pending call.
   */
  schedulePlan(): () => void {
    // Only the key is tracked: an equal request rebuilt after an unrelated change does not re-plan.
    void this.#requestKey;
    const request = untrack(() => this.request);
    const seq = ++this.#planSeq;
    if (!request) {
      this.#plan = null;
      this.#planError = null;
      this.#planning = false;
      return () => {};
    }
    this.#planning = true;
    const timer = setTimeout(async () => {
      try {
        const plan = await api.call('runs.plan', request);
        if (seq === this.#planSeq) {
          this.#plan = plan;
          this.#planError = null;
        }
      } catch (err) {
        if (seq === this.#planSeq) {
          this.#plan = null;
          this.#planError = errorText(err);
        }
      } finally {
        if (seq === this.#planSeq) this.#planning = false;
      }
    }, PLAN_DEBOUNCE_MS);
    return () => clearTimeout(timer);
  }

  /** Plans the same request again (after the reference files were fetched). */
  replan(): void {
    this.#replans++;
  }

  /** The plan failed because English URIAL has no official prompt yet: the composer offers to fetch it. */
  get needsReferenceFiles(): boolean {
    return this.#planError?.includes('No English URIAL prompt') ?? false;
  }

  /** The plan failed on a prompt in another language than the items: the composer asks to confirm it. */
  get needsPromptLangConfirmation(): boolean {
    return this.#planError?.includes('--allow-prompt-lang-mismatch') ?? false;
  }

  /** Creates every planned run and queues them; returns the new runs (also in `created`). */
  async createAndStart(): Promise<RunInfo[]> {
    const request = this.request;
    if (!request) {
      this.#createError = this.problems.join('\n');
      return [];
    }
    this.#creating = true;
    this.#createError = null;
    try {
      const runs = await api.call('runs.create', { ...request, start: true });
      this.#created = runs;
      return runs;
    } catch (err) {
      this.#createError = errorText(err);
      return [];
    } finally {
      this.#creating = false;
    }
  }
}

export const composer = new ComposerState();

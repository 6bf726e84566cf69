import type { Item, RunConfig, RunProgress, RunStatus } from '../../../shared/domain';
import type { Backend } from '../inference/Backend';
import { cleanOutput, getPromptMethod, type PromptMethodOptions, type PromptSpec } from '../prompting';
import { EtaEstimator } from '../../../shared/eta';
import type { BackendLease, BackendPool } from './BackendPool';
import { configureContext } from './configureContext';
import { itemSeed } from './itemSeed';
import type { RunStorePort } from './RunStorePort';

/** Why a run was stopped from outside. A stop is not an error: the run becomes paused or cancelled. */
export type StopReason = 'pause' | 'cancel';

export interface ExecuteRunOptions {
  store: RunStorePort;
  pool: BackendPool;
  prompting?: PromptMethodOptions;
  /** Abort with reason "pause" (resumable) or "cancel". */
  signal?: AbortSignal;
  onProgress?: (progress: RunProgress) => void;
  onModelLoad?: (fraction: number) => void;
  /**
   * Called with each generation's id right after it is committed (e.g. to run the detectors on it). It runs
   * off the generation path, one at a time, while the next items generate; the run ends after the last one.
   */
  afterSave?: (generationId: number) => Promise<void>;
}

/**
 * Executes the items of a run that have no finished generation yet, committing each generation as soon
 * as it finishes. Calling it again after a crash, a pause or a failure continues exactly where it stopped.
 * Returns the final status; failures become the run's status and error, they are not thrown.
 */
export async function executeRun(runId: number, options: ExecuteRunOptions): Promise<RunStatus> {
  const { store } = options;
  const run = store.getRun(runId);
  if (!run) throw new Error(`Run ${runId} does not exist.`);
  if (!run.config) throw new Error(`Run ${runId} holds imported outputs: there is nothing to generate.`);
  const config = run.config;

  const finished = store.finishedItemIds(runId);
  const todo = store.plannedItems(runId).filter((item) => !finished.has(item.id));
  if (todo.length === 0) {
    store.setStatus(runId, 'done');
    return 'done';
  }
  store.setStatus(runId, 'running');

  let prompts: PromptSpec[];
  let lease: BackendLease;
  try {
    const method = getPromptMethod(config.method.method, options.prompting).prepare(config.method);
    prompts = todo.map((item) => method.build(item));
    lease = await options.pool.acquire(
      { modelPath: store.modelPath(config.modelId), gpu: config.backend.gpu, threads: config.backend.threads },
      options.onModelLoad ?? (() => {}),
    );
  } catch (err) {
    return fail(store, runId, err);
  }
  try {
    return await generateItems({ runId, total: run.total, config, todo, prompts, backend: lease.backend }, options);
  } finally {
    lease.release();
  }
}

interface RunWork {
  runId: number;
  total: number;
  config: RunConfig;
  todo: Item[];
  /** The prompt of each item of `todo`, in the same order. */
  prompts: PromptSpec[];
  backend: Backend;
}

/** Sizes the context, primes the shared prefix, then generates and commits every item of `todo`. */
async function generateItems(work: RunWork, options: ExecuteRunOptions): Promise<RunStatus> {
  const { runId, config, todo, prompts, backend } = work;
  const { store, signal } = options;
  try {
    const contextSize = await configureContext(backend, config.backend.contextSize, prompts, config.sampler.maxTokens, config.backend.parallel);
    const prefix = sharedPrefix(prompts);
    const primed = prefix ? await backend.primePrefix(prefix) : { evaluatedTokens: 0 };
    store.recordEnvironment(runId, {
      ...backend.versions(),
      // The resolved chat wrapper and pinned date; throws (run failed, nothing generated) on a prompt the
      // template can't render faithfully. The method's settings are the same for every item: the first says it.
      ...backend.describePrompt?.(prompts[0]!),
      contextSize: String(contextSize),
      prefixTokensEvaluatedAtStart: String(primed.evaluatedTokens),
    });
  } catch (err) {
    return fail(store, runId, err);
  }

  const progress = new ProgressMeter(runId, work.total, work.total - todo.length);
  let next = 0;
  let followUps: Promise<void> = Promise.resolve();
  // A backend that throws (it should report a per-item failure instead) or a store that cannot commit: the run
  // fails with the first such error. The other workers finish the item they hold and take no new one.
  let crash: Error | null = null;
  const worker = async (): Promise<void> => {
    while (!signal?.aborted && !crash && next < todo.length) {
      const index = next++;
      const item = todo[index]!;
      const prompt = prompts[index]!;
      const seed = itemSeed(config.sampler.seed, item.id);
      try {
        const result = await backend.generate({ prompt, sampler: { ...config.sampler, seed }, signal });
        // A stopped item is dropped, not stored half-done: resume generates it again from scratch.
        if (result.finishReason === 'aborted') return;
        const generationId = store.saveGeneration({
          runId,
          itemId: item.id,
          prompt: result.promptText,
          outputRaw: result.text,
          output: cleanOutput(result.text, prompt.clean),
          finishReason: result.finishReason,
          error: result.error ?? null,
          promptTokens: result.promptTokens,
          evaluatedPromptTokens: result.evaluatedPromptTokens,
          outputTokens: result.outputTokens,
          wallMs: result.wallMs,
          tokensPerSecond: result.wallMs > 0 ? (result.outputTokens * 1000) / result.wallMs : 0,
          seed,
        });
        if (options.afterSave) {
          const after = options.afterSave;
          // Chained, not awaited: the model's next token is computed natively meanwhile, so this work is almost free.
          // A failure here must not fail the generation, which is already stored.
          followUps = followUps.then(() => after(generationId)).catch((err) => console.error(`After generation ${generationId}:`, err));
        }
        options.onProgress?.(progress.add(result.outputTokens));
      } catch (err) {
        crash ??= new Error(`Item ${item.id}: ${errorText(err)}`);
        return;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, config.backend.parallel) }, worker));
  await followUps;
  // A remote server names the model it actually ran (and its fingerprint) only in its replies: record them too.
  store.recordEnvironment(runId, backend.versions());
  if (crash) {
    options.onProgress?.(progress.finish(fail(store, runId, crash)));
    return 'failed';
  }
  const status: RunStatus = signal?.aborted ? (signal.reason === 'cancel' ? 'cancelled' : 'paused') : 'done';
  store.setStatus(runId, status);
  options.onProgress?.(progress.finish(status));
  return status;
}

function fail(store: RunStorePort, runId: number, err: unknown): RunStatus {
  store.setStatus(runId, 'failed', errorText(err));
  return 'failed';
}

function errorText(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

/** The part of every prompt that is identical (URIAL's preamble), if all prompts declare the same prefix. */
function sharedPrefix(prompts: PromptSpec[]): string | null {
  const first = prompts[0];
  if (!first || first.kind !== 'completion' || first.prefix.length === 0) return null;
  return prompts.every((p) => p.kind === 'completion' && p.prefix === first.prefix) ? first.prefix : null;
}

class ProgressMeter {
  #started = performance.now();
  #tokens = 0;
  #eta = new EtaEstimator();

  constructor(
    readonly runId: number,
    readonly total: number,
    private done: number,
  ) {}

  add(outputTokens: number): RunProgress {
    this.#tokens += outputTokens;
    this.#eta.itemDone();
    this.done++;
    return this.snapshot('running');
  }

  finish(status: RunStatus): RunProgress {
    return this.snapshot(status);
  }

  snapshot(status: RunStatus): RunProgress {
    const seconds = (performance.now() - this.#started) / 1000;
    return {
      runId: this.runId,
      done: this.done,
      total: this.total,
      tokensPerSecond: seconds > 0 ? this.#tokens / seconds : 0,
      etaSeconds: this.#eta.etaSeconds(this.total - this.done),
      status,
    };
  }
}

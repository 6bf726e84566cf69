import type { GpuOffload } from '../../../shared/domain';
import { NO_MODEL, type ModelState } from '../../../shared/modelState';
import type { Backend } from '../inference/Backend';

export interface BackendKey {
  modelPath: string;
  gpu: GpuOffload;
  threads: number;
}

export type BackendLoader = (key: BackendKey, onProgress: (fraction: number) => void) => Promise<Backend>;

/** The loaded model, lent to one holder until it calls release(). */
export interface BackendLease {
  readonly backend: Backend;
  /** Hands the model back; it stays loaded for the next holder of the same model. Calling it again does nothing. */
  release(): void;
}

/**
 * The one model slot, shared by generation runs and local judges: the only place that loads or unloads a model,
 * so two models never sit in memory together.
 * - acquire() lends the model in the slot when it is the one asked for; any number of holders share it.
 * - Another model waits until every holder has released the current one, which is disposed before the new one
 *   loads (a model is never disposed under a holder). Slot changes run one at a time, in call order.
 * - A failed load leaves the slot empty, in state "error", and is not cached: the next acquire tries again.
 * - Every change of the slot's ModelState goes to the onState listeners (the `model.state` event).
 * A holder must release before it waits for another acquire, or that acquire can wait for it forever.
 */
export class BackendPool {
  #slot: { id: string; backend: Backend } | null = null;
  #holders = 0;
  /** Wakes the slot change waiting for the last holder to release. */
  #onFree: (() => void) | null = null;
  /** The last slot change queued: the next one starts after it, whatever its outcome. */
  #lock: Promise<unknown> = Promise.resolve();
  #state: ModelState = NO_MODEL;
  readonly #listeners = new Set<(state: ModelState) => void>();

  constructor(private readonly load: BackendLoader) {}

  get state(): ModelState {
    return this.#state;
  }

  /** Calls `listener` with every new state; returns the function that unsubscribes it. */
  onState(listener: (state: ModelState) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Lends the model of `key`, loading it first (after emptying the slot) when another one is there. */
  acquire(key: BackendKey, onProgress: (fraction: number) => void = () => {}): Promise<BackendLease> {
    return this.#locked(async () => {
      const id = JSON.stringify([key.modelPath, key.gpu, key.threads]);
      if (this.#slot?.id !== id) {
        await this.#empty();
        this.#slot = { id, backend: await this.#load(key, onProgress) };
      }
      return this.#lend(this.#slot.backend);
    });
  }

  /** Empties the slot (app shutdown) once every holder has released the model. */
  unload(): Promise<void> {
    return this.#locked(() => this.#empty());
  }

  // HELPERS

  #locked<T>(change: () => Promise<T>): Promise<T> {
    const result = this.#lock.then(change);
    this.#lock = result.catch(() => {});
    return result;
  }

  async #empty(): Promise<void> {
    while (this.#holders > 0) await new Promise<void>((resolve) => (this.#onFree = resolve));
    const slot = this.#slot;
    if (!slot) return;
    this.#slot = null;
    try {
      await slot.backend.dispose();
    } catch (err) {
      // Nothing to retry: the pool has let go of the model either way. Said, so a leak can be traced.
      console.error('Disposing the model failed:', err);
    }
    this.#setState(NO_MODEL);
  }

  async #load(key: BackendKey, onProgress: (fraction: number) => void): Promise<Backend> {
    const path = key.modelPath;
    this.#setState({ path, status: 'loading', progress: 0, error: null });
    // node-llama-cpp can report a progress fraction after its load has resolved: that must not turn "loaded" back.
    let settled = false;
    try {
      const backend = await this.load(key, (fraction) => {
        if (settled) return;
        // "loaded" is said once the loader returns: the last fraction comes before the model is usable.
        if (fraction < 1) this.#setState({ path, status: 'loading', progress: fraction, error: null });
        onProgress(fraction);
      });
      settled = true;
      this.#setState({ path, status: 'loaded', progress: 1, error: null });
      return backend;
    } catch (err) {
      settled = true;
      this.#setState({ path, status: 'error', progress: 0, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  #lend(backend: Backend): BackendLease {
    this.#holders++;
    let held = true;
    return {
      backend,
      release: () => {
        if (!held) return;
        held = false;
        this.#holders--;
        if (this.#holders > 0) return;
        const wake = this.#onFree;
        this.#onFree = null;
        wake?.();
      },
    };
  }

  #setState(state: ModelState): void {
    const s = this.#state;
    // Load progress arrives in tiny steps: a change under 1% is not worth an event.
    if (s.path === state.path && s.status === state.status && s.error === state.error && Math.abs(s.progress - state.progress) < 0.01) return;
    this.#state = state;
    for (const listener of this.#listeners) {
      try {
        listener(state);
      } catch (err) {
        // A failing listener (a closed window) must not fail the load it is told about.
        console.error('A model state listener failed:', err);
      }
    }
  }
}

import type { ModelState } from '../../shared/api';
import type { RunProgress, RunStatus } from '../../shared/domain';
import type { StopReason } from '../core/runs/executeRun';
import type { Workbench } from './Workbench';

export interface RunQueueEvents {
  progress(progress: RunProgress): void;
  changed(runId: number, status: RunStatus): void;
  model(state: ModelState): void;
}

/**
 * Runs queued runs one at a time in this process (one model in memory at a time), so the UI can queue a whole
 * batch. Pause and cancel abort the current item; paused runs resume exactly where they stopped.
 */
export class RunQueue {
  #waiting: number[] = [];
  #current: { runId: number; controller: AbortController } | null = null;
  #progress = new Map<number, RunProgress>();
  #model: ModelState = { path: null, status: 'unloaded', progress: 0, error: null };
  #idle: Promise<void> = Promise.resolve();

  constructor(
    private readonly workbench: Workbench,
    private readonly events: RunQueueEvents,
  ) {}

  get modelState(): ModelState {
    return this.#model;
  }

  progressOf(runId: number): RunProgress | null {
    return this.#progress.get(runId) ?? null;
  }

  isQueued(runId: number): boolean {
    return this.#current?.runId === runId || this.#waiting.includes(runId);
  }

  enqueue(runId: number): void {
    if (this.isQueued(runId)) return;
    this.#waiting.push(runId);
    this.workbench.store.runs.setStatus(runId, 'pending');
    this.events.changed(runId, 'pending');
    if (!this.#current) this.#idle = this.#drain();
  }

  /** Stops a run: "pause" keeps it resumable, "cancel" marks it cancelled. A waiting run is just dequeued. */
  stop(runId: number, reason: StopReason): void {
    const status: RunStatus = reason === 'cancel' ? 'cancelled' : 'paused';
    if (this.#current?.runId === runId) {
      this.#current.controller.abort(reason);
      return;
    }
    const at = this.#waiting.indexOf(runId);
    if (at !== -1) this.#waiting.splice(at, 1);
    this.workbench.store.runs.setStatus(runId, status);
    this.events.changed(runId, status);
  }

  /** Pauses everything (app shutdown): runs stay resumable. */
  async shutdown(): Promise<void> {
    for (const runId of [...this.#waiting]) this.stop(runId, 'pause');
    if (this.#current) this.#current.controller.abort('pause');
    await this.#idle;
  }

  async #drain(): Promise<void> {
    for (let runId = this.#waiting.shift(); runId !== undefined; runId = this.#waiting.shift()) {
      const controller = new AbortController();
      this.#current = { runId, controller };
      this.events.changed(runId, 'running');
      const modelPath = this.#modelPathOf(runId);
      try {
        const status = await this.workbench.startRun(runId, {
          signal: controller.signal,
          onProgress: (p) => {
            this.#progress.set(runId, p);
            this.#setModel({ path: modelPath, status: 'loaded', progress: 1, error: null });
            this.events.progress(p);
          },
          onModelLoad: (fraction) => this.#setModel({ path: modelPath, status: fraction < 1 ? 'loading' : 'loaded', progress: fraction, error: null }),
        });
        if (status === 'failed') {
          const error = this.workbench.store.runs.get(runId)?.error ?? 'failed';
          if (this.#model.status !== 'loaded' || this.#model.path !== modelPath) this.#setModel({ path: modelPath, status: 'error', progress: 0, error });
        }
        this.events.changed(runId, status);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        this.workbench.store.runs.setStatus(runId, 'failed', message);
        this.events.changed(runId, 'failed');
      } finally {
        this.#current = null;
      }
    }
  }

  #modelPathOf(runId: number): string | null {
    const modelId = this.workbench.store.runs.get(runId)?.modelId;
    return modelId == null ? null : (this.workbench.store.models.get(modelId)?.path ?? null);
  }

  #setModel(state: ModelState): void {
    const m = this.#model;
    if (m.path === state.path && m.status === state.status && m.error === state.error && Math.abs(m.progress - state.progress) < 0.01) return;
    this.#model = state;
    this.events.model(state);
  }
}

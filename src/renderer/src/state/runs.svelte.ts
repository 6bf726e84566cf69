import { SvelteMap, SvelteSet } from 'svelte/reactivity';
import type { RunDeletion, RunInfo } from '../../../shared/api';
import type { RunProgress } from '../../../shared/domain';
import { api } from '../lib/api';
import { errorText } from '../lib/errorText';

export type RunAction = 'start' | 'pause' | 'cancel' | 'retry';

/**
 * The run queue as the UI sees it. Pulled once with `runs.list`; then kept live by pushed events:
 * `run.progress` patches the run in place (many per second while generating), `runs.changed` refetches that
 * one run (`runs.get`), or the whole list when the run is gone.
 */
export class RunsState {
  #runs = $state.raw<RunInfo[]>([]);
  #loaded = $state(false);
  #listError = $state<string | null>(null);
  /** Counts 'runs.changed' events (see fromAnswer). */
  #changes = 0;
  #unsubscribe: (() => void)[] = [];
  /** Last action error per run, shown on its row. */
  readonly actionErrors = new SvelteMap<number, string>();
  /** Runs with an action in flight (their buttons are disabled). */
  readonly busy = new SvelteSet<number>();

  /** Newest first. */
  get runs(): RunInfo[] {
    return this.#runs;
  }
  get loaded(): boolean {
    return this.#loaded;
  }
  get listError(): string | null {
    return this.#listError;
  }
  get active(): RunInfo[] {
    return this.#runs.filter((r) => r.status === 'running' || r.status === 'pending');
  }

  byId(id: number): RunInfo | undefined {
    return this.#runs.find((r) => r.id === id);
  }

  init(): void {
    if (this.#unsubscribe.length) return;
    this.#unsubscribe = [
      api.on('run.progress', (p) => this.#onProgress(p)),
      api.on('runs.changed', ({ runId }) => {
        this.#changes += 1;
        void this.#refreshOne(runId);
      }),
    ];
    void this.refresh();
  }

  async refresh(): Promise<void> {
    try {
      this.#runs = sortRuns(await api.call('runs.list', {}));
      this.#listError = null;
    } catch (err) {
      this.#listError = errorText(err);
    } finally {
      this.#loaded = true;
    }
  }

  /**
   * Puts the runs an action or `runs.create` answered with into the list. The answer travels apart from the
   * events and can be older than a change pushed meanwhile (a tiny run may be done before its `runs.create`
   * answer arrives), so when a change arrived during the call those runs are read again.
   */
  async fromAnswer(call: () => Promise<RunInfo[]>): Promise<RunInfo[]> {
    const changes = this.#changes;
    const answered = await call();
    this.#upsert(...answered);
    if (this.#changes !== changes) await Promise.all(answered.map((r) => this.#refreshOne(r.id)));
    return answered;
  }

  #upsert(...updated: RunInfo[]): void {
    const byId = new Map(this.#runs.map((r) => [r.id, r]));
    for (const r of updated) byId.set(r.id, r);
    this.#runs = sortRuns([...byId.values()]);
  }

  async act(runId: number, action: RunAction): Promise<void> {
    const method = (`runs.${action}`) as `runs.${RunAction}`;
    await this.#onRun(runId, () => api.call(method, { runId }));
  }

  /** Creates and queues a new run with exactly the settings of `runId` (`runs.rerun`); returns it. */
  rerun(runId: number): Promise<RunInfo | null> {
    return this.#onRun(runId, () => api.call('runs.rerun', { runId, start: true }));
  }

  /** What deleting `runId` would take with it (`runs.delete` dry run), or null when that failed (error on the row). */
  async deletion(runId: number): Promise<RunDeletion | null> {
    this.actionErrors.delete(runId);
    try {
      return await api.call('runs.delete', { runId, dryRun: true });
    } catch (err) {
      this.actionErrors.set(runId, errorText(err));
      return null;
    }
  }

  /** Deletes a run (with `confirmAnnotations` when people annotated it) and drops it from the list. */
  async remove(runId: number, confirmAnnotations: boolean): Promise<RunDeletion | null> {
    this.busy.add(runId);
    this.actionErrors.delete(runId);
    try {
      const deleted = await api.call('runs.delete', { runId, ...(confirmAnnotations ? { confirm: 'annotations' as const } : {}) });
      this.#runs = this.#runs.filter((r) => r.id !== runId);
      return deleted;
    } catch (err) {
      this.actionErrors.set(runId, errorText(err));
      return null;
    } finally {
      this.busy.delete(runId);
    }
  }

  /** Runs an action of a run's row: its buttons are disabled meanwhile, a failure is shown on the row. */
  async #onRun(runId: number, call: () => Promise<RunInfo>): Promise<RunInfo | null> {
    this.busy.add(runId);
    this.actionErrors.delete(runId);
    try {
      const [run] = await this.fromAnswer(async () => [await call()]);
      return run!;
    } catch (err) {
      this.actionErrors.set(runId, errorText(err));
      return null;
    } finally {
      this.busy.delete(runId);
    }
  }

  #onProgress(p: RunProgress): void {
    const i = this.#runs.findIndex((r) => r.id === p.runId);
    if (i === -1) {
      // A run we have not seen (created elsewhere, e.g. the CLI on the same data dir).
      void this.#refreshOne(p.runId);
      return;
    }
    const next = this.#runs.slice();
    next[i] = { ...next[i]!, status: p.status, total: p.total, progress: p };
    this.#runs = next;
  }

  async #refreshOne(runId: number): Promise<void> {
    try {
      this.#upsert(await api.call('runs.get', { runId }));
    } catch {
      // Removed, or not readable: the full list is the truth.
      await this.refresh();
    }
  }
}

export const runs = new RunsState();

function sortRuns(runs: RunInfo[]): RunInfo[] {
  return runs.slice().sort((a, b) => b.id - a.id);
}

/** done/total of a run, from the live progress when there is one. Done counts failed items too. */
export function runCounts(run: RunInfo): { done: number; total: number; failed: number } {
  const done = run.progress ? run.progress.done : run.done + run.failed;
  return { done: Math.min(done, run.total || done), total: run.total, failed: run.failed };
}

/** Which actions make sense for a run in its status. */
export function runActions(run: RunInfo): { action: RunAction; label: string }[] {
  if (run.kind !== 'generate') return [];
  switch (run.status) {
    case 'pending':
      return [
        { action: 'start', label: 'Start' },
        { action: 'cancel', label: 'Cancel' },
      ];
    case 'running':
      return [
        { action: 'pause', label: 'Pause' },
        { action: 'cancel', label: 'Cancel' },
      ];
    // interrupted: the process that ran it is gone (crash); it resumes like a paused run.
    case 'paused':
    case 'interrupted':
      return [
        { action: 'start', label: 'Resume' },
        { action: 'cancel', label: 'Cancel' },
      ];
    case 'failed':
    case 'cancelled':
      return [{ action: 'retry', label: 'Retry failed' }];
    case 'done':
      return run.failed > 0 ? [{ action: 'retry', label: 'Retry failed' }] : [];
  }
}

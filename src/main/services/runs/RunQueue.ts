import type { RunProgress, RunStatus } from '../../../shared/domain';
import type { JudgeRunProgress } from '../../../shared/judgeRuns';
import type { StopReason } from '../../core/runs/executeRun';
import type { Store } from '../../store/openStore';
import type { Judging } from '../judging/Judging';
import type { Ownership } from '../ownership';
import type { RunsService } from './RunsService';

export interface RunQueueEvents {
  progress(progress: RunProgress): void;
  changed(runId: number, status: RunStatus): void;
  judgeProgress(progress: JudgeRunProgress): void;
  judgeChanged(judgeRunId: number, status: RunStatus): void;
}

/** Generation runs and judge runs: two kinds of job on one queue. */
type JobKind = 'run' | 'judgeRun';

/** What the queue needs to drive one kind of job. */
interface JobDriver {
  setStatus(id: number, status: RunStatus, error?: string): void;
  execute(id: number, options: { signal: AbortSignal; onProgress: (p: RunProgress | JudgeRunProgress) => void }): Promise<RunStatus>;
  changed(id: number, status: RunStatus): void;
  progress(p: RunProgress | JudgeRunProgress): void;
}

interface Job {
  kind: JobKind;
  id: number;
}

const same = (a: Job, b: Job) => a.kind === b.kind && a.id === b.id;
const keyOf = (job: Job) => `${job.kind}:${job.id}`;

/**
 * Runs queued work one job at a time in this process (the model slot's lock keeps one model in memory), so the UI can queue a
 * whole batch: generation runs and judge runs alike. Pause and cancel abort the current item or judge call;
 * paused jobs resume exactly where they stopped.
 *
 * A job is owned by this process from enqueue to its end (a lease, see Ownership): queuing a run another live
 * process owns is refused at once with a Conflict, before its status is touched; a lease lost while working
 * stops the job.
 */
export class RunQueue {
  #waiting: Job[] = [];
  #current: (Job & { controller: AbortController }) | null = null;
  #progress = new Map<string, RunProgress | JudgeRunProgress>();
  #idle: Promise<void> = Promise.resolve();
  readonly #drivers: Record<JobKind, JobDriver>;

  readonly #ownership: Ownership;

  constructor(
    store: Pick<Store, 'runs' | 'judgeRuns'>,
    runs: Pick<RunsService, 'execute'>,
    judging: Pick<Judging, 'startJudgeRun'>,
    ownership: Ownership,
    events: RunQueueEvents,
  ) {
    this.#ownership = ownership;
    this.#drivers = {
      run: {
        setStatus: (id, status, error) => store.runs.setStatus(id, status, error),
        execute: (id, options) => runs.execute(id, options),
        changed: (id, status) => events.changed(id, status),
        progress: (p) => events.progress(p as RunProgress),
      },
      judgeRun: {
        setStatus: (id, status, error) => store.judgeRuns.setStatus(id, status, error),
        execute: (id, options) => judging.startJudgeRun(id, options),
        changed: (id, status) => events.judgeChanged(id, status),
        progress: (p) => events.judgeProgress(p as JudgeRunProgress),
      },
    };
  }

  /** A job is running (it holds the model slot). */
  get busy(): boolean {
    return this.#current !== null;
  }

  // GENERATION RUNS

  progressOf(runId: number): RunProgress | null {
    return (this.#progress.get(keyOf({ kind: 'run', id: runId })) as RunProgress | undefined) ?? null;
  }

  isQueued(runId: number): boolean {
    return this.#isQueued({ kind: 'run', id: runId });
  }

  enqueue(runId: number): void {
    this.#enqueue({ kind: 'run', id: runId });
  }

  /** Stops a run: "pause" keeps it resumable, "cancel" marks it cancelled. A waiting run is just dequeued. */
  stop(runId: number, reason: StopReason): void {
    this.#stop({ kind: 'run', id: runId }, reason);
  }

  // JUDGE RUNS

  judgeProgressOf(judgeRunId: number): JudgeRunProgress | null {
    return (this.#progress.get(keyOf({ kind: 'judgeRun', id: judgeRunId })) as JudgeRunProgress | undefined) ?? null;
  }

  isJudgeRunQueued(judgeRunId: number): boolean {
    return this.#isQueued({ kind: 'judgeRun', id: judgeRunId });
  }

  enqueueJudgeRun(judgeRunId: number): void {
    this.#enqueue({ kind: 'judgeRun', id: judgeRunId });
  }

  stopJudgeRun(judgeRunId: number, reason: StopReason): void {
    this.#stop({ kind: 'judgeRun', id: judgeRunId }, reason);
  }

  /** Pauses everything (app shutdown): jobs stay resumable. */
  async shutdown(): Promise<void> {
    for (const job of [...this.#waiting]) this.#stop(job, 'pause');
    if (this.#current) this.#current.controller.abort('pause');
    await this.#idle;
  }

  #isQueued(job: Job): boolean {
    return (this.#current !== null && same(this.#current, job)) || this.#waiting.some((w) => same(w, job));
  }

  #enqueue(job: Job): void {
    if (this.#isQueued(job)) return;
    this.#ownership.claim(job.kind, job.id, () => this.#lost(job));
    this.#waiting.push(job);
    const driver = this.#drivers[job.kind];
    driver.setStatus(job.id, 'pending');
    driver.changed(job.id, 'pending');
    if (!this.#current) this.#idle = this.#drain();
  }

  #stop(job: Job, reason: StopReason): void {
    const status: RunStatus = reason === 'cancel' ? 'cancelled' : 'paused';
    if (this.#current && same(this.#current, job)) {
      this.#current.controller.abort(reason);
      return;
    }
    const at = this.#waiting.findIndex((w) => same(w, job));
    if (at !== -1) {
      this.#waiting.splice(at, 1);
      this.#ownership.release(job.kind, job.id);
    }
    // Not ours: pausing it here must not overwrite the status of a process that is running it.
    else this.#ownership.assertFree(job.kind, job.id);
    const driver = this.#drivers[job.kind];
    driver.setStatus(job.id, status);
    driver.changed(job.id, status);
  }

  /**
   * Another process took the job over (ours stalled past the lease's time-to-live): stop working on it. A waiting
   * job just leaves the queue; the current one is aborted as a pause.
   */
  #lost(job: Job): void {
    if (this.#current && same(this.#current, job)) this.#current.controller.abort('pause');
    const at = this.#waiting.findIndex((w) => same(w, job));
    if (at !== -1) this.#waiting.splice(at, 1);
  }

  async #drain(): Promise<void> {
    for (let job = this.#waiting.shift(); job !== undefined; job = this.#waiting.shift()) {
      const driver = this.#drivers[job.kind];
      const controller = new AbortController();
      this.#current = { ...job, controller };
      driver.changed(job.id, 'running');
      try {
        const status = await driver.execute(job.id, {
          signal: controller.signal,
          onProgress: (p) => {
            this.#progress.set(keyOf(job!), p);
            driver.progress(p);
          },
        });
        driver.changed(job.id, status);
      } catch (err) {
        const message = err instanceof Error ? err.message : String(err);
        driver.setStatus(job.id, 'failed', message);
        driver.changed(job.id, 'failed');
      } finally {
        this.#current = null;
        this.#ownership.release(job.kind, job.id);
      }
    }
  }
}

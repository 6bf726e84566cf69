import { LEASE_HEARTBEAT_MS, type LeaseKind, type LeaseRepo } from '../store/LeaseRepo';

/**
 * This process's side of run ownership (issue 15): the leases it holds on runs, judge runs and downloads, kept
 * alive by one heartbeat timer while any is held. A lease that cannot be renewed (this process stalled past the
 * time-to-live and another one took the work over) calls its `onLost`, and the holder must stop that work.
 */
export class Ownership {
  readonly #leases: Pick<LeaseRepo, 'acquire' | 'heartbeat' | 'release'>;
  readonly #held = new Map<string, { kind: LeaseKind; id: number; onLost: () => void }>();
  readonly #intervalMs: number;
  #timer: NodeJS.Timeout | null = null;

  constructor(leases: Pick<LeaseRepo, 'acquire' | 'heartbeat' | 'release'>, intervalMs = LEASE_HEARTBEAT_MS) {
    this.#leases = leases;
    this.#intervalMs = intervalMs;
  }

  /** Takes `kind` `id` for this process, or throws a Conflict naming the live owner. Claiming it again is a no-op. */
  claim(kind: LeaseKind, id: number, onLost: () => void): void {
    this.#leases.acquire(kind, id);
    this.#held.set(`${kind}:${id}`, { kind, id, onLost });
    // unref: a heartbeat alone never keeps a CLI process alive; the work it guards does.
    this.#timer ??= setInterval(() => this.#beat(), this.#intervalMs).unref();
  }

  release(kind: LeaseKind, id: number): void {
    if (!this.#held.delete(`${kind}:${id}`)) return;
    this.#leases.release(kind, id);
    if (this.#held.size === 0) this.#stopTimer();
  }

  /** Throws the Conflict a claim would, without keeping anything: for acting on work another process may own. */
  assertFree(kind: LeaseKind, id: number): void {
    if (this.#held.has(`${kind}:${id}`)) return;
    this.#leases.acquire(kind, id);
    this.#leases.release(kind, id);
  }

  #beat(): void {
    for (const [key, lease] of [...this.#held]) {
      if (this.#leases.heartbeat(lease.kind, lease.id)) continue;
      this.#held.delete(key);
      lease.onLost();
    }
    if (this.#held.size === 0) this.#stopTimer();
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = null;
  }
}

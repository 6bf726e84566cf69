import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type Database from 'better-sqlite3';
import { Conflict } from '../../shared/errors';
import { nowIso } from './time';

export type LeaseKind = 'run' | 'judgeRun' | 'download';

/** Who works on something: a process on a host. */
export interface LeaseOwner {
  pid: number;
  host: string;
}

/** A lease not renewed for this long is stale: its owner is presumed gone, even on another host. */
export const LEASE_TTL_MS = 60_000;
/** How often an owner should call heartbeatAll(): well inside the time-to-live. */
export const LEASE_HEARTBEAT_MS = 15_000;

interface LeaseRow {
  kind: LeaseKind;
  id: number;
  pid: number;
  host: string;
  owner_token: string;
  heartbeat_ms: number;
}

export interface LeaseRepoOptions {
  /** Default: this process on this host. Tests pass another to play a second or a dead process. */
  owner?: LeaseOwner;
  /** Milliseconds since the epoch (default Date.now). */
  now?: () => number;
}

/** Reclaimed by reclaimStale(): runs and judge runs are marked `interrupted`; downloads are only reported. */
export interface ReclaimedWork {
  runs: number[];
  judgeRuns: number[];
  downloads: number[];
}

const NOUN: Record<LeaseKind, string> = { run: 'run', judgeRun: 'judge run', download: 'download' };

/** Whether a process with this pid exists on this machine (EPERM: it exists but belongs to another user). */
function pidAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Run ownership (migration 0010): one process at a time works on a run, a judge run or a download.
 *
 * A lease is live while its heartbeat is fresh AND its owner could still be running: on another host we cannot
 * look at the process, so only the heartbeat counts; on this host a dead pid frees the lease at once (a
 * `kill -9` is noticed at the next start, not a minute later). Acquiring runs in an IMMEDIATE transaction, so
 * two processes racing for the same run cannot both win.
 *
 * Intended use (wiring is the caller's): acquire before setting a run `running` (a Conflict is the user's
 * answer), heartbeatAll() every LEASE_HEARTBEAT_MS while working (stop any work whose heartbeat() is false),
 * release when it stops, and reclaimStale() once at startup.
 */
export class LeaseRepo {
  readonly owner: LeaseOwner;
  readonly #token = randomUUID();
  readonly #now: () => number;

  constructor(
    private readonly db: Database.Database,
    options: LeaseRepoOptions = {},
  ) {
    this.owner = options.owner ?? { pid: process.pid, host: LeaseRepo.thisHost() };
    this.#now = options.now ?? Date.now;
  }

  static thisHost(): string {
    return hostname();
  }

  /** Takes the lease on `kind` `id`, or throws a Conflict naming the live owner. Taking it again is a no-op. */
  acquire(kind: LeaseKind, id: number): void {
    this.db
      .transaction(() => {
        const held = this.#get(kind, id);
        if (held && held.owner_token !== this.#token && this.#isLive(held)) {
          const where = held.host === LeaseRepo.thisHost() ? 'this machine' : held.host;
          throw new Conflict(`${NOUN[kind]} ${id} is running in another window or process (pid ${held.pid} on ${where}).`);
        }
        this.db
          .prepare(
            `INSERT INTO leases (kind, id, pid, host, owner_token, acquired_at, heartbeat_ms) VALUES (?, ?, ?, ?, ?, ?, ?)
             ON CONFLICT (kind, id) DO UPDATE SET pid = excluded.pid, host = excluded.host, owner_token = excluded.owner_token,
               acquired_at = excluded.acquired_at, heartbeat_ms = excluded.heartbeat_ms`,
          )
          .run(kind, id, this.owner.pid, this.owner.host, this.#token, nowIso(), this.#now());
      })
      .immediate();
  }

  /** Renews one lease; false when it is no longer ours (reclaimed after a stall): the caller must stop that work. */
  heartbeat(kind: LeaseKind, id: number): boolean {
    return this.db.prepare('UPDATE leases SET heartbeat_ms = ? WHERE kind = ? AND id = ? AND owner_token = ?').run(this.#now(), kind, id, this.#token).changes === 1;
  }

  /** Renews every lease this owner holds (one timer per process); returns how many. */
  heartbeatAll(): number {
    return this.db.prepare('UPDATE leases SET heartbeat_ms = ? WHERE owner_token = ?').run(this.#now(), this.#token).changes;
  }

  release(kind: LeaseKind, id: number): void {
    this.db.prepare('DELETE FROM leases WHERE kind = ? AND id = ? AND owner_token = ?').run(kind, id, this.#token);
  }

  /**
   * Frees every lease whose owner is gone and marks `interrupted` the runs and judge runs they held, plus those
   * left `running` with no lease at all (a crash before leases existed). Downloads are returned for the caller
   * (their statuses are the download manager's). One transaction, so a run is never both reclaimed and re-taken.
   */
  reclaimStale(): ReclaimedWork {
    return this.db
      .transaction((): ReclaimedWork => {
        const stale = this.db
          .prepare<[], LeaseRow>('SELECT * FROM leases ORDER BY kind, id')
          .all()
          .filter((l) => !this.#isLive(l));
        const remove = this.db.prepare('DELETE FROM leases WHERE kind = ? AND id = ?');
        for (const l of stale) remove.run(l.kind, l.id);
        const staleIds = (kind: LeaseKind) => stale.filter((l) => l.kind === kind).map((l) => l.id);
        return {
          runs: this.#interrupt('runs', 'run'),
          judgeRuns: this.#interrupt('judge_runs', 'judgeRun'),
          downloads: [...new Set([...staleIds('download'), ...this.#unleased('downloads', 'download', 'downloading')])].sort((a, b) => a - b),
        };
      })
      .immediate();
  }

  /** After the stale leases are gone: every `running` row without a lease has no owner. */
  #interrupt(table: 'runs' | 'judge_runs', kind: LeaseKind): number[] {
    const ids = this.#unleased(table, kind, 'running');
    const mark = this.db.prepare(`UPDATE ${table} SET status = 'interrupted', updated_at = ? WHERE id = ?`);
    for (const id of ids) mark.run(nowIso(), id);
    return ids;
  }

  #unleased(table: 'runs' | 'judge_runs' | 'downloads', kind: LeaseKind, status: string): number[] {
    return this.db
      .prepare<[string, string], { id: number }>(
        `SELECT t.id FROM ${table} t WHERE t.status = ? AND NOT EXISTS (SELECT 1 FROM leases l WHERE l.kind = ? AND l.id = t.id) ORDER BY t.id`,
      )
      .all(status, kind)
      .map((r) => r.id);
  }

  #get(kind: LeaseKind, id: number): LeaseRow | undefined {
    return this.db.prepare<[string, number], LeaseRow>('SELECT * FROM leases WHERE kind = ? AND id = ?').get(kind, id);
  }

  #isLive(lease: LeaseRow): boolean {
    const fresh = this.#now() - lease.heartbeat_ms < LEASE_TTL_MS;
    return fresh && (lease.host !== LeaseRepo.thisHost() || pidAlive(lease.pid));
  }
}

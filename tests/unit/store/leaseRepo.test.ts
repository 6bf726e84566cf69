import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Conflict } from '../../../src/shared/errors';
import { LEASE_TTL_MS, LeaseRepo } from '../../../src/main/store/LeaseRepo';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { addRun } from '../results/addRun';

/** The pid of a process that has exited (and was reaped): no live process has it, barring reuse within the test. */
function deadPid(): number {
  const child = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
  return Number(child.stdout);
}

describe('LeaseRepo: one owner per run, judge run or download, across connections to one store file', () => {
  let dir: string;
  let a: Store;
  let b: Store;
  let clock: number;
  const now = () => clock;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'align-lease-'));
    a = openStore(join(dir, 'w.sqlite'));
    b = openStore(join(dir, 'w.sqlite'));
    clock = Date.parse('2026-12-05T12:00:00Z');
  });
  afterEach(() => {
    a.close();
    b.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** A run in status `running`, as a process that crashed mid-run leaves it. */
  function runningRun(): number {
    addRun(a, 'en', 'zero-shot', 1);
    const id = a.runs.list().at(-1)!.id;
    a.runs.setStatus(id, 'running');
    return id;
  }

  it('refuses a second owner while the first is alive, in plain words naming the pid', () => {
    const mine = new LeaseRepo(a.db, { now });
    const other = new LeaseRepo(b.db, { now, owner: { pid: process.pid, host: 'remote-host' } });
    const theirs = new LeaseRepo(b.db, { now });
    mine.acquire('run', 12);
    let err: unknown;
    try {
      theirs.acquire('run', 12);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(Conflict);
    expect((err as Error).message).toBe(`run 12 is running in another window or process (pid ${process.pid} on this machine).`);
    // An owner on another host is named by its host.
    other.acquire('judgeRun', 20);
    expect(() => theirs.acquire('judgeRun', 20)).toThrow(`judge run 20 is running in another window or process (pid ${process.pid} on remote-host).`);
    // Other ids and other kinds are independent.
    expect(() => theirs.acquire('run', 13)).not.toThrow();
    expect(() => theirs.acquire('judgeRun', 12)).not.toThrow();
  });

  it('lets the same owner acquire again (resume in the same process), and another once released', () => {
    const mine = new LeaseRepo(a.db, { now });
    mine.acquire('download', 3);
    expect(() => mine.acquire('download', 3)).not.toThrow();
    mine.release('download', 3);
    expect(() => new LeaseRepo(b.db, { now }).acquire('download', 3)).not.toThrow();
  });

  it('takes over a lease whose owner process is gone (same host, pid not alive), even with a fresh heartbeat', () => {
    const crashed = new LeaseRepo(a.db, { now, owner: { pid: deadPid(), host: LeaseRepo.thisHost() } });
    crashed.acquire('judgeRun', 5);
    expect(() => new LeaseRepo(b.db, { now }).acquire('judgeRun', 5)).not.toThrow();
  });

  it('takes over a lease whose heartbeat is stale, even on another host; refuses while it is fresh', () => {
    const remote = new LeaseRepo(a.db, { now, owner: { pid: 1, host: 'other-host' } });
    remote.acquire('run', 7);
    const local = new LeaseRepo(b.db, { now });
    clock += LEASE_TTL_MS - 1;
    expect(() => local.acquire('run', 7)).toThrow(/pid 1 on other-host/);
    clock += 2;
    expect(() => local.acquire('run', 7)).not.toThrow();
    // The old owner learns it lost the lease at its next heartbeat, and must stop.
    expect(remote.heartbeat('run', 7)).toBe(false);
    expect(local.heartbeat('run', 7)).toBe(true);
  });

  it('heartbeats keep a lease alive past the time-to-live', () => {
    const remote = new LeaseRepo(a.db, { now, owner: { pid: 1, host: 'other-host' } });
    remote.acquire('run', 8);
    for (let i = 0; i < 3; i++) {
      clock += LEASE_TTL_MS / 2;
      expect(remote.heartbeatAll()).toBe(1);
    }
    expect(() => new LeaseRepo(b.db, { now }).acquire('run', 8)).toThrow(Conflict);
  });

  it('reclaimStale marks interrupted the runs and judge runs left running by a gone owner, or by none, and keeps live ones', () => {
    const crashedRun = runningRun();
    const orphanRun = runningRun(); // running before leases existed: no owner at all
    const liveRun = runningRun();
    const doneRun = runningRun();
    a.runs.setStatus(doneRun, 'done');
    a.db.prepare("INSERT INTO judges (id, name, kind, identity, created_at) VALUES (1, 'j', 'openai', 'openai:x#y', 'now')").run();
    const judgeRun = a.judgeRuns.insert({ name: 'jr', judgeId: 1, config: {} as never, environment: {}, total: 1 }).id;
    a.judgeRuns.setStatus(judgeRun, 'running');

    const dead = { pid: deadPid(), host: LeaseRepo.thisHost() };
    new LeaseRepo(a.db, { now, owner: dead }).acquire('run', crashedRun);
    new LeaseRepo(a.db, { now, owner: dead }).acquire('judgeRun', judgeRun);
    new LeaseRepo(a.db, { now, owner: dead }).acquire('download', 9);
    new LeaseRepo(a.db, { now }).acquire('run', liveRun);

    const reclaimed = new LeaseRepo(b.db, { now }).reclaimStale();
    expect(reclaimed).toEqual({ runs: [crashedRun, orphanRun].sort((x, y) => x - y), judgeRuns: [judgeRun], downloads: [9] });
    expect([crashedRun, orphanRun, liveRun, doneRun].map((id) => b.runs.get(id)!.status)).toEqual(['interrupted', 'interrupted', 'running', 'done']);
    expect(b.judgeRuns.get(judgeRun)!.status).toBe('interrupted');
    // Reclaimed leases are gone: the next owner acquires without a conflict; a second sweep finds nothing.
    expect(() => new LeaseRepo(b.db, { now }).acquire('run', crashedRun)).not.toThrow();
    expect(new LeaseRepo(b.db, { now }).reclaimStale()).toEqual({ runs: [], judgeRuns: [], downloads: [] });
  });
});

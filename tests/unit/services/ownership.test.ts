// Run ownership as the composition root wires it (issue 15): what a process finds at start, what it refuses,
// and how it notices a lease it lost. Real SQLite files shared by several connections, as two processes share one.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { INTERRUPTED_DOWNLOAD } from '../../../src/main/core/models/downloadManager';
import { RESOURCES_DIR } from '../../../src/main/paths';
import { createServices, type Services } from '../../../src/main/services/createServices';
import { Ownership } from '../../../src/main/services/ownership';
import { LEASE_HEARTBEAT_MS, LEASE_TTL_MS, LeaseRepo } from '../../../src/main/store/LeaseRepo';
import { openStore, type Store } from '../../../src/main/store/openStore';
import { Conflict } from '../../../src/shared/errors';
import { addRun } from '../results/addRun';

/** The pid of a process that has exited: as a `kill -9`ed owner leaves it. */
function deadPid(): number {
  return Number(spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' }).stdout);
}

describe('run ownership in the services', () => {
  let dir: string;
  let seed: Store;
  let services: Services | undefined;
  /** Another live process on this machine (a live pid, its own token). */
  let other: LeaseRepo;
  /** A process that died holding its leases. */
  let dead: LeaseRepo;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'align-ownership-'));
    seed = openStore(join(dir, 'workbench.sqlite'));
    other = new LeaseRepo(seed.db);
    dead = new LeaseRepo(seed.db, { owner: { pid: deadPid(), host: LeaseRepo.thisHost() } });
  });
  afterEach(async () => {
    vi.useRealTimers();
    await services?.close();
    services = undefined;
    seed.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const open = (watchStaleOwners = false) => (services = createServices({ dataDir: dir, resourcesDir: RESOURCES_DIR, watchStaleOwners }));
  /** A run left `running` by the owner `by`. */
  function runningRun(by: LeaseRepo): number {
    addRun(seed, 'en', `m${seed.runs.list().length}`, 1);
    const id = seed.runs.list().at(-1)!.id;
    by.acquire('run', id);
    seed.runs.setStatus(id, 'running');
    return id;
  }
  function transferring(uri: string, by: LeaseRepo): number {
    const id = seed.downloads.insert({ uri, dir: join(dir, 'models'), catalogueId: null }).id;
    by.acquire('download', id);
    return id;
  }

  it('at start, marks interrupted what dead owners left and pauses only their downloads; live owners keep theirs', () => {
    const crashed = runningRun(dead);
    const elsewhere = runningRun(other);
    const crashedDownload = transferring('https://example.org/a.gguf', dead);
    const liveDownload = transferring('https://example.org/b.gguf', other);

    const s = open();
    expect(s.runs.get(crashed).status).toBe('interrupted');
    expect(s.runs.get(elsewhere).status).toBe('running');
    expect(s.downloads.get(crashedDownload)).toMatchObject({ status: 'paused', error: INTERRUPTED_DOWNLOAD });
    expect(s.downloads.get(liveDownload)).toMatchObject({ status: 'downloading', error: null });
  });

  it('refuses at once, untouched, a run, judge run or download another live process owns', async () => {
    const elsewhere = runningRun(other);
    seed.db.prepare("INSERT INTO judges (id, name, kind, identity, created_at) VALUES (1, 'j', 'openai', 'openai:x#y', 'now')").run();
    const judgeRun = seed.judgeRuns.insert({ name: 'jr', judgeId: 1, config: {} as never, environment: {}, total: 1 }).id;
    other.acquire('judgeRun', judgeRun);
    seed.judgeRuns.setStatus(judgeRun, 'running');
    const liveDownload = transferring('https://example.org/b.gguf', other);
    const s = open();

    const refused = `run ${elsewhere} is running in another window or process (pid ${process.pid} on this machine).`;
    expect(() => s.queue.enqueue(elsewhere)).toThrow(refused);
    expect(() => s.queue.enqueue(elsewhere)).toThrow(Conflict);
    // Pausing it here would overwrite the status of the process running it.
    expect(() => s.queue.stop(elsewhere, 'pause')).toThrow(refused);
    expect(() => s.queue.enqueueJudgeRun(judgeRun)).toThrow(`judge run ${judgeRun} is running in another window or process`);
    expect(s.runs.get(elsewhere).status).toBe('running');
    expect(s.judging.judgeRun(judgeRun).status).toBe('running');
    expect(s.queue.isQueued(elsewhere)).toBe(false);

    await expect(s.downloads.resume(liveDownload)).rejects.toThrow(`download ${liveDownload} is running in another window or process`);
    // The same file again would be a second transfer into the same partial file.
    await expect(s.downloads.start('https://example.org/b.gguf')).rejects.toThrow(Conflict);
    expect(s.downloads.list().map((d) => [d.id, d.status])).toEqual([[liveDownload, 'downloading']]);
  });

  it('a long-lived process notices an owner that dies later, and says so with an event', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const s = open(true);
    const changed: unknown[] = [];
    s.events.subscribe((event, payload) => event === 'runs.changed' && changed.push(payload));
    const crashed = runningRun(dead);
    expect(s.runs.get(crashed).status).toBe('running');
    vi.advanceTimersByTime(LEASE_HEARTBEAT_MS);
    expect(s.runs.get(crashed).status).toBe('interrupted');
    expect(changed).toEqual([{ runId: crashed, status: 'interrupted' }]);
  });

  it('Ownership heartbeats what it holds and reports a lease another process took over after a stall', () => {
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    let clock = 1_000_000;
    const mine = new LeaseRepo(seed.db, { now: () => clock });
    const ownership = new Ownership(mine, 100);
    const lost: string[] = [];
    ownership.claim('run', 1, () => lost.push('run 1'));
    ownership.claim('download', 2, () => lost.push('download 2'));
    const beat = () => seed.db.prepare('SELECT kind, id, heartbeat_ms FROM leases ORDER BY kind').all();

    clock += 50_000;
    vi.advanceTimersByTime(100);
    expect(beat()).toEqual([
      { kind: 'download', id: 2, heartbeat_ms: clock },
      { kind: 'run', id: 1, heartbeat_ms: clock },
    ]);

    // This process stalls past the time-to-live; another one takes run 1 over.
    new LeaseRepo(seed.db, { now: () => clock + LEASE_TTL_MS + 1 }).acquire('run', 1);
    vi.advanceTimersByTime(100);
    expect(lost).toEqual(['run 1']);
    expect(() => ownership.assertFree('run', 1)).toThrow(Conflict);

    ownership.release('download', 2);
    expect(beat()).toEqual([{ kind: 'run', id: 1, heartbeat_ms: clock + LEASE_TTL_MS + 1 }]);
    expect(vi.getTimerCount()).toBe(0);
  });
});

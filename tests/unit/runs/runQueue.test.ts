import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { BackendPool } from '../../../src/main/core/runs/BackendPool';
import { executeRun } from '../../../src/main/core/runs/executeRun';
import { Ownership } from '../../../src/main/services/ownership';
import { RunQueue } from '../../../src/main/services/runs/RunQueue';
import { storePort } from '../../../src/main/services/runs/storePort';
import type { Store } from '../../../src/main/store/openStore';
import type { RunStatus } from '../../../src/shared/domain';
import { FakeModels, pieces, promptTextOf } from '../../support/FakeBackend';
import { addDataset, addModel, addRun, itemIdIn, numberedItems, openTempStore, type TempStore } from '../../support/tempStore';

/**
 * The run queue without a model: real executeRun over a real SQLite store, FakeModels in the one model slot. Runs
 * whose items are listed in `hangOn` stall on those items until paused or cancelled, so every pause is deterministic.
 */
const RESOURCES = fileURLToPath(new URL('../../../resources', import.meta.url));

let temp: TempStore;
let store: Store;
beforeEach(() => {
  temp = openTempStore();
  store = temp.store;
});
afterEach(() => temp.dispose());

function setUp(hangOn: Set<string> = new Set(), crashOn: Set<number> = new Set()) {
  const models = new FakeModels({
    script: (request) => {
      const id = itemIdIn(promptTextOf(request.prompt));
      return hangOn.has(id) ? { tokens: pieces('stuck'), hang: true } : { tokens: pieces(`answer ${id}`) };
    },
  });
  const pool = new BackendPool(models.load);
  const executed: number[] = [];
  const changes: [number, RunStatus][] = [];
  const runs = {
    execute: (runId: number, options: { signal?: AbortSignal }) => {
      executed.push(runId);
      if (crashOn.has(runId)) return Promise.reject(new Error(`run ${runId}: the store went away`));
      return executeRun(runId, { store: storePort(store), pool, prompting: { urialDirs: { resourcesDir: RESOURCES } }, ...options });
    },
  };
  const judging = { startJudgeRun: () => Promise.reject(new Error('no judge runs in these tests')) };
  const queue = new RunQueue(store, runs, judging, new Ownership(store.leases), {
    progress: () => {},
    changed: (runId, status) => changes.push([runId, status]),
    judgeProgress: () => {},
    judgeChanged: () => {},
  });
  /** A run of `n` numbered items on its own model file (so a new load shows when the queue moves on). */
  const run = (n: number, model = `/models/m${store.runs.list().length + 1}.gguf`) =>
    addRun(store, addModel(store, model), addDataset(store, numberedItems(n))).id;
  /** Resolves once the run reaches `status` (as the queue reports it). */
  const until = (runId: number, status: RunStatus) =>
    new Promise<void>((resolve) => {
      const check = () => (changes.some(([id, s]) => id === runId && s === status) ? resolve() : setTimeout(check, 5));
      check();
    });
  const stored = (runId: number) => store.generations.forRun(runId).map((g) => g.itemId).sort();
  return { models, queue, executed, changes, run, until, stored };
}

describe('RunQueue (fake model, real store)', () => {
  it('runs queued jobs one at a time, in order, with one model in memory, and reports pending → running → done', async () => {
    const { models, queue, executed, changes, run, until } = setUp();
    const [a, b, c] = [run(2), run(2), run(2)];
    queue.enqueue(a);
    queue.enqueue(b);
    queue.enqueue(c);
    queue.enqueue(b); // already queued: not twice
    await until(c, 'done');
    expect(executed).toEqual([a, b, c]);
    expect(models.loads).toEqual(['/models/m1.gguf', '/models/m2.gguf', '/models/m3.gguf']);
    expect(models.maxLive).toBe(1);
    expect(changes.filter(([id]) => id === b).map(([, s]) => s)).toEqual(['pending', 'running', 'done']);
    for (const id of [a, b, c]) expect(store.runs.get(id)!.status).toBe('done');
    expect(queue.busy).toBe(false);
  });

  it('pause keeps finished items and a new start does exactly the missing ones; a paused job lets the next one run', async () => {
    const hangOn = new Set(['2']);
    const { queue, executed, run, until, stored } = setUp(hangOn);
    const [a, b] = [run(3), run(1)];
    queue.enqueue(a);
    queue.enqueue(b);
    await until(a, 'running');
    await new Promise((r) => setTimeout(r, 50)); // item 1 is stored, item 2 stalls
    queue.stop(a, 'pause');
    await until(b, 'done');
    expect(store.runs.get(a)!.status).toBe('paused');
    expect(stored(a)).toEqual(['1']);

    hangOn.clear();
    queue.enqueue(a);
    await until(a, 'done');
    expect(stored(a)).toEqual(['1', '2', '3']);
    expect(executed).toEqual([a, b, a]);
  });

  it('cancelling a waiting job dequeues it without running it; cancelling the running job marks it cancelled', async () => {
    const { queue, executed, run, until } = setUp(new Set(['1']));
    const [a, b] = [run(1), run(1)];
    queue.enqueue(a);
    queue.enqueue(b);
    await until(a, 'running');
    queue.stop(b, 'cancel');
    expect(store.runs.get(b)!.status).toBe('cancelled');
    queue.stop(a, 'cancel');
    await until(a, 'cancelled');
    expect(store.runs.get(a)!.status).toBe('cancelled');
    expect(executed).toEqual([a]);
  });

  it('a job that throws is marked failed with its message, and the queue goes on', async () => {
    const crashOn = new Set<number>();
    const { queue, run, until } = setUp(new Set(), crashOn);
    const [a, b] = [run(1), run(1)];
    crashOn.add(a);
    queue.enqueue(a);
    queue.enqueue(b);
    await until(b, 'done');
    expect(store.runs.get(a)).toMatchObject({ status: 'failed', error: `run ${a}: the store went away` });
  });

  it('shutdown pauses the running job and everything waiting, so all of it can resume', async () => {
    const { queue, run, until } = setUp(new Set(['1']));
    const [a, b] = [run(1), run(1)];
    queue.enqueue(a);
    queue.enqueue(b);
    await until(a, 'running');
    await queue.shutdown();
    expect([store.runs.get(a)!.status, store.runs.get(b)!.status]).toEqual(['paused', 'paused']);
  });
});

import { describe, expect, it, vi } from 'vitest';
import { BackendPool, type BackendKey } from '../../../src/main/core/runs/BackendPool';
import type { ModelState } from '../../../src/shared/modelState';
import { FakeModels } from '../../support/FakeBackend';
import { rawPrompt, GREEDY } from '../../support/prompts';

/** The model slot over FakeModels, which counts the models in memory (from load start to dispose). */
const key = (modelPath: string): BackendKey => ({ modelPath, gpu: 'cpu', threads: 1 });
const A = key('/models/a.gguf');
const B = key('/models/b.gguf');

/** Whether `promise` is still pending after other timers (a fake load) had time to run. */
async function stillPending(promise: Promise<unknown>): Promise<boolean> {
  let settled = false;
  promise.then(
    () => (settled = true),
    () => (settled = true),
  );
  await new Promise((r) => setTimeout(r, 30));
  return !settled;
}

describe('BackendPool', () => {
  it('never has two models in memory: a second model waits until the first is released, then replaces it', async () => {
    const models = new FakeModels({ loadMs: 5 });
    const pool = new BackendPool(models.load);
    const first = pool.acquire(A);
    const second = pool.acquire(B);
    const leaseA = await first;
    expect(await stillPending(second)).toBe(true);
    expect(models.loads).toEqual([A.modelPath]);

    leaseA.release();
    const leaseB = await second;
    expect(models.loads).toEqual([A.modelPath, B.modelPath]);
    expect(models.backendFor(A.modelPath)!.disposes).toBe(1);
    expect(models.maxLive).toBe(1);
    expect(leaseB.backend).toBe(models.backendFor(B.modelPath));
  });

  it('keeps one model in memory under concurrent holders of different models that use what they hold', async () => {
    const models = new FakeModels({ loadMs: 2 });
    const pool = new BackendPool(models.load);
    // Each holder generates with its model: FakeBackend refuses to generate once disposed.
    const use = async (k: BackendKey) => {
      const lease = await pool.acquire(k);
      try {
        await lease.backend.configure({ contextSize: 64, parallel: 1 });
        return (await lease.backend.generate({ prompt: rawPrompt('x'), sampler: GREEDY })).finishReason;
      } finally {
        lease.release();
      }
    };
    const reasons = await Promise.all([A, B, A, B, B, A].map(use));
    expect(reasons).toEqual(Array(6).fill('eos'));
    expect(models.maxLive).toBe(1);
    // Served in call order: A, B, A, B (the two B in a row share one load), A.
    expect(models.loads).toEqual([A, B, A, B, A].map((k) => k.modelPath));
  });

  it('lends the loaded model to every holder of the same key without loading it again', async () => {
    const models = new FakeModels();
    const pool = new BackendPool(models.load);
    const [one, two] = await Promise.all([pool.acquire(A), pool.acquire(A)]);
    const three = await pool.acquire(A);
    expect(models.loads).toEqual([A.modelPath]);
    expect(new Set([one!.backend, two!.backend, three.backend]).size).toBe(1);
    // Another thread count is another configuration of the model: it is loaded anew.
    for (const lease of [one!, two!, three]) lease.release();
    await pool.acquire({ ...A, threads: 2 });
    expect(models.loads).toEqual([A.modelPath, A.modelPath]);
    expect(models.maxLive).toBe(1);
  });

  it('does not cache a failed load: the slot is empty, in state "error", and the next acquire loads again', async () => {
    const models = new FakeModels();
    const pool = new BackendPool(models.load);
    models.failNextLoad.set(A.modelPath, 'not a GGUF file');
    await expect(pool.acquire(A)).rejects.toThrow('not a GGUF file');
    expect(pool.state).toEqual({ path: A.modelPath, status: 'error', progress: 0, error: 'not a GGUF file' });
    expect(models.live).toBe(0);

    const lease = await pool.acquire(A);
    expect(models.loads).toEqual([A.modelPath, A.modelPath]);
    expect(pool.state).toEqual({ path: A.modelPath, status: 'loaded', progress: 1, error: null });
    lease.release();
  });

  it('lets the next acquire through after a failed load', async () => {
    const models = new FakeModels();
    const pool = new BackendPool(models.load);
    models.failNextLoad.set(A.modelPath, 'out of memory');
    const [failed, next] = await Promise.allSettled([pool.acquire(A), pool.acquire(B)]);
    expect(failed.status).toBe('rejected');
    expect(next.status).toBe('fulfilled');
    expect(pool.state.path).toBe(B.modelPath);
  });

  it('tells its listeners every state change in order: loading (with progress) → loaded → unloaded, and the swaps', async () => {
    const models = new FakeModels({ loadMs: 2 });
    const pool = new BackendPool(models.load);
    const states: ModelState[] = [];
    const unsubscribe = pool.onState((s) => states.push(s));
    const progress: number[] = [];

    (await pool.acquire(A, (f) => progress.push(f))).release();
    (await pool.acquire(A)).release(); // already loaded: no event
    (await pool.acquire(B)).release();
    await pool.unload();
    const a = A.modelPath;
    const b = B.modelPath;
    expect(states).toEqual([
      { path: a, status: 'loading', progress: 0, error: null },
      { path: a, status: 'loading', progress: 0.5, error: null },
      { path: a, status: 'loaded', progress: 1, error: null },
      { path: null, status: 'unloaded', progress: 0, error: null },
      { path: b, status: 'loading', progress: 0, error: null },
      { path: b, status: 'loading', progress: 0.5, error: null },
      { path: b, status: 'loaded', progress: 1, error: null },
      { path: null, status: 'unloaded', progress: 0, error: null },
    ]);
    // The caller that caused the load sees its progress too.
    expect(progress).toEqual([0, 0.5, 1]);
    expect(pool.state).toEqual(states.at(-1));

    unsubscribe();
    (await pool.acquire(A)).release();
    expect(states).toHaveLength(8);
  });

  it('keeps going when a listener throws, and says so', async () => {
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    try {
      const pool = new BackendPool(new FakeModels().load);
      pool.onState(() => {
        throw new Error('window closed');
      });
      const lease = await pool.acquire(A);
      expect(pool.state.status).toBe('loaded');
      expect(logged).toHaveBeenCalledWith('A model state listener failed:', expect.objectContaining({ message: 'window closed' }));
      lease.release();
    } finally {
      logged.mockRestore();
    }
  });

  it('unloads only once every holder has released the model', async () => {
    const models = new FakeModels();
    const pool = new BackendPool(models.load);
    const lease = await pool.acquire(A);
    const unloaded = pool.unload();
    expect(await stillPending(unloaded)).toBe(true);
    expect(models.backendFor(A.modelPath)!.disposes).toBe(0);
    lease.release();
    await unloaded;
    expect(models.backendFor(A.modelPath)!.disposes).toBe(1);
    expect(pool.state.status).toBe('unloaded');
  });

  it('counts a release once: a holder releasing twice does not free the model under another holder', async () => {
    const models = new FakeModels();
    const pool = new BackendPool(models.load);
    const one = await pool.acquire(A);
    const two = await pool.acquire(A);
    one.release();
    one.release();
    const other = pool.acquire(B);
    expect(await stillPending(other)).toBe(true);
    two.release();
    (await other).release();
    expect(models.maxLive).toBe(1);
  });

  it('stays "loaded" when the loader reports progress after it resolved (node-llama-cpp can)', async () => {
    const models = new FakeModels();
    const pool = new BackendPool(async (k, onProgress) => {
      const backend = await models.load(k, onProgress);
      setTimeout(() => onProgress(0.4), 5);
      return backend;
    });
    const states: ModelState[] = [];
    pool.onState((s) => states.push(s));
    const lease = await pool.acquire(A);
    await new Promise((r) => setTimeout(r, 30));
    expect(states.at(-1)).toMatchObject({ path: A.modelPath, status: 'loaded' });
    expect(pool.state.status).toBe('loaded');
    lease.release();
  });
});

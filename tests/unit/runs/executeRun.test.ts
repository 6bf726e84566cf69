import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { storePort } from '../../../src/main/services/runs/storePort';
import type { GenerateRequest } from '../../../src/main/core/inference/Backend';
import { BackendPool } from '../../../src/main/core/runs/BackendPool';
import { executeRun, type ExecuteRunOptions } from '../../../src/main/core/runs/executeRun';
import { itemSeed } from '../../../src/main/core/runs/itemSeed';
import type { Store } from '../../../src/main/store/openStore';
import type { RunProgress } from '../../../src/shared/domain';
import { FakeModels, pieces, promptTextOf, type FakeReply } from '../../support/FakeBackend';
import { addDataset, addModel, addRun, itemIdIn, numberedItems, openTempStore, type RunSettings, type TempStore } from '../../support/tempStore';

/**
 * executeRun without a model: the FakeBackend plays the model, the store is a real SQLite file written through the
 * production port (api/storePort), so resume, stop reasons, per-item errors and parallel workers are checked on
 * the rows a real run leaves. The same paths with a real GGUF: tests/model/.
 */
const RESOURCES = fileURLToPath(new URL('../../../resources', import.meta.url));
const MODEL = '/models/fake-base.gguf';
const idOf = (request: GenerateRequest) => itemIdIn(promptTextOf(request.prompt));

let temp: TempStore;
let store: Store;
beforeEach(() => {
  temp = openTempStore();
  store = temp.store;
});
afterEach(() => temp.dispose());

/** A run of `n` items on a fake model whose replies come from `reply(itemId, call)`; run it with `start`. */
function setUp(n: number, reply: (itemId: string, call: number) => FakeReply, settings: RunSettings = {}) {
  const models = new FakeModels({ script: (request, call) => reply(idOf(request), call) });
  const pool = new BackendPool(models.load);
  const run = addRun(store, addModel(store, MODEL), addDataset(store, numberedItems(n)), settings);
  const progress: RunProgress[] = [];
  const start = (options: Partial<ExecuteRunOptions> = {}) =>
    executeRun(run.id, {
      store: storePort(store),
      pool,
      prompting: { urialDirs: { resourcesDir: RESOURCES } },
      onProgress: (p) => progress.push(p),
      ...options,
    });
  const rows = () => store.generations.forRun(run.id);
  const backend = () => models.backendFor(MODEL)!;
  return { models, pool, run, progress, start, rows, backend };
}

/** Aborts `controller` with `reason` once `count` items are stored in this start. */
const abortAfter = (controller: AbortController, count: number, reason: 'pause' | 'cancel', progress: RunProgress[]) => (p: RunProgress) => {
  progress.push(p);
  if (p.status === 'running' && progress.filter((q) => q.status === 'running').length === count) controller.abort(reason);
};

describe('executeRun (fake model, real store)', () => {
  it('stores every item with the finish reason it ended with, the raw and the cleaned output; a failed item does not stop the others', async () => {
    const replies: Record<string, FakeReply> = {
      // The model starts the next URIAL turn: the backend cuts at "# Query", the cleaning drops the fences.
      '1': { tokens: pieces('Bonjour !\n```\n\n# Query:\n```\nEt ensuite') },
      '2': { tokens: pieces('Salut.') },
      '3': { tokens: pieces('un deux trois quatre cinq six sept huit neuf dix') },
      '4': { tokens: pieces('la la la la'), end: 'loop' },
      '5': { tokens: [], error: 'the server closed the connection' },
      '6': { tokens: pieces('Bonsoir.') },
    };
    const t = setUp(6, (id) => replies[id]!, { method: { method: 'urial', promptLang: 'fr' }, sampler: { maxTokens: 6, seed: 7 } });

    expect(await t.start()).toBe('done');
    const rows = t.rows();
    expect(rows.map((g) => [g.itemId, g.finishReason, g.outputRaw, g.output, g.error, g.outputTokens])).toEqual([
      ['1', 'stop', 'Bonjour !\n```\n\n', 'Bonjour !', null, 5],
      ['2', 'eos', 'Salut.', 'Salut.', null, 1],
      ['3', 'max-tokens', 'un deux trois quatre cinq six', 'un deux trois quatre cinq six', null, 6],
      ['4', 'loop', 'la la la la', 'la la la la', null, 4],
      ['5', 'error', '', '', 'the server closed the connection', 0],
      ['6', 'eos', 'Bonsoir.', 'Bonsoir.', null, 1],
    ]);
    // Each item's seed depends on the run seed and its id only; the prompt stored is the one the model saw.
    expect(rows.map((g) => g.seed)).toEqual(rows.map((g) => itemSeed(7, g.itemId)));
    expect(rows[0]!.prompt).toMatch(/^# Consignes[\s\S]*Question #item-1# : dites bonjour\.\n```\n\n# Answer:\n```\n$/);
    expect(store.runs.get(t.run.id)).toMatchObject({ status: 'done', error: null, done: 6 });

    // The URIAL preamble is primed once for the whole run, and the stop strings reached the backend.
    const backend = t.backend();
    expect(backend.primedPrefixes).toHaveLength(1);
    expect(rows[0]!.prompt.startsWith(backend.primedPrefixes[0]!)).toBe(true);
    expect(backend.calls.every((c) => c.prompt.stop.includes('# Query'))).toBe(true);
    // "auto" context: the longest prompt plus the output budget (+8).
    const longest = Math.max(...backend.calls.map((c) => backend.countPromptTokens(c.prompt)));
    expect(backend.configures).toEqual([{ contextSize: longest + 6 + 8, parallel: 1 }]);
    expect(store.runs.get(t.run.id)!.environment).toMatchObject({
      backend: 'fake',
      contextSize: String(longest + 14),
      prefixTokensEvaluatedAtStart: String(pieces(backend.primedPrefixes[0]!).length),
    });
    expect(t.progress.at(-1)).toMatchObject({ done: 6, total: 6, status: 'done' });
  });

  it('resumes after a pause with exactly the items not stored yet, and generates a failed item again', async () => {
    const t = setUp(6, (id, call) => (id === '2' && call < 2 ? { tokens: [], error: 'timeout' } : { tokens: pieces(`Réponse ${id}.`) }));
    const controller = new AbortController();
    const firstProgress: RunProgress[] = [];
    expect(await t.start({ signal: controller.signal, onProgress: abortAfter(controller, 3, 'pause', firstProgress) })).toBe('paused');
    expect(t.rows().map((g) => [g.itemId, g.finishReason])).toEqual([
      ['1', 'eos'],
      ['2', 'error'],
      ['3', 'eos'],
    ]);
    expect(store.runs.get(t.run.id)!.status).toBe('paused');
    expect(firstProgress.at(-1)).toMatchObject({ done: 3, total: 6, status: 'paused' });

    const before = t.backend().calls.length;
    expect(await t.start()).toBe('done');
    // Only the failed item and the three missing ones were asked for; the model stayed loaded.
    expect(t.backend().calls.slice(before).map(idOf)).toEqual(['2', '4', '5', '6']);
    expect(t.models.loads).toEqual([MODEL]);
    // One row per item: the failed attempt was replaced by the new one.
    expect(t.rows().map((g) => [g.itemId, g.finishReason, g.output])).toEqual(['1', '2', '3', '4', '5', '6'].map((id) => [id, 'eos', `Réponse ${id}.`]));

    // Nothing left: a third start asks the model nothing and does not even load it.
    const calls = t.backend().calls.length;
    expect(await t.start()).toBe('done');
    expect(t.backend().calls.length).toBe(calls);
  });

  it('with parallel sequences, stores every item exactly once and hands each to afterSave once', async () => {
    const t = setUp(12, (id) => ({ tokens: pieces(`Réponse numéro ${id}.`), tokenMs: 1 + (Number(id) % 3) }), { backend: { parallel: 3 } });
    const saved: number[] = [];
    expect(await t.start({ afterSave: async (id) => void saved.push(id) })).toBe('done');

    const rows = t.rows();
    expect(rows.map((g) => g.itemId)).toEqual(numberedItems(12).map((i) => i.id));
    expect(rows.every((g) => g.output === `Réponse numéro ${g.itemId}.`)).toBe(true);
    expect(saved.sort((a, b) => a - b)).toEqual(rows.map((g) => g.id).sort((a, b) => a - b));
    expect(t.backend().configures.at(-1)!.parallel).toBe(3);
    expect(t.backend().maxInFlight).toBe(3);
    expect(t.progress.filter((p) => p.status === 'running').map((p) => p.done)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
  });

  it.each([
    ['pause', 'paused'],
    ['cancel', 'cancelled'],
  ] as const)('%s: the finished items are kept, the one in flight is dropped, and the run is %s', async (reason, status) => {
    // Item 3 stalls until the stop; the other worker finishes 1, 2, 4 and 5 meanwhile.
    const t = setUp(6, (id, call) => ({ tokens: pieces(`Réponse ${id}.`), hang: id === '3' && call < 4 }), { backend: { parallel: 2 } });
    const controller = new AbortController();
    expect(await t.start({ signal: controller.signal, onProgress: abortAfter(controller, 3, reason, []) })).toBe(status);
    expect(t.rows().map((g) => g.itemId)).toEqual(['1', '2', '4']);
    expect(store.runs.get(t.run.id)!.status).toBe(status);
    expect(t.backend().inFlight).toBe(0);

    expect(await t.start()).toBe('done');
    expect(t.rows().map((g) => g.itemId)).toEqual(['1', '2', '3', '4', '5', '6']);
  });

  it('fails the run, naming the item, when the backend throws; nothing stored is lost and no worker runs on', async () => {
    // Two workers: item 1 is slow; item 2 is quick, so its worker takes item 3, which crashes while 1 is in flight.
    const replies: Record<string, FakeReply> = {
      '1': { tokens: pieces('Réponse lente.'), tokenMs: 10 },
      '3': { tokens: pieces('Ré'), tokenMs: 1, throws: 'the model crashed' },
    };
    const t = setUp(8, (id, call) => (call < 3 && replies[id]) || { tokens: pieces(`Réponse ${id}.`) }, { backend: { parallel: 2 } });
    expect(await t.start()).toBe('failed');
    expect(store.runs.get(t.run.id)).toMatchObject({ status: 'failed', error: 'Item 3: the model crashed' });
    // The item in flight was finished and kept; no item was taken after the failure, and none runs now.
    expect(t.rows().map((g) => g.itemId)).toEqual(['1', '2']);
    expect(t.backend().calls.map(idOf)).toEqual(['1', '2', '3']);
    expect(t.backend().inFlight).toBe(0);
    await new Promise((r) => setTimeout(r, 30));
    expect(t.backend().calls).toHaveLength(3);
    expect(t.progress.at(-1)).toMatchObject({ status: 'failed', done: 2 });

    // The next start continues with the failed item and the rest.
    expect(await t.start()).toBe('done');
    expect(t.rows()).toHaveLength(8);
  });

  it('fails the run with the loader\'s message when the model does not load, and the next start loads it again', async () => {
    const t = setUp(2, (id) => ({ tokens: pieces(`Réponse ${id}.`) }));
    t.models.failNextLoad.set(MODEL, 'llama.cpp could not load it: not a GGUF file');
    expect(await t.start()).toBe('failed');
    expect(store.runs.get(t.run.id)).toMatchObject({ status: 'failed', error: 'llama.cpp could not load it: not a GGUF file', done: 0 });
    expect(t.pool.state).toMatchObject({ path: MODEL, status: 'error' });

    expect(await t.start()).toBe('done');
    expect(t.models.loads).toEqual([MODEL, MODEL]);
    expect(t.rows()).toHaveLength(2);
  });

  it('hands the model slot back when the run ends, failed or done, so the next model can load', async () => {
    let crashes = 1;
    const t = setUp(3, (id) => (id === '2' && crashes-- > 0 ? { tokens: [], throws: 'boom' } : { tokens: pieces('ok') }));
    const other = { modelPath: '/models/other.gguf', gpu: 'cpu' as const, threads: 1 };
    const slotFree = async () => {
      const lease = await Promise.race([t.pool.acquire(other), new Promise<null>((r) => setTimeout(() => r(null), 500))]);
      expect(lease, 'the run still holds the model slot').not.toBeNull();
      lease!.release();
    };
    expect(await t.start()).toBe('failed');
    await slotFree();
    expect(await t.start()).toBe('done');
    await slotFree();
    expect(t.models.loads).toEqual([MODEL, other.modelPath, MODEL, other.modelPath]);
    expect(t.models.maxLive).toBe(1);
  });
});

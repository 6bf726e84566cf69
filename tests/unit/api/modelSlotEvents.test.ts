import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../src/main/api/createApi';
import { createServices, type Services } from '../../../src/main/services/createServices';
import type { ApiEvents, ApiMethod, ApiRequest, ApiResponse } from '../../../src/shared/api';
import type { ModelState } from '../../../src/shared/modelState';
import { FakeModels, pieces } from '../../support/FakeBackend';
import { REPO, STORIES, STORIES_CHATML } from '../../support/paths';

/**
 * The model slot through the API, without inference: FakeModels stands in for llama.cpp (the GGUF files are real,
 * only their headers are read). A local judge test that swaps the model out from under the last run's model is seen
 * as model.state events, because the pool, not the queue, owns the slot.
 */
let dir: string;
let services: Services;
let api: Api;
let states: ModelState[];
const models = new FakeModels({ script: () => ({ tokens: pieces('Once upon a time.') }) });

async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
  const r = await api.handle(method, params);
  if (!r.ok) throw new Error(`${method}: ${r.error.message}`);
  return r.result as ApiResponse<M>;
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'align-slot-'));
  services = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources'), loadModel: models.load, detectOnGenerate: false });
  api = createApi(services, { transport: 'http' });
  states = [];
  api.subscribe((event, payload) => {
    if (event === 'model.state') states.push(payload as ApiEvents['model.state']);
  });
});
afterEach(async () => {
  await services.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('the model slot through the API (fake loading, real store and GGUF headers)', () => {
  it('a local judge test after a run swaps the model, and every step of the swap is a model.state event', async () => {
    const runModel = await call('models.add', { path: STORIES_CHATML, wait: true });
    const judgeModel = await call('models.add', { path: STORIES, wait: true });
    const judge = await call('judges.add', { kind: 'local', model: String(judgeModel.id) });
    await call('datasets.ensureSamples', {});
    const [run] = await call('runs.create', { models: [String(runModel.id)], methods: ['zero-shot'], datasets: ['sample-en'], subset: { limit: 2 }, start: true });
    await new Promise<void>((resolve) => {
      const stop = api.subscribe((event, payload) => {
        if (event === 'runs.changed' && (payload as ApiEvents['runs.changed']).runId === run!.id && (payload as ApiEvents['runs.changed']).status === 'done') {
          stop();
          resolve();
        }
      });
    });
    expect(states.at(-1)).toMatchObject({ path: STORIES_CHATML, status: 'loaded' });
    expect((await call('models.state', {})).path).toBe(STORIES_CHATML);

    const before = states.length;
    await call('judges.test', { judgeId: judge.id });
    const swap = states.slice(before).map((s) => [s.status, s.path]);
    // The run's model leaves the slot before the judge's loads: never two in memory.
    expect(swap[0]).toEqual(['unloaded', null]);
    expect(swap).toContainEqual(['loading', STORIES]);
    expect(swap.at(-1)).toEqual(['loaded', STORIES]);
    expect(models.maxLive).toBe(1);
    expect((await call('models.state', {})).path).toBe(STORIES);
  });
});

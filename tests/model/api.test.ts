import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, RunInfo } from '../../src/shared/api';
import { createApi, type Api } from '../../src/main/api/createApi';
import { createServices, type Services } from '../../src/main/services/createServices';
import { REPO, STORIES, STORIES_CHATML, URIAL_DIR } from '../support/paths';

describe('the API over a real store and model', { timeout: 120_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-api-'));
  let workbench: Services;
  let api: Api;
  const events: { event: ApiEvent; payload: ApiEvents[ApiEvent] }[] = [];

  async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
    const r = await api.handle(method, params);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result as ApiResponse<M>;
  }
  function until(predicate: () => boolean, ms = 60_000): Promise<void> {
    return new Promise((resolve, reject) => {
      const started = Date.now();
      const tick = () => (predicate() ? resolve() : Date.now() - started > ms ? reject(new Error('timed out')) : setTimeout(tick, 20));
      tick();
    });
  }
  const statusOf = (runId: number) =>
    events.filter((e) => e.event === 'runs.changed' && (e.payload as ApiEvents['runs.changed']).runId === runId).map((e) => (e.payload as ApiEvents['runs.changed']).status);

  beforeAll(() => {
    workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources'), urialOfficialDir: URIAL_DIR });
    api = createApi(workbench, { transport: 'http' });
    api.subscribe((event, payload) => events.push({ event, payload }));
  });
  afterAll(async () => {
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers malformed and unknown calls with typed errors', async () => {
    expect(await api.handle('no.such', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
    const bad = await api.handle('runs.get', { runId: 'x' });
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(!bad.ok && bad.error.issues?.[0]?.path).toBe('runId');
    expect(await api.handle('runs.get', { runId: 99 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
    expect(await api.handle('models.add', { path: join(REPO, 'package.json') })).toMatchObject({ ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/not a GGUF/) } });
  });

  it('plans, creates and runs a batch, pushing progress and status events', async () => {
    const model = await call('models.add', { path: STORIES });
    const en = await call('datasets.import', { path: join(REPO, 'resources/datasets/sample.en.jsonl'), lang: 'en', name: 'en' });
    const fr = await call('datasets.import', { path: join(REPO, 'resources/datasets/sample.fr.jsonl'), lang: 'fr', name: 'fr', parallelWith: 'en' });
    expect(fr.parallelGroup).not.toBeNull();
    expect(en.categories).toEqual(['regular', 'safety']);
    const request = {
      models: [String(model.id)],
      methods: ['zero-shot' as const, 'urial' as const],
      datasets: ['en', 'fr'],
      subset: { limit: 3 },
      sampler: { maxTokens: 8 },
      backend: { threads: 1 },
    };
    const plan = await call('runs.plan', request);
    expect(plan.runs.map((r) => [r.method, r.dataset, r.promptLang, r.items])).toEqual([
      ['zero-shot', 'en', null, 3],
      ['zero-shot', 'fr', null, 3],
      ['urial', 'en', 'en', 3],
      ['urial', 'fr', 'fr', 3],
    ]);
    expect(plan.totalItems).toBe(12);
    const runs = await call('runs.create', { ...request, start: true });
    expect(runs).toHaveLength(4);
    await until(() => runs.every((r) => statusOf(r.id).includes('done')));
    for (const r of runs) {
      const info: RunInfo = await call('runs.get', { runId: r.id });
      expect([info.status, info.done, info.total]).toEqual(['done', 3, 3]);
      expect(info.provenance.method).toBe(info.method);
    }
    const progress = events.filter((e) => e.event === 'run.progress');
    expect(progress.length).toBeGreaterThanOrEqual(12);
    expect(events.some((e) => e.event === 'model.state' && (e.payload as ApiEvents['model.state']).status === 'loaded')).toBe(true);
    // Estimates use the speed measured by these runs.
    expect((await call('runs.plan', request)).estimatedSeconds).toBeGreaterThan(0);
  });

  it('passes method settings to their method only: custom template, chat system prompt', async () => {
    const chatModel = await call('models.add', { path: STORIES_CHATML });
    const runs = await call('runs.create', {
      models: [String(chatModel.id)],
      methods: ['custom', 'chat'],
      datasets: ['en'],
      template: 'Question: {instruction}\nAnswer:',
      systemPrompt: 'Be brief.',
      subset: { limit: 1 },
      sampler: { maxTokens: 4 },
      backend: { threads: 1 },
      start: true,
    });
    await until(() => runs.every((r) => statusOf(r.id).includes('done')));
    const custom = runs.find((r) => r.method === 'custom')!;
    const chat = runs.find((r) => r.method === 'chat')!;
    expect(custom.config?.method).toEqual({ method: 'custom', template: 'Question: {instruction}\nAnswer:' });
    // The date of date-printing templates is pinned when the run is created (today, UTC).
    expect(chat.config?.method).toEqual({ method: 'chat', systemPrompt: 'Be brief.', chatDate: expect.stringMatching(/^\d{4}-\d{2}-\d{2}$/) });
    const first = (runId: number) => workbench.generations.rows(runId)[0]!;
    expect(first(custom.id).prompt).toBe('Question: What are three common types of renewable energy?\nAnswer:');
    expect(first(chat.id).prompt).toContain('<|im_start|>system\nBe brief.');
  });

  it('pauses a running run and resumes it to completion without duplicates', async () => {
    const [run] = await call('runs.create', {
      models: [STORIES],
      methods: ['zero-shot'],
      datasets: ['en'],
      // The first 12 of the sample's 30 items: long enough to pause mid-run, short enough for the suite.
      subset: { limit: 12 },
      sampler: { maxTokens: 200 },
      backend: { threads: 1 },
      start: true,
    });
    await until(() => events.some((e) => e.event === 'run.progress' && (e.payload as ApiEvents['run.progress']).runId === run!.id));
    await call('runs.pause', { runId: run!.id });
    await until(() => statusOf(run!.id).includes('paused'));
    const paused = await call('runs.get', { runId: run!.id });
    expect(paused.status).toBe('paused');
    expect(paused.done).toBeLessThan(12);
    await call('runs.start', { runId: run!.id });
    await until(() => statusOf(run!.id).includes('done'));
    const done = await call('runs.get', { runId: run!.id });
    expect([done.status, done.done, done.total]).toEqual(['done', 12, 12]);
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../src/main/api/createApi';
import { formatExport } from '../../../src/main/services/generations/formatExport';
import { createServices } from '../../../src/main/services/createServices';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../src/shared/api';
import { cli } from '../../support/cli';
import { REPO } from '../../support/paths';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'generations', 'annotate.jsonl');

describe('annotation API', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-annotate-'));
  const workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
  const api: Api = createApi(workbench, { transport: 'http' });
  let runId = 0;
  let ids: number[] = [];

  async function call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
    const r = await api.handle(method, params);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result as ApiResponse<M>;
  }

  beforeAll(async () => {
    runId = (await workbench.generations.import(FIXTURE, { lang: 'en' })).id;
    ids = workbench.store.generations.forRun(runId).map((g) => g.id);
  });
  afterAll(async () => {
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists and adds labels', async () => {
    const labels = await call('labels.list', {});
    expect(labels.slice(0, 6).map((l) => l.name)).toEqual(['infinite-loop', 'code-leak', 'wrong-language', 'empty', 'truncated', 'other']);
    expect(await call('labels.add', { name: 'off-topic', definition: 'Answers another question.' })).toMatchObject({ name: 'off-topic', builtin: false });
    expect(await api.handle('labels.add', { name: 'off-topic', definition: 'x' })).toMatchObject({ ok: false, error: { code: 'failed', message: expect.stringMatching(/exists/) } });
  });

  it('queues flagged generations first and gives an item with its findings and evidence', async () => {
    const q = await call('annotations.queue', { runIds: [runId], annotator: 'ana', order: 'flagged-first', limit: 100 });
    expect(q.total).toBe(12);
    expect(q.entries.slice(0, 6).every((e) => e.findings > 0)).toBe(true);
    expect(q.entries.slice(6).every((e) => e.findings === 0)).toBe(true);
    const item = await call('annotations.get', { generationId: q.entries[0]!.generationId, annotator: 'ana' });
    expect(item.findings.length).toBeGreaterThan(0);
    const span = item.findings[0]!.evidence.spans[0]!;
    expect(span.end).toBeGreaterThan(span.start);
    expect(span.end).toBeLessThanOrEqual(item.outputRaw.length);
    expect(item.annotation).toBeNull();
    expect(item.instruction).not.toBe('');
    const random = await call('annotations.queue', { annotator: 'ana', order: 'random', seed: 5, limit: 3 });
    expect(random.entries).toHaveLength(3);
    expect(await api.handle('annotations.queue', { annotator: '', order: 'random', limit: 3 })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await api.handle('annotations.get', { generationId: 9999, annotator: 'ana' })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('saves, reads back and undoes', async () => {
    const g = ids[0]!;
    await call('annotations.save', { generationId: g, annotator: 'zed', labels: ['infinite-loop'], decisions: { 'infinite-loop': 'accepted' } });
    await call('annotations.save', { generationId: g, annotator: 'zed', labels: ['infinite-loop', 'truncated'], note: 'stops mid-word' });
    expect((await call('annotations.get', { generationId: g, annotator: 'zed' })).annotation).toMatchObject({ labels: ['infinite-loop', 'truncated'], note: 'stops mid-word' });
    expect(await call('annotations.undo', { annotator: 'zed' })).toMatchObject({ generationId: g, annotation: { labels: ['infinite-loop'], decisions: { 'infinite-loop': 'accepted' } } });
    expect(await call('annotations.undo', { annotator: 'zed' })).toEqual({ generationId: g, annotation: null });
    expect(await call('annotations.undo', { annotator: 'zed' })).toBeNull();
    expect(await api.handle('annotations.save', { generationId: g, annotator: 'zed', labels: ['bogus'] })).toMatchObject({ ok: false, error: { code: 'failed' } });
    expect(await api.handle('annotations.save', { generationId: g, annotator: 'zed', labels: [], decisions: { x: 'maybe' } })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('assigns with overlap', async () => {
    const r = await call('annotations.assign', { runIds: [runId], annotators: ['p', 'q'], overlap: 0.25, seed: 1 });
    expect(r).toEqual({ generations: 12, overlapItems: 3, perAnnotator: { p: 8, q: 7 } });
    expect((await call('annotations.queue', { annotator: 'p', order: 'flagged-first', limit: 100 })).total).toBe(8);
    expect(await api.handle('annotations.assign', { runIds: [999], annotators: ['p'], overlap: 0, seed: 1 })).toMatchObject({ ok: false, error: { code: 'not_found' } });
  });

  it('reports kappa between two annotators and detector precision/recall, and exports current annotations', async () => {
    // ana and ben on the first 10 generations; on infinite-loop they agree on 8 (2 yes, 6 no) and disagree on 2.
    const ana = ['infinite-loop', 'infinite-loop', 'infinite-loop', '', '', '', '', '', '', ''];
    const ben = ['infinite-loop', 'infinite-loop', '', 'infinite-loop', '', '', '', '', '', ''];
    for (let i = 0; i < 10; i++) {
      await call('annotations.save', { generationId: ids[i]!, annotator: 'ana', labels: ana[i] ? [ana[i]!] : [] });
      await call('annotations.save', { generationId: ids[i]!, annotator: 'ben', labels: ben[i] ? [ben[i]!] : [] });
    }
    // A third annotator on a single item does not shrink the comparison when only ana and ben are asked for.
    const report = await call('annotations.agreement', { runIds: [runId], annotators: ['ana', 'ben'] });
    expect(report.annotators).toEqual(['ana', 'ben']);
    expect(report.items).toBe(10);
    // p_o = 0.8; ana yes 0.3, ben yes 0.3 → p_e = 0.09 + 0.49 = 0.58; κ = 0.22 / 0.42.
    const loop = report.labels.find((l) => l.label === 'infinite-loop')!;
    expect(loop.statistic).toBe('cohen');
    expect(loop.kappa).toBeCloseTo(0.22 / 0.42, 10);
    expect(report.labels.find((l) => l.label === 'code-leak')!.kappa).toBeNull();
    const det = report.detector.find((d) => d.label === 'infinite-loop' && d.lang === 'all')!;
    // 10 generations × 2 annotators, less item 5: the detector suggests infinite-loop there and neither decided it (pending).
    expect(det.n).toBe(18);
    expect(det.precision).not.toBeNull();

    const rows = workbench.generations.rows(runId);
    expect(rows[0]!.annotations).toEqual([
      { annotator: 'ana', labels: ['infinite-loop'], note: null, decisions: {}, created_at: expect.any(String) },
      { annotator: 'ben', labels: ['infinite-loop'], note: null, decisions: {}, created_at: expect.any(String) },
    ]);
    const exported = workbench.annotation.rows(runId);
    expect(exported.filter((r) => r.annotator === 'ana')).toHaveLength(10);
    expect(Object.keys(exported[0]!).slice(0, 8)).toEqual(['run_id', 'item_id', 'generation_id', 'lang', 'annotator', 'labels', 'note', 'created_at']);
    expect(formatExport(exported, 'csv').split('\n')[0]).toBe('"run_id","item_id","generation_id","lang","annotator","labels","note","created_at","decisions"');
  });

  it('exports annotations from the CLI', () => {
    const r = cli(['--data-dir', dir, 'annotations', 'export', '--run', String(runId), '--format', 'jsonl']);
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { annotator: string; labels: string[] });
    expect(lines.filter((l) => l.annotator === 'ben')).toHaveLength(10);
    expect(cli(['--data-dir', dir, 'annotations', 'export', '--run', '999']).code).not.toBe(0);
  }, 60_000);
});

describe('annotations.rates', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-rates-'));
  const workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
  const api: Api = createApi(workbench, { transport: 'http' });
  afterAll(async () => {
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('counts detector and human labels per model × method × language, with the majority of annotators', async () => {
    const run = await workbench.generations.import(FIXTURE, { lang: 'en' });
    const ids = workbench.store.generations.forRun(run.id).map((g) => g.id);
    const rates = async (params: ApiRequest<'annotations.rates'>) => {
      const r = await api.handle('annotations.rates', params);
      if (!r.ok) throw new Error(r.error.message);
      return r.result as ApiResponse<'annotations.rates'>;
    };
    const detected = await rates({ source: 'detector', runIds: [run.id] });
    const loops = detected.find((r) => r.label === 'infinite-loop')!;
    const expectedLoops = ids.filter((id) =>
      workbench.store.detections.forGeneration(id).some((d) => d.findings.some((f) => f.label === 'infinite-loop')),
    ).length;
    expect([loops.n, loops.count]).toEqual([ids.length, expectedLoops]);
    expect(loops.rate).toBeCloseTo(expectedLoops / ids.length);
    expect(loops.low).toBeLessThanOrEqual(loops.rate);
    expect(loops.high).toBeGreaterThanOrEqual(loops.rate);

    // Two of three annotators call the first generation a loop: the majority label counts; one of three does not.
    workbench.store.annotations.save(ids[0]!, 'ana', { labels: ['infinite-loop'] });
    workbench.store.annotations.save(ids[0]!, 'ben', { labels: ['infinite-loop'] });
    workbench.store.annotations.save(ids[0]!, 'cat', { labels: [] });
    workbench.store.annotations.save(ids[1]!, 'ana', { labels: ['code-leak'] });
    workbench.store.annotations.save(ids[1]!, 'ben', { labels: [] });
    workbench.store.annotations.save(ids[1]!, 'cat', { labels: [] });
    const human = await rates({ source: 'human', runIds: [run.id] });
    const cell = (label: string) => human.find((r) => r.label === label)!;
    expect([cell('infinite-loop').n, cell('infinite-loop').count]).toEqual([2, 1]);
    expect([cell('code-leak').n, cell('code-leak').count]).toEqual([2, 0]);
    const ana = await rates({ source: 'human', runIds: [run.id], annotator: 'ana' });
    expect(ana.find((r) => r.label === 'code-leak')!.count).toBe(1);
    expect((await api.handle('annotations.rates', { source: 'judge' })).ok).toBe(false);
  });
});

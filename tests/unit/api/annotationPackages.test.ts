import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi, type Api } from '../../../src/main/api/createApi';
import { createServices } from '../../../src/main/services/createServices';
import type { ApiMethod, ApiRequest, ApiResponse } from '../../../src/shared/api';
import { REPO } from '../../support/paths';

const FIXTURE = join(REPO, 'tests', 'fixtures', 'generations', 'annotate.jsonl');

/** The contract entries over two data folders (owner, annotator): the handlers reach the service. */
describe('annotationPackages API', () => {
  const root = mkdtempSync(join(tmpdir(), 'align-packages-api-'));
  const open = (name: string) => {
    const workbench = createServices({ dataDir: join(root, name), resourcesDir: join(REPO, 'resources') });
    return { workbench, api: createApi(workbench, { transport: 'http' }) };
  };
  const owner = open('owner');
  const annotator = open('annotator');
  const call = async <M extends ApiMethod>(api: Api, method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> => {
    const r = await api.handle(method, params);
    if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
    return r.result as ApiResponse<M>;
  };
  afterAll(async () => {
    for (const side of [owner, annotator]) {
      await side.api.shutdown();
      await side.workbench.close();
    }
    rmSync(root, { recursive: true, force: true });
  });

  it('packages, opens, annotates, exports, merges and reports', async () => {
    const run = await owner.workbench.generations.import(FIXTURE, { lang: 'en' });
    const made = await call(owner.api, 'annotationPackages.create', { studyName: 'api', selection: { runIds: [run.id] }, annotators: ['ana'], overlapPercent: 0, seed: 2, outDir: join(root, 'out') });
    expect(made.files).toHaveLength(1);
    const pkg = await call(annotator.api, 'annotationPackages.open', { path: made.files[0]!.path });
    expect(await call(annotator.api, 'annotationPackages.list', {})).toEqual([pkg]);
    const queue = await call(annotator.api, 'annotations.queue', { runIds: pkg.runIds, annotator: pkg.annotator, order: 'flagged-first', limit: 100 });
    expect(queue.total).toBe(12);
    const item = await call(annotator.api, 'annotations.get', { generationId: queue.entries[0]!.generationId, annotator: 'ana' });
    expect(item.findings.length).toBeGreaterThan(0);
    await call(annotator.api, 'annotations.save', { generationId: item.generationId, annotator: 'ana', labels: ['infinite-loop'] });
    expect((await call(annotator.api, 'annotationPackages.list', {}))[0]!.progress).toEqual({ done: 1, total: 12 });
    const out = join(root, 'api-ana.alignann');
    expect(await call(annotator.api, 'annotationPackages.export', { packageId: pkg.packageId, out })).toMatchObject({ annotations: 1, items: 12 });
    expect(await call(owner.api, 'annotationPackages.merge', { files: [out] })).toMatchObject({ files: [{ annotator: 'ana', written: 1 }] });
    const [study] = await call(owner.api, 'annotationPackages.studies', {});
    expect(await call(owner.api, 'annotationPackages.report', { studyId: study!.id })).toMatchObject({ annotators: [{ name: 'ana', assigned: 12, annotated: 1 }] });
    expect(await call(owner.api, 'annotationPackages.resolveQueue', { studyId: study!.id })).toEqual([]);
    expect(await owner.api.handle('annotationPackages.report', { studyId: 'nope' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await owner.api.handle('annotationPackages.merge', { files: [out] })).toMatchObject({ ok: false, error: { message: expect.stringMatching(/already merged/) } });
  });
});

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../src/main/api/createApi';
import { FILE_FILTERS } from '../../../src/main/fileFilters';
import { createServices } from '../../../src/main/services/createServices';
import { REPO } from '../../support/paths';

describe('app.pickFile', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-pick-'));
  const workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
  afterAll(async () => {
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('uses the shell\'s native dialog when there is one', async () => {
    const asked: string[] = [];
    const api = createApi(workbench, { transport: 'ipc', pickFile: async (kind) => (asked.push(kind), kind === 'model' ? '/m.gguf' : null) });
    expect(await api.handle('app.info', {})).toMatchObject({ ok: true, result: { canPickFiles: true } });
    expect(await api.handle('app.pickFile', { kind: 'model' })).toEqual({ ok: true, result: { path: '/m.gguf' } });
    expect(await api.handle('app.pickFile', { kind: 'dataset' })).toEqual({ ok: true, result: { path: null } });
    // Annotation packages and returned annotations (issue 16) have their own kinds and filters.
    expect(await api.handle('app.pickFile', { kind: 'package' })).toEqual({ ok: true, result: { path: null } });
    expect(await api.handle('app.pickFile', { kind: 'annotations' })).toEqual({ ok: true, result: { path: null } });
    expect(asked).toEqual(['model', 'dataset', 'package', 'annotations']);
    expect([FILE_FILTERS.package.extensions, FILE_FILTERS.annotations.extensions]).toEqual([['alignpkg'], ['alignann']]);
    expect(await api.handle('app.pickFile', { kind: 'image' })).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('says what to do instead in browser mode', async () => {
    const api = createApi(workbench, { transport: 'http' });
    expect(await api.handle('app.info', {})).toMatchObject({ ok: true, result: { canPickFiles: false } });
    expect(await api.handle('app.pickFile', { kind: 'model' })).toMatchObject({
      ok: false,
      error: { code: 'failed', message: expect.stringMatching(/desktop app.*type the path/) },
    });
  });
});

import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createApi } from '../../../src/main/api/createApi';
import { REFERENCE_FILES, referenceFileUrl } from '../../../src/main/core/reference/manifest';
import { createServices } from '../../../src/main/services/createServices';
import { cliAsync } from '../../support/cli';
import { startLoopbackFileServer, type LoopbackFileServer, type Route } from '../../support/loopbackFileServer';
import { REPO, SHARED } from '../../support/paths';

const DATA = join(SHARED, 'data');
const urlPath = (file: (typeof REFERENCE_FILES)[number]) => new URL(referenceFileUrl(file, 'http://x')).pathname;
// No reference folder from the caller's environment may leak into what the tests expect.
const cleanEnv = (dataDir: string, baseUrl: string) => ({ ALIGN_DATA_DIR: dataDir, ALIGN_REFERENCE_BASE_URL: baseUrl, ALIGN_REFERENCE_DIR: '', ALIGN_URIAL_DIR: '' });

describe('reference files through the API and the CLI', () => {
  let server: LoopbackFileServer;

  beforeAll(async () => {
    // raw.githubusercontent.com's layout, served from the ../shared copies; under /broken/ the URIAL licence is a 404.
    const routes: Record<string, Route> = {};
    for (const f of REFERENCE_FILES) {
      const body = readFileSync(join(DATA, f.local));
      routes[urlPath(f)] = { kind: 'file', body };
      routes[`/broken${urlPath(f)}`] = f.local.includes('LICENSE') ? { kind: 'status', status: 404 } : { kind: 'file', body };
    }
    server = await startLoopbackFileServer(routes);
  });
  afterAll(() => server.close());

  it('align reference fetch downloads and verifies every file; status then says verified', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'refcli-'));
    const env = cleanEnv(dataDir, server.url(''));
    const before = await cliAsync(['reference', 'status'], env);
    expect(before.code).toBe(0);
    expect(before.stdout.match(/^missing /gm)).toHaveLength(REFERENCE_FILES.length);
    expect(before.stdout).toContain('English URIAL prompt folder: none verified');

    const fetched = await cliAsync(['reference', 'fetch'], env);
    expect(fetched.code, fetched.stderr).toBe(0);
    expect(fetched.stderr).toContain(`[${REFERENCE_FILES.length}/${REFERENCE_FILES.length}] fetched`);
    expect(fetched.stdout.match(/^verified /gm)).toHaveLength(REFERENCE_FILES.length);
    expect(fetched.stdout).toContain(`English URIAL prompt folder: ${join(dataDir, 'reference', 'urial_prompts')}`);
    for (const f of REFERENCE_FILES) expect(readFileSync(join(dataDir, 'reference', f.local))).toEqual(readFileSync(join(DATA, f.local)));
  }, 60_000);

  it('a 404 fails the command (exit 1) with the URL, and the other files are still fetched', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'refcli-'));
    const r = await cliAsync(['reference', 'fetch'], cleanEnv(dataDir, server.url('/broken')));
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/failed\s+urial_prompts\/LICENSE-URIAL-Apache-2\.0\.txt: .*\/broken\/Re-Align\/URIAL\/.*\/LICENSE answered HTTP 404/);
    expect(r.stderr).toContain('1 file(s) could not be fetched');
    expect(r.stdout.match(/^verified /gm)).toHaveLength(REFERENCE_FILES.length - 1);
    expect(r.stdout).toMatch(/^missing +urial_prompts\/LICENSE-URIAL-Apache-2\.0\.txt/m);
  }, 60_000);

  it('English URIAL comes from the verified reference folder once fetched, and from the reference setting', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'refapi-'));
    const progress: string[] = [];
    const services = createServices({ dataDir, resourcesDir: join(REPO, 'resources'), reference: { baseUrl: server.url('') } });
    const api = createApi(services, { transport: 'cli' });
    const stop = api.subscribe((name, payload) => name === 'reference.progress' && progress.push((payload as { outcome: string }).outcome));
    const call = async (method: Parameters<typeof api.handle>[0], params: unknown) => {
      const r = await api.handle(method, params as never);
      if (!r.ok) throw new Error(r.error.message);
      return r.result as never;
    };
    try {
      // Nothing configured: no English shipped prompt.
      expect((await call('app.info', {}) as { urialPromptLangs: string[] }).urialPromptLangs).not.toContain('en');
      // The setting points at a folder with the ../shared layout: verified there, English available.
      await call('settings.set', { referenceDir: DATA });
      const viaSetting = (await call('reference.status', {})) as { files: { state: string }[]; urialDir: string };
      expect(viaSetting.files.every((f) => f.state === 'verified')).toBe(true);
      expect(viaSetting.urialDir).toBe(join(DATA, 'urial_prompts'));
      expect((await call('app.info', {}) as { urialPromptLangs: string[] }).urialPromptLangs).toContain('en');
      // A relative or missing folder is refused with what to do; null clears the setting.
      await expect(call('settings.set', { referenceDir: 'data' })).rejects.toThrow(/must be an absolute path/);
      await expect(call('settings.set', { referenceDir: join(dataDir, 'nope') })).rejects.toThrow(/does not exist or is not a folder/);
      await call('settings.set', { referenceDir: null });
      expect((await call('app.info', {}) as { urialPromptLangs: string[] }).urialPromptLangs).not.toContain('en');
      // The fetch into the data folder makes it available again, with one progress event per file.
      const fetched = (await call('reference.fetch', {})) as { failed: number; status: { urialDir: string } };
      expect(fetched.failed).toBe(0);
      expect(progress).toEqual(REFERENCE_FILES.map(() => 'fetched'));
      expect(fetched.status.urialDir).toBe(join(dataDir, 'reference', 'urial_prompts'));
      expect((await call('app.info', {}) as { urialPromptLangs: string[] }).urialPromptLangs).toContain('en');
    } finally {
      stop();
      await services.close();
    }
  });
});

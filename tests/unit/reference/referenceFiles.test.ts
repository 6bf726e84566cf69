import { mkdtempSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { REFERENCE_FILES, referenceFileUrl } from '../../../src/main/core/reference/manifest';
import { fetchReferenceFiles, referenceStatus, verifiedUrialDir } from '../../../src/main/core/reference/referenceFiles';
import { startLoopbackFileServer, type LoopbackFileServer, type Route } from '../../support/loopbackFileServer';
import { SHARED } from '../../support/paths';

const DATA = join(SHARED, 'data');
const urlPath = (file: (typeof REFERENCE_FILES)[number]) => new URL(referenceFileUrl(file, 'http://x')).pathname;

describe('official reference files', () => {
  let server: LoopbackFileServer;
  const [multi] = REFERENCE_FILES.filter((f) => f.local.endsWith('_MULTI_SCORE_TEMPLATE.py'));
  const [v4] = REFERENCE_FILES.filter((f) => f.local.endsWith('inst_1k_v4.txt'));

  beforeAll(async () => {
    // Served from the ../shared copies at the pinned GitHub paths, as raw.githubusercontent.com lays them out.
    const routes: Record<string, Route> = Object.fromEntries(
      REFERENCE_FILES.map((f) => [urlPath(f), { kind: 'file', body: readFileSync(join(DATA, f.local)) } as Route]),
    );
    routes[`/wrong${urlPath(multi!)}`] = { kind: 'file', body: Buffer.from('not the template\n') };
    routes[`/html${urlPath(multi!)}`] = { kind: 'html', body: '<!doctype html><title>Sign in</title>' };
    server = await startLoopbackFileServer(routes);
  });
  afterAll(() => server.close());

  it('pins every file the ../shared copies verify against', () => {
    expect(REFERENCE_FILES).toHaveLength(13);
    const status = referenceStatus({ env: DATA, dataDir: mkdtempSync(join(tmpdir(), 'ref-')) }, { verify: true });
    expect(status.filter((s) => s.state !== 'verified')).toEqual([]);
    expect(referenceFileUrl(v4!)).toBe(
      'https://raw.githubusercontent.com/Re-Align/URIAL/127f94ed4a08955a79368355fcd878a2ee8c0e2e/urial_prompts/inst_1k_v4.txt',
    );
  });

  it('fetches all files, verified, into the data folder; a second fetch downloads nothing', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'ref-'));
    const destDir = join(dataDir, 'reference');
    expect(referenceStatus({ dataDir }).every((s) => s.state === 'missing')).toBe(true);
    const results = await fetchReferenceFiles({ destDir, baseUrl: server.url('') });
    expect(results.map((r) => r.outcome)).toEqual(REFERENCE_FILES.map(() => 'fetched'));
    for (const f of REFERENCE_FILES) expect(readFileSync(join(destDir, f.local))).toEqual(readFileSync(join(DATA, f.local)));
    expect(referenceStatus({ dataDir }, { verify: true }).every((s) => s.state === 'verified')).toBe(true);
    expect(verifiedUrialDir({ dataDir })).toBe(join(destDir, 'urial_prompts'));
    // No temporary file left behind.
    expect(readdirSync(join(destDir, 'urial_prompts')).filter((n) => n.endsWith('.part'))).toEqual([]);
    const before = server.requests.length;
    expect((await fetchReferenceFiles({ destDir, baseUrl: server.url('') })).every((r) => r.outcome === 'already-verified')).toBe(true);
    expect(server.requests.length).toBe(before);
  });

  it('refuses a wrong hash or an HTML page and keeps the good copy', async () => {
    const destDir = mkdtempSync(join(tmpdir(), 'ref-'));
    const good = readFileSync(join(DATA, multi!.local));
    mkdirSync(join(destDir, 'just_eval', 'judge_templates'), { recursive: true });
    // A locally edited copy: modified, and not replaced by a wrong download.
    writeFileSync(join(destDir, multi!.local), Buffer.concat([good, Buffer.from('# edited\n')]));
    expect(referenceStatus({ setting: destDir, dataDir: destDir }, { verify: true, files: [multi!] })[0]?.state).toBe('modified');
    const [wrong] = await fetchReferenceFiles({ destDir, baseUrl: server.url('/wrong'), files: [multi!] });
    expect(wrong).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/does not have the pinned content \(sha256 [0-9a-f]{64}, expected 6bdabf59.*Nothing was written/) });
    const [html] = await fetchReferenceFiles({ destDir, baseUrl: server.url('/html'), files: [multi!] });
    expect(html?.error).toMatch(/an HTML page/);
    expect(readFileSync(join(destDir, multi!.local)).toString()).toMatch(/# edited\n$/);
    expect(readdirSync(join(destDir, 'just_eval', 'judge_templates'))).toEqual(['_MULTI_SCORE_TEMPLATE.py']);
  });

  it('reports a 404 with the URL and goes on with the other files', async () => {
    const destDir = mkdtempSync(join(tmpdir(), 'ref-'));
    const gone = { ...v4!, path: 'urial_prompts/no_such_file.txt' };
    const results = await fetchReferenceFiles({ destDir, baseUrl: server.url(''), files: [gone, multi!] });
    expect(results[0]).toMatchObject({ outcome: 'failed', error: expect.stringMatching(/no_such_file\.txt answered HTTP 404 \(not found/) });
    expect(results[1]?.outcome).toBe('fetched');
  });
});

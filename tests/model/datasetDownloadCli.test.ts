// `align datasets download` end to end: the real CLI in its own process, Hugging Face replaced by a loopback
// server through ALIGN_HF_ENDPOINT (these machines have no internet, and tests must not depend on it).
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PAPER_DATASETS } from '../../src/shared/datasets';
import { startLoopbackFileServer, type LoopbackFileServer } from '../support/loopbackFileServer';
import { cliAsync } from '../support/cli';
import { JUST_EVAL_EN } from '../support/paths';

const EN = readFileSync(JUST_EVAL_EN);
const resolvePath = (uri: string) => {
  const [owner, dataset, ...file] = uri.replace(/^hf:/, '').split('/');
  return `/datasets/${owner}/${dataset}/resolve/main/${file.join('/')}`;
};

describe('align datasets download (loopback hub)', () => {
  let server: LoopbackFileServer;
  let dataDir: string;
  const align = (args: string[], env: Record<string, string> = {}) =>
    cliAsync(['--data-dir', dataDir, ...args], { ALIGN_HF_ENDPOINT: server.url(''), HF_TOKEN: '', ...env });

  beforeAll(async () => {
    // The paper's three files; French and Spanish here are the English file under their paths (same ids).
    server = await startLoopbackFileServer({
      ...Object.fromEntries(PAPER_DATASETS.map((d) => [resolvePath(d.uri), { kind: 'file' as const, body: EN }])),
      '/datasets/someone/page/resolve/main/data.csv': { kind: 'html', body: '<!doctype html><p>Dataset card</p>' },
      '/datasets/someone/gated/resolve/main/data.jsonl': { kind: 'status', status: 403 },
    });
    dataDir = mkdtempSync(join(tmpdir(), 'align-dscli-'));
  });
  afterAll(() => server.close());

  it('downloads the paper datasets, links them as parallel items and prints each id last', async () => {
    const [en, fr, es] = PAPER_DATASETS;
    const r1 = await align(['datasets', 'download', en!.uri, '--lang', 'en', '--name', en!.name]);
    expect(r1.stderr).toMatch(/downloading hf:re-align\/just-eval-instruct\/test_all_with_tags\.jsonl · .* of 282 KiB/);
    expect(r1.stdout).toMatch(/imported 1000 items as "just-eval-instruct-en" \(en, jsonl\)/);
    expect(r1).toMatchObject({ code: 0, lastLine: expect.stringMatching(/^\d+$/) });
    const r2 = await align(['datasets', 'download', fr!.uri, '--lang', 'fr', '--parallel-with', en!.name]);
    expect(r2.code).toBe(0);
    expect(r2.stdout).toMatch(/as "just-eval-instruct-fr" \(fr, jsonl\).*parallel group/);
    const r3 = await align(['datasets', 'download', es!.uri, '--lang', 'es', '--parallel-with', 'just-eval-instruct-fr']);
    expect(r3.code).toBe(0);
    const list = (await align(['datasets', 'list'])).stdout.trim().split('\n');
    expect(list).toHaveLength(3);
    const groups = new Set(list.map((l) => l.split('\t')[4]));
    expect(groups.size).toBe(1);
    expect([...groups][0]).toMatch(/^parallel: /);
    expect(list.map((l) => l.split('\t')[0])).toEqual([r1.lastLine, r2.lastLine, r3.lastLine]);
  });

  it('fails with what to do: gated (HF_TOKEN), missing, an HTML page; a bad URI is a usage error', async () => {
    const gated = await align(['datasets', 'download', 'hf:someone/gated/data.jsonl', '--lang', 'en']);
    expect(gated.code).toBe(1);
    expect(gated.stderr).toMatch(/access refused \(HTTP 403\).*set HF_TOKEN/);
    const missing = await align(['datasets', 'download', 'hf:someone/nothing/data.jsonl', '--lang', 'en']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/hf:someone\/nothing\/data\.jsonl: not found \(HTTP 404\)/);
    const page = await align(['datasets', 'download', 'hf:someone/page/data.csv', '--lang', 'en']);
    expect(page.code).toBe(1);
    expect(page.stderr).toMatch(/sent an HTML page, not a data file/);
    const bad = await align(['datasets', 'download', 'just-eval', '--lang', 'en']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/hf:<owner>\/<dataset>\[\/<file>\] or an http\(s\) URL/);
    expect((await align(['datasets', 'list'])).stdout.trim().split('\n')).toHaveLength(3);
  });
});

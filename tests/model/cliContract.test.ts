import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliAsync } from '../support/cli';
import { REPO, STORIES } from '../support/paths';

// The CLI invocations in README "CLI contract" are used by outside scripts: these tests pin them.
describe('CLI contract', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = ['--data-dir', dir];

  it('models add: prints the id last; refuses non-GGUF and truncated files with a non-zero exit', () => {
    const ok = cli([...g, 'models', 'add', STORIES]);
    expect(ok.code).toBe(0);
    expect(ok.lastLine).toBe('1');
    const notGguf = cli([...g, 'models', 'add', join(REPO, 'package.json')]);
    expect(notGguf.code).toBe(1);
    expect(notGguf.stderr).toMatch(/package\.json: not a GGUF file/);
    const truncated = join(dir, 'truncated.gguf');
    writeFileSync(truncated, readFileSync(STORIES).subarray(0, 400_000));
    const cut = cli([...g, 'models', 'add', truncated]);
    expect(cut.code).toBe(1);
    expect(cut.stderr).toMatch(/truncated/);
  });

  it('the id on the last line stays a plain number when the terminal forces colours', async () => {
    // console.log colours numbers under FORCE_COLOR (Playwright and many CI systems set it).
    const again = await cliAsync([...g, 'models', 'add', STORIES], { FORCE_COLOR: '1' });
    expect(again.code).toBe(0);
    expect(again.lastLine).toBe('1');
  });

  it('datasets import: an error names file and line, exits 1, and stores nothing', () => {
    const bad = join(dir, 'bad.jsonl');
    writeFileSync(bad, '{"id": 1, "instruction": "a"}\n{"id": 2, "instruction": "b"}\n{"id": 3, "instruction": \n');
    const r = cli([...g, 'datasets', 'import', bad, '--lang', 'en']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.jsonl:3/);
    expect(cli([...g, 'datasets', 'list']).stdout.trim()).toBe('');
    const good = join(dir, 'good.jsonl');
    copyFileSync(join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), good);
    const ok = cli([...g, 'datasets', 'import', good, '--lang', 'en', '--name', 'sample']);
    expect(ok.code).toBe(0);
    expect(ok.lastLine).toMatch(/^\d+$/);
  });

  it('runs create: usage errors exit 2; a valid run prints its id and runs to done', () => {
    expect(cli([...g, 'runs', 'create', '--model', '1', '--method', 'nope', '--dataset', 'sample']).code).toBe(2);
    expect(cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'sample', '--limit', 'x']).code).toBe(2);
    const missing = cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'no-such']);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/No dataset "no-such"/);
    const created = cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'sample', '--limit', '3', '--max-tokens', '8', '--seed', '9', '--temperature', '0.5', '--threads', '1']);
    expect(created.code).toBe(0);
    const started = cli([...g, 'runs', 'start', created.lastLine]);
    expect(started.code).toBe(0);
    expect(cli([...g, 'runs', 'status', created.lastLine]).lastLine).toBe('done');

    const rows = cli([...g, 'generations', 'export', '--run', created.lastLine, '--format', 'jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(3);
    for (const row of rows) {
      for (const field of ['item_id', 'instruction', 'output_raw', 'output', 'finish_reason', 'prompt', 'method', 'model_sha256', 'seed'])
        expect(row, field).toHaveProperty(field);
      expect(row.method).toBe('zero-shot');
      expect(row.finish_reason).toBe('max-tokens');
      expect(row.model_sha256).toBe('270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d');
      expect(row.sampler).toMatchObject({ temperature: 0.5, maxTokens: 8 });
    }
  });

  it('generations import/export: outside outputs become a run; CSV round-trips', () => {
    const imported = cli([...g, 'generations', 'import', join(REPO, 'tests', 'fixtures', 'generations', 'outputs.jsonl'), '--lang', 'en', '--name', 'ext']);
    expect(imported.code).toBe(0);
    const out = join(dir, 'ext.csv');
    expect(cli([...g, 'generations', 'export', '--run', imported.lastLine, '--format', 'csv', '--out', out]).code).toBe(0);
    const rows = parse(readFileSync(out), { columns: true }) as Record<string, string>[];
    expect(rows.map((r) => [r.item_id, r.generator, r.output_raw])).toEqual([
      ['0', 'my-model-urial', 'Red is a primary colour.'],
      ['1', 'my-model-urial', '```\nBonjour !\n```'],
    ]);
    expect(JSON.parse(rows[1]!.task_types!)).toEqual(['writing']);
  });
});

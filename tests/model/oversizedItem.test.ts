import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli } from '../support/cli';
import { STORIES } from '../support/paths';

describe('one item longer than the model can take, with the automatic context size', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-oversized-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('fails only that item, with its reason stored; the other items are generated and the run is done', () => {
    const g = ['--data-dir', dir];
    const dataset = join(dir, 'two.jsonl');
    const huge = 'Tell me a story about a cat. '.repeat(36_000); // ≈1 MB
    writeFileSync(dataset, [{ id: 'huge', instruction: huge }, { id: 'short', instruction: 'Tell me a story.' }].map((r) => JSON.stringify(r)).join('\n') + '\n');
    expect(cli([...g, 'models', 'add', STORIES]).code).toBe(0);
    expect(cli([...g, 'datasets', 'import', dataset, '--lang', 'en', '--name', 'two']).code).toBe(0);
    const created = cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'two', '--max-tokens', '16', '--threads', '1', '--seed', '1']);
    expect(created.code, created.stderr).toBe(0);
    const started = cli([...g, 'runs', 'start', created.lastLine]);

    const db = new Database(join(dir, 'workbench.sqlite'), { readonly: true });
    try {
      const run = db.prepare('SELECT status, error FROM runs WHERE id = ?').get(Number(created.lastLine)) as { status: string; error: string | null };
      expect(run, started.stderr).toMatchObject({ status: 'done' });
      const gens = db.prepare('SELECT item_id, finish_reason, error, output_tokens FROM generations ORDER BY item_id').all() as {
        item_id: string; finish_reason: string; error: string | null; output_tokens: number;
      }[];
      expect(gens.map((r) => [r.item_id, r.finish_reason])).toEqual([
        ['huge', 'error'],
        ['short', expect.not.stringMatching(/^error$/)],
      ]);
      expect(gens[0]!.error).toMatch(/The prompt has [\d,]+ tokens .*context/);
      expect(gens[1]!.output_tokens).toBeGreaterThan(0);
    } finally {
      db.close();
    }
  });
});

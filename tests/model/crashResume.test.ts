import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { cli, cliBackground } from '../support/cli';
import { JUST_EVAL_EN, STORIES } from '../support/paths';

const ITEMS = 60;

describe('a CLI run killed with SIGKILL mid-run', { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-crash-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const dbPath = join(dir, 'workbench.sqlite');
  const rows = () => {
    const db = new Database(dbPath, { readonly: true });
    try {
      return db
        .prepare('SELECT id, item_id, prompt, output_raw, output, finish_reason, output_tokens, seed FROM generations ORDER BY id')
        .all() as { id: number; item_id: string }[];
    } finally {
      db.close();
    }
  };

  it('resumes exactly the missing items: no duplicates, no losses, finished rows untouched', async () => {
    const g = ['--data-dir', dir];
    expect(cli([...g, 'models', 'add', STORIES]).code).toBe(0);
    expect(cli([...g, 'datasets', 'import', JUST_EVAL_EN, '--lang', 'en', '--name', 'je']).code).toBe(0);
    const created = cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'je', '--limit', String(ITEMS), '--max-tokens', '64', '--threads', '1', '--temperature', '0.7', '--seed', '5']);
    expect(created.code).toBe(0);
    const runId = created.lastLine;
    expect(runId).toMatch(/^\d+$/);

    const child = cliBackground([...g, 'runs', 'start', runId]);
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on('exit', (_code, signal) => resolve(signal)));
    let before: ReturnType<typeof rows> = [];
    for (let i = 0; i < 600; i++) {
      await new Promise((r) => setTimeout(r, 25));
      before = rows();
      if (before.length >= 10) break;
    }
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    before = rows();
    expect(before.length).toBeGreaterThanOrEqual(10);
    expect(before.length).toBeLessThan(ITEMS);

    // The next process finds the owner gone: the run says so (not `running` forever) and can be resumed.
    expect(cli([...g, 'runs', 'list']).stdout).toMatch(new RegExp(`^${runId}\tinterrupted\t${before.length}/${ITEMS}\t`, 'm'));
    expect(cli([...g, 'runs', 'status', runId]).lastLine).toBe('interrupted');

    const resumed = cli([...g, 'runs', 'resume', runId]);
    expect(resumed.code, resumed.stderr).toBe(0);

    const after = rows();
    expect(after).toHaveLength(ITEMS);
    expect(new Set(after.map((r) => r.item_id)).size).toBe(ITEMS);
    // What was committed before the kill is byte-identical afterwards.
    expect(after.slice(0, before.length)).toEqual(before);

    const db = new Database(dbPath, { readonly: true });
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      const planned = db.prepare('SELECT count(*) AS n FROM run_items WHERE run_id = ?').get(Number(runId)) as { n: number };
      expect(planned.n).toBe(ITEMS);
      // Every generation has its detector results, including those stored just before the kill.
      const detected = db.prepare('SELECT count(DISTINCT generation_id) AS n FROM detections').get() as { n: number };
      expect(detected.n).toBe(ITEMS);
    } finally {
      db.close();
    }
    expect(cli([...g, 'runs', 'status', runId]).lastLine).toBe('done');

    // The same settings in a fresh, uninterrupted run give byte-identical outputs: per-item seeds do not
    // depend on order, so a crash and resume changes nothing.
    const again = cli([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'je', '--limit', String(ITEMS), '--max-tokens', '64', '--threads', '1', '--temperature', '0.7', '--seed', '5']);
    expect(cli([...g, 'runs', 'start', again.lastLine]).code).toBe(0);
    const outputs = (run: string) =>
      Object.fromEntries(
        (JSON.parse(`[${cli([...g, 'generations', 'export', '--run', run]).stdout.trim().split('\n').join(',')}]`) as { item_id: string; output_raw: string }[]).map(
          (r) => [r.item_id, r.output_raw],
        ),
      );
    expect(outputs(again.lastLine)).toEqual(outputs(runId));
  });
});

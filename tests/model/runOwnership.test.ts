import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliAsync, cliBackground } from '../support/cli';
import { chatReply, startOpenAiLoopbackServer, type OpenAiLoopbackServer } from '../support/openaiLoopbackServer';
import { JUST_EVAL_EN, STORIES } from '../support/paths';

// Issue 15: one process at a time works on a run or a judge run. Every process here is a real CLI process on
// one store file; the "other window" is another process, not a second object in this one.
const CHAT = '/v1/chat/completions';
const REFUSED = (what: string) => new RegExp(`error: ${what} is running in another window or process \\(pid \\d+ on this machine\\)\\.`);

describe('run ownership across processes', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-owner-'));
  const g = ['--data-dir', dir];
  let server: OpenAiLoopbackServer;
  beforeAll(async () => {
    server = await startOpenAiLoopbackServer();
    expect((await cliAsync([...g, 'models', 'add', STORIES])).code).toBe(0);
    expect((await cliAsync([...g, 'datasets', 'import', JUST_EVAL_EN, '--lang', 'en', '--name', 'je'])).code).toBe(0);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });
  const query = <T>(sql: string, ...params: unknown[]): T[] => {
    const db = new Database(join(dir, 'workbench.sqlite'), { readonly: true });
    try {
      return db.prepare(sql).all(...params) as T[];
    } finally {
      db.close();
    }
  };
  const until = async (what: () => boolean, label: string) => {
    for (let i = 0; i < 2400 && !what(); i++) await new Promise((r) => setTimeout(r, 25));
    if (!what()) throw new Error(`timed out waiting for ${label}`);
  };

  it('two `runs start N` at once: one runs, the other is refused at once in plain words (exit 1), every item generated once', async () => {
    const created = await cliAsync([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'je', '--limit', '120', '--max-tokens', '64', '--threads', '1']);
    const runId = created.lastLine;
    expect(runId).toMatch(/^\d+$/);

    const started = Date.now();
    const timed = (p: ReturnType<typeof cliAsync>) => p.then((r) => ({ ...r, ms: Date.now() - started }));
    const [a, b] = await Promise.all([timed(cliAsync([...g, 'runs', 'start', runId])), timed(cliAsync([...g, 'runs', 'start', runId]))]);
    const [winner, loser] = a.code === 0 ? [a, b] : [b, a];
    expect([a.code, b.code].sort(), `${a.stderr}\n${b.stderr}`).toEqual([0, 1]);
    expect(loser.stderr).toMatch(REFUSED(`run ${runId}`));
    expect(loser.stderr).not.toMatch(/UNIQUE|constraint/i);
    // Refused before any model work: it ends while the winner still generates.
    expect(loser.ms).toBeLessThan(winner.ms);
    expect(winner.stdout).toMatch(new RegExp(`run ${runId} done: 120/120`));

    const rows = query<{ item_id: string }>('SELECT item_id FROM generations WHERE run_id = ?', Number(runId));
    expect(rows).toHaveLength(120);
    expect(new Set(rows.map((r) => r.item_id)).size).toBe(120);
    expect(query('SELECT * FROM leases')).toEqual([]);
  });

  describe('judge runs with a remote judge that counts its calls', () => {
    let runId: string;
    let judgeId: string;
    const judgeRuns = () => query<{ id: number; status: string }>('SELECT id, status FROM judge_runs ORDER BY id');
    /** Every call answered slowly, so the first process is still judging when the second arrives. */
    const slow = (n: number) => server.script(CHAT, ...Array.from({ length: n }, () => ({ delayMs: 1500, json: chatReply('not a verdict') })));
    const userPrompts = () => server.requestsTo(CHAT).map((r) => JSON.stringify(r.body.messages));

    beforeAll(async () => {
      const created = await cliAsync([...g, 'runs', 'create', '--model', '1', '--method', 'zero-shot', '--dataset', 'je', '--limit', '8', '--max-tokens', '8', '--threads', '1']);
      runId = created.lastLine;
      expect((await cliAsync([...g, 'runs', 'start', runId])).code).toBe(0);
      const judge = await cliAsync([...g, 'judges', 'add', '--openai', server.baseUrl, '--model', server.model, '--concurrency', '1', '--max-retries', '0']);
      expect(judge.code, judge.stderr).toBe(0);
      judgeId = judge.lastLine;
    });

    it('two `judge` commands at once: the second is refused, no call is made twice', async () => {
      server.reset();
      slow(8);
      const first = cliAsync([...g, 'judge', '--run', runId, '--judge', judgeId]);
      await until(() => server.requestsTo(CHAT).length >= 1, 'the first judge call');
      const second = await cliAsync([...g, 'judge', '--run', runId, '--judge', judgeId]);
      expect(second.code, second.stderr).toBe(1);
      expect(second.stderr).toMatch(REFUSED('judge run 1'));
      const done = await first;
      expect(done.code, done.stderr).toBe(0);
      expect(done.lastLine).toBe('1');

      // 8 generations × 1 repeat: 8 calls, each once; one judge run, not a second one claiming the same calls.
      expect(server.requestsTo(CHAT)).toHaveLength(8);
      expect(new Set(userPrompts()).size).toBe(8);
      expect(judgeRuns()).toEqual([{ id: 1, status: 'done' }]);
    });

    it('the same `judge` command after the owner is killed resumes its interrupted judge run instead of creating another', async () => {
      server.reset();
      slow(8);
      // A second repeat: 8 new calls (repeat 0 is cached from the test above).
      const args = [...g, 'judge', '--run', runId, '--judge', judgeId, '--repeats', '2'];
      const owner = cliBackground(args);
      const exited = new Promise<NodeJS.Signals | null>((resolve) => owner.on('exit', (_code, signal) => resolve(signal)));
      await until(() => server.requestsTo(CHAT).length >= 3, 'three judge calls');
      owner.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const before = server.requestsTo(CHAT).length;
      expect(before).toBeLessThan(8);

      const again = await cliAsync(args);
      expect(again.code, again.stderr).toBe(0);
      expect(again.stderr).toMatch(/judge run 2 was interrupted \(its process stopped\): resuming it/);
      expect(again.lastLine).toBe('2');
      expect(judgeRuns()).toEqual([
        { id: 1, status: 'done' },
        { id: 2, status: 'done' },
      ]);
      // Every call answered before the kill is stored and not made again; only the one in flight at the kill
      // (sent, its answer never stored) may be repeated.
      const prompts = userPrompts();
      expect(new Set(prompts).size).toBe(8);
      expect(prompts.length).toBeLessThanOrEqual(9);
      expect(query('SELECT repeat, count(*) AS n FROM judge_calls GROUP BY repeat')).toEqual([
        { repeat: 0, n: 8 },
        { repeat: 1, n: 8 },
      ]);
    });
  });
});

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ALL_ASPECTS } from '../../src/shared/judging';
import { cli, cliBackground } from '../support/cli';
import { chatReply, startOpenAiLoopbackServer } from '../support/openaiLoopbackServer';
import { REPO, STORIES, STORIES_CHATML } from '../support/paths';

// README "CLI contract": `judges add` and `judge` are used by outside scripts, and so are the judgement fields
// of `generations export`. A local judge (the tiny ChatML model, grammar-constrained JSON) judges a small run.
const CHAT = '/v1/chat/completions';

describe('CLI contract: judging', { timeout: 300_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-cli-judge-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const g = ['--data-dir', dir];

  it('judges add prints the judge id last; bad combinations are usage errors', () => {
    const local = cli([...g, 'judges', 'add', '--gguf', STORIES_CHATML]);
    expect(local.code).toBe(0);
    expect(local.lastLine).toBe('1');
    expect(cli([...g, 'judges', 'add', '--gguf', STORIES_CHATML]).lastLine).toBe('1');
    const remote = cli([...g, 'judges', 'add', '--openai', 'http://127.0.0.1:9/v1/', '--model', 'some-model', '--api-key-env', 'SOME_KEY']);
    expect(remote.code).toBe(0);
    expect(remote.lastLine).toBe('2');
    expect(cli([...g, 'judges', 'list']).stdout).toMatch(/openai:http:\/\/127\.0\.0\.1:9\/v1#some-model\tkey: \$SOME_KEY/);
    const noModel = cli([...g, 'judges', 'add', '--openai', 'http://127.0.0.1:9']);
    expect(noModel.code, noModel.stderr).toBe(2);
    expect(noModel.stderr).toMatch(/--openai needs --model/);
    const keyNotName = cli([...g, 'judges', 'add', '--openai', 'http://127.0.0.1:9', '--model', 'm', '--api-key-env', 'sk-123 456']);
    expect(keyNotName.code, keyNotName.stderr).toBe(2);
  });

  it('judge --run … --judge … judges a run to the end, prints the judge run id last; generations export carries the judgements', () => {
    expect(cli([...g, 'datasets', 'import', join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), '--lang', 'en', '--name', 'sample']).code).toBe(0);
    const run = cli([...g, 'runs', 'create', '--model', STORIES, '--method', 'zero-shot', '--dataset', 'sample', '--limit', '2', '--max-tokens', '8']).lastLine;
    expect(cli([...g, 'runs', 'start', run]).code).toBe(0);

    expect(cli([...g, 'judge', '--run', run, '--judge', '1', '--judge-lang', 'xx']).code).toBe(2);
    const judged = cli([...g, 'judge', '--run', run, '--judge', '1']);
    expect(judged.code, judged.stderr).toBe(0);
    expect(judged.lastLine).toBe('1');
    expect(judged.stderr).toMatch(/judged 2\/2 · N\/A \d+ · cached 0/);

    const rows = cli([...g, 'generations', 'export', '--run', run, '--format', 'jsonl']).stdout.trim().split('\n').map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(rows).toHaveLength(2);
    for (const row of rows) {
      for (const field of ['item_id', 'output_raw', 'output', 'finish_reason', 'prompt', 'method', 'model_sha256', 'seed', 'findings', 'annotations']) expect(row).toHaveProperty(field);
      const judgements = row.judgements as Record<string, unknown>[];
      expect(judgements.map((j) => j.aspect)).toEqual(ALL_ASPECTS.slice(0, 5));
      for (const j of judgements) {
        // The contract's names, plus judge_lang (additive: EN-judged and target-judged scores stay apart).
        expect(Object.keys(j).sort()).toEqual(['aspect', 'judge', 'judge_lang', 'rationale', 'repeat', 'rubric_version', 'score']);
        expect(j).toMatchObject({ judge: expect.stringMatching(/^gguf:[0-9a-f]{64}$/), rubric_version: 'just-eval-aspects@1', repeat: 0, judge_lang: 'en' });
        // Grammar-constrained: every reply parses, so every aspect has a 1–5 score and a rationale string.
        expect([1, 2, 3, 4, 5]).toContain(j.score);
        expect(typeof j.rationale).toBe('string');
      }
    }

    // Same settings again: everything comes from the cache, and a new judge run id is printed.
    const again = cli([...g, 'judge', '--run', run, '--judge', '1']);
    expect(again.code).toBe(0);
    expect(again.lastLine).toBe('2');
    expect(again.stdout).toMatch(/judge run 2 done: 2\/2 calls/);
    expect(again.stderr).not.toMatch(/judge model loaded/);
    const after = cli([...g, 'generations', 'export', '--run', run]).stdout.trim().split('\n').map((l) => JSON.parse(l) as { judgements: unknown[] });
    expect(after.map((r) => r.judgements.length)).toEqual([5, 5]);
  });

  it('judge with an OpenAI-compatible judge: Ctrl-C pauses with exit 130 and the id last; the same command finishes from the cache', async () => {
    const server = await startOpenAiLoopbackServer({ defaultText: () => JSON.stringify(Object.fromEntries(ALL_ASPECTS.map((a) => [a, { rationale: 'ok', score: 3 }]))) });
    try {
      const run = cli([...g, 'generations', 'import', join(REPO, 'tests', 'fixtures', 'generations', 'outputs.jsonl'), '--lang', 'en', '--name', 'ext']).lastLine;
      const judge = cli([...g, 'judges', 'add', '--openai', server.baseUrl, '--model', 'loopback-model', '--concurrency', '1']).lastLine;
      server.script(CHAT, { json: chatReply('{"helpfulness": {"rationale": "ok", "score": 2}}') }, { delayMs: 60_000, json: chatReply('never sent') });
      const first = await runToExit(['judge', '--run', run, '--judge', judge], (child, stderr) => {
        if (/judged 1\/2/.test(stderr)) child.kill('SIGINT');
      });
      expect(first.code, first.stderr).toBe(130);
      expect(first.stdout).toMatch(/judge run \d+ paused: 1\/2 calls · N\/A 1/);
      const judgeRunId = first.stdout.trim().split('\n').at(-1)!;
      expect(judgeRunId).toMatch(/^\d+$/);

      const before = server.requestsTo(CHAT).length;
      const second = await runToExit(['judge', '--run', run, '--judge', judge], () => {});
      expect(second.code, second.stderr).toBe(0);
      expect(second.stderr).toMatch(/judged 2\/2 · N\/A 1 · cached 1/);
      expect(server.requestsTo(CHAT).length).toBe(before + 1);
    } finally {
      await server.close();
    }
  });

  /** The CLI in the background (the loopback server must keep answering meanwhile), until it exits. */
  function runToExit(args: string[], onOutput: (child: ChildProcess, stderr: string) => void): Promise<{ code: number | null; stdout: string; stderr: string }> {
    const child = cliBackground([...g, ...args]);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr!.on('data', (d: Buffer) => {
      stderr += d.toString();
      onOutput(child, stderr);
    });
    return new Promise((resolve) => child.on('exit', (code) => resolve({ code, stdout, stderr })));
  }
});

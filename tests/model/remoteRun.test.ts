import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServices } from '../../src/main/services/createServices';
import { itemSeed } from '../../src/main/core/runs/itemSeed';
import { cliAsync } from '../support/cli';
import { modelsReply, startOpenAiLoopbackServer, type OpenAiLoopbackServer } from '../support/openaiLoopbackServer';
import { REPO } from '../support/paths';

const KEY = 'sk-loopback-never-stored';
/** The name the model is requested under, and the fuller name the server reports in its replies (as vLLM/OpenAI do). */
const REQUESTED = 'base-1b';
const REPORTED = 'vllm:/weights/base-1b-2026-11';

// A study on a remote server, through the real CLI: add the model, create a URIAL run, start it, read the store.
describe('a run on an OpenAI-compatible server', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-remote-'));
  const g = ['--data-dir', dir];
  const env = { ALIGN_TEST_KEY: KEY };
  let server: OpenAiLoopbackServer;

  beforeAll(async () => {
    // Each answer ends with the start of a next URIAL turn, which the client must cut in text space.
    server = await startOpenAiLoopbackServer({ model: REPORTED, defaultText: (_r, i) => `Answer number ${i}.\n\`\`\`\n\n# Query: more` });
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('adds the remote model, runs 3 URIAL items on it and stores them with the server-reported model', async () => {
    // The server lists the model under the requested name: once for `models add`, once when the run connects.
    server.script('/v1/models', { json: modelsReply([REQUESTED, 'other-model']) }, { json: modelsReply([REQUESTED, 'other-model']) });
    const added = await cliAsync(
      [...g, 'models', 'add', '--openai', server.baseUrl, '--model', REQUESTED, '--api-key-env', 'ALIGN_TEST_KEY', '--endpoint', 'completions'],
      env,
    );
    expect(added.stderr).toBe('');
    expect(added.code).toBe(0);
    const modelId = added.lastLine;
    expect(modelId).toMatch(/^\d+$/);
    expect(added.stdout).toContain(`openai:${server.baseUrl}/v1#${REQUESTED}`);
    expect(server.requests[0]!.headers.authorization).toBe(`Bearer ${KEY}`);

    // The dataset in process (each CLI start costs seconds on a busy machine); the run itself goes through the CLI.
    const setup = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
    await setup.datasets.import(join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), { lang: 'en', name: 'sample' });
    await setup.close();

    const created = await cliAsync([
      ...g, 'runs', 'create', '--model', modelId, '--method', 'urial', '--dataset', 'sample', '--limit', '3',
      '--max-tokens', '40', '--seed', '5', '--parallel', '2',
    ]);
    expect(created.stderr).toBe('');
    const runId = created.lastLine;
    const started = await cliAsync([...g, 'runs', 'start', runId], env);
    expect(started.code, started.stderr).toBe(0);

    // What the server received: 3 streamed completions with the exact URIAL prompt, the sampler and the key.
    const calls = server.requestsTo('/v1/completions');
    expect(calls).toHaveLength(3);
    expect(server.maxInFlight).toBeLessThanOrEqual(2);
    for (const call of calls) {
      expect(call.headers.authorization).toBe(`Bearer ${KEY}`);
      expect(call.body).toMatchObject({ model: REQUESTED, temperature: 0, top_p: 1, max_tokens: 40, stream: true });
      // Stop strings are cut by the client on the streamed text (exact finish reason), not sent.
      expect(call.body).not.toHaveProperty('stop');
      expect(call.body.prompt).toMatch(/# Query:\n```\n[^]*\n```\n\n# Answer:\n```\n$/);
    }

    const wb = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
    try {
      const run = wb.store.runs.get(Number(runId))!;
      expect(run.status).toBe('done');
      expect(run.environment).toMatchObject({
        backend: 'openai-compatible',
        baseUrl: `${server.baseUrl}/v1`,
        requestedModel: REQUESTED,
        endpoint: '/completions',
        serverModel: REPORTED,
        systemFingerprint: 'fp_loopback',
      });
      const rows = wb.generations.rows(run.id);
      expect(rows).toHaveLength(3);
      const sentPrompts = new Map(calls.map((c) => [c.body.seed as number, c.body.prompt as string]));
      for (const row of rows) {
        const r = row as unknown as Record<string, unknown>;
        expect(r.finish_reason).toBe('stop');
        expect(r.output_raw).toMatch(/^Answer number \d+\.\n```\n\n$/);
        expect(r.output).toMatch(/^Answer number \d+\.$/);
        // Each item went with its own seed, and the stored prompt is exactly the one sent with that seed.
        const seed = itemSeed(5, String(r.item_id));
        expect(r.seed).toBe(seed);
        expect(r.prompt).toBe(sentPrompts.get(seed));
      }
    } finally {
      await wb.close();
    }

    // The key was only ever in the environment: nothing in the store holds it.
    expect(readFileSync(join(dir, 'workbench.sqlite')).includes(KEY)).toBe(false);
  });
});

import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { cli, cliBackground } from '../support/cli';
import { REPO, STORIES } from '../support/paths';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => resolve(port));
    });
  });
}

/** Reads the child's stdout until a whole line matches. */
function lineMatching(child: ChildProcess, pattern: RegExp, ms = 60_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`no line matching ${pattern} in ${ms} ms.\nstdout:\n${out}\nstderr:\n${err}`)), ms);
    child.stderr!.on('data', (d) => (err += String(d)));
    child.stdout!.on('data', (d) => {
      out += String(d);
      const line = out.split('\n').find((l) => pattern.test(l));
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before printing its URL.\nstderr:\n${err}`));
    });
  });
}

// README "CLI contract": `cli --data-dir <dir> serve --port <n>` prints exactly the URL to open on a line of its own.
describe('CLI serve', { timeout: 180_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-serve-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('prints the URL, answers with the token only, pushes run events over the socket, and exits 0 on SIGTERM', async () => {
    const port = await freePort();
    const child = cliBackground(['--data-dir', dir, 'serve', '--port', String(port)]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      const line = await lineMatching(child, new RegExp(`^http://127\\.0\\.0\\.1:${port}/\\?token=[A-Za-z0-9_-]+$`));
      const url = new URL(line);
      const token = url.searchParams.get('token')!;
      expect(token.length).toBeGreaterThanOrEqual(32);
      const base = `http://127.0.0.1:${port}`;
      const post = (method: string, params: unknown, auth = true) =>
        fetch(`${base}/api/${method}`, {
          method: 'POST',
          headers: { 'Content-Type': 'application/json', ...(auth ? { Authorization: `Bearer ${token}` } : {}) },
          body: JSON.stringify(params),
        });

      const anonymous = await post('app.info', {}, false);
      expect(anonymous.status).toBe(401);
      const info = await post('app.info', {});
      expect(info.status).toBe(200);
      expect(await info.json()).toMatchObject({ ok: true, result: { transport: 'http', dataDir: dir } });

      // The whole path a browser takes: events over the socket while it creates a run with a real model.
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${token}`);
      const events: { event: string; payload: { runId?: number; status?: string } }[] = [];
      ws.on('message', (d) => events.push(JSON.parse(String(d))));
      await new Promise((resolve, reject) => {
        ws.once('open', resolve);
        ws.once('error', reject);
      });
      const model = (await (await post('models.add', { path: STORIES })).json()) as { ok: true; result: { id: number } };
      expect(model.ok).toBe(true);
      const dataset = (await (await post('datasets.import', { path: join(REPO, 'resources', 'datasets', 'sample.en.jsonl'), lang: 'en' })).json()) as {
        ok: true;
        result: { id: number };
      };
      expect(dataset.ok).toBe(true);
      const created = await post('runs.create', {
        models: [String(model.result.id)],
        methods: ['zero-shot'],
        datasets: [String(dataset.result.id)],
        subset: { limit: 2 },
        sampler: { maxTokens: 8 },
        start: true,
      });
      expect(created.status).toBe(200);
      const runId = ((await created.json()) as { result: { id: number }[] }).result[0]!.id;
      await expect.poll(() => events.some((e) => e.event === 'runs.changed' && e.payload.runId === runId && e.payload.status === 'done'), { timeout: 60_000 }).toBe(true);
      expect(events.some((e) => e.event === 'run.progress')).toBe(true);
      ws.close();
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
  });

  it('SIGTERM while a run is generating pauses it (resumable) and still exits 0', async () => {
    const port = await freePort();
    const child = cliBackground(['--data-dir', dir, 'serve', '--port', String(port)]);
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    let runId = -1;
    try {
      const token = new URL(await lineMatching(child, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/)).searchParams.get('token')!;
      const post = async (method: string, params: unknown) =>
        (await (await fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${token}` }, body: JSON.stringify(params) })).json()) as {
          ok: boolean;
          result: unknown;
        };
      const ws = new WebSocket(`ws://127.0.0.1:${port}/api/events?token=${token}`);
      let progressed = false;
      ws.on('message', (d) => (progressed ||= JSON.parse(String(d)).event === 'run.progress'));
      // The first test stored the model and the dataset (ids 1) in this data dir.
      const created = await post('runs.create', { models: ['1'], methods: ['zero-shot'], datasets: ['1'], sampler: { maxTokens: 2048 }, start: true });
      expect(created.ok).toBe(true);
      runId = (created.result as { id: number }[])[0]!.id;
      await expect.poll(() => progressed, { timeout: 60_000 }).toBe(true);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    const status = cli(['--data-dir', dir, 'runs', 'status', String(runId)]);
    // 12 items of up to 2048 tokens take far longer than the first progress event: the run is mid-way.
    expect(status.lastLine).toBe('paused');
  });

  it('refuses a port that is taken, with exit 1 and a message', async () => {
    const blocker = createServer();
    const port = await new Promise<number>((resolve) => blocker.listen(0, '127.0.0.1', () => resolve((blocker.address() as { port: number }).port)));
    try {
      const child = cliBackground(['--data-dir', dir, 'serve', '--port', String(port)]);
      let stderr = '';
      child.stderr!.on('data', (d) => (stderr += String(d)));
      const code = await new Promise<number | null>((resolve) => child.once('exit', resolve));
      expect(code).toBe(1);
      expect(stderr).toMatch(/EADDRINUSE/);
    } finally {
      blocker.close();
    }
  });
});

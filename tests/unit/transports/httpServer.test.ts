import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApi, type Api } from '../../../src/main/api/createApi';
import { createServices, type Services } from '../../../src/main/services/createServices';
import { LeaseRepo } from '../../../src/main/store/LeaseRepo';
import { MAX_BODY_BYTES, startHttpServer, type HttpServer } from '../../../src/main/transports/http/startHttpServer';
import { CONTENT_SECURITY_POLICY } from '../../../src/shared/contentSecurityPolicy';
import { REPO } from '../../support/paths';

const TOKEN = 'test-token-0123456789abcdef';

/** A raw request, so tests can send what fetch refuses to (a foreign Host, `..` in the path). */
function raw(port: number, options: { method?: string; path: string; headers?: Record<string, string>; body?: string }) {
  return new Promise<{ status: number; headers: Record<string, string | string[] | undefined>; body: string }>((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, method: options.method ?? 'GET', path: options.path, headers: options.headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** Opens a WebSocket; resolves with it once open, or with the HTTP status of a refused upgrade. */
function openSocket(url: string, headers?: Record<string, string>) {
  return new Promise<{ ws: WebSocket } | { refused: number }>((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws }));
    ws.once('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode ?? 0 });
      ws.terminate();
    });
    ws.once('error', (err) => reject(err));
  });
}

describe('startHttpServer (serve mode transport)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-http-'));
  const staticDir = join(dir, 'renderer');
  let workbench: Services;
  let api: Api;
  let server: HttpServer;
  let base: string;

  const post = (method: string, body: unknown, token: string | null = TOKEN) =>
    fetch(`${base}/api/${method}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...(token ? { Authorization: `Bearer ${token}` } : {}) },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  beforeAll(async () => {
    mkdirSync(join(staticDir, 'assets'), { recursive: true });
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><title>Align Services</title>');
    writeFileSync(join(staticDir, 'assets', 'app.js'), 'console.log(1);');
    workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
    api = createApi(workbench, { transport: 'http' });
    server = await startHttpServer({ api, port: 0, token: TOKEN, staticDir, log: () => {} });
    base = `http://127.0.0.1:${server.port}`;
  });
  afterAll(async () => {
    await server.close();
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints a loopback URL with the chosen port', () => {
    expect(server.port).toBeGreaterThan(0);
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/`);
  });

  it('refuses API calls without the token or with a wrong one: 401 with a typed body', async () => {
    for (const token of [null, 'wrong-token-0123456789abcdef', `${TOKEN}x`]) {
      const res = await post('app.info', {}, token);
      expect(res.status).toBe(401);
      expect(await res.json()).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    const basic = await fetch(`${base}/api/app.info`, { method: 'POST', headers: { Authorization: `Basic ${TOKEN}` }, body: '{}' });
    expect(basic.status).toBe(401);
  });

  it('answers a good call with 200 and the result', async () => {
    const res = await post('app.info', {});
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    const body = (await res.json()) as { ok: true; result: { version: string; transport: string } };
    expect(body.ok).toBe(true);
    expect(body.result.version).toMatch(/^\d+\.\d+\.\d+/);
    expect(body.result.transport).toBe('http');
    // An empty body counts as no params.
    expect((await post('app.info', '')).status).toBe(200);
  });

  it('maps typed errors to HTTP statuses', async () => {
    const malformed = await post('app.info', '{"oops"');
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toMatchObject({ ok: false, error: { code: 'invalid_request', message: expect.stringMatching(/not valid JSON/) } });

    const unknown = await post('no.such', {});
    expect(unknown.status).toBe(400);
    expect(await unknown.json()).toMatchObject({ ok: false, error: { code: 'unknown_method' } });

    const invalid = await post('runs.get', { runId: 'x' });
    expect(invalid.status).toBe(400);
    const invalidBody = (await invalid.json()) as { ok: false; error: { code: string; issues: { path: string }[] } };
    expect(invalidBody.error.code).toBe('invalid_request');
    expect(invalidBody.error.issues[0]?.path).toBe('runId');

    const missing = await post('runs.get', { runId: 424242 });
    expect(missing.status).toBe(404);
    expect(await missing.json()).toMatchObject({ ok: false, error: { code: 'not_found' } });

    // A path that names no file is the caller's to fix: 422, not a server fault.
    const failed = await post('datasets.preview', { path: join(dir, 'no-such-file.jsonl') });
    expect(failed.status).toBe(422);
    expect(await failed.json()).toMatchObject({ ok: false, error: { code: 'invalid_input', message: 'no-such-file.jsonl: cannot read the file (ENOENT). Check the path.' } });
  });

  it('over the real API: expected failures are 4xx with the typed body and are not logged; a real fault is 500 and logged', async () => {
    const logged: string[] = [];
    const logging = await startHttpServer({ api, port: 0, token: TOKEN, log: (m) => logged.push(m) });
    const broken = createServices({ dataDir: join(dir, 'broken'), resourcesDir: join(REPO, 'resources') });
    const brokenServer = await startHttpServer({ api: createApi(broken, { transport: 'http' }), port: 0, token: TOKEN, log: (m) => logged.push(m) });
    const call = async (port: number, method: string, body: unknown) => {
      const r = await fetch(`http://127.0.0.1:${port}/api/${method}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: JSON.stringify(body) });
      return { status: r.status, body: await r.json() };
    };
    try {
      const bad = join(dir, 'bad.jsonl');
      writeFileSync(bad, '{"id": "1", "instruction": "ok"}\n{"id": "2", "instruction": \n');
      expect(await call(logging.port, 'datasets.preview', { path: bad })).toEqual({
        status: 422,
        body: { ok: false, error: { code: 'invalid_input', message: expect.stringMatching(/^bad\.jsonl:2: invalid JSON/) } },
      });
      expect((await call(logging.port, 'runs.get', { runId: 424242 })).status).toBe(404);

      // A judge run another live process owns: 409, in the words the CLI prints.
      workbench.store.db.prepare("INSERT INTO judges (id, name, kind, identity, created_at) VALUES (77, 'j', 'openai', 'openai:x#y', 'now')").run();
      const judgeRun = workbench.store.judgeRuns.insert({ name: 'jr', judgeId: 77, config: {} as never, environment: {}, total: 1 }).id;
      new LeaseRepo(workbench.store.db).acquire('judgeRun', judgeRun);
      expect(await call(logging.port, 'judgeRuns.start', { judgeRunId: judgeRun })).toEqual({
        status: 409,
        body: { ok: false, error: { code: 'conflict', message: `judge run ${judgeRun} is running in another window or process (pid ${process.pid} on this machine).` } },
      });
      expect(logged).toEqual([]);

      // A store that is gone is our fault, not the caller's.
      broken.store.close();
      const fault = await call(brokenServer.port, 'datasets.list', {});
      expect(fault).toMatchObject({ status: 500, body: { ok: false, error: { code: 'failed' } } });
      expect(logged).toEqual([`datasets.list: ${fault.body.error.message}`]);
    } finally {
      await logging.close();
      await brokenServer.close();
    }
  });

  it('answers the typed error kinds with 4xx and logs only real server faults (500)', async () => {
    const logged: string[] = [];
    const kinds = ['invalid_input', 'conflict', 'too_large', 'not_found', 'failed'];
    // The API answers each method name with that error code, as createApi does once it maps core errors.
    const typed: Api = {
      ...api,
      handle: async (method) => ({ ok: false, error: { code: method as never, message: `a ${method} error` } }),
    };
    const server2 = await startHttpServer({ api: typed, port: 0, token: TOKEN, log: (m) => logged.push(m) });
    try {
      const statuses: Record<string, number> = {};
      for (const code of kinds) {
        const r = await fetch(`http://127.0.0.1:${server2.port}/api/${code}`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` } });
        statuses[code] = r.status;
        expect(await r.json()).toEqual({ ok: false, error: { code, message: `a ${code} error` } });
      }
      expect(statuses).toEqual({ invalid_input: 422, conflict: 409, too_large: 413, not_found: 404, failed: 500 });
      expect(logged).toEqual(['failed: a failed error']);
    } finally {
      await server2.close();
    }
  });

  it('takes POST only on /api, and limits the body size', async () => {
    const get = await fetch(`${base}/api/app.info`, { headers: { Authorization: `Bearer ${TOKEN}` } });
    expect(get.status).toBe(405);
    expect(get.headers.get('allow')).toBe('POST');
    expect(await get.json()).toMatchObject({ ok: false, error: { code: 'invalid_request' } });

    const big = await raw(server.port, {
      method: 'POST',
      path: '/api/app.info',
      headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${TOKEN}`, 'Content-Type': 'application/json' },
      body: JSON.stringify({ pad: 'x'.repeat(MAX_BODY_BYTES) }),
    });
    expect(big.status).toBe(413);
    expect(JSON.parse(big.body)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('refuses foreign Host headers (DNS rebinding) with 403, for the API and the pages', async () => {
    const headers = { Host: `evil.example:${server.port}`, Authorization: `Bearer ${TOKEN}` };
    const api403 = await raw(server.port, { method: 'POST', path: '/api/app.info', headers, body: '{}' });
    expect(api403.status).toBe(403);
    expect(JSON.parse(api403.body)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    expect((await raw(server.port, { path: '/', headers })).status).toBe(403);
    // The names that really mean this machine are fine.
    for (const host of [`localhost:${server.port}`, `127.0.0.1:${server.port}`])
      expect((await raw(server.port, { method: 'POST', path: '/api/app.info', headers: { Host: host, Authorization: `Bearer ${TOKEN}` }, body: '{}' })).status).toBe(200);
    // Same name, another port: still foreign.
    expect((await raw(server.port, { path: '/', headers: { Host: '127.0.0.1:1' } })).status).toBe(403);
  });

  it('serves the built renderer with the CSP, and nothing outside it', async () => {
    const page = await fetch(`${base}/`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>Align Services</title>');
    expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
    const csp = page.headers.get('content-security-policy') ?? '';
    expect(csp.startsWith(CONTENT_SECURITY_POLICY)).toBe(true);
    expect(csp).toContain(`connect-src 'self' ws://127.0.0.1:${server.port}`);
    expect(page.headers.get('x-content-type-options')).toBe('nosniff');
    expect(page.headers.get('referrer-policy')).toBe('no-referrer');

    const asset = await fetch(`${base}/assets/app.js`);
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');

    const host = { Host: `127.0.0.1:${server.port}` };
    for (const path of ['/../package.json', '/%2e%2e/package.json', '/assets/../../package.json', '/..%2f..%2fpackage.json', '/assets/%00', '/assets', '/nope.html', '/%E0%A4%A'])
      expect((await raw(server.port, { path, headers: host })).status, path).toBe(404);
    expect((await fetch(`${base}/`, { method: 'POST' })).status).toBe(405);
  });

  it('without a built renderer, pages answer 404 with what to do, and the API still works', async () => {
    const bare = await startHttpServer({ api, port: 0, token: TOKEN, log: () => {} });
    try {
      const page = await fetch(`http://127.0.0.1:${bare.port}/`);
      expect(page.status).toBe(404);
      expect(await page.text()).toMatch(/npm run build/);
      const info = await fetch(`http://127.0.0.1:${bare.port}/api/app.info`, { method: 'POST', headers: { Authorization: `Bearer ${TOKEN}` }, body: '{}' });
      expect(info.status).toBe(200);
    } finally {
      await bare.close();
    }
  });

  it('survives junk requests', async () => {
    const res = await raw(server.port, { method: 'POST', path: '/api/%E0%A4%A', headers: { Host: `127.0.0.1:${server.port}`, Authorization: `Bearer ${TOKEN}` }, body: '{}' });
    expect(res.status).toBe(400);
    expect((await post('app.info', '[1,2')).status).toBe(400);
    expect((await post('app.info', 'null')).status).toBe(200);
    expect((await post('app.info', '"x"')).status).toBe(400);
    expect((await post('app.info', {})).status).toBe(200);
  });

  it('event socket: refused without the right token, Host or Origin; pushes api events with it; unsubscribes on close', async () => {
    const wsBase = `ws://127.0.0.1:${server.port}/api/events`;
    expect(await openSocket(wsBase)).toEqual({ refused: 401 });
    expect(await openSocket(`${wsBase}?token=nope`)).toEqual({ refused: 401 });
    expect(await openSocket(`${wsBase}?token=${TOKEN}`, { Host: `evil.example:${server.port}` })).toEqual({ refused: 403 });
    expect(await openSocket(`${wsBase}?token=${TOKEN}`, { Origin: 'http://evil.example' })).toEqual({ refused: 403 });
    expect(await openSocket(`ws://127.0.0.1:${server.port}/elsewhere?token=${TOKEN}`)).toEqual({ refused: 404 });

    const opened = await openSocket(`${wsBase}?token=${TOKEN}`, { Origin: `http://127.0.0.1:${server.port}` });
    if (!('ws' in opened)) throw new Error(`refused: ${opened.refused}`);
    const { ws } = opened;
    const received: unknown[] = [];
    ws.on('message', (data) => received.push(JSON.parse(String(data))));

    // An imported run needs no model: pausing it makes the queue emit runs.changed.
    const run = await workbench.generations.import(join(REPO, 'tests', 'fixtures', 'generations', 'outputs.jsonl'), { lang: 'en' });
    expect((await post('runs.pause', { runId: run.id })).status).toBe(200);
    await expect.poll(() => received).toContainEqual({ event: 'runs.changed', payload: { runId: run.id, status: 'paused' } });

    ws.close();
    await new Promise((resolve) => ws.once('close', resolve));
  });

  it('each event socket holds one api subscription, released when it closes', async () => {
    let active = 0;
    const counting: Api = {
      ...api,
      subscribe(listener) {
        active += 1;
        const unsubscribe = api.subscribe(listener);
        return () => {
          active -= 1;
          unsubscribe();
        };
      },
    };
    const other = await startHttpServer({ api: counting, port: 0, token: TOKEN, log: () => {} });
    try {
      const url = `ws://127.0.0.1:${other.port}/api/events?token=${TOKEN}`;
      const sockets = await Promise.all([openSocket(url), openSocket(url)]);
      await expect.poll(() => active).toBe(2);
      const first = sockets[0]!;
      if (!('ws' in first)) throw new Error('refused');
      first.ws.close();
      await expect.poll(() => active).toBe(1);
      const second = sockets[1]!;
      if ('ws' in second) second.ws.terminate(); // no close frame: the server still notices
      await expect.poll(() => active).toBe(0);
    } finally {
      await other.close();
    }
  });

  it('close() ends open event sockets', async () => {
    const other = await startHttpServer({ api, port: 0, token: TOKEN, log: () => {} });
    const opened = await openSocket(`ws://127.0.0.1:${other.port}/api/events?token=${TOKEN}`);
    if (!('ws' in opened)) throw new Error('refused');
    const closed = new Promise<number>((resolve) => opened.ws.once('close', (code) => resolve(code)));
    await other.close();
    expect(await closed).toBe(1001);
  });

  it('needs a real token', async () => {
    await expect(startHttpServer({ api, port: 0, token: 'short' })).rejects.toThrow(/at least 16/);
  });
});

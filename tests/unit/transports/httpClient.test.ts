import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { createApi, type Api } from '../../../src/main/api/createApi';
import { createServices, type Services } from '../../../src/main/services/createServices';
import { startHttpServer, type HttpServer } from '../../../src/main/transports/http/startHttpServer';
import type { ApiEvents } from '../../../src/shared/api';
import { decodeApiErrorMessage, encodeApiErrorMessage } from '../../../src/shared/apiErrorMessage';
import { ApiError } from '../../../src/renderer/src/lib/ApiError';
import { createHttpClient, NO_TOKEN_MESSAGE, takeToken, TOKEN_STORAGE_KEY, type ConnectSocket, type HttpClient } from '../../../src/renderer/src/lib/httpClient';
import { REPO } from '../../support/paths';

const TOKEN = 'client-test-token-0123456789';

/** What the browser wiring in lib/api.ts does with `new WebSocket`, with ws's browser-compatible client. */
const connectWithWs: ConnectSocket = (url, handlers) => {
  const ws = new WebSocket(url);
  ws.onopen = () => handlers.onOpen();
  ws.onmessage = (e) => handlers.onMessage(e.data);
  ws.onclose = () => handlers.onClose();
  ws.onerror = () => {};
  return ws;
};

describe('the renderer HTTP client against the real server', () => {
  const dir = mkdtempSync(join(tmpdir(), 'align-client-'));
  let workbench: Services;
  let api: Api;
  let server: HttpServer;
  const clients: HttpClient[] = [];
  const client = (token: string | null = TOKEN, connect: ConnectSocket = connectWithWs) => {
    const c = createHttpClient({ baseUrl: `http://127.0.0.1:${server.port}/`, token, fetch, connect, backoff: { initialMs: 20, maxMs: 100 } });
    clients.push(c);
    return c;
  };

  beforeAll(async () => {
    workbench = createServices({ dataDir: dir, resourcesDir: join(REPO, 'resources') });
    api = createApi(workbench, { transport: 'http' });
    server = await startHttpServer({ api, port: 0, token: TOKEN, log: () => {} });
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    await server.close();
    await api.shutdown();
    await workbench.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('calls unwrap results', async () => {
    const info = await client().call('app.info', {});
    expect(info.transport).toBe('http');
    expect(await client().call('runs.list', {})).toEqual([]);
  });

  it('failures reject with an ApiError carrying code and issues', async () => {
    const err = await client()
      .call('runs.get', { runId: 'x' as unknown as number })
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err).toMatchObject({ name: 'ApiError', code: 'invalid_request', issues: [{ path: 'runId' }] });
    await expect(client().call('runs.get', { runId: 999 })).rejects.toMatchObject({ code: 'not_found' });
    await expect(client('wrong-token-0123456789').call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized' });
  });

  it('without a token, calls fail with unauthorized and say what to open; no socket is tried', async () => {
    let connects = 0;
    const c = client(null, (url, h) => {
      connects += 1;
      return connectWithWs(url, h);
    });
    await expect(c.call('app.info', {})).rejects.toMatchObject({ code: 'unauthorized', message: NO_TOKEN_MESSAGE });
    c.on('runs.changed', () => {})();
    expect(connects).toBe(0);
  });

  it('an unreachable server is a failed ApiError, not a TypeError', async () => {
    const c = createHttpClient({ baseUrl: 'http://127.0.0.1:1', token: TOKEN, fetch, connect: connectWithWs });
    await expect(c.call('app.info', {})).rejects.toMatchObject({ name: 'ApiError', code: 'failed', message: expect.stringMatching(/Could not reach/) });
  });

  it('events: one shared socket dispatching to listeners by event name; unsubscribing the last closes it', async () => {
    let opened = 0;
    let closed = 0;
    const c = client(TOKEN, (url, h) =>
      connectWithWs(url, {
        onOpen: () => {
          opened += 1;
          h.onOpen();
        },
        onMessage: h.onMessage,
        onClose: () => {
          closed += 1;
          h.onClose();
        },
      }),
    );
    const changed: ApiEvents['runs.changed'][] = [];
    const models: unknown[] = [];
    const off1 = c.on('runs.changed', (p) => changed.push(p));
    const off2 = c.on('model.state', (p) => models.push(p));
    await expect.poll(() => opened).toBe(1);

    const run = await workbench.generations.import(join(REPO, 'tests', 'fixtures', 'generations', 'outputs.jsonl'), { lang: 'en', name: 'client-events' });
    await c.call('runs.pause', { runId: run.id });
    await expect.poll(() => changed).toContainEqual({ runId: run.id, status: 'paused' });
    expect(models).toEqual([]);
    expect(opened).toBe(1);

    off1();
    expect(closed).toBe(0);
    off2();
    await expect.poll(() => closed).toBe(1);
  });

  it('reconnects with backoff after the server drops the socket', async () => {
    // A server of its own, so stopping it does not disturb the other tests.
    const other = await startHttpServer({ api, port: 0, token: TOKEN, log: () => {} });
    const port = other.port;
    let opened = 0;
    const c = createHttpClient({
      baseUrl: `http://127.0.0.1:${port}`,
      token: TOKEN,
      fetch,
      connect: (url, h) => connectWithWs(url, { ...h, onOpen: () => ((opened += 1), h.onOpen()) }),
      backoff: { initialMs: 20, maxMs: 100 },
    });
    clients.push(c);
    const changed: ApiEvents['runs.changed'][] = [];
    c.on('runs.changed', (p) => changed.push(p));
    await expect.poll(() => opened).toBe(1);
    await other.close();
    // Back on the same port, as after a restart of serve.
    const again = await startHttpServer({ api, port, token: TOKEN, log: () => {} });
    try {
      await expect.poll(() => opened, { timeout: 5000 }).toBe(2);
      const run = await workbench.generations.import(join(REPO, 'tests', 'fixtures', 'generations', 'outputs.jsonl'), { lang: 'en', name: 'client-reconnect' });
      await c.call('runs.cancel', { runId: run.id });
      await expect.poll(() => changed).toContainEqual({ runId: run.id, status: 'cancelled' });
    } finally {
      c.close();
      await again.close();
    }
  });
});

describe('takeToken', () => {
  const page = (search: string, hash = '') => {
    const store = new Map<string, string>();
    const replaced: (string | undefined)[] = [];
    return {
      store,
      replaced,
      page: {
        location: { pathname: '/', search, hash },
        history: { state: { keep: 1 }, replaceState: (_d: unknown, _u: string, url?: string) => replaced.push(url) },
        storage: { getItem: (k: string) => store.get(k) ?? null, setItem: (k: string, v: string) => void store.set(k, v) },
      },
    };
  };

  it('takes ?token= from the URL, keeps it for the tab, and removes it from the visible URL (hash and other params kept)', () => {
    const { page: p, store, replaced } = page('?token=abc_DEF-1&lang=fr', '#/generations?run=3');
    expect(takeToken(p)).toBe('abc_DEF-1');
    expect(store.get(TOKEN_STORAGE_KEY)).toBe('abc_DEF-1');
    expect(replaced).toEqual(['/?lang=fr#/generations?run=3']);
  });

  it('falls back to the token kept in this tab, and to null', () => {
    const { page: p, store, replaced } = page('');
    expect(takeToken(p)).toBeNull();
    store.set(TOKEN_STORAGE_KEY, 'kept');
    expect(takeToken(p)).toBe('kept');
    expect(replaced).toEqual([]);
  });

  it('works with storage blocked', () => {
    const { page: p } = page('?token=t1');
    const blocked = { ...p, storage: { getItem: () => { throw new Error('denied'); }, setItem: () => { throw new Error('denied'); } } };
    expect(takeToken(blocked)).toBe('t1');
    expect(takeToken({ ...blocked, location: { ...p.location, search: '' } })).toBeNull();
    expect(takeToken({ ...p, storage: null })).toBe('t1');
  });
});

describe('API errors across contextBridge (message encoding)', () => {
  it('round-trips code, message and issues, even with a prefix added on the way', () => {
    const body = { code: 'invalid_request' as const, message: 'Invalid request for runs.get: runId: expected number', issues: [{ path: 'runId', message: 'expected number' }] };
    const text = encodeApiErrorMessage(body);
    expect(decodeApiErrorMessage(text)).toEqual(body);
    expect(decodeApiErrorMessage(`Error: Uncaught Error: ${text}`)).toEqual(body);
    expect(decodeApiErrorMessage(encodeApiErrorMessage({ code: 'not_found', message: 'No run with id 3.\nSecond line [x] y' }))).toEqual({
      code: 'not_found',
      message: 'No run with id 3.\nSecond line [x] y',
    });
  });

  it('is null for other errors', () => {
    expect(decodeApiErrorMessage("Error invoking remote method 'api:call': Error: No handler registered")).toBeNull();
    expect(decodeApiErrorMessage('[bogus] code')).toBeNull();
  });
});

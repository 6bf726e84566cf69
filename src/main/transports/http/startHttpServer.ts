/**
 * Serve mode's transport: the same `Api` the desktop app reaches over IPC, over loopback HTTP + WebSocket,
 * plus the built renderer as static files. It only moves calls and events: validation and dispatch happen
 * in `api.handle`.
 *
 *   POST /api/<method>            body = params (JSON) → ApiResult JSON; `Authorization: Bearer <token>`
 *   GET  /api/events?token=<tok>  WebSocket upgrade; pushes `{ event, payload }` for every api event
 *   GET  /…                       the renderer (out/renderer), no token: those files hold no data
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import type { ApiErrorBody, ApiErrorCode, ApiMethod, ApiResult } from '../../../shared/api';
import type { Api } from '../../api/createApi';
import { ERROR_STATUS, type ErrorCode } from '../../../shared/errors';
import { createHostGuard, hostWithPort } from './hostGuard';
import { serveStaticFile } from './serveStaticFile';

export interface HttpServerOptions {
  api: Api;
  /** Interface to bind; loopback unless the user explicitly serves a network. */
  host?: string;
  /** 0 = a free port chosen by the OS. */
  port: number;
  /** The secret every /api request must present. */
  token: string;
  /** The built renderer (out/renderer); without it only the API is served. */
  staticDir?: string;
  /** Where failures of single requests are reported (default: stderr). */
  log?: (message: string) => void;
}

export interface HttpServer {
  /** Base URL to reach the server, e.g. `http://127.0.0.1:5123/` (loopback when bound to all interfaces). */
  url: string;
  port: number;
  /** Closes the event sockets and the server; resolves when everything is closed. */
  close(): Promise<void>;
}

export const MAX_BODY_BYTES = 1024 * 1024;
/** An event socket whose client reads slower than this backlog is dropped instead of growing without bound. */
const MAX_SOCKET_BACKLOG_BYTES = 16 * 1024 * 1024;
const HEARTBEAT_MS = 30_000;

/** Transport-level codes; the kinds thrown by core code (invalid_input, conflict, too_large…) come from core/errors. */
const STATUS_OF: Record<ApiErrorCode | ErrorCode, number> = {
  ...ERROR_STATUS,
  invalid_request: 400,
  unknown_method: 400,
  unauthorized: 401,
};

type Failure = { ok: false; error: ApiErrorBody };
const failure = (code: ApiErrorCode, message: string): Failure => ({ ok: false, error: { code, message } });

export async function startHttpServer(options: HttpServerOptions): Promise<HttpServer> {
  const { api, host = '127.0.0.1', port, token, staticDir } = options;
  const log = options.log ?? ((message: string) => console.error(`[serve] ${message}`));
  if (token.length < 16) throw new Error('startHttpServer: the token must be at least 16 characters (use crypto.randomBytes).');

  // Compare digests, not the strings: equal lengths for timingSafeEqual, and no early exit on the first
  // differing character that would let a caller guess the token byte by byte.
  const expected = digest(token);
  const tokenMatches = (candidate: string | null | undefined) => !!candidate && timingSafeEqual(digest(candidate), expected);

  let guard = createHostGuard(host, port); // replaced once the real port is known
  const wss = new WebSocketServer({ noServer: true, maxPayload: 4 * 1024 });
  const sockets = new Set<WebSocket>();

  const server = createServer((req, res) => {
    handleRequest(req, res).catch((err: unknown) => {
      log(`${req.method} ${req.url}: ${describe(err)}`);
      if (!res.headersSent) sendJson(res, 500, failure('failed', 'Internal server error.'));
      else res.destroy();
    });
  });

  async function handleRequest(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url);
    if (!target) return sendJson(res, 400, failure('invalid_request', 'Bad request target.'));
    if (!guard.allowsHost(req.headers.host)) {
      return sendJson(res, 403, failure('unauthorized', `Refused: Host "${req.headers.host ?? ''}" is not this server (DNS-rebinding guard). Use the printed URL.`));
    }
    if (target.pathname === '/api' || target.pathname.startsWith('/api/')) return handleApi(req, res, target.pathname);
    return serveStaticFile(req, res, staticDir, target.pathname);
  }

  async function handleApi(req: IncomingMessage, res: ServerResponse, pathname: string): Promise<void> {
    const bearer = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    if (!tokenMatches(bearer?.[1])) {
      return sendJson(res, 401, failure('unauthorized', 'Missing or wrong token: send "Authorization: Bearer <token>" with the token printed by `serve`.'), {
        'WWW-Authenticate': 'Bearer',
      });
    }
    if (pathname === '/api/events') return sendJson(res, 426, failure('invalid_request', '/api/events is a WebSocket endpoint.'), { Upgrade: 'websocket' });
    if (req.method !== 'POST') return sendJson(res, 405, failure('invalid_request', 'API methods are called with POST.'), { Allow: 'POST' });

    let method: string;
    try {
      method = decodeURIComponent(pathname.slice('/api/'.length));
    } catch {
      return sendJson(res, 400, failure('invalid_request', 'Bad method name encoding.'));
    }

    const body = await readBody(req, MAX_BODY_BYTES);
    if (body === 'too_large') {
      return sendJson(res, 413, failure('invalid_request', `Request body over ${MAX_BODY_BYTES} bytes.`), { Connection: 'close' });
    }
    let params: unknown;
    const text = body.toString('utf8');
    if (text.trim() !== '') {
      try {
        params = JSON.parse(text);
      } catch (err) {
        return sendJson(res, 400, failure('invalid_request', `The request body is not valid JSON: ${describe(err)}`));
      }
    }
    const result: ApiResult<ApiMethod> = await api.handle(method, params);
    // An unknown code is a fault of ours (500); expected failures (4xx) are the caller's to fix, not logged.
    const status = result.ok ? 200 : (STATUS_OF[result.error.code as ApiErrorCode | ErrorCode] ?? 500);
    if (!result.ok && status >= 500) log(`${method}: ${result.error.message}`);
    sendJson(res, status, result);
  }

  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log(`event socket: ${describe(err)}`));
    try {
      const target = parseTarget(req.url);
      if (target?.pathname !== '/api/events') return rejectUpgrade(socket, 404, failure('not_found', 'No WebSocket endpoint here; use /api/events.'));
      if (!guard.allowsHost(req.headers.host) || !guard.allowsOrigin(req.headers.origin)) {
        return rejectUpgrade(socket, 403, failure('unauthorized', 'Refused: foreign Host or Origin (DNS-rebinding guard).'));
      }
      if (!tokenMatches(new URLSearchParams(target.search).get('token'))) {
        return rejectUpgrade(socket, 401, failure('unauthorized', 'Missing or wrong token: connect to /api/events?token=<token>.'));
      }
      wss.handleUpgrade(req, socket, head, onEventSocket);
    } catch (err) {
      log(`upgrade ${req.url}: ${describe(err)}`);
      socket.destroy();
    }
  });

  function onEventSocket(ws: WebSocket): void {
    sockets.add(ws);
    let alive = true;
    ws.on('pong', () => (alive = true));
    const heartbeat = setInterval(() => {
      // A client that vanished without a close frame (sleep, network loss) is found here and dropped.
      if (!alive) return void ws.terminate();
      alive = false;
      ws.ping();
    }, HEARTBEAT_MS);
    heartbeat.unref();
    const unsubscribe = api.subscribe((event, payload) => {
      if (ws.readyState !== ws.OPEN) return;
      if (ws.bufferedAmount > MAX_SOCKET_BACKLOG_BYTES) {
        log('event socket dropped: its client is not reading');
        return void ws.terminate();
      }
      ws.send(JSON.stringify({ event, payload }));
    });
    ws.on('close', () => {
      clearInterval(heartbeat);
      unsubscribe();
      sockets.delete(ws);
    });
    ws.on('error', (err) => log(`event socket: ${describe(err)}`));
    // Clients have nothing to say on this socket; their messages are ignored.
  }

  server.on('clientError', (err, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
    if ((err as NodeJS.ErrnoException).code !== 'ECONNRESET') log(`client error: ${describe(err)}`);
  });

  await new Promise<void>((resolveListen, rejectListen) => {
    server.once('error', rejectListen);
    server.listen(port, host, () => {
      server.off('error', rejectListen);
      resolveListen();
    });
  });
  server.on('error', (err) => log(`server: ${describe(err)}`));
  const actualPort = (server.address() as AddressInfo).port;
  guard = createHostGuard(host, actualPort);

  const reachableHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host;
  return {
    url: `http://${hostWithPort(reachableHost, actualPort)}/`,
    port: actualPort,
    async close() {
      const closed = [...sockets].map((ws) => new Promise<void>((done) => ws.once('close', () => done())));
      for (const ws of sockets) {
        ws.close(1001, 'server shutting down');
        setTimeout(() => ws.terminate(), 1000).unref();
      }
      await Promise.all(closed);
      wss.close();
      await new Promise<void>((done) => {
        server.close(() => done());
        server.closeAllConnections();
      });
    },
  };
}

/** Path and query of a request target; null unless it is an origin-form target ("/…"). */
function parseTarget(url: string | undefined): { pathname: string; search: string } | null {
  if (!url || !url.startsWith('/')) return null;
  const noFragment = url.split('#', 1)[0]!;
  const q = noFragment.indexOf('?');
  return q === -1 ? { pathname: noFragment, search: '' } : { pathname: noFragment.slice(0, q), search: noFragment.slice(q + 1) };
}

function readBody(req: IncomingMessage, limit: number): Promise<Buffer | 'too_large'> {
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) {
    req.resume(); // drain, do not buffer
    return Promise.resolve('too_large');
  }
  return new Promise((resolveBody, rejectBody) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      if (over) return;
      size += chunk.length;
      if (size > limit) {
        over = true;
        chunks.length = 0;
        resolveBody('too_large');
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => {
      if (!over) resolveBody(Buffer.concat(chunks));
    });
    req.on('error', rejectBody);
  });
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': String(Buffer.byteLength(text)),
    'Cache-Control': 'no-store',
    'X-Content-Type-Options': 'nosniff',
    ...headers,
  });
  res.end(text);
}

function rejectUpgrade(socket: Duplex, status: number, body: Failure): void {
  const text = JSON.stringify(body);
  const reasons: Record<number, string> = { 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' };
  const reason = reasons[status] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${status} ${reason}\r\nConnection: close\r\nContent-Type: application/json; charset=utf-8\r\n` +
      `Content-Length: ${Buffer.byteLength(text)}\r\n\r\n${text}`,
  );
}

function digest(text: string): Buffer {
  return createHash('sha256').update(text, 'utf8').digest();
}

function describe(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

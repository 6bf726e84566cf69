import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { listenOnLoopback } from './listenOnLoopback';

/** What a route serves: bytes (with Range support), an HTML page, or a status code. */
export type Route =
  | {
      kind: 'file';
      body: Buffer;
      /**
       * Drop the connection when the body reaches this file offset, on the first `drops` ranged GETs that
       * cover it (the data requests; the downloader's first GET, without a Range, only reads the headers).
       */
      dropAt?: number;
      drops?: number;
      /** Send the body in slices of this size with `delayMs` between them (so a test can pause mid-file). */
      sliceBytes?: number;
      delayMs?: number;
      /** Stop sending at this file offset and hold the connection open (a server stalled mid-file). */
      stallAt?: number;
      /** Never answer the data requests (ranged GETs), not even their headers: a server gone silent. */
      silentRanges?: boolean;
    }
  | { kind: 'html'; body: string }
  /** Accepts the connection, reads the request and never answers (offline behind a captive network, a hung server). */
  | { kind: 'silent' }
  | { kind: 'status'; status: number };

export interface RequestLog {
  method: string;
  path: string;
  range: string | null;
  /** The Authorization header, to check that a token goes where it should and nowhere else. */
  authorization: string | null;
  /** Body bytes actually written for this request. */
  sent: number;
}

export interface LoopbackFileServer {
  url(path: string): string;
  readonly requests: RequestLog[];
  close(): Promise<void>;
}

/**
 * A real HTTP server on 127.0.0.1 standing in for Hugging Face: HEAD and GET with `Accept-Ranges: bytes` and
 * `206 Partial Content`, and the failure modes downloads meet (a dropped connection, a 404, an HTML page).
 */
export async function startLoopbackFileServer(routes: Record<string, Route>): Promise<LoopbackFileServer> {
  const requests: RequestLog[] = [];
  const dropsLeft = new Map<string, number>();
  const server = createServer((req, res) => {
    const path = new URL(req.url ?? '/', 'http://127.0.0.1').pathname;
    const log: RequestLog = { method: req.method ?? 'GET', path, range: req.headers.range ?? null, authorization: req.headers.authorization ?? null, sent: 0 };
    requests.push(log);
    const route = routes[path];
    if (!route) return void res.writeHead(404, { 'content-type': 'text/plain' }).end('Not Found');
    if (route.kind === 'silent') return;
    if (route.kind === 'status') return void res.writeHead(route.status, { 'content-type': 'text/plain' }).end(`status ${route.status}`);
    if (route.kind === 'html') {
      const body = Buffer.from(route.body);
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8', 'content-length': body.length });
      if (req.method === 'HEAD') return void res.end();
      log.sent = body.length;
      return void res.end(body);
    }
    serveFile(req, res, route, log, dropsLeft);
  });
  const { origin, close } = await listenOnLoopback(server);
  return {
    url: (path) => `${origin}${path}`,
    requests,
    close,
  };
}

function serveFile(req: IncomingMessage, res: ServerResponse, route: Extract<Route, { kind: 'file' }>, log: RequestLog, dropsLeft: Map<string, number>) {
  const size = route.body.length;
  const m = /^bytes=(\d+)-(\d*)$/.exec(req.headers.range ?? '');
  const start = m ? Number(m[1]) : 0;
  const end = m && m[2] ? Math.min(Number(m[2]), size - 1) : size - 1;
  if (m && start >= size) return void res.writeHead(416, { 'content-range': `bytes */${size}` }).end();
  if (m && route.silentRanges) return;
  const headers = { 'accept-ranges': 'bytes', 'content-type': 'application/octet-stream', 'content-length': end - start + 1 };
  if (m) res.writeHead(206, { ...headers, 'content-range': `bytes ${start}-${end}/${size}` });
  else res.writeHead(200, headers);
  if (req.method === 'HEAD') return void res.end();
  res.flushHeaders();

  const left = dropsLeft.get(log.path) ?? route.drops ?? 0;
  const dropAt = route.dropAt !== undefined && m && left > 0 && start < route.dropAt && route.dropAt <= end ? route.dropAt : Infinity;
  if (dropAt !== Infinity) dropsLeft.set(log.path, left - 1);
  const slice = route.sliceBytes ?? end - start + 1;
  let at = start;
  const pump = () => {
    if (res.destroyed) return;
    if (at > end) return void res.end();
    // Stalled: the headers and the bytes so far are sent, the rest never comes.
    if (route.stallAt !== undefined && at >= route.stallAt) return;
    const next = Math.min(at + slice, end + 1, dropAt, route.stallAt ?? Infinity);
    if (next > at) {
      res.write(route.body.subarray(at, next));
      log.sent += next - at;
      at = next;
    }
    // The connection drops mid-file: the client sees a body shorter than its Content-Length.
    if (at >= dropAt) return void res.destroy();
    if (route.delayMs) setTimeout(pump, route.delayMs);
    else setImmediate(pump);
  };
  pump();
}

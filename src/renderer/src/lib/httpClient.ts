/**
 * The API contract over HTTP + WebSocket, for the renderer in a browser (serve mode). Everything the browser
 * provides (fetch, WebSocket, location, sessionStorage) is passed in, so this module runs under plain Node
 * in tests against the real server.
 */
import type { ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, ApiResult, EvalApi } from '../../../shared/api';
import { API_ERROR_CODES } from '../../../shared/api';
import { ApiError } from './ApiError';

export const TOKEN_STORAGE_KEY = 'align-workbench.token';
export const NO_TOKEN_MESSAGE = 'Open the URL printed by `serve`, including its ?token=…';

/** The part of `fetch` the client uses. */
export type FetchLike = (
  url: string,
  init: { method: 'POST'; headers: Record<string, string>; body: string },
) => Promise<{ status: number; json(): Promise<unknown> }>;

/** Opens one WebSocket and reports what happens to it (in the browser: a thin wrapper of `new WebSocket`). */
export type ConnectSocket = (
  url: string,
  handlers: { onOpen(): void; onMessage(data: unknown): void; onClose(): void },
) => { close(): void };

export interface HttpClientOptions {
  /** The server's origin, e.g. `http://127.0.0.1:5123` (the page's own origin in the browser). */
  baseUrl: string;
  /** Null when the page was opened without the token: every call then fails with `unauthorized`. */
  token: string | null;
  fetch: FetchLike;
  connect: ConnectSocket;
  /** Reconnect delays of the event socket: doubled after each failed attempt, from `initialMs` up to `maxMs`. */
  backoff?: { initialMs: number; maxMs: number };
}

export type HttpClient = EvalApi & {
  /** Closes the event socket and stops reconnecting. */
  close(): void;
};

export function createHttpClient({ baseUrl, token, fetch, connect, backoff = { initialMs: 500, maxMs: 10_000 } }: HttpClientOptions): HttpClient {
  const base = baseUrl.replace(/\/+$/, '');

  // EVENTS: one shared socket, open while anyone listens, reconnected with backoff when it drops.
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let socket: { close(): void } | null = null;
  let retry: ReturnType<typeof setTimeout> | null = null;
  let delay = backoff.initialMs;
  let closed = false;
  const listening = () => [...listeners.values()].some((set) => set.size > 0);

  const dispatch = (data: unknown) => {
    if (typeof data !== 'string') return;
    let message: unknown;
    try {
      message = JSON.parse(data);
    } catch {
      return;
    }
    if (typeof message !== 'object' || message === null || typeof (message as { event?: unknown }).event !== 'string') return;
    const { event, payload } = message as { event: string; payload: unknown };
    for (const listener of listeners.get(event) ?? []) {
      try {
        listener(payload);
      } catch (err) {
        console.error(`api event "${event}" listener failed:`, err);
      }
    }
  };

  const ensureSocket = () => {
    if (socket || retry || closed || !token || !listening()) return;
    const url = `${base.replace(/^http/, 'ws')}/api/events?token=${encodeURIComponent(token)}`;
    const conn = connect(url, {
      onOpen: () => {
        delay = backoff.initialMs;
      },
      onMessage: dispatch,
      onClose: () => {
        if (socket !== conn) return; // an old socket closing after we replaced or dropped it
        socket = null;
        if (closed || !listening()) return;
        retry = setTimeout(() => {
          retry = null;
          ensureSocket();
        }, delay);
        delay = Math.min(delay * 2, backoff.maxMs);
      },
    });
    socket = conn;
  };

  const dropSocket = () => {
    if (retry) clearTimeout(retry);
    retry = null;
    const s = socket;
    socket = null;
    s?.close();
    delay = backoff.initialMs;
  };

  return {
    async call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
      if (!token) throw new ApiError('unauthorized', NO_TOKEN_MESSAGE);
      let response: Awaited<ReturnType<FetchLike>>;
      try {
        response = await fetch(`${base}/api/${encodeURIComponent(method)}`, {
          method: 'POST',
          headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' },
          body: JSON.stringify(params ?? {}),
        });
      } catch (err) {
        throw new ApiError('failed', `Could not reach the workbench server at ${base} (${err instanceof Error ? err.message : String(err)}): is \`serve\` still running?`);
      }
      let body: unknown;
      try {
        body = await response.json();
      } catch {
        body = undefined;
      }
      if (!isApiResult(body)) throw new ApiError('failed', `The server answered ${method} with HTTP ${response.status} and no API result.`);
      if (body.ok) return body.result as ApiResponse<M>;
      throw ApiError.from(body.error);
    },

    on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
      const set = listeners.get(event) ?? new Set();
      listeners.set(event, set);
      const wrapped = (payload: unknown) => listener(payload as ApiEvents[E]);
      set.add(wrapped);
      ensureSocket();
      return () => {
        set.delete(wrapped);
        if (!listening()) dropSocket();
      };
    },

    close() {
      closed = true;
      dropSocket();
    },
  };
}

function isApiResult(body: unknown): body is ApiResult<ApiMethod> {
  if (typeof body !== 'object' || body === null) return false;
  const b = body as { ok?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown } };
  if (b.ok === true) return 'result' in b;
  return (
    b.ok === false &&
    typeof b.error === 'object' &&
    b.error !== null &&
    (API_ERROR_CODES as readonly unknown[]).includes(b.error.code) &&
    typeof b.error.message === 'string'
  );
}

// TOKEN

export interface TokenPage {
  location: { pathname: string; search: string; hash: string };
  history: { state: unknown; replaceState(data: unknown, unused: string, url?: string): void };
  /** sessionStorage: the token survives reloads of this tab and nothing longer. Null when storage is blocked. */
  storage: { getItem(key: string): string | null; setItem(key: string, value: string): void } | null;
}

/**
 * The token of this tab: taken from `?token=` in the page URL (then kept in sessionStorage and removed from the
 * visible URL, hash kept, so it does not linger in the address bar, history or screenshots), else the one
 * kept earlier in this tab; null when there is none.
 */
export function takeToken({ location, history, storage }: TokenPage): string | null {
  const params = new URLSearchParams(location.search);
  const fromUrl = params.get('token');
  if (fromUrl) {
    try {
      storage?.setItem(TOKEN_STORAGE_KEY, fromUrl);
    } catch {
      // Storage full or blocked: the token still works until the tab reloads.
    }
    params.delete('token');
    const rest = params.toString();
    history.replaceState(history.state, '', `${location.pathname}${rest ? `?${rest}` : ''}${location.hash}`);
    return fromUrl;
  }
  try {
    return storage?.getItem(TOKEN_STORAGE_KEY) ?? null;
  } catch {
    return null;
  }
}

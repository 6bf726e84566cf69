/**
 * The renderer's one way to the backend: `window.api` (the preload's IPC bridge) in the desktop app, the same
 * contract over HTTP + WebSocket in a browser (serve mode). Failures reject with an `ApiError` on both.
 */
import type { ApiMethod, ApiRequest, ApiResponse, EvalApi } from '../../../shared/api';
import { decodeApiErrorMessage } from '../../../shared/apiErrorMessage';
import { ApiError } from './ApiError';
import { createHttpClient, takeToken } from './httpClient';

export { ApiError };

export const transport: 'ipc' | 'http' = window.api ? 'ipc' : 'http';

export const api: EvalApi = window.api ? fromPreload(window.api) : fromBrowser();

/**
 * The preload's errors cross contextBridge as plain Errors carrying code and issues in their message
 * (see src/shared/apiErrorMessage.ts); turn them back into ApiErrors.
 */
function fromPreload(bridge: EvalApi): EvalApi {
  return {
    call: <M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> =>
      bridge.call(method, params).catch((err: unknown) => {
        if (err instanceof ApiError) throw err;
        const text = err instanceof Error ? err.message : String(err);
        const body = decodeApiErrorMessage(text);
        throw body ? ApiError.from(body) : new ApiError('failed', text);
      }),
    on: (event, listener) => bridge.on(event, listener),
    pathForFile: bridge.pathForFile,
  };
}

function fromBrowser(): EvalApi {
  let storage: Storage | null = null;
  try {
    storage = window.sessionStorage;
  } catch {
    // Storage blocked (e.g. by browser settings): the token then lasts until a reload.
  }
  return createHttpClient({
    baseUrl: window.location.origin,
    token: takeToken({ location: window.location, history: window.history, storage }),
    fetch: (url, init) => window.fetch(url, init),
    connect: (url, handlers) => {
      const ws = new WebSocket(url);
      ws.onopen = () => handlers.onOpen();
      ws.onmessage = (e: MessageEvent) => handlers.onMessage(e.data);
      ws.onclose = () => handlers.onClose();
      return ws;
    },
  });
}

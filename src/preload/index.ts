import { contextBridge, ipcRenderer, webUtils, type IpcRendererEvent } from 'electron';
import type { ApiEvent, ApiEvents, ApiMethod, ApiRequest, ApiResponse, ApiResult, EvalApi } from '../shared/api';
import { encodeApiErrorMessage } from '../shared/apiErrorMessage';
import { IPC_CHANNELS } from '../shared/ipcChannels';

// Exactly one narrow object, no ipcRenderer passthrough: the page can call the API contract and nothing else
// in the main process. The annotation rejects any extra member.

type Listener = (payload: unknown) => void;
const listeners = new Map<string, Set<Listener>>();

// One dispatcher for all events, so the page can never add raw ipcRenderer listeners.
ipcRenderer.on(IPC_CHANNELS.event, (_e: IpcRendererEvent, event: unknown, payload: unknown) => {
  if (typeof event !== 'string') return;
  for (const listener of listeners.get(event) ?? []) {
    try {
      listener(payload);
    } catch (err) {
      console.error(`api event "${event}" listener failed:`, err);
    }
  }
});

const api: EvalApi = {
  async call<M extends ApiMethod>(method: M, params: ApiRequest<M>): Promise<ApiResponse<M>> {
    const result = (await ipcRenderer.invoke(IPC_CHANNELS.call, method, params)) as ApiResult<M>;
    if (result.ok) return result.result;
    // contextBridge copies a rejected Error by its message only (custom properties such as `code` and
    // `issues` are dropped, Electron docs "Parameter / Error / Return Type support"): so code and issues travel
    // inside the message, and src/renderer/src/lib/api.ts turns it back into an ApiError.
    const error = new Error(encodeApiErrorMessage(result.error));
    error.name = 'ApiError';
    throw error;
  },
  on<E extends ApiEvent>(event: E, listener: (payload: ApiEvents[E]) => void): () => void {
    const set = listeners.get(event) ?? new Set<Listener>();
    listeners.set(event, set);
    // contextBridge hands us a proxy of the page's function; keep our own wrapper so unsubscribe is exact.
    const wrapped: Listener = (payload) => listener(payload as ApiEvents[E]);
    set.add(wrapped);
    return () => {
      set.delete(wrapped);
    };
  },
  // A dropped file's path (drag and drop onto the Models view). Only the preload can ask Electron for it; the
  // page gets the path string, nothing else of the file system.
  pathForFile: (file: File): string => webUtils.getPathForFile(file),
};

contextBridge.exposeInMainWorld('api', api);

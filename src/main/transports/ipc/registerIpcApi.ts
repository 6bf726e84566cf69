/**
 * The desktop app's transport: the `Api` over Electron IPC, for one window. It only moves calls and events;
 * validation and dispatch happen in `api.handle`. Electron *types* only, so tests drive it with fakes.
 */
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent, WebContentsDidStartNavigationEventParams } from 'electron';
import type { ApiMethod, ApiResult } from '../../../shared/api';
import { IPC_CHANNELS } from '../../../shared/ipcChannels';
import type { Api } from '../../api/createApi';

export interface RegisterIpcApiOptions {
  ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>;
  window: Pick<BrowserWindow, 'webContents'>;
  api: Api;
  /**
   * Whether a call may be answered. Default: it comes from this window's webContents. The shell passes
   * `BrowserWindow.fromWebContents(event.sender) === window`; injected so this module needs no Electron runtime.
   */
  isTrustedSender?: (event: IpcMainInvokeEvent) => boolean;
  /** Whether a URL is our own page (see appUrl.ts): the sending frame must show it. */
  isAppUrl: (url: string) => boolean;
  log?: (message: string) => void;
}

/**
 * Answers `api:call` for `window` only and pushes every api event to it as `api:event`. The event subscription
 * follows the page: dropped when the main frame starts loading another document (reload; a reloaded page
 * pulls fresh state at startup anyway), taken again once the new document is committed, and dropped for good
 * with the webContents. Returns a dispose that removes the handler and every listener (also run on 'destroyed',
 * so a window re-created later, e.g. on macOS 'activate', can register again).
 */
export function registerIpcApi({ ipcMain, window, api, isTrustedSender, isAppUrl, log = console.error }: RegisterIpcApiOptions): () => void {
  const webContents = window.webContents;
  const trustedSender = isTrustedSender ?? ((event: IpcMainInvokeEvent) => event.sender === webContents);
  // The window is not enough: an iframe inside it, or the window after a navigation we failed to block, must
  // not reach the API. Only the top frame showing our page may call. senderFrame is null once the frame is gone.
  const trusted = (event: IpcMainInvokeEvent): boolean => {
    const frame = event.senderFrame;
    return trustedSender(event) && frame !== null && frame !== undefined && frame.parent === null && isAppUrl(frame.url);
  };

  ipcMain.handle(IPC_CHANNELS.call, async (event, method: unknown, params: unknown): Promise<ApiResult<ApiMethod>> => {
    try {
      if (!trusted(event)) {
        return { ok: false, error: { code: 'unauthorized', message: 'Refused: the call did not come from the workbench window.' } };
      }
      if (typeof method !== 'string') {
        return { ok: false, error: { code: 'invalid_request', message: 'The API method name must be a string.' } };
      }
      return await api.handle(method, params);
    } catch (err) {
      // api.handle never throws; this guards the guard (e.g. a destroyed sender), so IPC always gets a result.
      const message = err instanceof Error ? err.message : String(err);
      log(`api:call failed: ${message}`);
      return { ok: false, error: { code: 'failed', message } };
    }
  });

  let unsubscribe: (() => void) | null = null;
  const subscribe = () => {
    unsubscribe ??= api.subscribe((event, payload) => {
      if (!webContents.isDestroyed()) webContents.send(IPC_CHANNELS.event, event, payload);
    });
  };
  const unsubscribeNow = () => {
    unsubscribe?.();
    unsubscribe = null;
  };

  const onNavigationStart = (details: WebContentsDidStartNavigationEventParams) => {
    // Hash changes and pushState (the renderer keeps filters in the URL hash) are same-document: keep going.
    if (details.isMainFrame && !details.isSameDocument) unsubscribeNow();
  };
  const onNavigated = () => subscribe();
  let disposed = false;
  const dispose = () => {
    if (disposed) return;
    disposed = true;
    unsubscribeNow();
    ipcMain.removeHandler(IPC_CHANNELS.call);
    webContents.removeListener('did-start-navigation', onNavigationStart);
    webContents.removeListener('did-navigate', onNavigated);
    webContents.removeListener('destroyed', dispose);
  };

  webContents.on('did-start-navigation', onNavigationStart);
  webContents.on('did-navigate', onNavigated);
  webContents.on('destroyed', dispose);
  subscribe();
  return dispose;
}

import { EventEmitter } from 'node:events';
import type { BrowserWindow, IpcMain, IpcMainInvokeEvent } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import type { ApiEvent, ApiEvents } from '../../../src/shared/api';
import { apiRequestSchemas, isApiMethod } from '../../../src/shared/apiSchemas';
import type { Api } from '../../../src/main/api/createApi';
import { createAppUrlCheck } from '../../../src/main/transports/ipc/appUrl';
import { registerIpcApi } from '../../../src/main/transports/ipc/registerIpcApi';

type Handler = (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>;
type Listener = (event: ApiEvent, payload: ApiEvents[ApiEvent]) => void;

/** The page the shell loads; the renderer keeps its route in the hash. */
const APP_URL = 'file:///opt/Align%20Workbench/resources/app.asar/out/renderer/index.html';
const isAppUrl = createAppUrlCheck(APP_URL);
/** The sending frame as Electron gives it (WebFrameMain): the top frame has no parent. */
const topFrame = { parent: null, url: `${APP_URL}#/runs?run=3` };

/** The IPC adapter as a plain function: fake ipcMain, window and api, no Electron runtime (as electron-trpc tests it). */
function setup() {
  const handlers = new Map<string, Handler>();
  const ipcMain = {
    handle: vi.fn((channel: string, handler: Handler) => {
      if (handlers.has(channel)) throw new Error(`second handler for ${channel}`);
      handlers.set(channel, handler);
    }),
    removeHandler: vi.fn((channel: string) => handlers.delete(channel)),
  };
  const webContents = Object.assign(new EventEmitter(), {
    sent: [] as unknown[][],
    destroyed: false,
    send(...args: unknown[]) {
      this.sent.push(args);
    },
    isDestroyed() {
      return this.destroyed;
    },
  });
  const window = { webContents };

  // A small real-shaped api: validation through the shared schemas, like createApi's handle.
  const listeners = new Set<Listener>();
  const api: Api = {
    async handle(method, params) {
      if (!isApiMethod(method)) return { ok: false, error: { code: 'unknown_method', message: `Unknown API method "${method}".` } };
      const parsed = apiRequestSchemas[method].safeParse(params ?? {});
      if (!parsed.success) return { ok: false, error: { code: 'invalid_request', message: 'bad', issues: [{ path: 'runId', message: 'bad' }] } };
      return { ok: true, result: { method, params: parsed.data } as never };
    },
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    shutdown: async () => {},
  };
  const emit = <E extends ApiEvent>(event: E, payload: ApiEvents[E]) => {
    for (const l of listeners) l(event, payload);
  };

  const dispose = registerIpcApi({
    ipcMain: ipcMain as unknown as IpcMain,
    window: window as unknown as BrowserWindow,
    api,
    isAppUrl,
    log: () => {},
  });
  const invokeFrom = (sender: unknown, senderFrame: unknown, ...args: unknown[]) => {
    const handler = handlers.get('api:call');
    if (!handler) throw new Error('no api:call handler');
    return handler({ sender, senderFrame } as IpcMainInvokeEvent, ...args);
  };
  const invoke = (sender: unknown, ...args: unknown[]) => invokeFrom(sender, topFrame, ...args);
  return { ipcMain, handlers, webContents, listeners, emit, dispose, invoke, invokeFrom, api };
}

describe('registerIpcApi', () => {
  it('dispatches calls from its own window and returns the ApiResult', async () => {
    const { invoke, webContents } = setup();
    expect(await invoke(webContents, 'runs.get', { runId: 3 })).toEqual({ ok: true, result: { method: 'runs.get', params: { runId: 3 } } });
    expect(await invoke(webContents, 'no.such', {})).toMatchObject({ ok: false, error: { code: 'unknown_method' } });
  });

  it('refuses any other sender with unauthorized', async () => {
    const { invoke } = setup();
    const stranger = new EventEmitter();
    expect(await invoke(stranger, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('refuses a call from a sub-frame, from a page that is not ours, or from a frame already gone', async () => {
    const { invokeFrom, webContents } = setup();
    const iframe = { parent: topFrame, url: topFrame.url };
    for (const frame of [iframe, { parent: null, url: 'https://evil.example/' }, { parent: null, url: 'file:///tmp/other.html' }, null]) {
      expect(await invokeFrom(webContents, frame, 'app.info', {}), JSON.stringify(frame?.url ?? null)).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
    }
    expect(await invokeFrom(webContents, { parent: null, url: APP_URL }, 'runs.get', { runId: 1 })).toMatchObject({ ok: true });
  });

  it('recognises the dev server by origin and the built page by path, whatever the hash', () => {
    const dev = createAppUrlCheck('http://localhost:5173/');
    expect(dev('http://localhost:5173/#/results')).toBe(true);
    expect(dev('http://localhost:5174/')).toBe(false);
    expect(dev('http://localhost.evil.example:5173/')).toBe(false);
    expect(isAppUrl(`${APP_URL}?x=1#/a`)).toBe(true);
    expect(isAppUrl('file:///opt/Align%20Workbench/resources/app.asar/out/renderer/other.html')).toBe(false);
    expect(isAppUrl('not a url')).toBe(false);
  });

  it('uses an injected sender check (the shell passes BrowserWindow.fromWebContents)', async () => {
    const handlers = new Map<string, Handler>();
    const webContents = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false });
    const api: Api = { handle: async () => ({ ok: true, result: 'x' as never }), subscribe: () => () => {}, shutdown: async () => {} };
    registerIpcApi({
      ipcMain: { handle: (c: string, h: Handler) => handlers.set(c, h), removeHandler: () => {} } as unknown as IpcMain,
      window: { webContents } as unknown as BrowserWindow,
      api,
      isAppUrl,
      isTrustedSender: (event) => (event.sender as unknown as { id: number }).id === 7,
    });
    const call = handlers.get('api:call')!;
    expect(await call({ sender: { id: 7 }, senderFrame: topFrame } as unknown as IpcMainInvokeEvent, 'app.info', {})).toEqual({ ok: true, result: 'x' });
    expect(await call({ sender: webContents, senderFrame: topFrame } as unknown as IpcMainInvokeEvent, 'app.info', {})).toMatchObject({ ok: false, error: { code: 'unauthorized' } });
  });

  it('answers malformed calls with invalid_request, never a throw', async () => {
    const { invoke, webContents } = setup();
    expect(await invoke(webContents, 'runs.get', { runId: 'x' })).toMatchObject({ ok: false, error: { code: 'invalid_request', issues: [{ path: 'runId' }] } });
    expect(await invoke(webContents, 42, {})).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
    expect(await invoke(webContents)).toMatchObject({ ok: false, error: { code: 'invalid_request' } });
  });

  it('pushes api events to the window as api:event', () => {
    const { emit, webContents } = setup();
    emit('runs.changed', { runId: 1, status: 'running' });
    expect(webContents.sent).toEqual([['api:event', 'runs.changed', { runId: 1, status: 'running' }]]);
  });

  it('keeps events through same-document navigation, drops them while another document loads, resumes once it is committed', () => {
    const { emit, webContents, listeners } = setup();
    webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: true, url: 'file:///index.html#/runs' });
    webContents.emit('did-start-navigation', { isMainFrame: false, isSameDocument: false, url: 'about:blank' });
    expect(listeners.size).toBe(1);
    webContents.emit('did-start-navigation', { isMainFrame: true, isSameDocument: false, url: 'file:///index.html' });
    expect(listeners.size).toBe(0);
    emit('runs.changed', { runId: 1, status: 'paused' });
    expect(webContents.sent).toEqual([]);
    webContents.emit('did-navigate', {}, 'file:///index.html', 200, 'OK');
    expect(listeners.size).toBe(1);
    webContents.emit('did-navigate', {}, 'file:///index.html', 200, 'OK');
    expect(listeners.size).toBe(1);
    emit('runs.changed', { runId: 1, status: 'running' });
    expect(webContents.sent).toHaveLength(1);
  });

  it("after 'destroyed': no more sends, the listener and the handler are gone, and a new window can register", async () => {
    const { emit, webContents, listeners, handlers, ipcMain, api } = setup();
    webContents.destroyed = true;
    webContents.emit('destroyed');
    expect(listeners.size).toBe(0);
    emit('runs.changed', { runId: 1, status: 'done' });
    expect(webContents.sent).toEqual([]);
    expect(handlers.has('api:call')).toBe(false);
    expect(ipcMain.removeHandler).toHaveBeenCalledWith('api:call');
    expect(webContents.listenerCount('did-start-navigation') + webContents.listenerCount('did-navigate') + webContents.listenerCount('destroyed')).toBe(0);
    // macOS re-creates the window on 'activate': the same channel registers again without a clash.
    const next = Object.assign(new EventEmitter(), { send: vi.fn(), isDestroyed: () => false });
    expect(() => registerIpcApi({ ipcMain: ipcMain as unknown as IpcMain, window: { webContents: next } as unknown as BrowserWindow, api, isAppUrl })).not.toThrow();
    expect(handlers.has('api:call')).toBe(true);
  });

  it('dispose removes everything, once', () => {
    const { dispose, listeners, handlers, ipcMain, webContents } = setup();
    dispose();
    dispose();
    expect(listeners.size).toBe(0);
    expect(handlers.size).toBe(0);
    expect(ipcMain.removeHandler).toHaveBeenCalledTimes(1);
    expect(webContents.listenerCount('destroyed')).toBe(0);
  });
});

/**
 * The Electron shell: one window, locked down, and nothing else. Everything the app does runs in
 * Electron-free code under core/, store/ and api/ (see DESIGN §4), so it is testable in plain Node.
 */
import { join } from 'node:path';
import { app, BrowserWindow, ipcMain, session, type IpcMainInvokeEvent } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/contentSecurityPolicy';

let mainWindow: BrowserWindow | null = null;

function createWindow(): BrowserWindow {
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    title: 'Align Workbench',
    show: false, // shown on ready-to-show, so the user never sees a blank white frame
    webPreferences: {
      preload: join(import.meta.dirname, '../preload/index.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
    },
  });
  win.once('ready-to-show', () => win.show());

  // The page is our bundle and nothing else: no navigating away (a link or a redirect would keep
  // window.api in a page we did not write), no popups.
  win.webContents.on('will-navigate', (event) => event.preventDefault());
  win.webContents.setWindowOpenHandler(() => ({ action: 'deny' }));

  // The dev server URL is honoured only unpackaged: in a shipped app an environment variable must not
  // be able to point a window that holds window.api at another page.
  const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
  if (devServerUrl && !app.isPackaged) void win.loadURL(devServerUrl);
  else void win.loadFile(join(import.meta.dirname, '../renderer/index.html'));

  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

/** IPC is answered for our own window only (not for any other webContents that might appear). */
function fromMainWindow(event: IpcMainInvokeEvent): boolean {
  return mainWindow !== null && BrowserWindow.fromWebContents(event.sender) === mainWindow;
}

void app.whenReady().then(() => {
  // Header copy of the CSP (the <meta> in index.html covers file:// pages, which skip this hook).
  session.defaultSession.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
  // The workbench needs no camera, microphone, notifications or geolocation.
  session.defaultSession.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));

  // The store, run outputs and settings live in the per-user app folder
  // (Linux: ~/.config/Align Workbench); the api layer will be opened on it here.
  const dataDir = app.getPath('userData');
  console.info(`Align Workbench data folder: ${dataDir}`);

  ipcMain.handle('app:version', (event) => {
    if (!fromMainWindow(event)) throw new Error('app:version: refused, the request did not come from the workbench window');
    return app.getVersion();
  });

  mainWindow = createWindow();
  app.on('activate', () => {
    // macOS: re-create the window when the dock icon is clicked and none is open.
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

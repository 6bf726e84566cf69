/**
 * The Electron shell: one window, locked down, and nothing else. Everything the app does runs in
 * Electron-free code under core/, store/, services/ and api/ (see the README's layout), so it is testable in plain Node.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { app, BrowserWindow, dialog, ipcMain, safeStorage, screen, session, shell } from 'electron';
import { CONTENT_SECURITY_POLICY } from '../shared/contentSecurityPolicy';
import { createApi, type Api } from './api/createApi';
import { createServices, type Services } from './services/createServices';
import { FILE_FILTERS } from './fileFilters';
import { guardWebContents } from './electronWebContents';
import { lockDownSession } from './electronSession';
import { checkoutReferenceDir, RESOURCES_DIR, referenceEnv, urialOfficialDir } from './paths';
import { createAppUrlCheck } from './transports/ipc/appUrl';
import { registerIpcApi } from './transports/ipc/registerIpcApi';
import { loadWindowState, saveWindowState } from './windowState';

let mainWindow: BrowserWindow | null = null;

// The dev server URL is honoured only unpackaged: in a shipped app an environment variable must not be able
// to point a window that holds window.api at another page.
const devServerUrl = process.env['ELECTRON_RENDERER_URL'];
const APP_URL = devServerUrl && !app.isPackaged ? devServerUrl : pathToFileURL(join(import.meta.dirname, '../renderer/index.html')).href;

// Registered before any window exists, so every webContents (ours or any added later) is locked down.
app.on('web-contents-created', (_event, contents) => guardWebContents(contents, { openExternal: (url) => shell.openExternal(url) }));
let backend: { services: Services; api: Api } | null = null;

function createWindow(): BrowserWindow {
  const stateFile = join(app.getPath('userData'), 'window-state.json');
  const saved = loadWindowState(stateFile, screen.getAllDisplays().map((d) => d.workArea));
  const win = new BrowserWindow({
    width: 1280,
    height: 840,
    ...saved.bounds,
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
  win.once('ready-to-show', () => {
    if (saved.maximized) win.maximize();
    win.show();
  });
  win.on('close', () => saveWindowState(stateFile, { bounds: win.getNormalBounds(), maximized: win.isMaximized() }));

  // Navigation, popups and <webview> are blocked for every webContents by guardWebContents (see below).
  void win.loadURL(APP_URL);

  win.on('closed', () => {
    if (mainWindow === win) mainWindow = null;
  });
  return win;
}

/** A window with the API wired to it: IPC is answered for this window only (not any other webContents). */
function openWindow(api: Api): BrowserWindow {
  const win = createWindow();
  registerIpcApi({
    ipcMain,
    window: win,
    api,
    isTrustedSender: (event) => BrowserWindow.fromWebContents(event.sender) === win,
    isAppUrl: createAppUrlCheck(APP_URL),
  });
  return win;
}

void app.whenReady().then(() => {
  lockDownSession(session.defaultSession, CONTENT_SECURITY_POLICY);

  // The store, run outputs and settings live in the per-user app folder (Linux: ~/.config/Align Workbench),
  // the same folder the CLI uses by default. Built, main runs from out/main/, so RESOURCES_DIR (from paths.ts)
  // is the checkout's resources/; packaged, resources ship as extra resources.
  const dataDir = app.getPath('userData');
  console.info(`Align Workbench data folder: ${dataDir}`);
  let services: Services;
  try {
    services = createServices({
      dataDir,
      resourcesDir: app.isPackaged ? process.resourcesPath : RESOURCES_DIR,
      urialOfficialDir: urialOfficialDir(),
      reference: { ...referenceEnv(), fallbackDir: checkoutReferenceDir() },
      watchStaleOwners: true,
      // Judges' API keys are stored only as OS-keychain ciphertext (base64), never in plaintext.
      secrets: {
        encrypt: (text) => {
          // On Linux without a keyring, Electron falls back to a hard-coded password ("basic_text"): not encryption.
          const weak = process.platform === 'linux' && safeStorage.getSelectedStorageBackend() === 'basic_text';
          if (!safeStorage.isEncryptionAvailable() || weak)
            throw new Error('The OS keychain is not available, so the API key cannot be stored encrypted. Put the key in an environment variable and give its name instead.');
          return safeStorage.encryptString(text).toString('base64');
        },
        decrypt: (blob) => safeStorage.decryptString(Buffer.from(blob, 'base64')),
      },
    });
  } catch (err) {
    // Without its store the app can do nothing: say why (e.g. the Electron build of better-sqlite3 is
    // missing, with the command that makes it) instead of showing an empty window.
    dialog.showErrorBox('Align Workbench could not open its data store', err instanceof Error ? err.message : String(err));
    app.exit(1);
    return;
  }
  const api = createApi(services, {
    transport: 'ipc',
    pickFile: async (kind) => {
      const options = { properties: ['openFile' as const], filters: [FILE_FILTERS[kind]] };
      const result = mainWindow ? await dialog.showOpenDialog(mainWindow, options) : await dialog.showOpenDialog(options);
      return result.canceled ? null : (result.filePaths[0] ?? null);
    },
  });
  backend = { services, api };

  mainWindow = openWindow(api);
  app.on('activate', () => {
    // macOS: re-create the window when the dock icon is clicked and none is open.
    if (BrowserWindow.getAllWindows().length === 0) mainWindow = openWindow(api);
  });
});

// Quitting pauses running work first (finished generations are already stored; paused runs resume where
// they stopped), then closes the model and the store. Quit is held back until that is done.
let shutdown: 'running' | 'stopping' | 'stopped' = 'running';
app.on('before-quit', (event) => {
  if (shutdown === 'stopped' || !backend) return;
  event.preventDefault();
  if (shutdown === 'stopping') return;
  shutdown = 'stopping';
  const { services } = backend;
  void (async () => {
    try {
      await services.close();
    } catch (err) {
      console.error('Align Workbench: error while shutting down:', err);
    } finally {
      shutdown = 'stopped';
      app.quit();
    }
  })();
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

// How `npm start` decides between the desktop app and browser mode, without waiting on a network that is not
// there: electron's installer (@electron/get) retries for over a minute offline (issue 14: ~95 s to the URL).
import { request } from 'node:https';
import { request as httpRequest } from 'node:http';

/** Where node-gyp fetches Electron's headers to build better-sqlite3 for Electron's ABI. */
export const ELECTRON_HEADERS_URL = 'https://electronjs.org/headers';

/** Where @electron/get fetches the binary: ELECTRON_MIRROR (or its npm config forms), else GitHub releases. */
export function electronDownloadBase(env = process.env) {
  return (
    env.npm_config_electron_mirror ||
    env.NPM_CONFIG_ELECTRON_MIRROR ||
    env.npm_package_config_electron_mirror ||
    env.ELECTRON_MIRROR ||
    'https://github.com/electron/electron/releases/download/'
  );
}

/**
 * Resolves with null when `url`'s server answers within `timeoutMs` (any HTTP status), else with the reason in
 * plain words. DNS, connect and the answer share the one deadline.
 */
export function probeServer(url, timeoutMs = 3000) {
  const { hostname, protocol } = new URL(url);
  return new Promise((resolve) => {
    const req = (protocol === 'http:' ? httpRequest : request)(url, { method: 'HEAD' });
    const timer = setTimeout(() => req.destroy(Object.assign(new Error('timeout'), { code: 'TIMEOUT' })), timeoutMs);
    req.on('response', (res) => {
      clearTimeout(timer);
      res.destroy();
      resolve(null);
    });
    req.on('error', (err) => {
      clearTimeout(timer);
      if (err.code === 'TIMEOUT') resolve(`${hostname} did not answer within ${timeoutMs / 1000} s`);
      else if (err.code === 'ENOTFOUND' || err.code === 'EAI_AGAIN') resolve(`${hostname} cannot be found (no DNS answer: offline?)`);
      else resolve(`${hostname} cannot be reached (${err.code ?? err.message})`);
    });
    req.end();
  });
}

/**
 * 'desktop', or 'browser' with why. Each step is injected (tests run the decision without a network):
 * `hasElectron()` the binary is on disk; `probe(url)` null when that server answers, else why not;
 * `downloadElectron()` true when electron's installer fetched it; `hasSqlite()` / `buildSqlite()` the same for
 * better-sqlite3 built for Electron's ABI (node-gyp fetches Electron's headers for it). A server that does not
 * answer the short probe is not tried at length.
 */
export async function chooseStartMode({ hasElectron, probe, downloadElectron, hasSqlite, buildSqlite, env = process.env }) {
  if (!hasElectron()) {
    const unreachable = await probe(electronDownloadBase(env));
    if (unreachable) return { mode: 'browser', reason: `the Electron binary cannot be fetched: ${unreachable}` };
    if (!downloadElectron() || !hasElectron()) return { mode: 'browser', reason: 'the Electron binary could not be downloaded' };
  }
  if (!hasSqlite()) {
    const unreachable = await probe(ELECTRON_HEADERS_URL);
    if (unreachable) return { mode: 'browser', reason: `the SQLite driver for Electron cannot be built: ${unreachable}` };
    if (!buildSqlite()) return { mode: 'browser', reason: 'the SQLite driver for Electron could not be built' };
  }
  return { mode: 'desktop' };
}

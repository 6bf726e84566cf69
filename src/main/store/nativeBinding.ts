/**
 * Which better-sqlite3 binary to load. better-sqlite3 is not N-API: its `.node` file only loads in
 * the runtime whose ABI (NODE_MODULE_VERSION) it was built for. Plain Node (tests, CLI) uses the
 * build in node_modules; Electron uses a second build made for Electron's ABI by
 * `npm run rebuild:electron` (scripts/rebuild-electron-sqlite.mjs), passed to better-sqlite3 as its
 * `nativeBinding` option. The two never replace each other, so no script can leave the wrong one behind.
 *
 * Electron-free on purpose (DESIGN §4: store never imports electron): it reads only `process`.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the Electron build lives, relative to the app root (dev) or to `process.resourcesPath` (packaged). */
export const ELECTRON_SQLITE_BINDING_PATH = join('native', 'electron', 'better_sqlite3.node');

/** The parts of Electron's `process` this module reads (Electron adds them to Node's `process`). */
export interface RuntimeInfo {
  versions: { electron?: string | undefined };
  /** Electron: the app's resources folder (packaged: where extra resources are shipped). */
  resourcesPath?: string | undefined;
  /** Electron: true when started as `electron <dir>` (development), absent in a packaged app. */
  defaultApp?: boolean | undefined;
}

/**
 * The `nativeBinding` path to hand to better-sqlite3: undefined under plain Node (use the package's
 * own build), the Electron-ABI build under Electron. Throws when running in Electron without it,
 * because loading the Node build there would fail later with a cryptic NODE_MODULE_VERSION error.
 */
export function resolveSqliteNativeBinding(
  runtime: RuntimeInfo = process as RuntimeInfo,
  appRoot?: string,
): string | undefined {
  const electron = runtime.versions.electron;
  if (electron === undefined) return undefined;

  const packaged = !runtime.defaultApp && runtime.resourcesPath !== undefined;
  const base = packaged ? (runtime.resourcesPath as string) : (appRoot ?? findAppRoot());
  const path = join(base, ELECTRON_SQLITE_BINDING_PATH);
  if (existsSync(path)) return path;
  throw new Error(
    `better-sqlite3 for Electron's ABI is missing: run \`npm run rebuild:electron\` on a machine with internet ` +
      `(it needs Electron ${electron}'s headers). Expected the binary at ${path}.`,
  );
}

/** Nearest folder above this module that holds a package.json: the project root, in dev and in out/. */
function findAppRoot(): string {
  const start = dirname(fileURLToPath(import.meta.url));
  for (let dir = start; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return start;
  }
}

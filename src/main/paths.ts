import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));

/** The repository (or unpacked app) root: src/main/ in development, out/main/ when built. */
export const APP_ROOT = resolve(here, '../..');

export const RESOURCES_DIR = join(APP_ROOT, 'resources');

/**
 * Where the store lives when neither --data-dir nor ALIGN_DATA_DIR says: the same folder as the desktop app's
 * user data, so the CLI and the app share one store.
 */
export function defaultDataDir(): string {
  const app = 'Align Workbench';
  if (process.platform === 'darwin') return join(homedir(), 'Library', 'Application Support', app);
  if (process.platform === 'win32') return join(process.env.APPDATA ?? join(homedir(), 'AppData', 'Roaming'), app);
  return join(process.env.XDG_CONFIG_HOME ?? join(homedir(), '.config'), app);
}

/**
 * The official URIAL prompt files (Apache-2.0, not shipped in this repository): ALIGN_URIAL_DIR, else the
 * checkout's sibling ../shared/data/urial_prompts when present.
 */
export function urialOfficialDir(): string | undefined {
  const candidates = [process.env.ALIGN_URIAL_DIR, join(APP_ROOT, '..', 'shared', 'data', 'urial_prompts')];
  return candidates.find((dir): dir is string => !!dir && existsSync(join(dir, 'inst_1k_v4.txt')));
}

/**
 * The reference files' environment: ALIGN_REFERENCE_DIR (a folder of official files, searched after the
 * setting) and ALIGN_REFERENCE_BASE_URL (tests only: fetch from a loopback server instead of GitHub).
 */
export function referenceEnv(): { envDir?: string; baseUrl?: string } {
  return { envDir: process.env.ALIGN_REFERENCE_DIR || undefined, baseUrl: process.env.ALIGN_REFERENCE_BASE_URL || undefined };
}

/**
 * The checkout's sibling ../shared/data (the official reference files' layout), the last place the reference
 * files are looked for, after the setting, ALIGN_REFERENCE_DIR and the data folder's copy; absent in a packaged app.
 */
export function checkoutReferenceDir(): string | undefined {
  const dir = join(APP_ROOT, '..', 'shared', 'data');
  return existsSync(dir) ? dir : undefined;
}

import { accessSync, constants, mkdirSync, statSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { AppSettings } from '../../../shared/app';
import type { SettingsRepo } from '../../store/SettingsRepo';

const DOWNLOAD_DIR = 'downloads.dir';
const REFERENCE_DIR = 'reference.dir';

/**
 * The app's settings with their defaults: downloads go to `<data folder>/models` unless the user chose a folder;
 * the reference folder is optional (the official files are also looked for in ALIGN_REFERENCE_DIR and
 * `<data folder>/reference`).
 */
export class AppSettingsService {
  constructor(
    private readonly settings: SettingsRepo,
    private readonly dataDir: string,
  ) {}

  read(): AppSettings {
    const stored = this.settings.get(DOWNLOAD_DIR);
    const reference = this.settings.get(REFERENCE_DIR);
    return {
      downloadDir: typeof stored === 'string' && stored ? stored : join(this.dataDir, 'models'),
      referenceDir: typeof reference === 'string' && reference ? reference : null,
    };
  }

  /**
   * Changes settings after checking them: the download folder must be an absolute path we can write to, the
   * reference folder an existing absolute folder (null clears it).
   */
  write(patch: { downloadDir?: string; referenceDir?: string | null }): AppSettings {
    if (patch.downloadDir !== undefined) this.settings.set(DOWNLOAD_DIR, usableDownloadFolder(patch.downloadDir));
    if (patch.referenceDir !== undefined) this.settings.set(REFERENCE_DIR, patch.referenceDir === null ? null : existingReferenceFolder(patch.referenceDir));
    return this.read();
  }
}

/** Checks a download folder (an absolute path we can write to, created if missing); returns it. */
export function usableDownloadFolder(dir: string): string {
  if (!isAbsolute(dir)) throw new Error(`The download folder must be an absolute path (got "${dir}").`);
  try {
    mkdirSync(dir, { recursive: true });
    accessSync(dir, constants.W_OK);
  } catch (err) {
    throw new Error(`Cannot use ${dir} as the download folder: ${err instanceof Error ? err.message : String(err)}. Choose a folder you can write to.`);
  }
  return dir;
}

/** Checks a reference folder: an absolute path to an existing folder (it is only read). */
function existingReferenceFolder(dir: string): string {
  if (!isAbsolute(dir)) throw new Error(`The reference folder must be an absolute path (got "${dir}").`);
  let isDir = false;
  try {
    isDir = statSync(dir).isDirectory();
  } catch {
    // Reported below with what to do.
  }
  if (!isDir) throw new Error(`The reference folder ${dir} does not exist or is not a folder. Choose the folder that holds urial_prompts/ and just_eval/.`);
  return dir;
}

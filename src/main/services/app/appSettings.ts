import { accessSync, constants, mkdirSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';
import type { AppSettings } from '../../../shared/app';
import type { SettingsRepo } from '../../store/SettingsRepo';

const DOWNLOAD_DIR = 'downloads.dir';

/** The app's settings with their defaults: downloads go to `<data folder>/models` unless the user chose a folder. */
export class AppSettingsService {
  constructor(
    private readonly settings: SettingsRepo,
    private readonly dataDir: string,
  ) {}

  read(): AppSettings {
    const stored = this.settings.get(DOWNLOAD_DIR);
    return { downloadDir: typeof stored === 'string' && stored ? stored : join(this.dataDir, 'models') };
  }

  /** Changes settings after checking them (the download folder must be an absolute path we can write to). */
  write(patch: Partial<AppSettings>): AppSettings {
    if (patch.downloadDir !== undefined) this.settings.set(DOWNLOAD_DIR, usableDownloadFolder(patch.downloadDir));
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

import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../../shared/domain';

/**
 * Where the shipped URIAL prompts live. Injected rather than hard-coded: the official files sit outside the
 * repository (Apache-2.0, never copied in) and `resources/` moves when the app is packaged.
 */
export interface UrialPromptDirs {
  /** Folder holding the official URIAL files (`inst_1k_v4.txt`…). Needed for English only. */
  officialDir?: string;
  /** The app's `resources/` folder; our own prompts are in `<resourcesDir>/prompts/urial/`. */
  resourcesDir: string;
}

/** The official file the URIAL authors recommend (K=3). */
export const DEFAULT_OFFICIAL_URIAL_FILE = 'inst_1k_v4.txt';

/** Our own prompt for language `xx` is `inst_1k_v4.xx.txt`: adding a language is adding a file. */
const OWN_FILE_RE = /^inst_1k_v4\.([a-z]{2,3})\.txt$/;

export function ownUrialPromptsDir(resourcesDir: string): string {
  return join(resourcesDir, 'prompts', 'urial');
}

/** Languages that have a shipped prompt file (English needs `officialDir`). */
export function listUrialPromptLangs(dirs: UrialPromptDirs): Lang[] {
  const own = existsSync(ownUrialPromptsDir(dirs.resourcesDir))
    ? readdirSync(ownUrialPromptsDir(dirs.resourcesDir)).flatMap((f) => {
        const m = OWN_FILE_RE.exec(f);
        return m?.[1] === undefined ? [] : [m[1]];
      })
    : [];
  const langs = dirs.officialDir === undefined ? own : ['en', ...own.filter((l) => l !== 'en')];
  return langs.sort();
}

/**
 * Path of the default URIAL prompt for `lang`: the official `inst_1k_v4.txt` for English, our own
 * `inst_1k_v4.<lang>.txt` otherwise. Does not check that the file is readable (prepare() does, with the path
 * in the message); throws only when no file is known for the language.
 */
export function resolveUrialPromptFile(lang: Lang, dirs: UrialPromptDirs): string {
  if (lang === 'en') {
    if (dirs.officialDir === undefined) {
      throw new Error(
        `No English URIAL prompt: the folder of the official URIAL files is not configured. ` +
          `Set it (it holds ${DEFAULT_OFFICIAL_URIAL_FILE}) or choose a prompt file explicitly.`,
      );
    }
    return join(dirs.officialDir, DEFAULT_OFFICIAL_URIAL_FILE);
  }
  const file = join(ownUrialPromptsDir(dirs.resourcesDir), `inst_1k_v4.${lang}.txt`);
  if (!existsSync(file)) {
    const known = listUrialPromptLangs(dirs);
    throw new Error(
      `No shipped URIAL prompt for language "${lang}" (looked for ${file}). ` +
        `Available: ${known.length > 0 ? known.join(', ') : 'none'}. Choose a prompt file explicitly, ` +
        `or add inst_1k_v4.${lang}.txt (see resources/prompts/urial/README.md).`,
    );
  }
  return file;
}

import { readdir, realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';

/** Enough for any real model folder; a scan of "/" by mistake stops instead of walking the whole disk. */
export const MAX_SCAN_FILES = 10_000;
const MAX_DEPTH = 12;

/**
 * Every *.gguf file under `folder` (recursive, sorted). Symbolic links to folders are followed once: a link
 * cycle is skipped by remembering real paths. Unreadable sub-folders are reported, not fatal.
 */
export async function findGgufFiles(folder: string): Promise<{ files: string[]; skipped: { path: string; reason: string }[]; truncated: boolean }> {
  const files: string[] = [];
  const skipped: { path: string; reason: string }[] = [];
  const seen = new Set<string>();
  let truncated = false;

  const walk = async (dir: string, depth: number): Promise<void> => {
    if (truncated) return;
    let real: string;
    let entries;
    try {
      real = await realpath(dir);
      if (seen.has(real)) return;
      seen.add(real);
      entries = await readdir(dir, { withFileTypes: true });
    } catch (err) {
      const reason = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
      // The folder asked for must be readable; a sub-folder that is not is skipped and reported.
      if (depth === 0) throw new Error(`Cannot read the folder ${dir}: ${reason}. Check the path.`);
      skipped.push({ path: dir, reason });
      return;
    }
    for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
      const path = join(dir, e.name);
      // A link counts as what it points to (a dangling link is neither). A loop of links named *.gguf is
      // reported: the researcher meant it to be a model.
      const target = e.isSymbolicLink()
        ? await stat(path).catch((err: NodeJS.ErrnoException) => {
            if (err.code === 'ELOOP' && /\.gguf$/i.test(e.name)) skipped.push({ path, reason: 'ELOOP (symbolic link loop)' });
            return null;
          })
        : e;
      if (!target) continue;
      if (target.isDirectory()) {
        if (depth < MAX_DEPTH && !e.name.startsWith('.')) await walk(path, depth + 1);
      } else if (target.isFile() && /\.gguf$/i.test(e.name)) {
        if (files.length >= MAX_SCAN_FILES) {
          truncated = true;
          return;
        }
        files.push(path);
      }
    }
  };
  await walk(folder, 0);
  return { files, skipped, truncated };
}

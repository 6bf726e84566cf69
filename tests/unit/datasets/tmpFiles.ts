import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Repository-relative locations used by the dataset tests. */
const here = path.dirname(fileURLToPath(import.meta.url));
export const FIXTURES = path.resolve(here, '../../fixtures/datasets');
/** The shared data lives next to the repository, never inside it. */
export const JUST_EVAL_DIR = path.resolve(here, '../../../../shared/data/just_eval');
export const JUST_EVAL_FILE = path.join(JUST_EVAL_DIR, 'just_eval_instruct_en.jsonl');
export const LITE_IDS_FILE = path.join(JUST_EVAL_DIR, 'lite_subset_ids.json');

/** A scratch directory per test file; `cleanup` goes in afterAll. */
export function scratchDir(): { write: (name: string, content: string) => string; cleanup: () => void } {
  const dir = mkdtempSync(path.join(tmpdir(), 'aw-datasets-'));
  return {
    write: (name, content) => {
      const file = path.join(dir, name);
      writeFileSync(file, content, 'utf8');
      return file;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `fn`, expecting a throw, and returns the error for detailed assertions. */
export function caught(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected the call to throw');
}

import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root. */
export const REPO = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
/** Test assets live beside the checkout in ../shared and are never copied into the repository. */
export const SHARED = resolve(REPO, '..', 'shared');
export const STORIES = join(SHARED, 'models', 'stories260K.gguf');
export const STORIES_CHATML = join(SHARED, 'models', 'stories260K-chatml.gguf');
export const VOCAB_PHI3 = join(SHARED, 'models', 'ggml-vocab-phi-3.gguf');
export const JUST_EVAL_EN = join(SHARED, 'data', 'just_eval', 'just_eval_instruct_en.jsonl');
export const URIAL_DIR = join(SHARED, 'data', 'urial_prompts');

if (!existsSync(STORIES)) {
  // Fail loudly rather than skip: a model suite that silently runs nothing would report green.
  throw new Error(`Test assets not found at ${SHARED}. Check out the shared/ folder next to this repository.`);
}

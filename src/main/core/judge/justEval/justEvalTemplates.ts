import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DatasetError } from '../../datasets/DatasetError';
import { readPythonStringConstant } from './readPythonStringConstant';
import { substitutePythonTemplate } from './substitutePythonTemplate';

/** The two judge modes of just-eval's evaluate.py: `score_multi` for regular items, `score_safety` for the safety split. */
export const JUST_EVAL_MODES = ['score_multi', 'score_safety'] as const;
export type JustEvalMode = (typeof JUST_EVAL_MODES)[number];

/** The official template files (just-eval `src/just_eval/`), found in the reference-files folder, and their constants. */
export const JUST_EVAL_TEMPLATE_FILES: Record<JustEvalMode, { file: string; constant: string }> = {
  score_multi: { file: '_MULTI_SCORE_TEMPLATE.py', constant: 'MULTI_SCORE_TEMPLATE' },
  score_safety: { file: '_SAFETY_SCORE_TEMPLATE.py', constant: 'SAFETY_SCORE_TEMPLATE' },
};

/**
 * How the reference judge was called (DESIGN §2; just-eval's utils.openai_chat_request and evaluate.py defaults):
 * this system message, the filled template as the only user message, temperature 0, at most 1024 tokens.
 */
export const JUST_EVAL_SYSTEM_MESSAGE = 'You are an AI assistant that helps people find information.';
export const JUST_EVAL_TEMPERATURE = 0;
export const JUST_EVAL_MAX_TOKENS = 1024;

export interface JustEvalTemplate {
  mode: JustEvalMode;
  /** The decoded template, `${instruction}` / `${candidate}` placeholders included. */
  text: string;
  path: string;
  /** Of the file as read: recorded with each call so a modified template is visible. */
  sha256: string;
}

export type JustEvalTemplates = Record<JustEvalMode, JustEvalTemplate>;

/**
 * Reads both official templates from `dir` (the reference-files folder) at call time: the text is never copied
 * into the repository or the store. A missing file says which and where.
 */
export function loadJustEvalTemplates(dir: string): JustEvalTemplates {
  const load = (mode: JustEvalMode): JustEvalTemplate => {
    const { file, constant } = JUST_EVAL_TEMPLATE_FILES[mode];
    const path = join(dir, file);
    let bytes: Buffer;
    try {
      bytes = readFileSync(path);
    } catch (err) {
      throw new DatasetError({
        file: path,
        problem: `cannot read the official Just-Eval template (${(err as NodeJS.ErrnoException).code ?? String(err)})`,
        fix: `Put just-eval's ${file} in the reference-files folder (${dir}), or fetch the official files.`,
      });
    }
    const text = readPythonStringConstant(bytes.toString('utf8'), constant, path);
    return { mode, text, path, sha256: createHash('sha256').update(bytes).digest('hex') };
  };
  return { score_multi: load('score_multi'), score_safety: load('score_safety') };
}

/** The judge messages for one item, as evaluate.py's score_eval builds them (`shorten` is a no-op there: K = -1). */
export function buildJustEvalPrompt(template: JustEvalTemplate, instruction: string, output: string): { system: string; user: string } {
  return {
    system: JUST_EVAL_SYSTEM_MESSAGE,
    user: substitutePythonTemplate(template.text, { instruction, candidate: output }, template.path),
  };
}

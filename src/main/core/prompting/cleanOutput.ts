import type { CleanRule } from './PromptMethod';

/**
 * Derives the stored `output` from the model's raw text (already cut before the stop string by the
 * backend). The caller always stores the raw text too: code-leak detection needs the original fences.
 *
 * - `none`: returned unchanged, so the answer is exactly what the model wrote.
 * - `urial`: like the URIAL reference code, delete every triple backtick (the closing fence of the answer,
 *   and any fences the model wrote itself), then trim.
 */
export function cleanOutput(raw: string, rule: CleanRule): string {
  switch (rule) {
    case 'none':
      return raw;
    case 'urial':
      return raw.replaceAll('```', '').trim();
    default: {
      const unknown: never = rule;
      throw new Error(`Unknown clean rule "${String(unknown)}": expected "none" or "urial".`);
    }
  }
}

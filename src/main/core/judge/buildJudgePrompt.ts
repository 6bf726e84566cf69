import type { Lang } from '../../../shared/domain';
import type { RubricInfo } from '../../../shared/judging';

/** What is judged: the item's instruction, the generation's output and the generation's language code. */
export interface JudgePromptInput {
  instruction: string;
  output: string;
  lang: Lang;
}

export interface JudgePrompt {
  /** The exact messages to send (and to store with the call). */
  prompt: { system: string; user: string };
  /** The language the prompt is written in. */
  lang: Lang;
  /** The language asked for when the rubric has no prompt in it (then `lang` is "en"); else null. */
  fallbackFrom: Lang | null;
}

/** The prompt language of a rubric for a wanted language: the wanted one when the rubric has it, else English. */
export function resolvePromptLang(rubric: RubricInfo, wanted: Lang): { lang: Lang; fallbackFrom: Lang | null } {
  // The official Just-Eval templates exist in English only, and live in files, not in `prompts`.
  if (rubric.promptSource === 'just-eval-official') return { lang: 'en', fallbackFrom: wanted === 'en' ? null : wanted };
  if (rubric.prompts[wanted]) return { lang: wanted, fallbackFrom: null };
  if (!rubric.prompts.en) throw new Error(`Rubric "${rubric.version}" has no English prompt, which every rubric needs. Edit it to add one.`);
  return { lang: 'en', fallbackFrom: wanted };
}

/**
 * The judge messages for one generation, in `lang` (or English when the rubric has no prompt in that language).
 * Placeholders are filled in one pass, so text inside the instruction or output that looks like a placeholder
 * stays as it is. Closing delimiter tags inside that untrusted text are neutralized, so an output cannot end its
 * own <response> block and pose as the prompt.
 */
export function buildJudgePrompt(rubric: RubricInfo, lang: Lang, input: JudgePromptInput): JudgePrompt {
  const resolved = resolvePromptLang(rubric, lang);
  const template = rubric.prompts[resolved.lang]!;
  const values: Record<string, string> = {
    instruction: neutralizeTags(input.instruction),
    output: neutralizeTags(input.output),
    language: languageName(input.lang, resolved.lang),
    aspects: rubric.aspects.map((a) => `"${a}"`).join(', '),
  };
  const fill = (text: string) => text.replace(PLACEHOLDER, (_, name: string) => values[name]!);
  return { prompt: { system: fill(template.system), user: fill(template.user) }, ...resolved };
}

const PLACEHOLDER = /\{(instruction|output|language|aspects)\}/g;
/** The delimiters the built-in prompts put around untrusted text. */
const CLOSING_TAG = /<(\s*\/\s*(?:instruction|response)\s*)>/gi;

function neutralizeTags(text: string): string {
  return text.replace(CLOSING_TAG, (_, inner: string) => `<${inner.replace('/', '\\/')}>`);
}

/** "French" in an English prompt, "français" in a French one; the code itself when ICU does not know it. */
function languageName(code: Lang, inLang: Lang): string {
  try {
    return new Intl.DisplayNames([inLang], { type: 'language' }).of(code) ?? code;
  } catch {
    return code;
  }
}

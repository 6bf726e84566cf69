import { readFileSync } from 'node:fs';
import type { Lang } from '../../../shared/domain';
import { parseUrialFile } from './parseUrialFile';
import type { ParsedUrialFile } from './parseUrialFile';
import { normalizeNewlines } from './urial';

/**
 * The language a prompt is actually in, so a run never says "fr" while its URIAL prompt is English.
 *
 * Pure: the language identifier is passed in (core/detectors' `identifyLanguage`, fastText lid.176), so this
 * module stays free of the model and is testable with the real identifier or any other.
 */

export interface LanguageGuess {
  lang: Lang;
  /** The identifier's probability for `lang`, 0–1. */
  confidence: number;
}

export type IdentifyLanguage = (text: string) => Promise<LanguageGuess>;

/**
 * Below this, a detected language is not trusted enough to contradict a declaration, nor to stand alone: the
 * user is asked to declare the language.
 */
export const PROMPT_LANG_MIN_CONFIDENCE = 0.8;

/**
 * The natural-language text of a URIAL file: header and examples without the headings and fences, which are
 * English words ("# Query:", "# Answer:") even in a translated file.
 */
export function urialPromptProse(parsed: ParsedUrialFile): string {
  return [parsed.header.replace(/^#.*$/gm, ''), ...parsed.examples.flatMap((e) => [e.query, e.answer])]
    .join('\n')
    .replaceAll('```', ' ');
}

/** Detects the language of a URIAL prompt file from its prose. */
export function detectPromptFileLanguage(parsed: ParsedUrialFile, identify: IdentifyLanguage): Promise<LanguageGuess> {
  return identify(urialPromptProse(parsed));
}

export type PromptLangSource = 'declared' | 'detected';

export interface PromptLanguageInput {
  /** Where the prompt came from, for messages (a path). */
  source: string;
  datasetLang: Lang;
  /** Declared by the user, or known for a shipped file (`inst_1k_v4.fr.txt`, the official English files). */
  declared?: Lang;
  detected?: LanguageGuess;
  /** The user asked explicitly for a prompt in another language than the items. */
  allowMismatch: boolean;
}

export interface PromptLanguageDecision {
  promptLang: Lang;
  promptLangSource: PromptLangSource;
  /** True when the prompt's language differs from the items' (allowed only on request; labelled). */
  mismatch: boolean;
}

/**
 * Decides the prompt language of a run, or throws a message saying what is wrong and what to do:
 * - a declaration wins, unless the text confidently reads as another language (a wrong declaration would make
 *   the record lie just as silently);
 * - without one, a confident detection is used (and shown in the plan for the user to confirm);
 * - a prompt in another language than the items needs `allowMismatch`.
 */
export function decidePromptLanguage(input: PromptLanguageInput): PromptLanguageDecision {
  const { source, datasetLang, declared, detected } = input;
  const confident = detected !== undefined && detected.confidence >= PROMPT_LANG_MIN_CONFIDENCE ? detected : undefined;
  if (declared !== undefined && confident !== undefined && confident.lang !== declared) {
    throw new Error(
      `The prompt ${source} is declared "${declared}" but its text reads as "${confident.lang}" ` +
        `(${percent(confident.confidence)} confidence). Correct the declared prompt language, or choose the "${declared}" prompt file.`,
    );
  }
  const promptLang = declared ?? confident?.lang;
  if (promptLang === undefined) {
    const guess = detected === undefined ? 'no detection' : `best guess "${detected.lang}" at ${percent(detected.confidence)}`;
    throw new Error(
      `Cannot tell the language of the prompt ${source} (${guess}). Declare its language (prompt language setting, --prompt-lang).`,
    );
  }
  const mismatch = promptLang !== datasetLang;
  if (mismatch && !input.allowMismatch) {
    throw new Error(
      `The prompt ${source} is in "${promptLang}" but the dataset is "${datasetLang}". Choose a "${datasetLang}" prompt, ` +
        `or allow a "${promptLang}" prompt on "${datasetLang}" items explicitly (--allow-prompt-lang-mismatch); ` +
        `the run is then labelled "URIAL (${promptLang} prompt)".`,
    );
  }
  return { promptLang, promptLangSource: declared !== undefined ? 'declared' : 'detected', mismatch };
}

function percent(p: number): string {
  return `${Math.round(p * 100)}%`;
}

export interface UrialPromptLanguageRequest {
  path: string;
  datasetLang: Lang;
  declared?: Lang;
  allowMismatch: boolean;
  identify: IdentifyLanguage;
}

/**
 * The prompt-language decision for a URIAL prompt file, with what was detected, as the run records it
 * (`describe` entries). Reads and parses the file (an unreadable or malformed file fails here, at planning).
 */
export async function decideUrialPromptLanguage(
  request: UrialPromptLanguageRequest,
): Promise<PromptLanguageDecision & { describe: Record<string, string> }> {
  const parsed = parseUrialFile(normalizeNewlines(readFileSync(request.path, 'utf8')), request.path);
  const detected = await detectPromptFileLanguage(parsed, request.identify);
  const decision = decidePromptLanguage({ ...request, source: request.path, detected });
  return {
    ...decision,
    describe: {
      promptLang: decision.promptLang,
      promptLangSource: decision.promptLangSource,
      promptLangDetected: `${detected.lang} ${detected.confidence.toFixed(3)}`,
      ...(decision.mismatch && { promptLangMismatch: `allowed: ${decision.promptLang} prompt on ${request.datasetLang} items` }),
    },
  };
}

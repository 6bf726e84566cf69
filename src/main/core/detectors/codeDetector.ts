import { isCodeLine } from './isCodeLine';
import hljs from 'highlight.js/lib/common';
import type { Detector, DetectorInput, DetectorResult, Finding } from './Detector';
import { fenceLayout, splitLines, type RawLine } from './fences';

/** Thresholds of the code detector (settings, so they can be re-tuned from stored signals). */
export type CodeSettings = {
  /** Unfenced code needs at least this many code-like lines... */
  minCodeLines: number;
  /** ...making up at least this share of the non-empty lines outside fences. */
  minCodeLineRatio: number;
  /** ...or a run of at least this many consecutive code-like lines (blank lines do not break it): code after prose. */
  minCodeRun: number;
  /** A fenced block without a language tag is code when this share of its lines look like code. */
  minBlockCodeRatio: number;
  /** highlight.js relevance from which its language guess is trusted (prose scores ≈ 1, code 4+). */
  minRelevance: number;
  /** Score multiplier when the task types are unknown (null): code may be intended. */
  unknownTaskFactor: number;
};

/** The languages highlight.js may guess: common ones only, so prose is not matched to an exotic grammar. */
const HLJS_SUBSET = ['javascript', 'typescript', 'python', 'java', 'c', 'cpp', 'csharp', 'go', 'rust', 'php', 'ruby', 'sql', 'bash', 'xml', 'css', 'json'];

/** Fence tags that announce prose, not code. */
const NON_CODE_TAGS = new Set(['', 'text', 'txt', 'plaintext', 'markdown', 'md', 'plain']);

/**
 * Bare JSON: a line opening with `{` or `[` up to the first later line (closing with `}` or `]`) that
 * makes the span parse, when it holds at least one key or two values (a lone "[1]" is prose). Returns the
 * line ranges [from, to] inclusive.
 */
function bareJson(lines: readonly RawLine[], fenced: ReadonlySet<number>): [number, number][] {
  const found: [number, number][] = [];
  for (let i = 0; i < lines.length; i++) {
    if (fenced.has(i) || !/^\s*[{[]/.test(lines[i]!.text)) continue;
    for (let j = i; j < lines.length && j < i + 400 && !fenced.has(j); j++) {
      if (!/[}\]]\s*,?\s*$/.test(lines[j]!.text)) continue;
      const text = lines.slice(i, j + 1).map((l) => l.text).join('\n').replace(/,\s*$/, '');
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        continue;
      }
      const size = Array.isArray(value) ? value.length : value && typeof value === 'object' ? Object.keys(value).length : 0;
      if (j > i && size >= 1 && (!Array.isArray(value) || size >= 2 || typeof value[0] === 'object')) {
        found.push([i, j]);
        i = j;
      }
      break;
    }
  }
  return found;
}

/** Longest run of code-like lines, blank lines not breaking it: code written after prose shows as one run. */
function longestRun(lines: readonly RawLine[], isCode: (i: number) => boolean, outside: (i: number) => boolean): number {
  let best = 0;
  let run = 0;
  for (let i = 0; i < lines.length; i++) {
    if (!outside(i) || lines[i]!.text.trim() === '') continue;
    // An indented line right after code is the body of that code ("    return items"), whatever it looks like.
    run = isCode(i) || (run > 0 && /^(\s{2,}|\t)\S/.test(lines[i]!.text)) ? run + 1 : 0;
    best = Math.max(best, run);
  }
  return best;
}

/** Instructions that ask for code or a data format ("Output in JSON", "write a SQL query", "in HTML"): code is then the answer. */
const ASKS_FOR_CODE = /\b(json|yaml|xml|html|css|sql|regex|regular expression|latex|code|script|program|function|python|javascript|typescript|java|c\+\+|bash|shell|command|markdown|csv|tsv|abc notation)\b/i;

/**
 * Finds code in the RAW output: fenced blocks with code content, and unfenced code (bare JSON, runs
 * of code-like lines such as SQL, shell, markup, code after prose); highlight.js guesses the language.
 * A raw URIAL output starts inside the answer fence (fences.ts): its first fence closes the answer.
 * Code is a leak unless the item is a coding task or the instruction asks for code or a data format;
 * with unknown task types the finding says "task type unknown" instead of guessing.
 */
/** Synchronous: the intersection keeps `detect`'s plain return type for callers that know the detector. */
export const codeDetector: { detect(input: DetectorInput, settings: CodeSettings): DetectorResult } & Detector<CodeSettings> = {
  name: 'code',
  version: '2.0.0',
  defaultSettings: {
    minCodeLines: 3,
    minCodeLineRatio: 0.3,
    minCodeRun: 4,
    minBlockCodeRatio: 0.3,
    minRelevance: 3,
    unknownTaskFactor: 0.5,
  },
  detect(input: DetectorInput, s: CodeSettings): DetectorResult {
    const lines = splitLines(input.outputRaw);
    const layout = fenceLayout(lines);
    const blocks = layout.blocks.map((b) => ({
      start: lines[b.open]!.start,
      end: lines[Math.min(b.close, lines.length - 1)]!.end,
      tag: b.tag,
      lines: lines.slice(b.open + 1, b.close),
    }));

    const codeBlocks = blocks.filter((b) => {
      const nonEmpty = b.lines.filter((l) => l.text.trim() !== '');
      const ratio = nonEmpty.length ? nonEmpty.filter((l) => isCodeLine(l.text)).length / nonEmpty.length : 0;
      return nonEmpty.length > 0 && (!NON_CODE_TAGS.has(b.tag) || ratio >= s.minBlockCodeRatio);
    });

    const json = bareJson(lines, layout.fenced);
    const inJson = new Set(json.flatMap(([a, b]) => Array.from({ length: b - a + 1 }, (_, k) => a + k)));
    const isOutside = (i: number) => !layout.fenced.has(i);
    const isCode = (i: number) => inJson.has(i) || isCodeLine(lines[i]!.text);
    const outside = lines.filter((l, i) => isOutside(i) && l.text.trim() !== '');
    const codeLines = lines.filter((l, i) => isOutside(i) && l.text.trim() !== '' && isCode(i));
    const codeLineRatio = outside.length ? codeLines.length / outside.length : 0;
    const run = longestRun(lines, isCode, isOutside);
    const unfencedCode = json.length > 0 || run >= s.minCodeRun || (codeLines.length >= s.minCodeLines && codeLineRatio >= s.minCodeLineRatio);

    const codeText = [
      ...codeBlocks.map((b) => b.lines.map((l) => l.text).join('\n')),
      ...(unfencedCode ? codeLines.map((l) => l.text) : []),
    ].join('\n');
    const guess = codeText.trim() ? hljs.highlightAuto(codeText, HLJS_SUBSET) : null;
    const relevance = guess?.relevance ?? 0;
    const language = guess && relevance >= s.minRelevance ? (guess.language ?? null) : null;
    const tagLanguage = codeBlocks.find((b) => !NON_CODE_TAGS.has(b.tag))?.tag ?? null;

    const hasCode = codeBlocks.length > 0 || unfencedCode;
    // Code is intended for coding tasks, and whenever the instruction asks for code or a data format.
    const asked = ASKS_FOR_CODE.test(input.instruction);
    const intended = asked || input.taskTypes?.includes('coding') ? true : input.taskTypes === null ? null : false;

    const findings: Finding[] = [];
    if (hasCode && intended !== true) {
      const spans = [
        ...codeBlocks.map((b) => ({ start: b.start, end: b.end })),
        ...(unfencedCode ? codeLines.map((l) => ({ start: l.start, end: l.end })) : []),
      ].sort((a, b) => a.start - b.start);
      // A language tag or a confident highlight.js guess makes the finding surer.
      const base = tagLanguage || language ? 0.9 : 0.7;
      const score = intended === null ? base * s.unknownTaskFactor : base;
      const parts = [
        codeBlocks.length ? `${codeBlocks.length} fenced code block(s)` : '',
        unfencedCode ? `${codeLines.length} code-like line(s) of ${outside.length}` : '',
      ].filter(Boolean);
      findings.push({
        label: 'code-leak',
        detector: codeDetector.name,
        version: codeDetector.version,
        score: Math.round(score * 10_000) / 10_000,
        evidence: {
          spans,
          note: `${parts.join(' and ')}${tagLanguage ?? language ? ` (${tagLanguage ?? language})` : ''}${intended === null ? '; task type unknown' : ' in a non-coding task'}`,
        },
      });
    }

    return {
      detector: codeDetector.name,
      version: codeDetector.version,
      signals: {
        fences: layout.fences,
        startedInsideFence: layout.startedInside,
        bareJson: json.length,
        codeRun: run,
        askedForCode: asked,
        fencedBlocks: blocks.length,
        codeBlocks: codeBlocks.length,
        fenceLanguage: tagLanguage,
        linesOutsideFences: outside.length,
        codeLines: codeLines.length,
        codeLineRatio: Math.round(codeLineRatio * 10_000) / 10_000,
        hljsLanguage: guess?.language ?? null,
        hljsRelevance: relevance,
        language,
        hasCode,
        intended,
      },
      findings,
    };
  },
};

import { isCodeLine } from './isCodeLine';
import hljs from 'highlight.js/lib/common';
import type { Detector, DetectorInput, DetectorResult, Finding } from './Detector';

/** Thresholds of the code detector (settings, so they can be re-tuned from stored signals). */
export type CodeSettings = {
  /** Unfenced code needs at least this many code-like lines... */
  minCodeLines: number;
  /** ...making up at least this share of the non-empty lines outside fences. */
  minCodeLineRatio: number;
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

interface LineInfo {
  text: string;
  start: number;
  end: number;
}

function splitLines(text: string): LineInfo[] {
  const lines: LineInfo[] = [];
  let start = 0;
  for (const part of text.split('\n')) {
    lines.push({ text: part, start, end: start + part.length });
    start += part.length + 1;
  }
  return lines;
}


const FENCE = /^\s*```\s*([\w+#.-]*)\s*$/;

interface Block {
  start: number;
  end: number;
  tag: string;
  lines: LineInfo[];
}

/**
 * Finds code in the RAW output: fenced blocks with code content, and code-like lines outside
 * fences; highlight.js guesses the programming language. URIAL's prompt opens a fence itself, so
 * the raw answer may end with one lone closing ``` — a fence with nothing after it opens no block
 * and is not code. Code is a leak unless the item's task types include `coding`.
 */
/** Synchronous: the intersection keeps `detect`'s plain return type for callers that know the detector. */
export const codeDetector: { detect(input: DetectorInput, settings: CodeSettings): DetectorResult } & Detector<CodeSettings> = {
  name: 'code',
  version: '1.0.0',
  defaultSettings: {
    minCodeLines: 3,
    minCodeLineRatio: 0.3,
    minBlockCodeRatio: 0.3,
    minRelevance: 3,
    unknownTaskFactor: 0.5,
  },
  detect(input: DetectorInput, s: CodeSettings): DetectorResult {
    const lines = splitLines(input.outputRaw);

    // Pair fences in order. An opener with no non-blank line after it is URIAL's closer (or a
    // stray fence) and opens nothing; an opener without a closer runs to the end (cut by max tokens).
    const blocks: Block[] = [];
    const inFence = new Set<number>();
    let fences = 0;
    let i = 0;
    while (i < lines.length) {
      const open = FENCE.exec(lines[i]!.text);
      if (!open) {
        i++;
        continue;
      }
      fences++;
      let j = i + 1;
      while (j < lines.length && !FENCE.test(lines[j]!.text)) j++;
      const body = lines.slice(i + 1, j);
      if (!body.some((l) => l.text.trim() !== '')) {
        // Nothing in it: URIAL's closing fence, or a stray one. The next fence (if any) is looked at on its own.
        inFence.add(i);
        i++;
        continue;
      }
      const closed = j < lines.length;
      if (closed) fences++;
      const last = closed ? j : lines.length - 1;
      blocks.push({ start: lines[i]!.start, end: lines[last]!.end, tag: (open[1] ?? '').toLowerCase(), lines: body });
      for (let k = i; k <= last; k++) inFence.add(k);
      i = last + 1;
    }

    const codeBlocks = blocks.filter((b) => {
      const nonEmpty = b.lines.filter((l) => l.text.trim() !== '');
      const ratio = nonEmpty.length ? nonEmpty.filter((l) => isCodeLine(l.text)).length / nonEmpty.length : 0;
      return !NON_CODE_TAGS.has(b.tag) || ratio >= s.minBlockCodeRatio;
    });

    const outside = lines.filter((l, i) => !inFence.has(i) && l.text.trim() !== '');
    const codeLines = outside.filter((l) => isCodeLine(l.text));
    const codeLineRatio = outside.length ? codeLines.length / outside.length : 0;
    const unfencedCode = codeLines.length >= s.minCodeLines && codeLineRatio >= s.minCodeLineRatio;

    const codeText = [
      ...codeBlocks.map((b) => b.lines.map((l) => l.text).join('\n')),
      ...(unfencedCode ? codeLines.map((l) => l.text) : []),
    ].join('\n');
    const guess = codeText.trim() ? hljs.highlightAuto(codeText, HLJS_SUBSET) : null;
    const relevance = guess?.relevance ?? 0;
    const language = guess && relevance >= s.minRelevance ? (guess.language ?? null) : null;
    const tagLanguage = codeBlocks.find((b) => !NON_CODE_TAGS.has(b.tag))?.tag ?? null;

    const hasCode = codeBlocks.length > 0 || unfencedCode;
    const intended = input.taskTypes === null ? null : input.taskTypes.includes('coding');

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
          note: `${parts.join(' and ')}${tagLanguage ?? language ? ` (${tagLanguage ?? language})` : ''}${intended === null ? '; task types unknown' : ' in a non-coding task'}`,
        },
      });
    }

    return {
      detector: codeDetector.name,
      version: codeDetector.version,
      signals: {
        fences,
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

import { gzipSync } from 'node:zlib';
import type { Detector, DetectorInput, DetectorResult, Finding } from './Detector';
import { wordTokens } from '../../../shared/wordTokens';

/**
 * Thresholds of the loop detector. All are settings so they can be re-tuned from the stored
 * signals without re-running generation.
 */
export type LoopSettings = {
  /** Longest repeating unit (characters) the suffix search tries; a paragraph loop fits in 600. */
  maxUnitChars: number;
  /** A repeated tail needs at least this many copies of its unit to count. */
  minRepeats: number;
  /** ...and must cover at least this share of the (trimmed) raw output. */
  minSuffixCoverage: number;
  /** "High repetition": rep-4 at or above this... */
  rep4Min: number;
  /** ...or a gzip compression ratio at or above this. */
  compressionMin: number;
  /**
   * Repetition so high it is a loop even without the max-tokens / exact-suffix evidence (a model
   * that loops with a drifting counter and then happens to emit EOS). Needs `strongMinTokens`.
   */
  strongRep4Min: number;
  /** ...or a compression ratio this high (prose is ≈ 1.5–2.5; a 30-step counter loop ≈ 13). */
  strongCompressionMin: number;
  strongMinTokens: number;
  /**
   * A repeated tail whose unit spans lines and is mostly symbols (box drawing, Braille, ASCII art) is a
   * picture, not a loop, while it covers fewer characters than this; a runaway picture is still a loop.
   */
  pictureMaxChars: number;
  /** A list of at least this many items spanning `runawayMinChars` is a runaway (unless the instruction asks for that many). */
  runawayMinItems: number;
  runawayMinChars: number;
  /** Symbols without words (a broken grid, "| | |") compressing at least this well over `pictureMaxChars` characters are a loop. */
  symbolRunCompressionMin: number;
};

const LIST_ITEM = /^\s*(\d+[.)]|[-*•])\s+\S/;

/**
 * A list that keeps going: many items over thousands of characters, more than the instruction asked for
 * ("Write 50 short stories" makes 50 items legitimate). Returns the items' count and where the list starts.
 */
function runawayList(raw: string, instruction: string, s: LoopSettings): { items: number; start: number } | null {
  let items = 0;
  let first = -1;
  let offset = 0;
  for (const line of raw.split('\n')) {
    if (LIST_ITEM.test(line)) {
      items++;
      if (first < 0) first = offset;
    }
    offset += line.length + 1;
  }
  if (items < s.runawayMinItems || first < 0 || raw.length - first < s.runawayMinChars) return null;
  const asked = Math.max(0, ...(instruction.match(/\d+/g) ?? []).map(Number));
  return asked >= items * 0.8 ? null : { items, start: first };
}

/** Share of a unit's non-space characters that are neither letters nor digits (pictures are made of symbols). */
function symbolShare(unit: string): number {
  const chars = [...unit.replace(/\s/g, '')];
  return chars.length ? chars.filter((c) => !/[\p{L}\p{N}]/u.test(c)).length / chars.length : 0;
}

/** The output's tail made of copies of one unit (the unit's phase does not matter). */
interface RepeatedSuffix {
  start: number;
  end: number;
  unitChars: number;
  repeats: number;
}

/** rep-n = 1 − unique n-grams / total n-grams (SimCTG); 0 when there is no n-gram at all. */
function repN(words: string[], n: number): number {
  const total = words.length - n + 1;
  if (total <= 0) return 0;
  const seen = new Set<string>();
  for (let i = 0; i < total; i++) seen.add(words.slice(i, i + n).join('\u0001'));
  return 1 - seen.size / total;
}

/** bytes / gzip bytes: repetitive text compresses far better than prose (prose ≈ 1.5–2.5). */
function compressionRatio(text: string): number {
  const bytes = Buffer.byteLength(text, 'utf8');
  if (bytes === 0) return 0;
  return bytes / gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).length;
}

/**
 * Longest tail of `text[0, end)` that is periodic with some period u ≤ maxUnit, i.e. repeats one
 * unit, possibly cut mid-unit (generation stopped by max tokens rarely ends on a unit boundary).
 * For each u, walk back while text[i] === text[i + u]; the periodic tail is that run plus one
 * unit. Ties go to the smallest unit (a loop of "ab" is also a loop of "abab").
 */
function longestRepeatedSuffix(text: string, end: number, maxUnit: number, minRepeats: number): RepeatedSuffix | null {
  let best: RepeatedSuffix | null = null;
  for (let u = 1; u <= maxUnit && u * 2 <= end; u++) {
    let i = end - 1 - u;
    while (i >= 0 && text[i] === text[i + u]) i--;
    const covered = end - 1 - u - i + u; // run length + one unit
    const repeats = covered / u;
    if (repeats < minRepeats) continue;
    if (!best || covered > best.end - best.start) {
      best = { start: end - covered, end, unitChars: u, repeats: Math.floor(repeats) };
    }
  }
  return best;
}

/**
 * Where a drifting loop starts when there is no exact repeated tail: the first word whose 4-gram
 * occurs again later. Good enough to point the annotator at the looping part.
 */
function firstRecurring4gram(tokens: { word: string; start: number }[]): number | null {
  const counts = new Map<string, number>();
  const keys: string[] = [];
  for (let i = 0; i + 4 <= tokens.length; i++) {
    const key = tokens.slice(i, i + 4).map((t) => t.word).join('\u0001');
    keys.push(key);
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  const i = keys.findIndex((k) => (counts.get(k) ?? 0) > 1);
  return i < 0 ? null : (tokens[i]?.start ?? null);
}

/**
 * Finds generations that loop (`infinite-loop`), ran out of budget without looping (`truncated`)
 * or said nothing (`empty`). A loop needs two things: evidence the model did not stop by itself
 * (it hit max tokens, or its tail is an exact repetition) AND high repetition overall, because a
 * long honest answer that hit the budget is truncated, not looping.
 */
/** Synchronous: the intersection keeps `detect`'s plain return type for callers that know the detector. */
export const loopDetector: { detect(input: DetectorInput, settings: LoopSettings): DetectorResult } & Detector<LoopSettings> = {
  name: 'loop',
  version: '2.0.0',
  defaultSettings: {
    maxUnitChars: 600,
    minRepeats: 3,
    minSuffixCoverage: 0.3,
    rep4Min: 0.5,
    compressionMin: 3,
    strongRep4Min: 0.75,
    strongCompressionMin: 6,
    strongMinTokens: 60,
    pictureMaxChars: 3000,
    runawayMinItems: 40,
    runawayMinChars: 8000,
    symbolRunCompressionMin: 10,
  },
  detect(input: DetectorInput, s: LoopSettings): DetectorResult {
    const raw = input.outputRaw;
    const tokens = wordTokens(raw);
    const words = tokens.map((t) => t.word);
    const rep2 = repN(words, 2);
    const rep3 = repN(words, 3);
    const rep4 = repN(words, 4);
    const compression = compressionRatio(raw);
    const hitMaxTokens = input.finishReason === 'max-tokens';
    // The early stop fired during generation: the online detector already judged this a loop, and the stop
    // keeps the loop too short to dominate the text, so the offline signals alone would often miss it.
    const stoppedForLoop = input.finishReason === 'loop';
    const trimmedEnd = raw.trimEnd().length;
    const suffix = longestRepeatedSuffix(raw, trimmedEnd, s.maxUnitChars, s.minRepeats);
    const suffixChars = suffix ? suffix.end - suffix.start : 0;
    const suffixCoverage = trimmedEnd > 0 ? suffixChars / trimmedEnd : 0;
    const empty = input.output.trim() === '';

    const highRepetition = rep4 >= s.rep4Min || compression >= s.compressionMin;
    const unit = suffix ? raw.slice(suffix.start, suffix.start + suffix.unitChars) : '';
    // Rows of a drawing repeat exactly; so does a runaway. Only the length tells them apart.
    const picture = suffix !== null && unit.includes('\n') && symbolShare(unit) >= 0.5 && suffixChars < s.pictureMaxChars;
    const suffixLoop = suffix !== null && suffixCoverage >= s.minSuffixCoverage && !picture;
    const strongRepetition = tokens.length >= s.strongMinTokens && (rep4 >= s.strongRep4Min || compression >= s.strongCompressionMin);
    const runaway = runawayList(raw, input.instruction, s);
    const symbolRun = tokens.length < s.strongMinTokens && trimmedEnd >= s.pictureMaxChars && compression >= s.symbolRunCompressionMin;
    const loop = !empty && (stoppedForLoop || ((hitMaxTokens || suffixLoop) && highRepetition) || strongRepetition || runaway !== null || symbolRun);

    const findings: Finding[] = [];
    const base = { detector: loopDetector.name, version: loopDetector.version };
    if (empty) {
      findings.push({
        ...base,
        label: 'empty',
        score: 1,
        evidence: { spans: raw.length ? [{ start: 0, end: raw.length }] : [], note: 'the cleaned output is blank' },
      });
    } else if (loop) {
      let span: { start: number; end: number };
      let note: string;
      if (runaway && !suffixLoop && !strongRepetition) {
        span = { start: runaway.start, end: trimmedEnd };
        note = `a runaway list: ${runaway.items} items over ${trimmedEnd - runaway.start} characters`;
      } else if (suffixLoop && suffix) {
        span = { start: suffix.start, end: suffix.end };
        note = `the last ${suffixChars} characters repeat a ${suffix.unitChars}-character unit ${suffix.repeats} times`;
      } else {
        const start = firstRecurring4gram(tokens) ?? 0;
        span = { start, end: trimmedEnd };
        note = `repetition without an exact repeated tail (rep-4 ${rep4.toFixed(2)}, compression ${compression.toFixed(1)}×)${hitMaxTokens ? ', max tokens hit' : ''}`;
      }
      // Confidence grows with how repetitive the text is; an exact repeated tail is the strongest sign.
      const strength = Math.max(rep4, Math.min(1, compression / (2 * s.compressionMin)), suffixLoop ? suffixCoverage : 0);
      findings.push({ ...base, label: 'infinite-loop', score: round(0.5 + 0.5 * strength), evidence: { spans: [span], note } });
    } else if (hitMaxTokens) {
      findings.push({
        ...base,
        label: 'truncated',
        score: 1,
        evidence: {
          spans: trimmedEnd > 0 ? [{ start: Math.max(0, trimmedEnd - 80), end: trimmedEnd }] : [],
          note: `generation stopped at the max-tokens budget (${input.outputTokens}${input.maxTokens !== null ? `/${input.maxTokens}` : ''} tokens) without looping`,
        },
      });
    }

    return {
      ...base,
      signals: {
        tokens: tokens.length,
        rep2: round(rep2),
        rep3: round(rep3),
        rep4: round(rep4),
        compression: round(compression),
        hitMaxTokens,
        stoppedForLoop,
        suffixChars,
        suffixCoverage: round(suffixCoverage),
        suffixUnitChars: suffix?.unitChars ?? null,
        suffixRepeats: suffix?.repeats ?? null,
        picture,
        runawayItems: runaway?.items ?? null,
        symbolRun,
        empty,
      },
      findings,
    };
  },
};

/** Signals are stored; 4 decimals keep them readable and stable across platforms. */
function round(x: number): number {
  return Math.round(x * 10_000) / 10_000;
}

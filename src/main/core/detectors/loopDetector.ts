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
};

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
  version: '1.1.0',
  defaultSettings: {
    maxUnitChars: 600,
    minRepeats: 3,
    minSuffixCoverage: 0.3,
    rep4Min: 0.5,
    compressionMin: 3,
    strongRep4Min: 0.75,
    strongCompressionMin: 6,
    strongMinTokens: 60,
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
    const suffixLoop = suffix !== null && suffixCoverage >= s.minSuffixCoverage;
    const strongRepetition = tokens.length >= s.strongMinTokens && (rep4 >= s.strongRep4Min || compression >= s.strongCompressionMin);
    const loop = !empty && (stoppedForLoop || ((hitMaxTokens || suffixLoop) && highRepetition) || strongRepetition);

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
      if (suffixLoop && suffix) {
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

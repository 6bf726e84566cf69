/**
 * Online loop detection: fed the generated tokens one by one, it says when the output has surely started
 * looping, so generation can stop early (finish reason `loop`) instead of filling max tokens with copies.
 *
 * It must be CERTAIN: a false stop cuts an honest answer and changes what is evaluated. So it fires only on
 * - an exact periodic tail: the last tokens repeat one unit of u ≤ maxUnit tokens, at least `minRepeats`
 *   times, over at least `minSpan` tokens ("It is not a boy. It is not a boy. It is not a boy. …"), or
 * - a drifting loop over a full window of the last `window` tokens: either nearly every token equals the one
 *   u tokens earlier (lag match ≥ `lagMatchMin`: "Day 7: we play. Day 8: we play. …", a counter that breaks
 *   the exact repetition), or the window's WORD rep-4 is ≥ `rep4Min` (long units with a few changing words;
 *   words, not tokens: with a small vocabulary token 4-grams are ~2 words and recur in ordinary prose).
 * The offline `loopDetector` stays the judge of stored outputs; this one only decides when to stop.
 *
 * Cost per token: O(maxLag) for the incremental lag counters; the exact-tail search (O(maxUnit) on text that
 * does not repeat) and the word rep-4 of the window (O(window)) run every `checkEvery` tokens. Pure: no model import.
 * Calibrated in bench P4 on stories260K (greedy outputs that loop, escape loops, or ramble; see bench/README.md).
 */

import type { LoopStopConfig } from '../../../shared/domain';
import { wordTokens } from '../../../shared/wordTokens';

export type LoopSensitivity = LoopStopConfig['sensitivity'];

export interface OnlineLoopSettings {
  /** Run the exact-tail and drift checks every k tokens (the incremental counters update every token). */
  checkEvery: number;
  /** Longest unit (tokens) of an exact repetition: a paragraph of a small model's vocabulary fits. */
  maxUnit: number;
  /** An exact repeated tail needs this many copies of its unit... */
  minRepeats: number;
  /** ...covering at least this many tokens (so "ha ha ha" or a 3-cell table rule never counts). */
  minSpan: number;
  /**
   * Units (and drift lags) shorter than this many tokens are word stutters ("magical magical magical …"), which
   * small models do escape after dozens of copies: an exact stutter needs twice `minSpan`, and the drift check
   * ignores such lags.
   */
  shortUnit: number;
  /** Drift checks look at the last `window` tokens and only once that many were generated. */
  window: number;
  /** Longest lag (tokens) of the drift lag-match check. */
  maxLag: number;
  /** Share of the window's tokens equal to the token `lag` earlier. Prose: < 0.1 at any lag. */
  lagMatchMin: number;
  /**
   * rep-4 over the words of the window's text (1 − unique / total word 4-grams, as the offline detector), when the
   * caller gives the text. Prose: < 0.1; a greedy stories260K story that never settles into a loop: up to ~0.35.
   */
  rep4Min: number;
}

/**
 * Settings per sensitivity. `medium` (the default) stops a sentence loop once it covers 160 tokens and 5 copies;
 * `low` waits longer (224 tokens, 6 copies), `high` stops sooner (96 tokens, 4 copies) but, on stories260K, also
 * cuts outputs that repeat a line 4-5 times and then move on (bench P4).
 */
export const ONLINE_LOOP_SETTINGS: Record<LoopSensitivity, OnlineLoopSettings> = {
  low: { checkEvery: 8, maxUnit: 200, minRepeats: 6, minSpan: 224, shortUnit: 8, window: 256, maxLag: 64, lagMatchMin: 0.95, rep4Min: 0.9 },
  medium: { checkEvery: 8, maxUnit: 200, minRepeats: 5, minSpan: 160, shortUnit: 8, window: 192, maxLag: 64, lagMatchMin: 0.9, rep4Min: 0.8 },
  high: { checkEvery: 4, maxUnit: 200, minRepeats: 4, minSpan: 96, shortUnit: 8, window: 128, maxLag: 64, lagMatchMin: 0.85, rep4Min: 0.7 },
};

export interface LoopVerdict {
  /** `repeat`: exact periodic tail; `drift`: near-periodic window (lag match or rep-4). */
  kind: 'repeat' | 'drift';
  /** Token index (0-based, in the output) where the repetition is estimated to start. */
  onset: number;
  /** Character offset of `onset` in the decoded text, when the text was given; else null. */
  onsetChar: number | null;
  /** Tokens fed when it fired. */
  at: number;
  /** The repeating unit (exact) or lag (drift), in tokens; 0 when only rep-4 fired. */
  unitTokens: number;
  /** A human sentence for logs and evidence. */
  note: string;
}

export class OnlineLoopDetector {
  readonly settings: OnlineLoopSettings;
  #tokens: number[] = [];
  /** Text length after each token (when the caller gives the text), to map token indexes to characters. */
  #textEnds: number[] = [];
  #text: string | null = null;
  /** lagMatches[u] = positions i in the window with tokens[i] === tokens[i - u]. */
  #lagMatches: Int32Array;
  #verdict: LoopVerdict | null = null;

  constructor(settings: OnlineLoopSettings | LoopSensitivity = 'medium') {
    this.settings = typeof settings === 'string' ? ONLINE_LOOP_SETTINGS[settings] : settings;
    this.#lagMatches = new Int32Array(this.settings.maxLag + 1);
  }

  /** Tokens fed so far. */
  get length(): number {
    return this.#tokens.length;
  }

  /** The verdict once it fired (it stays fired). */
  get verdict(): LoopVerdict | null {
    return this.#verdict;
  }

  /**
   * Feeds the next generated token and, optionally, the decoded output text so far (it enables the word rep-4
   * check and character onsets). Returns the verdict when the output is a loop, else null.
   */
  push(token: number, textSoFar?: string): LoopVerdict | null {
    if (this.#verdict) return this.#verdict;
    const t = this.#tokens;
    const s = this.settings;
    t.push(token);
    if (textSoFar !== undefined) {
      this.#text = textSoFar;
      this.#textEnds[t.length - 1] = textSoFar.length;
    }
    // Lag counters over the window [i - window + 1, i]: add position i, drop position i - window.
    const i = t.length - 1;
    for (let u = 1; u <= s.maxLag && u <= i; u++) if (t[i] === t[i - u]) this.#lagMatches[u]!++;
    const out = i - s.window;
    if (out >= 1) for (let u = 1; u <= s.maxLag && u <= out; u++) if (t[out] === t[out - u]) this.#lagMatches[u]!--;
    if (t.length % s.checkEvery !== 0) return null;
    this.#verdict = this.#exactTail() ?? this.#drift();
    return this.#verdict;
  }

  #exactTail(): LoopVerdict | null {
    const tail = exactRepeatedTail(this.#tokens, this.settings);
    if (!tail) return null;
    const span = this.#tokens.length - tail.onset;
    return this.#make('repeat', tail.onset, tail.unit, `the last ${span} tokens repeat a ${tail.unit}-token unit ${tail.repeats} times`);
  }

  #drift(): LoopVerdict | null {
    const t = this.#tokens;
    const s = this.settings;
    if (t.length < s.window + s.maxLag) return null;
    let lag = 0;
    for (let u = s.shortUnit; u <= s.maxLag; u++) if (this.#lagMatches[u]! > (lag ? this.#lagMatches[lag]! : 0)) lag = u;
    const share = lag ? this.#lagMatches[lag]! / s.window : 0;
    // A stutter matches at every multiple of its short period: not a drifting loop (see shortUnit).
    let stutter = 0;
    for (let u = 1; u < s.shortUnit && u <= s.maxLag; u++) stutter = Math.max(stutter, this.#lagMatches[u]! / s.window);
    if (share >= s.lagMatchMin && stutter < s.lagMatchMin)
      return this.#make('drift', this.#lagOnset(lag), lag, `${Math.round(share * 100)}% of the last ${s.window} tokens equal the token ${lag} before`);
    return this.#wordRep4();
  }

  /** rep-4 over the words of the window's text (needs the text); onset = the first word whose 4-gram recurs. */
  #wordRep4(): LoopVerdict | null {
    const text = this.#text;
    const first = this.#tokens.length - this.settings.window;
    if (text === null || this.#textEnds.length !== this.#tokens.length) return null;
    const from = this.#textEnds[first - 1] ?? 0;
    const words = wordTokens(text.slice(from));
    const total = words.length - 3;
    if (total < 20) return null;
    const counts = new Map<string, number>();
    const keys: string[] = [];
    for (let w = 0; w < total; w++) {
      const key = `${words[w]!.word}\u0001${words[w + 1]!.word}\u0001${words[w + 2]!.word}\u0001${words[w + 3]!.word}`;
      keys.push(key);
      counts.set(key, (counts.get(key) ?? 0) + 1);
    }
    const rep4 = 1 - counts.size / total;
    if (rep4 < this.settings.rep4Min) return null;
    // A word stutter ("magical magical …") recurs as one or two 4-grams: it is not a drifting loop (see shortUnit).
    let recurring = 0;
    for (const c of counts.values()) if (c > 1) recurring++;
    if (recurring < 4) return null;
    const firstRecurring = keys.findIndex((k) => counts.get(k)! > 1);
    const onsetChar = from + (words[Math.max(0, firstRecurring)]?.start ?? 0);
    let onset = first;
    while (onset < this.#tokens.length - 1 && this.#textEnds[onset]! <= onsetChar) onset++;
    return this.#make('drift', onset, 0, `word rep-4 of the last ${this.settings.window} tokens is ${rep4.toFixed(2)}`);
  }

  /**
   * Where a near-periodic run at `lag` starts: walking back from the end, the run ends at the first stretch of
   * max(2, lag/2) consecutive non-matching tokens (prose); the first copy of the unit starts `lag` before.
   */
  #lagOnset(lag: number): number {
    const t = this.#tokens;
    const stretch = Math.max(2, Math.ceil(lag / 2));
    let misses = 0;
    for (let i = t.length - 1; i >= lag; i--) {
      if (t[i] === t[i - lag]) misses = 0;
      else if (++misses >= stretch) return Math.max(0, i + misses - lag);
    }
    return 0;
  }

  #make(kind: LoopVerdict['kind'], onset: number, unitTokens: number, note: string): LoopVerdict {
    const known = this.#textEnds.length === this.#tokens.length;
    const onsetChar = known ? (onset === 0 ? 0 : this.#textEnds[onset - 1]!) : null;
    return { kind, onset, onsetChar, at: this.#tokens.length, unitTokens, note };
  }
}

/**
 * The longest exact periodic tail of `tokens` that counts as a loop under `settings` (unit ≤ maxUnit, ≥ minRepeats
 * copies, ≥ minSpan tokens), or null. Its onset is the first token of the first copy. Ties go to the smallest
 * unit (a loop of "ab" is also a loop of "abab"). Exported for offline measurement (bench P4).
 */
export function exactRepeatedTail(
  tokens: readonly number[],
  settings: Pick<OnlineLoopSettings, 'maxUnit' | 'minRepeats' | 'minSpan' | 'shortUnit'>,
): { onset: number; unit: number; repeats: number } | null {
  const end = tokens.length;
  let best: { onset: number; unit: number } | null = null;
  for (let u = 1; u <= settings.maxUnit && u * 2 <= end; u++) {
    let i = end - 1 - u;
    while (i >= 0 && tokens[i] === tokens[i + u]) i--;
    const covered = end - 1 - i; // the periodic run plus its first unit
    if (covered < settings.minSpan || covered < settings.minRepeats * u) continue;
    // A stutter stays a stutter when read with a multiple of its unit: judge the tail by its smallest period.
    if (covered < 2 * settings.minSpan && hasPeriodBelow(tokens, end - covered, end, settings.shortUnit)) continue;
    if (!best || end - covered < best.onset) best = { onset: end - covered, unit: u };
  }
  return best ? { ...best, repeats: Math.floor((end - best.onset) / best.unit) } : null;
}

/** Whether tokens[from, end) is periodic with some period p < limit. */
function hasPeriodBelow(tokens: readonly number[], from: number, end: number, limit: number): boolean {
  for (let p = 1; p < limit && p < end - from; p++) {
    let k = from;
    while (k + p < end && tokens[k] === tokens[k + p]) k++;
    if (k + p >= end) return true;
  }
  return false;
}

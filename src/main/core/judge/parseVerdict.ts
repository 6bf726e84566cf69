import type { AspectScore } from '../../../shared/judgeCalls';
import { SCORES, type Aspect, type RubricInfo, type Score } from '../../../shared/judging';

/** One judge reply read against a rubric: every aspect of the rubric, in order; score null = N/A. */
export interface Verdict {
  scores: AspectScore[];
  /** Why some aspect is N/A ("depth: missing; clarity: score 6 is outside 1–5"), null when none is. */
  error: string | null;
}

/**
 * Reads a judge reply. Strict JSON first; then leniently, for judges that are not grammar-constrained: the
 * first JSON object inside prose or a code fence, a reply cut before its end (the complete aspects are kept),
 * scores written as "4", 4.0 or "4/5", keys in any case, "reason"/"explanation" for the rationale. An aspect
 * that is missing or has no valid 1–5 score is N/A with the reason: never a default score.
 */
export function parseVerdict(raw: string, rubric: Pick<RubricInfo, 'aspects'>): Verdict {
  const allNa = (reason: string): Verdict => ({ scores: rubric.aspects.map((aspect) => ({ aspect, score: null, rationale: null })), error: reason });
  if (raw.trim() === '') return allNa('empty reply');
  const root = strictObject(raw) ?? findJsonObject(raw);
  if (!root) return allNa(`no JSON object in the reply (${describe(raw)})`);

  const problems: string[] = [];
  const scores = rubric.aspects.map((aspect): AspectScore => {
    const value = aspectValue(root, aspect, rubric.aspects.length === 1);
    const read = readAspect(value);
    if (read.problem) problems.push(`${aspect}: ${read.problem}`);
    return { aspect, score: read.score, rationale: read.rationale };
  });
  return { scores, error: problems.length > 0 ? problems.join('; ') : null };
}

type Json = Record<string, unknown>;

function strictObject(raw: string): Json | null {
  try {
    const value: unknown = JSON.parse(raw);
    return isObject(value) ? value : null;
  } catch {
    return null;
  }
}

/** Each try scans to the end of the reply: a bound keeps a reply of thousands of stray braces fast. */
const MAX_STARTS = 64;

/**
 * The first '{' that starts a parseable object: balanced, or cut at the end of the reply and closed after its
 * last complete member (a reply that ran out of tokens keeps the aspects it finished).
 */
function findJsonObject(text: string): Json | null {
  let tries = 0;
  for (let start = text.indexOf('{'); start !== -1 && tries++ < MAX_STARTS; start = text.indexOf('{', start + 1)) {
    const { end, memberEnds } = scanObject(text, start);
    const candidates = end !== -1 ? [text.slice(start, end + 1)] : [...memberEnds].reverse().map((e) => `${text.slice(start, e + 1)}}`);
    for (const candidate of candidates) {
      const parsed = strictObject(candidate);
      if (parsed) return parsed;
    }
  }
  return null;
}

/**
 * Brace matching that skips braces inside JSON strings. `end`: index of the matching '}', -1 when the text ends
 * first. `memberEnds`: where a nested object or array closes back at the top level (a complete member's end).
 */
function scanObject(text: string, start: number): { end: number; memberEnds: number[] } {
  const memberEnds: number[] = [];
  let depth = 0;
  let inString = false;
  for (let i = start; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
    } else if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { end: i, memberEnds };
      if (depth === 1) memberEnds.push(i);
    }
  }
  return { end: -1, memberEnds };
}

/** The value of an aspect's key, matched case-insensitively; a single-aspect rubric also accepts a flat reply. */
function aspectValue(root: Json, aspect: Aspect, single: boolean): unknown {
  const found = lookup(root, aspect);
  if (found !== undefined) return found;
  // {"rationale": …, "score": …} without the aspect key: unambiguous only when the rubric has one aspect.
  if (single && lookup(root, 'score') !== undefined) return root;
  return undefined;
}

function lookup(obj: Json, key: string): unknown {
  if (key in obj) return obj[key];
  const match = Object.keys(obj).find((k) => k.trim().toLowerCase() === key);
  return match === undefined ? undefined : obj[match];
}

function readAspect(value: unknown): { score: Score | null; rationale: string | null; problem?: string } {
  if (value === undefined) return { score: null, rationale: null, problem: 'missing' };
  // A bare score ("clarity": 4) is a score without a rationale.
  if (!isObject(value)) return scoreOf(value, null);
  const rationaleValue = ['rationale', 'reason', 'explanation'].map((k) => lookup(value, k)).find((v) => v !== undefined);
  const rationale = typeof rationaleValue === 'string' ? rationaleValue.trim() : null;
  const score = lookup(value, 'score');
  if (score === undefined) return { score: null, rationale, problem: 'no score' };
  return scoreOf(score, rationale);
}

const SCORE_TEXT = /^\s*([0-9]+(?:\.[0-9]+)?)\s*(?:\/\s*5\s*)?$/;

function scoreOf(value: unknown, rationale: string | null): { score: Score | null; rationale: string | null; problem?: string } {
  let n: number | null = null;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string') {
    const m = SCORE_TEXT.exec(value);
    if (m) n = Number(m[1]);
  }
  if (n === null) {
    const shown = typeof value === 'string' ? describe(value) : excerpt(JSON.stringify(value) ?? String(value));
    return { score: null, rationale, problem: `score ${shown} is not a number from 1 to 5` };
  }
  if (!(SCORES as readonly number[]).includes(n)) return { score: null, rationale, problem: `score ${n} is outside 1–5 (whole numbers only)` };
  return { score: n as Score, rationale };
}

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A short, one-line excerpt of untrusted text for an error message, quoted. */
function describe(text: string): string {
  return `"${excerpt(text)}"`;
}

function excerpt(text: string): string {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > 60 ? `${flat.slice(0, 57)}…` : flat;
}

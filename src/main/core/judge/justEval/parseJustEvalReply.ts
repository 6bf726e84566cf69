import type { AspectScore } from '../../../../shared/judgeCalls';
import type { Aspect } from '../../../../shared/judging';

/**
 * A judge reply read the way just-eval reads it (evaluate.py `gpt_eval`'s api() then utils.better_json_loads):
 * code fences removed; `\\"` turned into `\"`, or else every backslash doubled; trimmed; cut from the first "{"
 * to the last "}"; newlines removed; the "reason…preference" quote fix; JSON. null when that JSON does not parse
 * (better_json_loads returns None): the reply is unreadable. Python's json also reads NaN/Infinity; no judge
 * reply of the templates' shape has them.
 */
export function parseJustEvalReply(raw: string): unknown {
  return betterJsonLoads(cleanJustEvalReply(raw));
}

/** What evaluate.py stores as a call's `result`: the reply after api()'s clean-up. */
export function cleanJustEvalReply(raw: string): string {
  let result = raw.replaceAll('```', '');
  result = result.includes('\\\\"') ? result.replaceAll('\\\\"', '\\"') : result.replaceAll('\\', '\\\\');
  result = result.trim();
  // Python's result[rfind("}") + 1] slice: no "{" or no "}" leaves an empty (unparseable) text, as there.
  const start = result.indexOf('{');
  const end = result.lastIndexOf('}') + 1;
  return start === -1 ? result.slice(-1, end) : result.slice(start, end);
}

/** utils.better_json_loads: newlines removed, the quote fix, JSON; null (Python's None) when it does not parse. */
export function betterJsonLoads(result: string): unknown {
  const fixed = fixInnerQuotes(result.replaceAll('\n', ''));
  try {
    return JSON.parse(fixed) as unknown;
  } catch {
    return null;
  }
}

/** utils.fix_inner_quotes with its default field "preference" (the one better_json_loads uses, even for scores). */
function fixInnerQuotes(s: string): string {
  return s.replace(/"reason": ([\s\S]*?),\s*"preference"/g, (_m, reason: string) => `"reason": "${reason.replaceAll('"', "'")}", \n        "preference"`);
}

export interface JustEvalVerdict {
  scores: AspectScore[];
  /** Why some aspect has no score (the judge's own "N/A" is not an error), null when none. */
  error: string | null;
}

/** What report() accepts as a score: Python float() of the string, here 1–5 (the only scale the templates ask for). */
const FLOAT = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/**
 * The scores of a parsed reply (`parsed_result`), aspect by aspect. `expected` aspects come first (missing ones
 * are unreadable), then any other aspect the reply has, in its order: report() averages every aspect it finds,
 * and old just-eval files name the first two "relevance" and "coherence". A literal "N/A" score is the judge's
 * own N/A; a score float() cannot read, or outside 1–5, is unreadable (report() would crash or mix scales).
 */
export function justEvalScores(parsed: unknown, expected: readonly string[]): JustEvalVerdict {
  const problems: string[] = [];
  const unreadable = (aspect: string, problem: string): AspectScore => {
    problems.push(`${aspect}: ${problem}`);
    return { aspect: aspect as Aspect, score: null, rationale: null, naKind: 'unreadable' };
  };
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    return { scores: expected.map((a) => ({ aspect: a as Aspect, score: null, rationale: null, naKind: 'unreadable' })), error: 'the reply is not a JSON object' };
  }
  const entries = parsed as Record<string, unknown>;
  const aspects = [...expected, ...Object.keys(entries).filter((k) => !expected.includes(k))];
  const scores = aspects.map((aspect): AspectScore => {
    const value = entries[aspect];
    if (typeof value !== 'object' || value === null || !('score' in value)) return unreadable(aspect, value === undefined ? 'missing' : 'no "score"');
    const { score, reason } = value as { score: unknown; reason?: unknown };
    const rationale = typeof reason === 'string' ? reason : null;
    if (score === 'N/A') return { aspect: aspect as Aspect, score: null, rationale, naKind: 'judge' };
    const n = typeof score === 'string' && FLOAT.test(score) ? Number(score) : typeof score === 'number' ? score : NaN;
    if (!(n >= 1 && n <= 5)) return unreadable(aspect, `score ${JSON.stringify(score)} is not a number from 1 to 5`);
    return { aspect: aspect as Aspect, score: n as AspectScore['score'], rationale };
  });
  return { scores, error: problems.length > 0 ? problems.join('; ') : null };
}

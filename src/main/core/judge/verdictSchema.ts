import { ASPECTS, SCORES, type RubricInfo } from '../../../shared/judging';

/**
 * Longest rationale the local judge may write, in characters. node-llama-cpp's JSON-schema grammar enforces
 * `maxLength` on strings (GbnfString → a bounded repetition), so with it every reply the grammar admits has a
 * bounded length: that is what lets a max-token budget guarantee the JSON is complete, hence always parses.
 * 300 characters = one to three sentences, which is what Just-Eval asks for. The prompts quote this number.
 */
export const RATIONALE_MAX_CHARS = 300;

/**
 * Characters of JSON around one aspect's rationale at most: the key (longest aspect name), `"rationale"`,
 * `"score"`, the digit, quotes, colons, commas, braces and the grammar's whitespace (a newline plus at most
 * 8 spaces of indentation before each key and brace, or a single space).
 */
const ASPECT_OVERHEAD_CHARS = 80;
/** Outer braces, final newline and the four newlines the grammar appends to end generation. */
const REPLY_OVERHEAD_CHARS = 16;

/**
 * The JSON schema of a judge reply: one property per aspect, each {rationale, score}, all required, nothing else.
 * Rationale comes before score so the judge reasons before it commits to a number (grammar-constrained decoding
 * emits properties in schema order). Scores are an enum: JSON-schema grammars have no numeric bounds (DESIGN §3).
 */
export function verdictSchema(rubric: Pick<RubricInfo, 'aspects'>): Record<string, unknown> {
  return aspectsSchema(rubric.aspects, { rationale: { type: 'string', minLength: 1, maxLength: RATIONALE_MAX_CHARS }, score: { enum: [...SCORES] } });
}

/**
 * A reply with exactly these aspects, in order, each an object with exactly these fields in this order (the
 * order a grammar makes the judge write them: the rationale before the score).
 */
export function aspectsSchema(aspects: readonly string[], fields: Record<string, Record<string, unknown>>): Record<string, unknown> {
  const aspect = { type: 'object', properties: fields, required: Object.keys(fields), additionalProperties: false };
  return {
    type: 'object',
    properties: Object.fromEntries(aspects.map((a) => [a, aspect])),
    required: [...aspects],
    additionalProperties: false,
  };
}

/**
 * A max-token budget that holds the longest reply the grammar admits for this rubric, at one token per
 * character. Every token adds at least one character, except byte-fallback pieces of a multi-byte character
 * (and a `\uXXXX` escape counts as one character of the bound but is six): a rationale full of those could
 * still run out, and is then cut and stored as N/A with the reason (never a made-up score). For en/fr/es prose
 * the budget holds with room to spare.
 */
export function verdictMaxTokens(rubric: Pick<RubricInfo, 'aspects'>): number {
  const chars = rubric.aspects.length * (RATIONALE_MAX_CHARS + ASPECT_OVERHEAD_CHARS) + REPLY_OVERHEAD_CHARS;
  return Math.ceil(chars / 256) * 256;
}

/** The default max-token budget of a judge run: enough for the five-aspect rubric (2,048). */
export const DEFAULT_JUDGE_MAX_TOKENS = verdictMaxTokens({ aspects: [...ASPECTS] });

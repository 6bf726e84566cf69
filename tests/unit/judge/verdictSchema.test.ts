import { describe, expect, it } from 'vitest';
import { BUILTIN_RUBRICS, DEFAULT_JUDGE_MAX_TOKENS, RATIONALE_MAX_CHARS, verdictMaxTokens, verdictSchema } from '../../../src/main/core/judge';

const [ASPECTS_RUBRIC, SAFETY_RUBRIC] = BUILTIN_RUBRICS;

describe('verdictSchema', () => {
  it('has one required property per aspect, in rubric order, and nothing else', () => {
    const schema = verdictSchema(ASPECTS_RUBRIC!) as { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean };
    expect(Object.keys(schema.properties)).toEqual(ASPECTS_RUBRIC!.aspects);
    expect(schema.required).toEqual(ASPECTS_RUBRIC!.aspects);
    expect(schema.additionalProperties).toBe(false);
  });

  it('asks for the rationale before the score, a bounded non-empty rationale, and the score as an enum', () => {
    const schema = verdictSchema(SAFETY_RUBRIC!) as { properties: { safety: { properties: Record<string, unknown>; required: string[]; additionalProperties: boolean } } };
    const aspect = schema.properties.safety;
    expect(Object.keys(aspect.properties)).toEqual(['rationale', 'score']);
    expect(aspect.properties.rationale).toEqual({ type: 'string', minLength: 1, maxLength: RATIONALE_MAX_CHARS });
    expect(aspect.properties.score).toEqual({ enum: [1, 2, 3, 4, 5] });
    expect(aspect.required).toEqual(['rationale', 'score']);
    expect(aspect.additionalProperties).toBe(false);
  });
});

describe('verdictMaxTokens', () => {
  // The longest reply node-llama-cpp's grammar admits: every rationale at its maximum length, the widest layout the
  // grammar allows (a newline and 4 spaces per nesting level before each member, a space after each colon), then
  // the four newlines that end generation.
  const longest = (aspects: readonly string[]) =>
    `${JSON.stringify(Object.fromEntries(aspects.map((a) => [a, { rationale: 'x'.repeat(RATIONALE_MAX_CHARS), score: 5 }])), null, 4)}\n\n\n\n`;

  it.each(BUILTIN_RUBRICS.map((r) => ({ version: r.version, rubric: r })))('holds the longest $version reply at one token per character', ({ rubric }) => {
    expect(verdictMaxTokens(rubric)).toBeGreaterThanOrEqual(longest(rubric.aspects).length);
    // …without asking for a context far larger than needed.
    expect(verdictMaxTokens(rubric)).toBeLessThan(longest(rubric.aspects).length + 512);
  });

  it('defaults to the five-aspect budget, which also covers safety', () => {
    expect(DEFAULT_JUDGE_MAX_TOKENS).toBe(verdictMaxTokens(ASPECTS_RUBRIC!));
    expect(DEFAULT_JUDGE_MAX_TOKENS).toBeGreaterThanOrEqual(verdictMaxTokens(SAFETY_RUBRIC!));
  });
});

import { describe, expect, it } from 'vitest';
import { BUILTIN_RUBRICS, parseVerdict } from '../../../src/main/core/judge';

const [ASPECTS_RUBRIC, SAFETY_RUBRIC] = BUILTIN_RUBRICS as [(typeof BUILTIN_RUBRICS)[0], (typeof BUILTIN_RUBRICS)[0]];

const full = (score: unknown = 4) =>
  Object.fromEntries(ASPECTS_RUBRIC.aspects.map((a, i) => [a, { rationale: `Because ${a}.`, score: typeof score === 'number' ? ((score + i - 1) % 5) + 1 : score }]));
const VALID = JSON.stringify(full());

const scoresOf = (raw: string, rubric = ASPECTS_RUBRIC) => parseVerdict(raw, rubric).scores.map((s) => s.score);

describe('parseVerdict: valid replies', () => {
  it('reads strict JSON: every aspect in rubric order, with score and rationale', () => {
    const v = parseVerdict(VALID, ASPECTS_RUBRIC);
    expect(v.error).toBeNull();
    expect(v.scores).toEqual([
      { aspect: 'helpfulness', score: 4, rationale: 'Because helpfulness.' },
      { aspect: 'clarity', score: 5, rationale: 'Because clarity.' },
      { aspect: 'factuality', score: 1, rationale: 'Because factuality.' },
      { aspect: 'depth', score: 2, rationale: 'Because depth.' },
      { aspect: 'engagement', score: 3, rationale: 'Because engagement.' },
    ]);
  });

  it('reads the grammar\'s indented layout and ignores aspects the rubric does not ask for', () => {
    const raw = JSON.stringify({ ...full(), bonus: { rationale: 'x', score: 5 } }, null, 4);
    expect(parseVerdict(raw, ASPECTS_RUBRIC).error).toBeNull();
    expect(scoresOf(raw)).toEqual([4, 5, 1, 2, 3]);
  });

  it.each([
    ['a ```json code fence', '```json\n' + VALID + '\n```'],
    ['a bare code fence', '```\n' + VALID + '\n```'],
    ['prose before and after', 'Here is my evaluation:\n' + VALID + '\nI hope this helps {really}.'],
    ['braces in prose before the object', 'Scores use the form {aspect: score}. ' + VALID],
    ['braces and quotes inside rationales', JSON.stringify({ ...full(), clarity: { rationale: 'It writes "}{" and \\"x\\" oddly', score: 5 } })],
  ])('finds the verdict in %s', (_, raw) => {
    const v = parseVerdict(raw, ASPECTS_RUBRIC);
    expect(v.error).toBeNull();
    expect(v.scores.map((s) => s.score)).toEqual([4, 5, 1, 2, 3]);
  });

  it.each([
    ['"4"', '"4"', 4],
    ['4.0', '4.0', 4],
    ['"4/5"', '"4/5"', 4],
    ['" 2 / 5 "', '" 2 / 5 "', 2],
    ['"5.0"', '"5.0"', 5],
  ])('accepts a score written as %s', (_, written, expected) => {
    const raw = `{"safety": {"rationale": "Refuses.", "score": ${written}}}`;
    expect(parseVerdict(raw, SAFETY_RUBRIC)).toEqual({ scores: [{ aspect: 'safety', score: expected, rationale: 'Refuses.' }], error: null });
  });

  it('matches keys case-insensitively and accepts "reason"/"explanation" for the rationale', () => {
    const raw = '{"Helpfulness": {"Reason": "ok", "Score": 3}, "CLARITY": {"explanation": "fine", "score": 4}, "factuality": {"rationale": "a", "score": 5}, "depth": {"rationale": "b", "score": 1}, " Engagement ": {"rationale": "c", "score": 2}}';
    const v = parseVerdict(raw, ASPECTS_RUBRIC);
    expect(v.error).toBeNull();
    expect(v.scores.map((s) => [s.score, s.rationale])).toEqual([[3, 'ok'], [4, 'fine'], [5, 'a'], [1, 'b'], [2, 'c']]);
  });

  it('accepts a bare score per aspect, with no rationale', () => {
    const v = parseVerdict('{"helpfulness": 4, "clarity": "5", "factuality": 3, "depth": 2, "engagement": 1}', ASPECTS_RUBRIC);
    expect(v.error).toBeNull();
    expect(v.scores.map((s) => [s.score, s.rationale])).toEqual([[4, null], [5, null], [3, null], [2, null], [1, null]]);
  });

  it('accepts a flat {rationale, score} for a single-aspect rubric only', () => {
    expect(parseVerdict('{"rationale": "Declines politely.", "score": 5}', SAFETY_RUBRIC)).toEqual({
      scores: [{ aspect: 'safety', score: 5, rationale: 'Declines politely.' }],
      error: null,
    });
    const multi = parseVerdict('{"rationale": "x", "score": 5}', ASPECTS_RUBRIC);
    expect(multi.scores.every((s) => s.score === null)).toBe(true);
  });
});

describe('parseVerdict: honest N/A, never a default score', () => {
  it.each([
    ['an empty reply', '', /empty reply/],
    ['whitespace only', '  \n ', /empty reply/],
    ['garbage', 'The response is great, 10/10!', /no JSON object in the reply \("The response is great, 10\/10!"\)/],
    ['a JSON array', '[4, 5, 3]', /no JSON object/],
    ['a JSON string', '"helpfulness: 5"', /no JSON object/],
    ['an object with none of the aspects', '{"verdict": "good"}', /helpfulness: missing; clarity: missing; factuality: missing; depth: missing; engagement: missing/],
  ])('%s: every aspect N/A, with the reason', (_, raw, reason) => {
    const v = parseVerdict(raw, ASPECTS_RUBRIC);
    expect(v.scores).toEqual(ASPECTS_RUBRIC.aspects.map((aspect) => ({ aspect, score: null, rationale: null })));
    expect(v.error).toMatch(reason);
  });

  it('cuts a long garbage excerpt in the reason to one short line', () => {
    const v = parseVerdict(`no json here\n${'blah '.repeat(100)}`, ASPECTS_RUBRIC);
    expect(v.error!.length).toBeLessThan(120);
    expect(v.error).not.toContain('\n');
  });

  it.each([
    [6, /safety: score 6 is outside 1–5/],
    [0, /safety: score 0 is outside 1–5/],
    [4.5, /safety: score 4\.5 is outside 1–5 \(whole numbers only\)/],
    [-1, /safety: score -1 is outside 1–5/],
    ['"7/10"', /is not a number from 1 to 5/],
    ['"five"', /safety: score "five" is not a number from 1 to 5/],
    ['null', /safety: score null is not a number from 1 to 5/],
    ['[4]', /safety: score \[4\] is not a number from 1 to 5/],
    ['"6/5"', /score 6 is outside 1–5/],
  ])('an invalid score (%s) is N/A with the reason, keeping the rationale', (score, reason) => {
    const v = parseVerdict(`{"safety": {"rationale": "Hmm.", "score": ${score}}}`, SAFETY_RUBRIC);
    expect(v.scores).toEqual([{ aspect: 'safety', score: null, rationale: 'Hmm.' }]);
    expect(v.error).toMatch(reason);
  });

  it('a partial verdict keeps the valid aspects and marks only the others N/A', () => {
    const raw = JSON.stringify({ helpfulness: { rationale: 'ok', score: 4 }, clarity: { rationale: 'too good', score: 6 }, depth: { rationale: 'no score' }, engagement: { rationale: 'e', score: 2 } });
    const v = parseVerdict(raw, ASPECTS_RUBRIC);
    expect(v.scores.map((s) => s.score)).toEqual([4, null, null, null, 2]);
    expect(v.scores.map((s) => s.rationale)).toEqual(['ok', 'too good', null, 'no score', 'e']);
    expect(v.error).toBe('clarity: score 6 is outside 1–5 (whole numbers only); factuality: missing; depth: no score');
  });

  it('a reply cut before its end keeps the aspects it finished', () => {
    const raw = '{\n    "helpfulness": {"rationale": "Useful.", "score": 4},\n    "clarity": {"rationale": "Clear {mostly}.", "score": 5},\n    "factuality": {"rationale": "Tru';
    const v = parseVerdict(raw, ASPECTS_RUBRIC);
    expect(v.scores.map((s) => s.score)).toEqual([4, 5, null, null, null]);
    expect(v.scores[1]!.rationale).toBe('Clear {mostly}.');
    expect(v.error).toBe('factuality: missing; depth: missing; engagement: missing');
  });

  it('a reply cut inside its first aspect is N/A throughout, not a guess', () => {
    const v = parseVerdict('{"helpfulness": {"rationale": "Use', ASPECTS_RUBRIC);
    expect(v.scores.every((s) => s.score === null)).toBe(true);
    expect(v.error).toMatch(/no JSON object/);
  });

  it('stays fast on a reply of thousands of stray braces (each start tried scans to the end)', () => {
    const started = performance.now();
    expect(parseVerdict('{'.repeat(20_000), ASPECTS_RUBRIC).error).toMatch(/no JSON object/);
    expect(performance.now() - started).toBeLessThan(2_000);
  });

  it('never turns an unparseable reply into 5 (the reference code\'s silent default)', () => {
    for (const raw of ['', 'N/A', '{}', '{"helpfulness": {"rationale": "x"}}', 'score: 5']) {
      expect(parseVerdict(raw, ASPECTS_RUBRIC).scores.some((s) => s.score === 5)).toBe(false);
    }
  });
});

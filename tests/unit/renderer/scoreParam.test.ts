// The reader's score filter in the URL hash: round trips, judge identities containing ':', malformed values dropped.
import { describe, expect, it } from 'vitest';
import type { GenerationFilter, ScoreFilter } from '../../../src/shared/api';
import { filterToParams, paramsToFilter } from '../../../src/renderer/src/lib/generationParams';
import { paramToScore, scoreToParam } from '../../../src/renderer/src/lib/scoreParam';

describe('score filter param', () => {
  it.each<[ScoreFilter, string]>([
    [{ aspect: 'helpfulness', min: 1, max: 2 }, 'helpfulness:1-2'],
    [{ aspect: 'clarity', min: 4 }, 'clarity:4-'],
    [{ aspect: 'depth', max: 2.5 }, 'depth:-2.5'],
    [{ aspect: 'safety' }, 'safety:-'],
    [{ aspect: 'factuality', na: true }, 'factuality:na'],
    [{ aspect: 'engagement', na: true, judge: 'openai:http://127.0.0.1:8080/v1#qwen:7b' }, 'engagement:na:openai:http://127.0.0.1:8080/v1#qwen:7b'],
    [{ aspect: 'helpfulness', min: 3, judge: 'gguf:ab12' }, 'helpfulness:3-:gguf:ab12'],
  ])('%j ⇄ %s', (filter, param) => {
    expect(scoreToParam(filter)).toBe(param);
    expect(paramToScore(param)).toEqual(filter);
  });

  it.each(['', 'loudness:1-2', 'helpfulness', 'helpfulness:0-2', 'helpfulness:1-9', 'helpfulness:a-b', 'helpfulness:1-2-3', 'helpfulness:yes'])(
    'drops the malformed %j',
    (param) => expect(paramToScore(param)).toBeUndefined(),
  );

  it('travels in the hash with the other filters', () => {
    const filter: GenerationFilter = { runIds: [3], difficulty: 'hard', score: { aspect: 'helpfulness', min: 1, max: 2, judge: 'gguf:ab' } };
    const params = filterToParams(filter);
    expect(params).toMatchObject({ run: '3', diff: 'hard', score: 'helpfulness:1-2:gguf:ab' });
    const defined = Object.fromEntries(Object.entries(params).filter(([, v]) => v !== undefined)) as Record<string, string>;
    expect(paramsToFilter(defined)).toEqual(filter);
    expect(filterToParams({}).score).toBeUndefined();
  });
});

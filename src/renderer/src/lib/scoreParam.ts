import type { ScoreFilter } from '../../../shared/api';
import { ALL_ASPECTS, type Aspect } from '../../../shared/judging';

/**
 * The reader's score filter as one URL param: `<aspect>:<range>[:<judge identity>]`, where range is `na` (N/A
 * only) or `<min>-<max>` with either bound optional: `helpfulness:1-2`, `clarity:4-`, `depth:na:gguf:ab12…`.
 * The judge identity goes last because it may itself contain ':' (`openai:http://…#model`). Pure, unit-tested.
 */
export function scoreToParam(score: ScoreFilter | undefined): string | undefined {
  if (!score) return undefined;
  const range = score.na ? 'na' : `${score.min ?? ''}-${score.max ?? ''}`;
  return `${score.aspect}:${range}${score.judge ? `:${score.judge}` : ''}`;
}

const BOUND = /^(?:[1-5](?:\.\d+)?)?$/;

/** The filter a param describes, or undefined when it is malformed (dropped rather than sent to the backend). */
export function paramToScore(param: string | undefined): ScoreFilter | undefined {
  if (!param) return undefined;
  const [aspect, range, ...judgeParts] = param.split(':');
  if (!aspect || range === undefined || !(ALL_ASPECTS as readonly string[]).includes(aspect)) return undefined;
  const judge = judgeParts.join(':');
  const filter: ScoreFilter = { aspect: aspect as Aspect, ...(judge ? { judge } : {}) };
  if (range === 'na') return { ...filter, na: true };
  const [min, max, ...rest] = range.split('-');
  if (rest.length > 0 || min === undefined || max === undefined || !BOUND.test(min) || !BOUND.test(max)) return undefined;
  if (min) filter.min = Math.min(5, Number(min));
  if (max) filter.max = Math.min(5, Number(max));
  return filter;
}

import { describe, expect, it } from 'vitest';
import { TextStopper } from '../../../src/main/core/inference/llama/TextStopper';

describe('TextStopper', () => {
  it('finds "# Query" arriving across token boundaries, as SentencePiece pieces do', () => {
    const stopper = new TextStopper(['# Query']);
    let text = '';
    const found: number[] = [];
    for (const piece of ['Sure', '!', '\n```', '\n\n', '#', ' Qu', 'ery', ':']) {
      text += piece;
      found.push(stopper.check(text));
    }
    expect(found.slice(0, 6)).toEqual([-1, -1, -1, -1, -1, -1]);
    expect(found[6]).toBe('Sure!\n```\n\n'.length);
  });

  it('reports the earliest of several stops and ignores empty ones', () => {
    const stopper = new TextStopper(['', '# User', '# Query']);
    expect(stopper.check('a # Query b # User')).toBe(2);
    expect(new TextStopper([]).check('anything')).toBe(-1);
  });
});

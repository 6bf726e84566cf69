import { describe, expect, it } from 'vitest';
import { zeroShotMethod } from '../../../src/main/core/prompting/zeroShot';
import { item } from './fixtures';

describe('zero-shot method', () => {
  it('sends the instruction followed by a blank line, with no shared prefix and no stop', () => {
    const spec = zeroShotMethod.prepare({ method: 'zero-shot' }).build(item('  Write a haiku about rain.'));
    expect(spec).toEqual({
      kind: 'completion',
      prefix: '',
      text: '  Write a haiku about rain.\n\n',
      stop: [],
      clean: 'none',
    });
  });
});

import { describe, expect, it } from 'vitest';
import { customMethod } from '../../../src/main/core/prompting/custom';
import { item } from './fixtures';

describe('custom method', () => {
  it('replaces every {instruction} literally and keeps other braces', () => {
    const template = 'Q: {instruction}\n{"json": true}\nRepeat: {instruction}\nA:';
    const spec = customMethod.prepare({ method: 'custom', template }).build(item('cost in $& and $1?'));
    expect(spec).toEqual({
      kind: 'completion',
      prefix: 'Q: ',
      text: 'Q: cost in $& and $1?\n{"json": true}\nRepeat: cost in $& and $1?\nA:',
      stop: [],
      clean: 'none',
    });
  });

  it('uses the text before the first placeholder as the shared prefix', () => {
    const prepared = customMethod.prepare({ method: 'custom', template: 'Example…\n\nQ: {instruction}\nA:' });
    const a = prepared.build(item('one'));
    const b = prepared.build(item('two'));
    if (a.kind !== 'completion' || b.kind !== 'completion') throw new Error('expected completion');
    expect(a.prefix).toBe('Example…\n\nQ: ');
    expect(b.prefix).toBe(a.prefix);
    expect(a.text.slice(0, a.prefix.length)).toBe(a.prefix);
  });

  it('rejects a missing or empty template', () => {
    expect(() => customMethod.prepare({ method: 'custom' })).toThrowError(/needs a template.*\{instruction\}/);
    expect(() => customMethod.prepare({ method: 'custom', template: '  \n' })).toThrowError(/needs a template/);
  });

  it('rejects a template without the placeholder', () => {
    expect(() => customMethod.prepare({ method: 'custom', template: 'Q: {instr}\nA:' })).toThrowError(
      /no \{instruction\} placeholder/,
    );
  });

  it('describes the template', () => {
    const d = customMethod.prepare({ method: 'custom', template: '{instruction}\n' }).describe();
    expect(d.template).toBe('{instruction}\n');
    expect(d.templateSha256).toMatch(/^[0-9a-f]{64}$/);
  });
});

import { describe, expect, it } from 'vitest';
import { METHODS } from '../../../src/shared/domain';
import { getPromptMethod, listPromptMethods } from '../../../src/main/core/prompting/registry';

describe('prompt method registry', () => {
  it('returns a method for every name in METHODS', () => {
    for (const name of METHODS) expect(getPromptMethod(name).name).toBe(name);
    expect(listPromptMethods().map((m) => m.name)).toEqual([...METHODS]);
  });

  it('rejects an unknown name, listing the valid ones', () => {
    expect(() => getPromptMethod('few-shot')).toThrowError(
      'Unknown prompting method "few-shot". Valid methods: zero-shot, urial-zero, urial, chat, custom.',
    );
  });
});

import { describe, expect, it } from 'vitest';
import { chatMethod } from '../../../src/main/core/prompting/chat';
import { item } from './fixtures';

describe('chat method', () => {
  it('passes system prompt, instruction and template override to the backend', () => {
    const prepared = chatMethod.prepare({
      method: 'chat',
      systemPrompt: 'Réponds en français.',
      chatTemplate: 'chatML',
    });
    expect(prepared.build(item('Bonjour ?'))).toEqual({
      kind: 'chat',
      system: 'Réponds en français.',
      user: 'Bonjour ?',
      chatTemplate: 'chatML',
      stop: [],
      clean: 'none',
    });
    expect(prepared.describe()).toEqual({ chatTemplate: 'chatML', systemPrompt: 'Réponds en français.' });
  });

  it('omits unset or blank fields and uses the model template', () => {
    const prepared = chatMethod.prepare({ method: 'chat', systemPrompt: '', chatTemplate: ' ' });
    expect(prepared.build(item('Hi'))).toEqual({ kind: 'chat', user: 'Hi', stop: [], clean: 'none' });
    expect(prepared.describe()).toEqual({ chatTemplate: 'model default' });
  });
});

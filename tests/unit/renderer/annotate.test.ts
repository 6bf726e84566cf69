import { describe, expect, it } from 'vitest';
import { annotateAction } from '../../../src/renderer/src/lib/annotateKeys';
import { evidenceSegments } from '../../../src/renderer/src/lib/evidenceSegments';

describe('evidenceSegments', () => {
  it('slices the text into plain and highlighted pieces that join back to it', () => {
    const text = 'abcdefghij';
    const segs = evidenceSegments(text, [
      { start: 2, end: 5, label: 'loop' },
      { start: 4, end: 7, label: 'code' },
      { start: 8, end: 99, label: 'loop' },
    ]);
    expect(segs).toEqual([
      { text: 'ab', labels: [] },
      { text: 'cd', labels: ['loop'] },
      { text: 'e', labels: ['code', 'loop'] },
      { text: 'fg', labels: ['code'] },
      { text: 'h', labels: [] },
      { text: 'ij', labels: ['loop'] },
    ]);
    expect(segs.map((s) => s.text).join('')).toBe(text);
  });

  it('merges touching spans of one label, ignores empty or reversed ones, keeps markup as text', () => {
    expect(evidenceSegments('<b>x</b>', [{ start: 0, end: 3, label: 'a' }, { start: 3, end: 8, label: 'a' }, { start: 5, end: 2, label: 'b' }])).toEqual([
      { text: '<b>x</b>', labels: ['a'] },
    ]);
    expect(evidenceSegments('', [{ start: 0, end: 4, label: 'a' }])).toEqual([]);
    expect(evidenceSegments('plain', [])).toEqual([{ text: 'plain', labels: [] }]);
  });
});

describe('annotateAction', () => {
  const key = (k: string, extra: Partial<{ inField: boolean; ctrlKey: boolean; onSelect: boolean }> = {}) =>
    annotateAction({ key: k, ctrlKey: false, metaKey: false, altKey: false, inField: false, ...extra });

  it('maps one key per action', () => {
    expect(key('1')).toEqual({ kind: 'label', index: 0 });
    expect(key('6')).toEqual({ kind: 'label', index: 5 });
    expect(key('0')).toEqual({ kind: 'clear' });
    expect(['y', 'n', 'j', 'k', 'u', '?', 'a', 'e'].map((k) => key(k)?.kind)).toEqual(['accept', 'reject', 'next', 'previous', 'undo', 'help', 'agreement', 'note']);
    expect(key('x')).toBeNull();
  });

  it('leaves typing alone in fields, except Escape, and ignores modified keys', () => {
    expect(key('j', { inField: true })).toBeNull();
    expect(key('Escape', { inField: true })).toEqual({ kind: 'escape' });
    // A select keeps its arrow keys; the label and navigation keys stay shortcuts on it.
    expect(key('ArrowDown', { onSelect: true })).toBeNull();
    expect(key('j', { onSelect: true })).toEqual({ kind: 'next' });
    expect(key('2', { onSelect: true })).toEqual({ kind: 'label', index: 1 });
    expect(key('u', { ctrlKey: true })).toBeNull();
  });
});

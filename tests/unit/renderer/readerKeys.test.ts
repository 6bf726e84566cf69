import { describe, expect, it } from 'vitest';
import { readerAction, type KeyLike } from '../../../src/renderer/src/lib/readerKeys';

const key = (k: string, more: Partial<KeyLike> = {}): KeyLike => ({ key: k, ctrlKey: false, metaKey: false, altKey: false, inField: false, onControl: false, ...more });

describe('readerAction', () => {
  it('maps the reader shortcuts', () => {
    expect(readerAction(key('j'))).toBe('next');
    expect(readerAction(key('k'))).toBe('previous');
    expect(readerAction(key('Enter'))).toBe('open');
    expect(readerAction(key('s'))).toBe('sideBySide');
    expect(readerAction(key('/'))).toBe('search');
    expect(readerAction(key('Escape'))).toBe('close');
    expect(readerAction(key('x'))).toBeNull();
  });

  it('leaves typing in fields alone, except Escape', () => {
    expect(readerAction(key('j', { inField: true }))).toBeNull();
    expect(readerAction(key('/', { inField: true }))).toBeNull();
    expect(readerAction(key('Escape', { inField: true }))).toBe('close');
  });

  it('moves between matrix cells with the arrows when the matrix is shown; j/k still walk the list', () => {
    expect(readerAction(key('ArrowLeft', { inMatrix: true }))).toBe('cellLeft');
    expect(readerAction(key('ArrowRight', { inMatrix: true }))).toBe('cellRight');
    expect(readerAction(key('ArrowUp', { inMatrix: true }))).toBe('cellUp');
    expect(readerAction(key('ArrowDown', { inMatrix: true }))).toBe('cellDown');
    expect(readerAction(key('j', { inMatrix: true }))).toBe('next');
    expect(readerAction(key('ArrowDown'))).toBe('next');
    expect(readerAction(key('ArrowLeft'))).toBeNull();
  });

  it('keeps the shortcuts on a select, but leaves it its arrow keys', () => {
    expect(readerAction(key('j', { onSelect: true }))).toBe('next');
    expect(readerAction(key('s', { onSelect: true }))).toBe('sideBySide');
    expect(readerAction(key('Escape', { onSelect: true }))).toBe('close');
    expect(readerAction(key('ArrowDown', { onSelect: true, inMatrix: true }))).toBeNull();
  });

  it('leaves browser and button keys alone', () => {
    expect(readerAction(key('s', { ctrlKey: true }))).toBeNull();
    expect(readerAction(key('k', { metaKey: true }))).toBeNull();
    expect(readerAction(key('Enter', { onControl: true }))).toBeNull();
  });
});

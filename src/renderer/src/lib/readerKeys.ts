/** Keyboard shortcuts of the generations reader. Pure: maps a key event to an action name. */

export const READER_SHORTCUTS = [
  { key: 'j', label: 'next row' },
  { key: 'k', label: 'previous row' },
  { key: 'Enter', label: 'open detail' },
  { key: 's', label: 'side by side' },
  { key: '/', label: 'search' },
  { key: 'Esc', label: 'close' },
] as const;

export type ReaderAction = 'next' | 'previous' | 'open' | 'sideBySide' | 'search' | 'close';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether focus is in a text field, select or other control that needs its own keys. */
  inField: boolean;
  /** Whether focus is on a button or link, where Enter already means "activate it". */
  onControl: boolean;
}

export function readerAction(e: KeyLike): ReaderAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  // In a field only Escape is ours (to leave it); every other key is typing.
  if (e.inField) return e.key === 'Escape' ? 'close' : null;
  switch (e.key) {
    case 'j':
    case 'ArrowDown':
      return 'next';
    case 'k':
    case 'ArrowUp':
      return 'previous';
    case 'Enter':
      return e.onControl ? null : 'open';
    case 's':
      return 'sideBySide';
    case '/':
      return 'search';
    case 'Escape':
      return 'close';
    default:
      return null;
  }
}

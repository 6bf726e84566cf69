/** Keyboard shortcuts of the generations reader. Pure: maps a key event to an action name. */

export const READER_SHORTCUTS = [
  { key: 'j', label: 'next row' },
  { key: 'k', label: 'previous row' },
  { key: 'Enter', label: 'open detail' },
  { key: 's', label: 'side by side' },
  { key: '←↑↓→', label: 'move in the matrix' },
  { key: '/', label: 'search' },
  { key: 'Esc', label: 'close' },
] as const;

export type ReaderAction = 'next' | 'previous' | 'open' | 'sideBySide' | 'search' | 'close' | 'cellLeft' | 'cellRight' | 'cellUp' | 'cellDown';

export interface KeyLike {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Whether focus is in a text field, where every key but Escape is typing. */
  inField: boolean;
  /** Whether focus is on a button or link of the view, where Enter already means "activate it". */
  onControl: boolean;
  /** Whether focus is on a select: its arrow keys change its value; letters and Enter stay shortcuts. */
  onSelect?: boolean;
  /** Whether the side-by-side matrix is shown: the arrow keys move between its cells. */
  inMatrix?: boolean;
}

const CELL_MOVES: Record<string, ReaderAction> = { ArrowLeft: 'cellLeft', ArrowRight: 'cellRight', ArrowUp: 'cellUp', ArrowDown: 'cellDown' };

export function readerAction(e: KeyLike): ReaderAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  // In a field only Escape is ours (to leave it); every other key is typing.
  if (e.inField) return e.key === 'Escape' ? 'close' : null;
  if (e.onSelect && e.key.startsWith('Arrow')) return null;
  if (e.inMatrix && e.key in CELL_MOVES) return CELL_MOVES[e.key]!;
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

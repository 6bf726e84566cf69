/** Keyboard shortcuts of the annotation view. Pure: maps a key event to an action. */

export const ANNOTATE_SHORTCUTS = [
  { key: '1–9', label: 'toggle the label with that number' },
  { key: '0', label: 'no critical error (clear the labels)' },
  { key: 'y', label: 'accept the next pending suggestion (adds its label)' },
  { key: 'n', label: 'reject the next pending suggestion' },
  { key: 'j', label: 'next item' },
  { key: 'k', label: 'previous item' },
  { key: 'u', label: 'undo your last change' },
  { key: 'e', label: 'edit the note (Esc leaves it)' },
  { key: 'a', label: 'annotate / agreement' },
  { key: '?', label: 'show or hide this sheet' },
] as const;

export type AnnotateAction =
  | { kind: 'label'; index: number }
  | { kind: 'clear' | 'accept' | 'reject' | 'next' | 'previous' | 'undo' | 'note' | 'agreement' | 'help' | 'escape' };

export interface AnnotateKey {
  key: string;
  ctrlKey: boolean;
  metaKey: boolean;
  altKey: boolean;
  /** Focus is in a text field: only Escape is ours there. */
  inField: boolean;
  /** Focus is on a select: its arrow keys change its value; the other shortcuts stay ours. */
  onSelect?: boolean;
}

export function annotateAction(e: AnnotateKey): AnnotateAction | null {
  if (e.ctrlKey || e.metaKey || e.altKey) return null;
  if (e.inField) return e.key === 'Escape' ? { kind: 'escape' } : null;
  if (e.onSelect && e.key.startsWith('Arrow')) return null;
  if (/^[1-9]$/.test(e.key)) return { kind: 'label', index: Number(e.key) - 1 };
  switch (e.key) {
    case '0':
      return { kind: 'clear' };
    case 'y':
      return { kind: 'accept' };
    case 'n':
      return { kind: 'reject' };
    case 'j':
    case 'ArrowDown':
      return { kind: 'next' };
    case 'k':
    case 'ArrowUp':
      return { kind: 'previous' };
    case 'u':
      return { kind: 'undo' };
    case 'e':
      return { kind: 'note' };
    case 'a':
      return { kind: 'agreement' };
    case '?':
      return { kind: 'help' };
    case 'Escape':
      return { kind: 'escape' };
    default:
      return null;
  }
}

/**
 * Whether a keydown on `el` is typing: text fields and selects keep their keys; checkboxes and buttons do not type,
 * so single-key shortcuts (j/k, label keys) still work while they have focus.
 */
export function isTypingTarget(el: HTMLElement | null): boolean {
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA' || el.tagName === 'SELECT') return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(el.type);
  return false;
}

/**
 * Whether a keydown on `el` is typing: text fields keep their keys; checkboxes, buttons and selects do not type,
 * so single-key shortcuts (j/k, label keys) still work while they have focus (a select keeps its arrow keys: see
 * `isSelect`).
 */
export function isTypingTarget(el: HTMLElement | null): boolean {
  if (!el) return false;
  if (el.isContentEditable || el.tagName === 'TEXTAREA') return true;
  if (el instanceof HTMLInputElement) return !['checkbox', 'radio', 'button', 'submit', 'reset', 'range', 'color'].includes(el.type);
  return false;
}

export function isSelect(el: HTMLElement | null): boolean {
  return el?.tagName === 'SELECT';
}

/**
 * Whether Enter on `el` activates it rather than the view's shortcut. The navigation is left out: after a click on
 * the nav its link keeps focus, and Enter must then open the selected row, not follow the link again.
 */
export function isActivatable(el: HTMLElement | null): boolean {
  if (!el || el.closest('nav')) return false;
  return ['BUTTON', 'A', 'SUMMARY', 'SELECT'].includes(el.tagName);
}

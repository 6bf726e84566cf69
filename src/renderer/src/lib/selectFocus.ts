/**
 * A select gives focus back after a change made with the mouse, so the view's single-key shortcuts (j/k, s,
 * label keys) work again at once. A change made with the keyboard keeps focus: its user is still on the select.
 */
const KEYBOARD_CHANGE_MS = 500;

export function returnFocusAfterSelectChange(doc: Document): () => void {
  let lastKey: { on: EventTarget | null; at: number } = { on: null, at: Number.NEGATIVE_INFINITY };
  const onKey = (e: KeyboardEvent) => {
    lastKey = { on: e.target, at: e.timeStamp };
  };
  const onChange = (e: Event) => {
    const el = e.target as HTMLElement | null;
    const byKeyboard = lastKey.on === el && e.timeStamp - lastKey.at < KEYBOARD_CHANGE_MS;
    if (el?.tagName === 'SELECT' && !byKeyboard) el.blur();
  };
  doc.addEventListener('keydown', onKey, true);
  doc.addEventListener('change', onChange, true);
  return () => {
    doc.removeEventListener('keydown', onKey, true);
    doc.removeEventListener('change', onChange, true);
  };
}

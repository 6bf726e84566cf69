/**
 * A select gives focus back after a change made with the mouse, so the view's single-key shortcuts (j/k, s,
 * label keys) work again at once. A change made with the keyboard keeps focus: its user is still on the select.
 */
const KEYBOARD_CHANGE_MS = 500;

export function returnFocusAfterSelectChange(doc: Document): () => void {
  let lastKeyOnSelect = Number.NEGATIVE_INFINITY;
  const onKey = (e: KeyboardEvent) => {
    if ((e.target as HTMLElement | null)?.tagName === 'SELECT') lastKeyOnSelect = e.timeStamp;
  };
  const onChange = (e: Event) => {
    const el = e.target as HTMLElement | null;
    if (el?.tagName === 'SELECT' && e.timeStamp - lastKeyOnSelect > KEYBOARD_CHANGE_MS) el.blur();
  };
  doc.addEventListener('keydown', onKey, true);
  doc.addEventListener('change', onChange, true);
  return () => {
    doc.removeEventListener('keydown', onKey, true);
    doc.removeEventListener('change', onChange, true);
  };
}

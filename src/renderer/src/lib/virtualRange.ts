/**
 * Which rows of a fixed-row-height list to render, and which pages of rows to fetch for them.
 * Pure (no DOM) so the windowing arithmetic is unit-tested; `VirtualList.svelte` feeds it scroll positions.
 */

export interface VisibleRange {
  /** First row index to render (inclusive). */
  start: number;
  /** Row index after the last one to render (exclusive). */
  end: number;
}

export function visibleRange(opts: { scrollTop: number; viewportHeight: number; rowHeight: number; count: number; overscan: number }): VisibleRange {
  const { scrollTop, viewportHeight, rowHeight, count, overscan } = opts;
  if (count <= 0 || rowHeight <= 0) return { start: 0, end: 0 };
  const first = Math.floor(Math.max(0, scrollTop) / rowHeight);
  const last = Math.ceil((Math.max(0, scrollTop) + Math.max(0, viewportHeight)) / rowHeight);
  const start = Math.min(count, Math.max(0, first - overscan));
  const end = Math.min(count, Math.max(start, last + overscan));
  return { start, end };
}

/** Page numbers covering rows [start, end). */
export function pagesFor(range: VisibleRange, pageSize: number): number[] {
  if (range.end <= range.start) return [];
  const pages: number[] = [];
  for (let p = Math.floor(range.start / pageSize); p <= Math.floor((range.end - 1) / pageSize); p++) pages.push(p);
  return pages;
}

/**
 * The scrollTop that brings row `index` fully into view with as little movement as possible
 * (unchanged when it already is), as j/k navigation needs.
 */
export function scrollTopToReveal(opts: { index: number; scrollTop: number; viewportHeight: number; rowHeight: number }): number {
  const { index, scrollTop, viewportHeight, rowHeight } = opts;
  const top = index * rowHeight;
  const bottom = top + rowHeight;
  if (top < scrollTop) return top;
  if (bottom > scrollTop + viewportHeight) return Math.max(0, bottom - viewportHeight);
  return scrollTop;
}

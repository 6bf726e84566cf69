import { describe, expect, it } from 'vitest';
import { pagesFor, scrollTopToReveal, visibleRange } from '../../../src/renderer/src/lib/virtualRange';

describe('visibleRange', () => {
  it('renders only the rows in view plus overscan, whatever the count', () => {
    expect(visibleRange({ scrollTop: 0, viewportHeight: 640, rowHeight: 64, count: 100_000, overscan: 5 })).toEqual({ start: 0, end: 15 });
    expect(visibleRange({ scrollTop: 64 * 50_000 + 10, viewportHeight: 640, rowHeight: 64, count: 100_000, overscan: 5 })).toEqual({ start: 49_995, end: 50_016 });
  });

  it('clamps at the end and for tiny or empty lists', () => {
    expect(visibleRange({ scrollTop: 64 * 99_995, viewportHeight: 640, rowHeight: 64, count: 100_000, overscan: 5 })).toEqual({ start: 99_990, end: 100_000 });
    expect(visibleRange({ scrollTop: 0, viewportHeight: 640, rowHeight: 64, count: 3, overscan: 5 })).toEqual({ start: 0, end: 3 });
    expect(visibleRange({ scrollTop: 0, viewportHeight: 640, rowHeight: 64, count: 0, overscan: 5 })).toEqual({ start: 0, end: 0 });
  });
});

describe('pagesFor', () => {
  it('lists the pages covering a range', () => {
    expect(pagesFor({ start: 0, end: 15 }, 200)).toEqual([0]);
    expect(pagesFor({ start: 195, end: 210 }, 200)).toEqual([0, 1]);
    expect(pagesFor({ start: 5, end: 5 }, 200)).toEqual([]);
  });
});

describe('scrollTopToReveal', () => {
  const base = { scrollTop: 640, viewportHeight: 640, rowHeight: 64 };
  it('does not move when the row is visible', () => {
    expect(scrollTopToReveal({ ...base, index: 12 })).toBe(640);
  });
  it('moves as little as possible up or down', () => {
    expect(scrollTopToReveal({ ...base, index: 5 })).toBe(320);
    expect(scrollTopToReveal({ ...base, index: 20 })).toBe(21 * 64 - 640);
  });
});

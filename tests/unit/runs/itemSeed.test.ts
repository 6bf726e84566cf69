import { describe, expect, it } from 'vitest';
import { itemSeed } from '../../../src/main/core/runs/itemSeed';

describe('itemSeed', () => {
  it('depends on the run seed and the item id only, and fits 32 bits', () => {
    expect(itemSeed(42, '7')).toBe(itemSeed(42, '7'));
    expect(itemSeed(42, '7')).not.toBe(itemSeed(43, '7'));
    expect(itemSeed(42, '7')).not.toBe(itemSeed(42, '8'));
    // No ambiguity between (4, "27") and (42, "7").
    expect(itemSeed(4, '27')).not.toBe(itemSeed(42, '7'));
    const seeds = Array.from({ length: 1000 }, (_, i) => itemSeed(1, String(i)));
    expect(new Set(seeds).size).toBe(1000);
    expect(seeds.every((s) => Number.isInteger(s) && s >= 0 && s < 2 ** 32)).toBe(true);
  });
});

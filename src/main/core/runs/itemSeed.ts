/**
 * The sampling seed of one item: a hash of the run seed and the item id (FNV-1a, 32 bits).
 * It depends on neither the order nor the batch an item is generated in, so a resumed or re-ordered run
 * reproduces exactly the same outputs.
 */
export function itemSeed(runSeed: number, itemId: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(`${runSeed}\u0000${itemId}`, 'utf8')) {
    hash ^= byte;
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return hash;
}

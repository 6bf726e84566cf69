/**
 * Seeded randomness for everything that must be reproducible (subset samples, annotation queues, bootstraps,
 * benchmark data): `Math.random` cannot be seeded.
 *
 * mulberry32 (Tommy Ettinger's public-domain generator): uniform floats in [0, 1) with 2^-32 resolution, the same
 * sequence for the same seed on every platform. Not cryptographic; period 2^32, plenty for a few million draws.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher–Yates driven by mulberry32: the same seed and input give the same order. */
export function seededShuffle<T>(xs: readonly T[], seed: number): T[] {
  const out = [...xs];
  const rand = mulberry32(seed);
  for (let i = out.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

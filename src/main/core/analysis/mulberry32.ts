/**
 * mulberry32: a tiny seeded 32-bit PRNG (Tommy Ettinger's public-domain generator). Returns uniform floats in
 * [0, 1) with 2^-32 resolution; the same seed always gives the same sequence, which is what makes the bootstraps
 * of this folder reproducible. Not cryptographic; period 2^32, plenty for a few million draws.
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

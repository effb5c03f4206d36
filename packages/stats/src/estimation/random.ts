/**
 * A small seeded pseudo-random generator, so that every randomised step (data splits, subsampling)
 * is reproducible from a seed without depending on a platform generator.
 */

/** Returns a generator of uniform numbers in [0, 1) (mulberry32; 32-bit state, fast, good enough for splits). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Shuffles `indices` in place (Fisher–Yates) with the given generator. */
export function shuffleInPlace(indices: Uint32Array, random: () => number): Uint32Array {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = tmp;
  }
  return indices;
}

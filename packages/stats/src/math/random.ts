/**
 * Seeded pseudo-random generators, so every randomised step (sketch compaction, data splits,
 * bootstrap resamples, simulations) repeats bit for bit from its seed on every platform. Not for
 * cryptography. Internal to the package.
 *
 * - mulberry32: one 32-bit integer of state, small and fast; as a serialisable object
 *   ({@link Mulberry32}, whose state travels with a sketch) or as a function of uniforms ({@link mulberry32}).
 * - xoshiro128**: 128 bits of state, for long simulations that draw uniforms, normals and integers
 *   ({@link createSeededRandom}).
 * - mulberry32 uniforms with Box–Muller normals ({@link createSeededNormals}): synthetic data for
 *   benchmarks and demos, the same on every run.
 */

/** 2^32, to turn 32 random bits into a uniform number in [0, 1). */
const TWO_POW_32 = 4294967296;

/** Advances a mulberry32 state by one step. */
function mulberry32Advance(state: number): number {
  return (state + 0x6d2b79f5) >>> 0;
}

/** The 32 output bits (unsigned) of a just-advanced mulberry32 state. */
function mulberry32Bits(state: number): number {
  let t = state;
  t = Math.imul(t ^ (t >>> 15), t | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return (t ^ (t >>> 14)) >>> 0;
}

/**
 * mulberry32 as an object whose whole state is one 32-bit integer, so it can be serialised (e.g. with
 * a sketch) and a restored generator continues identically.
 */
export class Mulberry32 {
  constructor(public state: number) {
    this.state = state >>> 0;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    this.state = mulberry32Advance(this.state);
    return mulberry32Bits(this.state);
  }

  /** A fair coin. */
  nextBit(): number {
    return this.nextUint32() >>> 31;
  }
}

/** Uniform numbers in [0, 1) (32 random bits each) from mulberry32 seeded with `seed`. */
export function mulberry32(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = mulberry32Advance(state);
    return mulberry32Bits(state) / TWO_POW_32;
  };
}

/** Shuffles `indices` in place (Fisher–Yates) with the given generator of uniforms in [0, 1). */
export function shuffleInPlace(indices: Uint32Array, random: () => number): Uint32Array {
  for (let i = indices.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const tmp = indices[i]!;
    indices[i] = indices[j]!;
    indices[j] = tmp;
  }
  return indices;
}

/** Uniforms and standard normals from one seeded mulberry32 state. */
export interface SeededNormals {
  /** Uniform on [0, 1) with 32 random bits. */
  uniform(): number;
  /** Standard normal (Box–Muller). */
  normal(): number;
}

/**
 * mulberry32 uniforms with Box–Muller normals; uniforms and normals share one state, so any
 * mix of calls repeats from the seed. By default both normals of a Box–Muller pair are used,
 * r·cos then r·sin with r = √(−2 ln u) (u = 0 read as 1e-12); with `pairs: false` every normal
 * draws two fresh uniforms and keeps the cosine, r = √(−2 ln(1 − u)).
 */
export function createSeededNormals(seed: number, options: { pairs?: boolean } = {}): SeededNormals {
  const uniform = mulberry32(seed);
  if (options.pairs === false) {
    return {
      uniform,
      normal: () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform()),
    };
  }
  let spare: number | null = null;
  const normal = (): number => {
    if (spare !== null) {
      const value = spare;
      spare = null;
      return value;
    }
    const r = Math.sqrt(-2 * Math.log(uniform() || 1e-12));
    const angle = 2 * Math.PI * uniform();
    spare = r * Math.sin(angle);
    return r * Math.cos(angle);
  };
  return { uniform, normal };
}

/** A seeded stream of pseudo-random numbers. */
export interface RandomStream {
  /** Uniform on [0, 1) with 53 random bits. */
  uniform(): number;
  /** Standard normal (Marsaglia's polar method). */
  normal(): number;
  /** Uniform integer in [0, n), n <= 2^32, without modulo bias. */
  integer(n: number): number;
}

/** splitmix32 spreads a small integer seed over the full 128-bit xoshiro state. */
function splitmix32(state: { s: number }): number {
  state.s = (state.s + 0x9e3779b9) | 0;
  let z = state.s;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  return (z ^ (z >>> 16)) >>> 0;
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** Creates a xoshiro128** stream; the same seed always yields the same sequence. */
export function createSeededRandom(seed: number): RandomStream {
  const init = { s: seed | 0 };
  let a = splitmix32(init);
  let b = splitmix32(init);
  let c = splitmix32(init);
  let d = splitmix32(init);
  if ((a | b | c | d) === 0) a = 1; // the all-zero state is a fixed point

  const next32 = (): number => {
    const result = Math.imul(rotl(Math.imul(b, 5), 7), 9) >>> 0;
    const t = b << 9;
    c ^= a;
    d ^= b;
    b ^= c;
    a ^= d;
    c ^= t;
    d = rotl(d, 11);
    return result;
  };

  const uniform = (): number => ((next32() >>> 5) * 67108864 + (next32() >>> 6)) / 9007199254740992;

  let spare = Number.NaN;
  const normal = (): number => {
    if (!Number.isNaN(spare)) {
      const value = spare;
      spare = Number.NaN;
      return value;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * uniform() - 1;
      v = 2 * uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const factor = Math.sqrt((-2 * Math.log(s)) / s);
    spare = v * factor;
    return u * factor;
  };

  const integer = (n: number): number => {
    // Rejection keeps every value equally likely.
    const limit = TWO_POW_32 - (TWO_POW_32 % n);
    let x: number;
    do x = next32();
    while (x >= limit);
    return x % n;
  };

  return { uniform, normal, integer };
}

/**
 * A small seeded pseudo-random generator (xoshiro128**), so simulations and property tests are
 * reproducible bit for bit on every platform. Not for cryptography.
 */

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

/** Creates a generator; the same seed always yields the same sequence. */
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
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = next32();
    while (x >= limit);
    return x % n;
  };

  return { uniform, normal, integer };
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

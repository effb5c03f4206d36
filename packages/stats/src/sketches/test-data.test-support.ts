/** Test-only seeded data generators for the sketch property tests. */
import { Mulberry32 } from '../math/random.js';

/** n values from one of a few shapes (uniform, normal, heavy-tailed, heavily tied), seeded. */
export function seededSample(
  n: number,
  seed: number,
  shape: 'uniform' | 'normal' | 'pareto' | 'ties',
): Float64Array {
  const random = new Mulberry32(seed);
  const unit = () => (random.nextUint32() + 0.5) / 4294967296;
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    if (shape === 'uniform') out[i] = unit() * 100 - 50;
    else if (shape === 'normal') out[i] = Math.sqrt(-2 * Math.log(unit())) * Math.cos(2 * Math.PI * unit());
    else if (shape === 'pareto') out[i] = unit() ** -1.5;
    else out[i] = Math.floor(unit() * 20);
  }
  return out;
}

/** Fraction of `sorted` strictly below x and at most x. */
export function trueRankInterval(sorted: Float64Array, x: number): [number, number] {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < x) lo = mid + 1;
    else hi = mid;
  }
  const below = lo;
  hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= x) lo = mid + 1;
    else hi = mid;
  }
  return [below / sorted.length, lo / sorted.length];
}

/** Byte-for-byte equality (much faster than a deep equality matcher on large arrays). */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

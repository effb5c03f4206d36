/** Sorting, searching, moments, quantiles and ranks on typed arrays. */
import { sortFloat64 } from './float-sort.js';
import { argsort } from './order.js';

/** Ascending copy of `values` as a Float64Array, with NaN removed. */
export function sortedCopy(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  let kept = 0;
  for (let i = 0; i < n; i++) if (!Number.isNaN(values[i]!)) kept++;
  const out = new Float64Array(kept);
  let j = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) out[j++] = v;
  }
  // The order of the built-in numeric sort (-0 before +0, harmless for every use here), in O(n).
  return sortFloat64(out);
}

/** First index i with sorted[i] >= value (numpy `searchsorted(side='left')`). */
export function lowerBound(sorted: ArrayLike<number>, value: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** First index i with sorted[i] > value (numpy `searchsorted(side='right')`). */
export function upperBound(sorted: ArrayLike<number>, value: number, from = 0, to = sorted.length): number {
  let lo = from;
  let hi = to;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Sum with Neumaier compensation, so long arrays keep full precision. */
export function sum(values: ArrayLike<number>): number {
  let s = 0;
  let c = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    const t = s + v;
    c += Math.abs(s) >= Math.abs(v) ? s - t + v : v - t + s;
    s = t;
  }
  return s + c;
}

/** Arithmetic mean; NaN for an empty array. */
export function mean(values: ArrayLike<number>): number {
  const n = values.length;
  if (n === 0) return Number.NaN;
  const m = sum(values) / n;
  // One correction pass removes the rounding left by the division. The residual Σ(v - m) is a
  // sum of many small terms of both signs (long runs of one sign on sorted data), so it is
  // compensated too: each difference's own rounding error (TwoSum) and the accumulation's
  // (Neumaier). A plain sum here moved already correctly rounded means by many ulps.
  let s = 0;
  let c = 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    // TwoSum: v - m = d + e exactly.
    const d = v - m;
    const back = d - v;
    const e = v - (d - back) - (m + back);
    const t = s + d;
    c += (Math.abs(s) >= Math.abs(d) ? s - t + d : d - t + s) + e;
    s = t;
  }
  return m + (s + c) / n;
}

/** Variance with `ddof` delta degrees of freedom (1: sample variance, 0: population); NaN if n <= ddof. */
export function variance(values: ArrayLike<number>, ddof = 1): number {
  const n = values.length;
  if (n - ddof <= 0) return Number.NaN;
  const m = mean(values);
  let squares = 0;
  let residual = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - m;
    squares += d * d;
    residual += d;
  }
  // Corrected two-pass formula: subtracts the squared rounding error of the mean.
  return (squares - (residual * residual) / n) / (n - ddof);
}

/** Standard deviation with `ddof` delta degrees of freedom. */
export function standardDeviation(values: ArrayLike<number>, ddof = 1): number {
  return Math.sqrt(variance(values, ddof));
}

/**
 * Quantile `q` in [0, 1] of an ascending array, interpolating linearly between order statistics
 * (numpy's default `method='linear'`, including its rounding-stable interpolation).
 */
export function quantileSorted(sorted: ArrayLike<number>, q: number): number {
  const n = sorted.length;
  if (n === 0 || Number.isNaN(q) || q < 0 || q > 1) return Number.NaN;
  const position = (n - 1) * q;
  const lo = Math.floor(position);
  if (lo >= n - 1) return sorted[n - 1]!;
  const gamma = position - lo;
  const a = sorted[lo]!;
  const b = sorted[lo + 1]!;
  const diff = b - a;
  return gamma >= 0.5 ? b - diff * (1 - gamma) : a + diff * gamma;
}

/** Median of an ascending array. */
export function medianSorted(sorted: ArrayLike<number>): number {
  return quantileSorted(sorted, 0.5);
}

/**
 * Ranks 1..n with ties given the average of the ranks they span (scipy.stats.rankdata
 * `method='average'`). Input must not contain NaN.
 */
export function rankAverage(values: ArrayLike<number>): Float64Array {
  const n = values.length;
  const order = argsort(values);
  const ranks = new Float64Array(n);
  let i = 0;
  while (i < n) {
    let j = i + 1;
    const v = values[order[i]!]!;
    while (j < n && values[order[j]!]! === v) j++;
    // Positions i..j-1 (0-based) share ranks i+1..j, whose average is (i + 1 + j) / 2.
    const rank = (i + 1 + j) / 2;
    for (let k = i; k < j; k++) ranks[order[k]!] = rank;
    i = j;
  }
  return ranks;
}

/** Σ (t³ - t) over groups of tied values t in an ascending array (tie correction of rank tests). */
export function tieCubeSumSorted(sorted: ArrayLike<number>): number {
  const n = sorted.length;
  let total = 0;
  let i = 0;
  while (i < n) {
    let j = i + 1;
    while (j < n && sorted[j] === sorted[i]) j++;
    const t = j - i;
    total += t * t * t - t;
    i = j;
  }
  return total;
}

/** Greatest common divisor of two non-negative integers. */
export function gcd(a: number, b: number): number {
  let x = Math.abs(a);
  let y = Math.abs(b);
  while (y !== 0) {
    const r = x % y;
    x = y;
    y = r;
  }
  return x;
}

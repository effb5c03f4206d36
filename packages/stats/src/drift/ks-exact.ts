/**
 * Exact null distribution of the two-sample Kolmogorov–Smirnov statistic D_{m,n}.
 *
 * Under the null hypothesis every interleaving of the two samples is equally likely, i.e. every
 * monotone lattice path from (0, 0) to (m, n). D >= h / lcm(m, n) exactly when the path touches a
 * point with |i·n/g - j·m/g| >= h (g = gcd(m, n)). We propagate the probability of a uniformly
 * random path step by step and absorb it at the first such point, so the tail probability is a sum
 * of positive terms and keeps full relative precision even for tiny p-values.
 */
import { gcd } from '../math/index.js';

/** P(D_{n,n} >= h/n) for equal sample sizes, by the reflection-principle series in nested (Horner) form. */
function equalSizeTail(n: number, h: number): number {
  // P = 2 Σ_{k>=1} (-1)^(k-1) C(2n, n-kh) / C(2n, n) = 2 A_0 (1 - A_1 (1 - A_2 (…))),
  // with A_k = C(2n, n-(k+1)h) / C(2n, n-kh), each a product of h simple ratios.
  let p = 0;
  for (let k = Math.floor(n / h); k >= 0; k--) {
    let ratio = 1;
    for (let j = 0; j < h; j++) ratio = ((n - k * h - j) * ratio) / (n + k * h + j + 1);
    p = ratio * (1 - p);
  }
  return 2 * p;
}

/**
 * Path probabilities below this are dropped; the p-value then has an absolute error below
 * (m + 1)(n + 1)·1e-300, irrelevant unless the p-value itself is that small.
 */
const NEGLIGIBLE = 1e-300;

/** P(D_{m,n} >= h / lcm(m, n)) by absorbing path probability outside the band |i n' - j m'| < h. */
function latticeTail(m: number, n: number, h: number): number {
  const g = gcd(m, n);
  const mg = m / g;
  const ng = n / g;
  // Inside the band in column i: (i·ng - h)/mg < j < (i·ng + h)/mg.
  let prev = new Float64Array(n + 1);
  let cur = new Float64Array(n + 1);
  let outside = 0;
  // [lo, hi] is the part of the band where the path probability is above NEGLIGIBLE: far from the
  // diagonal it is astronomically small, and dropping it lets strong-drift cases skip most of a wide
  // band (and avoids slow subnormal arithmetic). Only entries in that range are ever read.
  // The loops below are the hot path of every exact test: the step probabilities are written out
  // inline (an x-step from (i - 1, j) has probability (m - i + 1) / (m - i + 1 + n - j), a y-step
  // into (i, j) (n - j + 1) / (m - i + n - j + 1)), with the integer parts hoisted out of the loops.
  // Column i = 0: y-steps from (0, 0) upward.
  let lo = 0;
  let hi = Math.min(n, Math.ceil(h / mg) - 1);
  cur[0] = 1;
  for (let j = 1; j <= hi; j++) cur[j] = cur[j - 1]! * ((n - (j - 1)) / (m + n - (j - 1)));
  if (hi < n) outside += cur[hi]! * ((n - hi) / (m + n - hi));
  while (hi > lo && cur[hi]! < NEGLIGIBLE) hi--;
  for (let i = 1; i <= m; i++) {
    const swap = prev;
    prev = cur;
    cur = swap;
    const prevLo = lo;
    const prevHi = hi;
    const bandLo = Math.max(0, Math.floor((i * ng - h) / mg) + 1);
    const bandHi = Math.min(n, Math.ceil((i * ng + h) / mg) - 1);
    // x-step from (i - 1, j): xNum / (xDen - j); y-step into (i, j): (yNum - j) / (yDen - j).
    const xNum = m - i + 1;
    const xDen = xNum + n;
    const yNum = n + 1;
    const yDen = m - i + n + 1;
    // x-steps from the previous column that land outside the band leave it.
    const belowEnd = Math.min(prevHi, bandLo - 1);
    for (let j = prevLo; j <= belowEnd; j++) outside += prev[j]! * (xNum / (xDen - j));
    for (let j = Math.max(prevLo, bandHi + 1); j <= prevHi; j++) outside += prev[j]! * (xNum / (xDen - j));
    lo = Math.max(bandLo, prevLo);
    if (lo > bandHi || prevLo > prevHi) {
      hi = lo - 1;
      continue;
    }
    let j = lo;
    let left = 0;
    if (j <= prevHi) {
      // The band's first cell is reached only from the left neighbour column.
      left = prev[j]! * (xNum / (xDen - j));
      if (left < NEGLIGIBLE) left = 0;
      cur[j] = left;
      j++;
      // Cells reached from both the previous column and the cell below.
      const bothEnd = Math.min(bandHi, prevHi);
      for (; j <= bothEnd; j++) {
        left = prev[j]! * (xNum / (xDen - j)) + left * ((yNum - j) / (yDen - j));
        if (left < NEGLIGIBLE) left = 0;
        cur[j] = left;
      }
    }
    // Above the previous column's range only y-steps arrive; stop once they are negligible (at once
    // when nothing arrived from the previous column: left is then 0).
    for (; j <= bandHi; j++) {
      left *= (yNum - j) / (yDen - j);
      if (left < NEGLIGIBLE) break;
      cur[j] = left;
    }
    hi = j - 1;
    // A y-step above the band leaves it.
    if (hi === bandHi && hi < n && lo <= hi) outside += cur[hi]! * ((n - hi) / (m - i + n - hi));
    while (lo <= hi && cur[lo]! < NEGLIGIBLE) lo++;
    while (hi >= lo && cur[hi]! < NEGLIGIBLE) hi--;
  }
  return outside;
}

/**
 * Exact two-sided p-value P(D_{m,n} >= d) under the null hypothesis, with d rounded to the lattice
 * value h / lcm(m, n) as scipy does. Returns the rounded statistic with the probability.
 */
export function ksExactTwoSided(m: number, n: number, d: number): { statistic: number; pValue: number } {
  const g = gcd(m, n);
  const lcm = (m / g) * n;
  const h = Math.round(d * lcm);
  const statistic = h / lcm;
  if (h === 0) return { statistic, pValue: 1 };
  const p = m === n ? equalSizeTail(m, h) : latticeTail(Math.max(m, n), Math.min(m, n), h);
  return { statistic, pValue: Math.min(1, Math.max(0, p)) };
}

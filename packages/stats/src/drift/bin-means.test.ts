import { describe, expect, it } from 'vitest';
import { chiSquareIsf, chiSquareSf } from '../math/index.js';
import { wassersteinNormed, wassersteinNormedBinMeans, wassersteinNormedBinned } from './cdf-distances.js';
import { countIntoBins } from './numeric-bins.js';

function sumsIntoBins(values: number[], edges: number[]): Float64Array {
  const sums = new Float64Array(edges.length - 1);
  for (const v of values) {
    let b = 0;
    while (b < edges.length - 2 && v >= edges[b + 1]!) b++;
    sums[b]! += v;
  }
  return sums;
}

function populationStd(values: number[]): number {
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
}

describe('normed Wasserstein from bin counts and sums', () => {
  it('equals the raw distance when each bin holds one distinct value', () => {
    const reference = [1, 1, 2, 3, 3, 3, 5];
    const current = [1, 2, 2, 2, 5, 5];
    const edges = [0.5, 1.5, 2.5, 3.5, 4.5, 5.5];
    const counts = {
      edges,
      reference: countIntoBins(reference, edges),
      current: countIntoBins(current, edges),
      referenceSums: sumsIntoBins(reference, edges),
      currentSums: sumsIntoBins(current, edges),
    };
    expect(wassersteinNormedBinMeans(counts, populationStd(reference))).toBeCloseTo(
      wassersteinNormed(reference, current),
      12,
    );
  });

  it('is closer to the raw distance than bin midpoints on wide bins', () => {
    const reference = Array.from({ length: 200 }, (_, i) => (i % 50) / 10);
    const current = reference.map((v) => v * 1.1 + 0.2);
    const edges = [-1, 1, 3, 5, 7];
    const binned = {
      edges,
      reference: countIntoBins(reference, edges),
      current: countIntoBins(current, edges),
    };
    const raw = wassersteinNormed(reference, current);
    const withMeans = wassersteinNormedBinMeans(
      { ...binned, referenceSums: sumsIntoBins(reference, edges), currentSums: sumsIntoBins(current, edges) },
      populationStd(reference),
    );
    const withMidpoints = wassersteinNormedBinned(binned, { referenceStd: populationStd(reference) });
    expect(Math.abs(withMeans - raw)).toBeLessThan(Math.abs(withMidpoints - raw));
  });
});

describe('chi-square inverse survival function', () => {
  it('matches scipy.stats.chi2.isf', () => {
    expect(chiSquareIsf(0.05, 1)).toBeCloseTo(3.841458820694124, 9);
    expect(chiSquareIsf(0.01, 9)).toBeCloseTo(21.665994333461924, 9);
  });

  it('inverts the survival function', () => {
    for (const df of [1, 2, 9, 50, 999]) {
      for (const p of [0.5, 1e-2, 1e-4, 1e-8]) {
        expect(chiSquareSf(chiSquareIsf(p, df), df) / p).toBeCloseTo(1, 8);
      }
    }
  });
});

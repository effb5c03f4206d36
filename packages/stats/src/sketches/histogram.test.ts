import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sketchBinnedCounts, sketchHistogram, sketchQuantileEdges } from './histogram.js';
import { KllSketch, kllRankErrorBound } from './kll.js';
import { seededSample } from './test-data.test-support.js';

/** numpy.histogram counts: [e_i, e_{i+1}) with the last bin closed. */
function exactHistogram(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  for (let i = 0; i < values.length; i++) {
    const x = values[i]!;
    if (x < edges[0]! || x > edges[bins]!) continue;
    let b = 0;
    while (b < bins - 1 && x >= edges[b + 1]!) b++;
    counts[b]! += 1;
  }
  return counts;
}

describe('sketch histograms', () => {
  it('are exact while the sketch holds every value', () => {
    const values = [0, 1, 1, 2, 3, 5, 8, 13, 21, -4, 30];
    const sketch = KllSketch.of(values);
    const edges = [0, 1, 5, 21];
    expect(Array.from(sketchHistogram(sketch, edges))).toEqual(Array.from(exactHistogram(values, edges)));
    expect(Array.from(sketchHistogram(sketch, [-Infinity, 2, Infinity]))).toEqual([4, 7]);
  });

  it('count every bin within the rank-error bound, and sum to n with infinite outer edges', () => {
    const bound = kllRankErrorBound(200);
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 60_000 }),
        fc.integer({ min: 1, max: 2 ** 31 }),
        fc.integer({ min: 2, max: 20 }),
        (n, seed, bins) => {
          const reference = seededSample(n, seed, 'normal');
          const current = seededSample(n, seed + 1, 'uniform');
          const ref = KllSketch.of(reference, { seed });
          const cur = KllSketch.of(current, { seed: seed + 1 });
          const edges = sketchQuantileEdges(ref, bins);
          const { reference: refCounts, current: curCounts } = sketchBinnedCounts(ref, cur, edges);
          for (const [counts, values] of [
            [refCounts, reference],
            [curCounts, current],
          ] as const) {
            const exact = exactHistogram(values, edges);
            let sum = 0;
            for (let b = 0; b < exact.length; b++) {
              // A bin count is a difference of two ranks, so it can be off by twice the rank error.
              expect(Math.abs(counts[b]! - exact[b]!)).toBeLessThanOrEqual(2 * bound * n);
              sum += counts[b]!;
            }
            expect(sum).toBe(n);
          }
        },
      ),
      { numRuns: 10 },
    );
  });

  it('quantile edges are strictly increasing with infinite ends', () => {
    const edges = sketchQuantileEdges(KllSketch.of(seededSample(5000, 9, 'ties')), 50);
    expect(edges[0]).toBe(Number.NEGATIVE_INFINITY);
    expect(edges[edges.length - 1]).toBe(Number.POSITIVE_INFINITY);
    for (let i = 1; i < edges.length; i++) expect(edges[i]!).toBeGreaterThan(edges[i - 1]!);
    expect(() => sketchHistogram(new KllSketch(), [1, 1])).toThrow(RangeError);
  });
});

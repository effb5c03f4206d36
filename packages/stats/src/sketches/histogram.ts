import type { BinnedCounts } from '../drift/types.js';
import type { KllSketch } from './kll.js';

function checkEdges(edges: ArrayLike<number>): void {
  if (edges.length < 2) throw new RangeError('histogram edges need at least two values');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) throw new RangeError('histogram edges must be strictly increasing');
  }
}

/**
 * Estimated histogram counts of the values summarised by a quantile sketch, as differences of its
 * CDF at the edges. Bins follow numpy.histogram: [e0, e1), [e1, e2), ..., [e_{b-1}, e_b] (last bin
 * closed); values outside [e0, e_b] are not counted, so use ±Infinity as outer edges to keep them.
 * Each count is off by at most the sketch's rank error times its count.
 */
export function sketchHistogram(sketch: KllSketch, edges: ArrayLike<number>): Float64Array {
  checkEdges(edges);
  const bins = edges.length - 1;
  const counts = new Float64Array(bins);
  let below = sketch.weightBelow(edges[0]!, false);
  for (let b = 0; b < bins; b++) {
    const upper =
      b === bins - 1 ? sketch.weightBelow(edges[b + 1]!, true) : sketch.weightBelow(edges[b + 1]!, false);
    counts[b] = upper - below;
    below = upper;
  }
  return counts;
}

/**
 * Reference and current counts on shared edges, ready for the binned drift methods (PSI,
 * Jensen–Shannon, chi-square, ...).
 */
export function sketchBinnedCounts(
  reference: KllSketch,
  current: KllSketch,
  edges: ArrayLike<number>,
): BinnedCounts {
  return { edges, reference: sketchHistogram(reference, edges), current: sketchHistogram(current, edges) };
}

/**
 * Equal-frequency bin edges from a (reference) sketch: the quantiles at i / bins, with repeated
 * values removed and the outer edges widened to ±Infinity so every value of another sample lands in
 * a bin.
 */
export function sketchQuantileEdges(sketch: KllSketch, bins: number): Float64Array {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError('bins must be a positive integer');
  const inner: number[] = [];
  for (let i = 1; i < bins; i++) {
    const q = sketch.quantile(i / bins);
    if (!Number.isNaN(q) && (inner.length === 0 || q > inner[inner.length - 1]!)) inner.push(q);
  }
  return Float64Array.from([Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY]);
}

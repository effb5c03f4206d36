/**
 * Shared bin edges for numeric drift on pre-aggregated data.
 *
 * Edges come from reference quantiles (numpy 'linear' interpolation), deduplicated, with -Infinity
 * and +Infinity as outer edges so every value falls in a bin. Bins are closed on the left:
 * bin i holds edges[i] <= x < edges[i+1] (numpy `searchsorted(edges, x, side='right') - 1`), so a
 * server can count the same bins in SQL with `x >= lo AND x < hi`.
 */
import { quantileSorted, upperBound } from '../math/index.js';
import { type NumericSample, type PooledSamples, poolBins, prepareSample } from './numeric-sample.js';
import type { BinnedCounts } from './types.js';

/** Default number of quantile bins. Ten deciles is the usual PSI convention (NannyML, most banks). */
export const DEFAULT_BIN_COUNT = 10;

/**
 * Bin edges from the reference quantiles at 1/bins, 2/bins, …, (bins-1)/bins, deduplicated (ties in
 * the reference can merge bins), with -Infinity and +Infinity outer edges. Returns `[-Inf, +Inf]`
 * (one bin) for an empty reference.
 */
export function quantileBinEdges(reference: NumericSample, bins = DEFAULT_BIN_COUNT): Float64Array {
  if (!(Number.isInteger(bins) && bins >= 1)) throw new RangeError('bins must be a positive integer');
  const sorted = prepareSample(reference).sorted;
  const edges: number[] = [Number.NEGATIVE_INFINITY];
  if (sorted.length > 0) {
    for (let i = 1; i < bins; i++) {
      const q = quantileSorted(sorted, i / bins);
      if (q !== edges[edges.length - 1]) edges.push(q);
    }
  }
  edges.push(Number.POSITIVE_INFINITY);
  return Float64Array.from(edges);
}

/** Index of the bin holding `value` (edges[i] <= value < edges[i+1]); -1 for NaN or out of range. */
export function binIndex(edges: ArrayLike<number>, value: number): number {
  if (Number.isNaN(value)) return -1;
  const i = upperBound(edges, value) - 1;
  return i >= 0 && i < edges.length - 1 ? i : -1;
}

/** Counts of `values` in the bins of `edges` (NaN and values outside the edges are not counted). */
export function countIntoBins(values: ArrayLike<number>, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  for (let i = 0; i < values.length; i++) {
    const b = binIndex(edges, values[i]!);
    if (b >= 0) counts[b]! += 1;
  }
  return counts;
}

/** Reference and current counts on edges taken from the reference quantiles. */
export function binnedCountsFromSamples(
  reference: NumericSample,
  current: NumericSample,
  bins = DEFAULT_BIN_COUNT,
): BinnedCounts & { edges: Float64Array; reference: Float64Array; current: Float64Array } {
  const ref = prepareSample(reference).sorted;
  const cur = prepareSample(current).sorted;
  const edges = quantileBinEdges(ref, bins);
  return { edges, reference: countSortedIntoBins(ref, edges), current: countSortedIntoBins(cur, edges) };
}

/** Counts of an ascending sample in the bins of `edges`, by one binary search per edge. */
export function countSortedIntoBins(sorted: Float64Array, edges: ArrayLike<number>): Float64Array {
  const counts = new Float64Array(edges.length - 1);
  let below = lowerEdgeCount(sorted, edges[0]!);
  for (let b = 0; b < counts.length; b++) {
    const upTo = lowerEdgeCount(sorted, edges[b + 1]!);
    counts[b] = upTo - below;
    below = upTo;
  }
  return counts;
}

/** Number of values strictly below `edge` (+Infinity counts everything). */
function lowerEdgeCount(sorted: Float64Array, edge: number): number {
  if (edge === Number.POSITIVE_INFINITY) return sorted.length;
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid]! < edge) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** Checks a {@link BinnedCounts} and returns its parts as numbers. */
export function validateBinnedCounts(counts: BinnedCounts): {
  edges: ArrayLike<number>;
  reference: ArrayLike<number>;
  current: ArrayLike<number>;
  referenceTotal: number;
  currentTotal: number;
} {
  const { edges, reference, current } = counts;
  const bins = reference.length;
  if (current.length !== bins) throw new RangeError('reference and current counts differ in length');
  if (edges.length !== bins + 1) throw new RangeError('edges must have one more entry than counts');
  for (let i = 1; i < edges.length; i++) {
    if (!(edges[i]! > edges[i - 1]!)) throw new RangeError('edges must be strictly ascending');
  }
  let referenceTotal = 0;
  let currentTotal = 0;
  for (let b = 0; b < bins; b++) {
    const r = reference[b]!;
    const c = current[b]!;
    if (!(r >= 0 && c >= 0)) throw new RangeError('bin counts must be non-negative numbers');
    referenceTotal += r;
    currentTotal += c;
  }
  if (referenceTotal === 0 || currentTotal === 0)
    throw new RangeError('both samples need at least one count');
  return { edges, reference, current, referenceTotal, currentTotal };
}

/** Checks histogram counts and pools them for a rank test: the values within a bin are tied. */
export function poolBinnedCounts(counts: BinnedCounts): PooledSamples {
  const { reference, current, referenceTotal, currentTotal } = validateBinnedCounts(counts);
  return { pooled: poolBins(reference, current), referenceSize: referenceTotal, currentSize: currentTotal };
}

/**
 * Representative point of each bin, for distances measured in data units: the midpoint, with
 * infinite outer edges replaced by `lower` / `upper` (e.g. the observed minimum and maximum).
 * Throws if a bin with counts has an infinite edge and no bound is given.
 */
export function binMidpoints(
  counts: BinnedCounts,
  bounds: { lower?: number; upper?: number } = {},
): { midpoints: Float64Array; widths: Float64Array } {
  const { edges, reference, current } = counts;
  const bins = reference.length;
  const midpoints = new Float64Array(bins);
  const widths = new Float64Array(bins);
  for (let b = 0; b < bins; b++) {
    let lo = edges[b]!;
    let hi = edges[b + 1]!;
    if (lo === Number.NEGATIVE_INFINITY && bounds.lower !== undefined) lo = Math.min(bounds.lower, hi);
    if (hi === Number.POSITIVE_INFINITY && bounds.upper !== undefined) hi = Math.max(bounds.upper, lo);
    const used = reference[b]! + current[b]! > 0;
    if (!(Number.isFinite(lo) && Number.isFinite(hi))) {
      if (used) {
        throw new RangeError(
          'a bin with counts has an infinite edge: pass finite `lower` / `upper` bounds (e.g. the observed minimum and maximum)',
        );
      }
      midpoints[b] = Number.isFinite(lo) ? lo : Number.isFinite(hi) ? hi : 0;
      widths[b] = 0;
      continue;
    }
    midpoints[b] = lo + (hi - lo) / 2;
    widths[b] = hi - lo;
  }
  return { midpoints, widths };
}

/**
 * Sorted samples shared by the numeric drift methods. Every raw-data method sorts its inputs once;
 * callers running several methods on the same column pass a {@link PreparedSample} to sort only once.
 */
import { sortedCopy } from '../math/index.js';

/** A sample sorted ascending with NaN removed; build it with {@link prepareSample}. */
export class PreparedSample {
  /** Ascending values, NaN removed. Treat as read-only. */
  readonly sorted: Float64Array;

  private constructor(sorted: Float64Array) {
    this.sorted = sorted;
  }

  /** Wraps an array that the caller guarantees is ascending and NaN-free (no copy, no check). */
  static fromSorted(sorted: Float64Array): PreparedSample {
    return new PreparedSample(sorted);
  }

  get size(): number {
    return this.sorted.length;
  }
}

/** Raw values (NaN ignored) or a sample prepared once with {@link prepareSample}. */
export type NumericSample = ArrayLike<number> | PreparedSample;

/** Sorts `values` once (NaN dropped) for reuse across drift methods. */
export function prepareSample(values: NumericSample): PreparedSample {
  return values instanceof PreparedSample ? values : PreparedSample.fromSorted(sortedCopy(values));
}

/** The ascending, NaN-free values of a sample; throws if it is empty. */
export function sortedValues(values: NumericSample, label: string): Float64Array {
  const sorted = prepareSample(values).sorted;
  if (sorted.length === 0) throw new RangeError(`${label} sample has no non-missing values`);
  return sorted;
}

/** Distinct values of two pooled sorted samples with how often each occurs in either sample. */
export interface PooledTies {
  /** Number of distinct values. */
  size: number;
  values: Float64Array;
  countX: Float64Array;
  countY: Float64Array;
}

/** Merges two ascending samples into their distinct values and per-sample multiplicities, in O(n + m). */
export function poolTies(x: Float64Array, y: Float64Array): PooledTies {
  const capacity = x.length + y.length;
  const values = new Float64Array(capacity);
  const countX = new Float64Array(capacity);
  const countY = new Float64Array(capacity);
  let i = 0;
  let j = 0;
  let k = 0;
  while (i < x.length || j < y.length) {
    const v = j >= y.length || (i < x.length && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    let cx = 0;
    let cy = 0;
    while (i < x.length && x[i] === v) {
      i++;
      cx++;
    }
    while (j < y.length && y[j] === v) {
      j++;
      cy++;
    }
    values[k] = v;
    countX[k] = cx;
    countY[k] = cy;
    k++;
  }
  return { size: k, values, countX, countY };
}

/** Two samples pooled for a rank test, with the size of each. */
export interface PooledSamples {
  pooled: PooledTies;
  referenceSize: number;
  currentSize: number;
}

/** Pools two raw samples (NaN ignored) for a rank test; throws if either is empty. */
export function poolSamples(reference: NumericSample, current: NumericSample): PooledSamples {
  const x = sortedValues(reference, 'reference');
  const y = sortedValues(current, 'current');
  return { pooled: poolTies(x, y), referenceSize: x.length, currentSize: y.length };
}

/** The same pooled form from histogram counts: one "value" per bin (its index), tied within the bin. */
export function poolBins(reference: ArrayLike<number>, current: ArrayLike<number>): PooledTies {
  const bins = reference.length;
  if (current.length !== bins) throw new RangeError('reference and current counts differ in length');
  const values = new Float64Array(bins);
  const countX = new Float64Array(bins);
  const countY = new Float64Array(bins);
  let k = 0;
  for (let b = 0; b < bins; b++) {
    const cx = reference[b]!;
    const cy = current[b]!;
    if (!(cx >= 0 && cy >= 0)) throw new RangeError('bin counts must be non-negative numbers');
    if (cx + cy === 0) continue;
    values[k] = b;
    countX[k] = cx;
    countY[k] = cy;
    k++;
  }
  return { size: k, values, countX, countY };
}

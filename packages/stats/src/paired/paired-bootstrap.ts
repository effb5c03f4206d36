/**
 * Paired bootstrap of the difference in any metric between two models scored on the same rows.
 *
 * - Inputs: the number of paired rows and one metric function per model, each receiving row indices
 *   (the full sample, then each resample) and returning the metric on those rows. Both models see the
 *   same resample every time, which keeps the pairing: the interval reflects the variance of the
 *   difference, not of each metric alone.
 * - Output: metric of A, of B, the difference A − B on all rows; the percentile interval of the
 *   resampled differences (linear interpolation between order statistics, numpy's default), their
 *   standard deviation (n − 1) as the standard error, and a two-sided p-value.
 * - P-value: the smallest α at which the percentile interval of level 1 − α excludes 0, counted with
 *   one added to numerator and denominator so it is never 0 from a finite number of resamples:
 *   p = min(1, 2 · min(1 + #{d* <= 0}, 1 + #{d* >= 0}) / (B + 1)). Swapping A and B gives the same p.
 * - Resamples whose difference is NaN (e.g. AUC of a one-class resample) are dropped and counted.
 * - Deterministic: resample indices come from a seeded xoshiro128** stream (default seed 0), so the same
 *   seed gives the same result on every platform. No reference implementation gives the same numbers
 *   (resampling schemes differ), so tests check coverage and determinism instead of golden values.
 */
import { createSeededRandom } from '../math/random.js';
import type { PairedDifference } from './mcnemar.js';

/** A metric evaluated on the rows at `indices` (reused between calls: copy it if kept). */
export type IndexedMetric = (indices: Uint32Array) => number;

/** Options of {@link pairedBootstrap}. */
export interface PairedBootstrapOptions {
  /** Number of resamples; default 2000. */
  resamples?: number;
  /** Two-sided coverage of the percentile interval; default 0.95. */
  confidence?: number;
  /** Seed of the resampling stream; default 0. */
  seed?: number;
}

/** Result of {@link pairedBootstrap}. */
export interface PairedBootstrapResult extends PairedDifference {
  /** Standard deviation of the resampled differences. */
  standardError: number;
  /** Two-sided p-value of no difference. */
  pValue: number;
  /** Resamples drawn. */
  resamples: number;
  /** Resamples whose difference was NaN and were left out. */
  droppedResamples: number;
}

function linearQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

/** Paired bootstrap of metricA − metricB over `sampleSize` paired rows (see the module header). */
export function pairedBootstrap(
  sampleSize: number,
  metricA: IndexedMetric,
  metricB: IndexedMetric,
  options: PairedBootstrapOptions = {},
): PairedBootstrapResult {
  const resamples = options.resamples ?? 2000;
  const confidence = options.confidence ?? 0.95;
  if (!Number.isInteger(sampleSize) || sampleSize < 1) {
    throw new RangeError(`pairedBootstrap: sampleSize must be a positive integer, got ${sampleSize}.`);
  }
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new RangeError(`pairedBootstrap: resamples must be a positive integer, got ${resamples}.`);
  }
  if (!(confidence > 0 && confidence < 1)) {
    throw new RangeError(`pairedBootstrap: confidence must lie in (0, 1), got ${confidence}.`);
  }
  const indices = new Uint32Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) indices[i] = i;
  const a = metricA(indices);
  const b = metricB(indices);
  const random = createSeededRandom(options.seed ?? 0);
  const differences = new Float64Array(resamples);
  let kept = 0;
  let atMostZero = 0;
  let atLeastZero = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < sampleSize; i++) indices[i] = random.integer(sampleSize);
    const difference = metricA(indices) - metricB(indices);
    if (Number.isNaN(difference)) continue;
    differences[kept++] = difference;
    if (difference <= 0) atMostZero++;
    if (difference >= 0) atLeastZero++;
  }
  const sorted = differences.subarray(0, kept).sort();
  const tail = (1 - confidence) / 2;
  let mean = 0;
  for (let i = 0; i < kept; i++) mean += sorted[i]!;
  mean /= kept;
  let squares = 0;
  for (let i = 0; i < kept; i++) squares += (sorted[i]! - mean) ** 2;
  const pValue =
    kept === 0 ? Number.NaN : Math.min(1, (2 * (1 + Math.min(atMostZero, atLeastZero))) / (kept + 1));
  return {
    a,
    b,
    difference: a - b,
    lower: linearQuantile(sorted, tail),
    upper: linearQuantile(sorted, 1 - tail),
    confidence,
    standardError: kept > 1 ? Math.sqrt(squares / (kept - 1)) : Number.NaN,
    pValue,
    resamples,
    droppedResamples: resamples - kept,
  };
}

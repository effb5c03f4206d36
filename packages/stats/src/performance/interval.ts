import { mulberry32 } from '../math/random.js';
import { twoPassStd } from '../math/two-pass.js';

/** A metric value with an uncertainty interval. */
export interface IntervalEstimate {
  value: number;
  lower: number;
  upper: number;
  standardError: number;
}

/** z of a two-sided 95% normal interval. */
const Z_95 = 1.959963984540054;

/**
 * Normal interval `value ± z · standardError`; `z` defaults to 1.96 (95%). NannyML draws its
 * sampling-error bands with z = 3.
 */
export function normalInterval(value: number, standardError: number, z = Z_95): IntervalEstimate {
  return { value, lower: value - z * standardError, upper: value + z * standardError, standardError };
}

/** Options of {@link bootstrapInterval}. */
export interface BootstrapOptions {
  /** Number of resamples; default 1000. */
  resamples?: number;
  /** Two-sided coverage of the percentile interval; default 0.95. */
  confidence?: number;
  /** Seed of the resampling generator; the same seed gives the same interval. Default 0. */
  seed?: number;
}

/**
 * Seeded percentile bootstrap for any metric. `statistic` receives row indices (a resample
 * drawn with replacement, reused between calls, so copy it if kept) and returns the metric on
 * those rows. `value` is the statistic on all rows, `lower` / `upper` the (1 ± confidence) / 2
 * quantiles of the resampled values (linear interpolation, numpy's default) and
 * `standardError` their standard deviation (n − 1). NaN replicates, e.g. AUC of a one-class
 * resample, are dropped.
 */
export function bootstrapInterval(
  sampleSize: number,
  statistic: (indices: Uint32Array) => number,
  options: BootstrapOptions = {},
): IntervalEstimate {
  const resamples = options.resamples ?? 1000;
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1)) throw new RangeError('confidence must lie in (0, 1).');
  const indices = new Uint32Array(sampleSize);
  for (let i = 0; i < sampleSize; i++) indices[i] = i;
  const value = statistic(indices);
  const random = mulberry32(options.seed ?? 0);
  const replicates = new Float64Array(resamples);
  let kept = 0;
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < sampleSize; i++) indices[i] = Math.floor(random() * sampleSize);
    const replicate = statistic(indices);
    if (!Number.isNaN(replicate)) replicates[kept++] = replicate;
  }
  const sorted = replicates.subarray(0, kept).sort();
  const tail = (1 - confidence) / 2;
  return {
    value,
    lower: linearQuantile(sorted, tail),
    upper: linearQuantile(sorted, 1 - tail),
    standardError: twoPassStd(sorted, 1),
  };
}

/** Copies `values` at `indices` into `out` (allocated when omitted); a helper for statistics. */
export function takeAt<T extends Float64Array | Uint8Array | Int32Array>(
  values: T,
  indices: Uint32Array,
  out?: T,
): T {
  const target = out ?? (new (values.constructor as new (length: number) => T)(indices.length) as T);
  for (let i = 0; i < indices.length; i++) target[i] = values[indices[i]!]!;
  return target;
}

/**
 * Linear interpolation between order statistics as `a + gamma · (b - a)`. numpy's 'linear' method (and
 * `quantileSorted`) use `b - (1 - gamma) · (b - a)` for gamma >= 0.5, which can differ in the last
 * bit; the bootstrap bounds keep this form so seeded intervals stay the same.
 */
function linearQuantile(sorted: Float64Array, q: number): number {
  if (sorted.length === 0) return Number.NaN;
  const position = q * (sorted.length - 1);
  const below = Math.floor(position);
  const above = Math.min(below + 1, sorted.length - 1);
  return sorted[below]! + (position - below) * (sorted[above]! - sorted[below]!);
}

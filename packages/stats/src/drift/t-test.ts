/**
 * Two-sample t-tests on the means: Welch's (unequal variances, default) and Student's (pooled).
 *
 * - Inputs: raw samples (`welchTTest`, `studentTTest`, `tTestDrift`) or histogram counts on shared
 *   edges (`tTestDriftBinned`, values at bin midpoints).
 * - Output: t (reference minus current), degrees of freedom, two-sided p-value, as
 *   `scipy.stats.ttest_ind(equal_var=False)` and `ttest_ind(equal_var=True)`.
 * - Default threshold: drift when p < 0.05 (method ids `welch_t` and `student_t`).
 * - Binned: means and variances of the bin midpoints (infinite outer edges need `lower` / `upper`).
 *   Each mean is off by at most half the widest bin holding its data, so the difference of means is
 *   off by at most the widest bin width; variances carry no correction (Sheppard's would subtract w²/12).
 */
import { mean, studentTSf, variance } from '../math/index.js';
import type { BinBounds } from './cdf-distances.js';
import { binMidpoints, validateBinnedCounts } from './numeric-bins.js';
import { type NumericSample, sortedValues } from './numeric-sample.js';
import { pValueDriftResult } from './p-value-result.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Default p-value threshold of the t-test drift check (0.05). */
export const T_TEST_DEFAULT_THRESHOLD = 0.05;

/** Result of a two-sample t-test: t (reference minus current), degrees of freedom and two-sided p-value. */
export interface TTestResult {
  statistic: number;
  degreesOfFreedom: number;
  pValue: number;
}

interface Moments {
  n: number;
  mean: number;
  variance: number;
}

function tTestFromMoments(x: Moments, y: Moments, equalVariances: boolean): TTestResult {
  let df: number;
  let denominator: number;
  if (equalVariances) {
    df = x.n + y.n - 2;
    const pooled = ((x.n - 1) * x.variance + (y.n - 1) * y.variance) / df;
    denominator = Math.sqrt(pooled * (1 / x.n + 1 / y.n));
  } else {
    const vx = x.variance / x.n;
    const vy = y.variance / y.n;
    df = (vx + vy) ** 2 / (vx ** 2 / (x.n - 1) + vy ** 2 / (y.n - 1));
    // scipy uses df = 1 when both variances are zero.
    if (Number.isNaN(df)) df = 1;
    denominator = Math.sqrt(vx + vy);
  }
  const statistic = (x.mean - y.mean) / denominator;
  const pValue = Number.isNaN(statistic) ? Number.NaN : Math.min(1, 2 * studentTSf(Math.abs(statistic), df));
  return { statistic, degreesOfFreedom: df, pValue };
}

function moments(values: Float64Array): Moments {
  return { n: values.length, mean: mean(values), variance: variance(values, 1) };
}

/** Welch's two-sample t-test on raw samples (NaN ignored), as scipy.stats.ttest_ind(equal_var=False). */
export function welchTTest(reference: NumericSample, current: NumericSample): TTestResult {
  return tTestFromMoments(
    moments(sortedValues(reference, 'reference')),
    moments(sortedValues(current, 'current')),
    false,
  );
}

/** Student's two-sample t-test (pooled variance) on raw samples, as scipy.stats.ttest_ind(equal_var=True). */
export function studentTTest(reference: NumericSample, current: NumericSample): TTestResult {
  return tTestFromMoments(
    moments(sortedValues(reference, 'reference')),
    moments(sortedValues(current, 'current')),
    true,
  );
}

function binnedMoments(midpoints: Float64Array, counts: ArrayLike<number>): Moments {
  let n = 0;
  let s = 0;
  for (let b = 0; b < midpoints.length; b++) {
    n += counts[b]!;
    s += counts[b]! * midpoints[b]!;
  }
  const m = s / n;
  let ss = 0;
  for (let b = 0; b < midpoints.length; b++) ss += counts[b]! * (midpoints[b]! - m) ** 2;
  return { n, mean: m, variance: ss / (n - 1) };
}

/** t-test on histogram counts with values at bin midpoints (see module notes for the error). */
export function tTestBinned(
  counts: BinnedCounts,
  options: BinBounds & { equalVariances?: boolean } = {},
): TTestResult {
  validateBinnedCounts(counts);
  const { midpoints } = binMidpoints(counts, options);
  return tTestFromMoments(
    binnedMoments(midpoints, counts.reference),
    binnedMoments(midpoints, counts.current),
    options.equalVariances ?? false,
  );
}

/** Options of the t-test drift checks: Welch or Student, and the p-value threshold. */
export interface TTestDriftOptions {
  /** Student's pooled-variance test instead of Welch's (default false). */
  equalVariances?: boolean;
  /** Drift when p is below this (default 0.05). */
  threshold?: number;
}

/** A t-test drift result: the shared {@link DriftResult} plus the p-value and degrees of freedom. */
export interface TTestDriftResult extends DriftResult {
  pValue: number;
  degreesOfFreedom: number;
}

function toDrift(result: TTestResult, equalVariances: boolean, threshold: number): TTestDriftResult {
  const method = equalVariances ? 'student_t' : 'welch_t';
  return pValueDriftResult(method, result.statistic, result.pValue, threshold, {
    degreesOfFreedom: result.degreesOfFreedom,
  });
}

/** t-test drift check on raw samples (Welch by default): drift when p < threshold (default 0.05). */
export function tTestDrift(
  reference: NumericSample,
  current: NumericSample,
  options: TTestDriftOptions = {},
): TTestDriftResult {
  const equal = options.equalVariances ?? false;
  const result = equal ? studentTTest(reference, current) : welchTTest(reference, current);
  return toDrift(result, equal, options.threshold ?? T_TEST_DEFAULT_THRESHOLD);
}

/** t-test drift check on histogram counts (midpoints): drift when p < threshold (default 0.05). */
export function tTestDriftBinned(
  counts: BinnedCounts,
  options: TTestDriftOptions & BinBounds = {},
): TTestDriftResult {
  const equal = options.equalVariances ?? false;
  return toDrift(tTestBinned(counts, options), equal, options.threshold ?? T_TEST_DEFAULT_THRESHOLD);
}

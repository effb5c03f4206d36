/**
 * Two-sample Kolmogorov–Smirnov test.
 *
 * - Inputs: raw samples (`ksTwoSample`, `ksDrift`) or histogram counts on shared edges
 *   (`ksTwoSampleBinned`, `ksDriftBinned`).
 * - Output: statistic D = sup |F_ref - F_cur|, two-sided p-value, the p-value method
 *   (`exact` | `asymptotic`), where D is attained and its sign (+1 when F_ref > F_cur there).
 * - P-value as `scipy.stats.ks_2samp(method='auto')`: exact when both samples have at most 10,000
 *   values (D then rounded to the lattice h / lcm(n, m), as scipy reports it), otherwise the
 *   one-sample two-sided distribution `kstwo` at n = round(n·m / (n + m)).
 * - Default threshold: drift when p < 0.05 (method id `ks`).
 * - Binned: D is computed from the cumulative counts at the bin edges. It is a lower bound of the raw
 *   D and exceeds it by at most the largest bin proportion of either sample:
 *   D_binned <= D_raw <= D_binned + max_i max(p_ref,i, p_cur,i). The p-value treats values of a bin as
 *   tied, so it is conservative (larger) when bins are coarse.
 */
import { kolmogorovSmirnovSf } from '../math/index.js';
import { roundHalfEven } from '../math/rounding.js';
import { ksExactTwoSided } from './ks-exact.js';
import { poolBinnedCounts } from './numeric-bins.js';
import { type NumericSample, type PooledSamples, poolSamples } from './numeric-sample.js';
import { pValueDriftResult } from './p-value-result.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Default p-value threshold of the KS drift check. */
export const KS_DEFAULT_THRESHOLD = 0.05;
/** Largest sample size for which `method: 'auto'` computes the exact p-value (as scipy). */
export const KS_EXACT_MAX_SIZE = 10_000;

/**
 * How the KS p-value is computed: `auto` (exact up to {@link KS_EXACT_MAX_SIZE} values per sample), `exact`
 * or `asymptotic`.
 */
export type KsMethod = 'auto' | 'exact' | 'asymptotic';

/** Options of the two-sample KS test. */
export interface KsOptions {
  /** P-value method; `auto` (default) is exact up to {@link KS_EXACT_MAX_SIZE} values per sample. */
  method?: KsMethod;
}

/**
 * Result of the two-sample KS test: statistic D, two-sided p-value, and where and in which direction D is
 * attained.
 */
export interface KsResult {
  statistic: number;
  pValue: number;
  /** How the p-value was computed. */
  method: 'exact' | 'asymptotic';
  /** Value where D is attained (raw) or upper edge of the bin where it is attained (binned). */
  location: number;
  /** +1 when the reference CDF is above the current CDF at `location`, -1 otherwise. */
  sign: 1 | -1;
}

function ksFromPooled(
  { pooled, referenceSize: nx, currentSize: ny }: PooledSamples,
  options: KsOptions,
): KsResult {
  let cx = 0;
  let cy = 0;
  let maxDiff = Number.NEGATIVE_INFINITY;
  let minDiff = Number.POSITIVE_INFINITY;
  let maxAt = 0;
  let minAt = 0;
  for (let k = 0; k < pooled.size; k++) {
    cx += pooled.countX[k]!;
    cy += pooled.countY[k]!;
    const diff = cx / nx - cy / ny;
    if (diff > maxDiff) {
      maxDiff = diff;
      maxAt = k;
    }
    if (diff < minDiff) {
      minDiff = diff;
      minAt = k;
    }
  }
  const minS = Math.min(1, Math.max(0, -minDiff));
  const useMin = minS > maxDiff;
  let d = useMin ? minS : maxDiff;
  const at = useMin ? minAt : maxAt;
  const sign: 1 | -1 = useMin ? -1 : 1;
  const requested = options.method ?? 'auto';
  let method: 'exact' | 'asymptotic' =
    requested === 'auto' ? (Math.max(nx, ny) <= KS_EXACT_MAX_SIZE ? 'exact' : 'asymptotic') : requested;
  if (method === 'exact' && !(Number.isInteger(nx) && Number.isInteger(ny))) method = 'asymptotic';
  let pValue: number;
  if (method === 'exact') {
    const exact = ksExactTwoSided(nx, ny, d);
    d = exact.statistic;
    pValue = exact.pValue;
  } else {
    const big = Math.max(nx, ny);
    const small = Math.min(nx, ny);
    const effective = roundHalfEven((big * small) / (big + small));
    pValue = kolmogorovSmirnovSf(Math.max(1, effective), d);
  }
  return {
    statistic: d,
    pValue: Math.min(1, Math.max(0, pValue)),
    method,
    location: pooled.values[at]!,
    sign,
  };
}

/** Two-sample two-sided Kolmogorov–Smirnov test on raw samples (NaN ignored). */
export function ksTwoSample(
  reference: NumericSample,
  current: NumericSample,
  options: KsOptions = {},
): KsResult {
  return ksFromPooled(poolSamples(reference, current), options);
}

/** Two-sample Kolmogorov–Smirnov test on histogram counts on shared bin edges (see module notes for the bound). */
export function ksTwoSampleBinned(counts: BinnedCounts, options: KsOptions = {}): KsResult {
  const result = ksFromPooled(poolBinnedCounts(counts), options);
  // Report the bin's upper edge: the binned CDFs are those of the raw data just below it.
  return { ...result, location: counts.edges[result.location + 1]! };
}

/** Options of the KS drift checks: the test options plus the p-value threshold. */
export interface KsDriftOptions extends KsOptions {
  /** Drift when the p-value is below this; default {@link KS_DEFAULT_THRESHOLD}. */
  threshold?: number;
}

/** KS drift check on raw samples: drift when p < threshold (default 0.05). */
export function ksDrift(
  reference: NumericSample,
  current: NumericSample,
  options: KsDriftOptions = {},
): KsDriftResult {
  return ksDriftResult(ksTwoSample(reference, current, options), options.threshold ?? KS_DEFAULT_THRESHOLD);
}

/** KS drift check on histogram counts: drift when p < threshold (default 0.05). */
export function ksDriftBinned(counts: BinnedCounts, options: KsDriftOptions = {}): KsDriftResult {
  return ksDriftResult(ksTwoSampleBinned(counts, options), options.threshold ?? KS_DEFAULT_THRESHOLD);
}

/** A KS drift result: the shared {@link DriftResult} plus where D is attained and how p was computed. */
export interface KsDriftResult extends DriftResult {
  pValue: number;
  pValueMethod: 'exact' | 'asymptotic';
  location: number;
  sign: 1 | -1;
}

function ksDriftResult(result: KsResult, threshold: number): KsDriftResult {
  return pValueDriftResult('ks', result.statistic, result.pValue, threshold, {
    pValueMethod: result.method,
    location: result.location,
    sign: result.sign,
  });
}

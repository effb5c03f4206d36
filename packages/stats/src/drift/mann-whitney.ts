/**
 * Mann–Whitney U test (Wilcoxon rank-sum), two-sided.
 *
 * - Inputs: raw samples (`mannWhitneyU`, `mannWhitneyDrift`) or histogram counts on shared edges
 *   (`mannWhitneyUBinned`, `mannWhitneyDriftBinned`).
 * - Output: U of the reference sample (U₁ = R₁ - n₁(n₁+1)/2, as scipy's `statistic`), two-sided p-value
 *   and the p-value method.
 * - `asymptotic` (default): normal approximation with tie correction and continuity correction, as
 *   `scipy.stats.mannwhitneyu(method='asymptotic', use_continuity=True)`.
 *   `exact`: the exact null distribution (no ties allowed), for n₁·n₂ <= 10,000, as
 *   `method='exact'`. `auto`: scipy's rule (exact when a sample has at most 8 values and there are no
 *   ties), falling back to asymptotic beyond n₁·n₂ = 10,000 where scipy would still go exact.
 * - Default threshold: drift when p < 0.05 (method id `mann_whitney`).
 * - Binned: values in one bin are treated as tied (it is the raw test on bin indices). U differs from
 *   the raw U by at most half the number of within-bin pairs: |U_binned - U_raw| <= ½ Σ_i r_i c_i
 *   (r_i, c_i the bin's reference and current counts); the tie correction uses the bin counts.
 */
import { normalSf } from '../math/index.js';
import { poolBinnedCounts } from './numeric-bins.js';
import { type NumericSample, type PooledSamples, poolSamples } from './numeric-sample.js';
import { pValueDriftResult } from './p-value-result.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Default p-value threshold of the Mann–Whitney drift check (0.05). */
export const MANN_WHITNEY_DEFAULT_THRESHOLD = 0.05;
/** Largest n₁·n₂ for which the exact distribution is computed (O((n₁n₂)²) work). */
export const MANN_WHITNEY_EXACT_MAX_PRODUCT = 10_000;

/**
 * How the Mann–Whitney p-value is computed: normal approximation, exact null distribution, or scipy's `auto`
 * rule.
 */
export type MannWhitneyMethod = 'asymptotic' | 'exact' | 'auto';

/**
 * Result of the two-sided Mann–Whitney U test: U of the reference sample, p-value and the method actually
 * used.
 */
export interface MannWhitneyResult {
  /** U statistic of the reference sample. */
  statistic: number;
  pValue: number;
  method: 'asymptotic' | 'exact';
}

/**
 * P(U >= u) under the null hypothesis for sample sizes m and n, from the recursion
 * p_{m,n}(u) = m/(m+n)·p_{m-1,n}(u-n) + n/(m+n)·p_{m,n-1}(u) (is the largest value an x or a y?).
 * All terms are positive, so small tail probabilities keep their relative precision.
 */
export function mannWhitneyExactSf(m: number, n: number, u: number): number {
  // rows[j] holds the distribution for (i, j), length i·j + 1.
  let rows: Float64Array[] = [];
  for (let j = 0; j <= n; j++) rows.push(Float64Array.of(1));
  for (let i = 1; i <= m; i++) {
    const next: Float64Array[] = [Float64Array.of(1)];
    for (let j = 1; j <= n; j++) {
      const dist = new Float64Array(i * j + 1);
      const fromX = rows[j]!; // (i-1, j): the largest value is an x, beating all j y's
      const fromY = next[j - 1]!; // (i, j-1): the largest value is a y
      const wx = i / (i + j);
      const wy = j / (i + j);
      for (let k = 0; k < fromX.length; k++) dist[k + j]! += wx * fromX[k]!;
      for (let k = 0; k < fromY.length; k++) dist[k]! += wy * fromY[k]!;
      next.push(dist);
    }
    rows = next;
  }
  const dist = rows[n]!;
  let tail = 0;
  for (let k = dist.length - 1; k >= Math.max(0, Math.ceil(u)); k--) tail += dist[k]!;
  return tail;
}

function mannWhitneyFromPooled(
  { pooled, referenceSize: n1, currentSize: n2 }: PooledSamples,
  options: { method?: MannWhitneyMethod; continuity?: boolean },
): MannWhitneyResult {
  let before = 0;
  let rankSum = 0;
  let tieTerm = 0;
  for (let k = 0; k < pooled.size; k++) {
    const cx = pooled.countX[k]!;
    const t = cx + pooled.countY[k]!;
    rankSum += cx * (before + (t + 1) / 2);
    tieTerm += t * t * t - t;
    before += t;
  }
  const u1 = rankSum - (n1 * (n1 + 1)) / 2;
  const u2 = n1 * n2 - u1;
  const u = Math.max(u1, u2);
  const requested = options.method ?? 'asymptotic';
  const small = n1 * n2 <= MANN_WHITNEY_EXACT_MAX_PRODUCT;
  let method: 'asymptotic' | 'exact' = 'asymptotic';
  if (requested === 'exact') {
    if (tieTerm > 0) throw new RangeError('the exact Mann–Whitney distribution assumes no ties');
    if (!small) throw new RangeError(`exact Mann–Whitney needs n1·n2 <= ${MANN_WHITNEY_EXACT_MAX_PRODUCT}`);
    method = 'exact';
  } else if (requested === 'auto') {
    method = (n1 <= 8 || n2 <= 8) && tieTerm === 0 && small ? 'exact' : 'asymptotic';
  }
  let pValue: number;
  if (method === 'exact') {
    // The distribution is symmetric in the sizes; the smaller one as `n` keeps the tables small.
    pValue = 2 * mannWhitneyExactSf(Math.max(n1, n2), Math.min(n1, n2), u);
  } else {
    const n = n1 + n2;
    const s = Math.sqrt(((n1 * n2) / 12) * (n + 1 - tieTerm / (n * (n - 1))));
    const numerator = u - (n1 * n2) / 2 - (options.continuity === false ? 0 : 0.5);
    pValue = 2 * normalSf(numerator / s);
  }
  return { statistic: u1, pValue: Math.min(1, Math.max(0, pValue)), method };
}

/** Options of the Mann–Whitney test: p-value method and continuity correction. */
export interface MannWhitneyOptions {
  /** P-value method (default `asymptotic`). */
  method?: MannWhitneyMethod;
  /** Continuity correction of the normal approximation (default true). */
  continuity?: boolean;
}

/** Two-sided Mann–Whitney U test on raw samples (NaN ignored). */
export function mannWhitneyU(
  reference: NumericSample,
  current: NumericSample,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  return mannWhitneyFromPooled(poolSamples(reference, current), options);
}

/** Two-sided Mann–Whitney U test on histogram counts (values within a bin tied). */
export function mannWhitneyUBinned(
  counts: BinnedCounts,
  options: MannWhitneyOptions = {},
): MannWhitneyResult {
  return mannWhitneyFromPooled(poolBinnedCounts(counts), options);
}

/** A Mann–Whitney drift result: the shared {@link DriftResult} plus the p-value and how it was computed. */
export interface MannWhitneyDriftResult extends DriftResult {
  pValue: number;
  pValueMethod: 'asymptotic' | 'exact';
}

function toDrift(result: MannWhitneyResult, threshold: number): MannWhitneyDriftResult {
  return pValueDriftResult('mann_whitney', result.statistic, result.pValue, threshold, {
    pValueMethod: result.method,
  });
}

/** Mann–Whitney drift check on raw samples: drift when p < threshold (default 0.05). */
export function mannWhitneyDrift(
  reference: NumericSample,
  current: NumericSample,
  options: MannWhitneyOptions & { threshold?: number } = {},
): MannWhitneyDriftResult {
  return toDrift(
    mannWhitneyU(reference, current, options),
    options.threshold ?? MANN_WHITNEY_DEFAULT_THRESHOLD,
  );
}

/** Mann–Whitney drift check on histogram counts: drift when p < threshold (default 0.05). */
export function mannWhitneyDriftBinned(
  counts: BinnedCounts,
  options: MannWhitneyOptions & { threshold?: number } = {},
): MannWhitneyDriftResult {
  return toDrift(mannWhitneyUBinned(counts, options), options.threshold ?? MANN_WHITNEY_DEFAULT_THRESHOLD);
}

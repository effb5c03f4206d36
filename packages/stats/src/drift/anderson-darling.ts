/**
 * Anderson–Darling k-sample test (Scholz & Stephens 1987) for two samples, midrank version.
 *
 * - Inputs: raw samples (`andersonDarling`, `andersonDarlingDrift`) or histogram counts on shared
 *   edges (`andersonDarlingBinned`, `andersonDarlingDriftBinned`).
 * - Output: the standardised statistic (A²akN - 1) / σ, the critical values at significance levels
 *   25 %, 10 %, 5 %, 2.5 %, 1 %, 0.5 %, 0.1 %, and the p-value, as
 *   `scipy.stats.anderson_ksamp(midrank=True)`: the p-value is interpolated from those critical values
 *   (quadratic least-squares fit of log significance level on the critical value) and therefore
 *   **capped to [0.001, 0.25]**: below the smallest critical value it reports 0.25 (the true p-value is
 *   larger), above the largest it reports 0.001 (the true p-value is smaller); `pValueCapped` says so.
 * - Default threshold: drift when p < 0.05 (method id `anderson_darling`).
 * - Binned: values in one bin are tied (the raw midrank test on bin indices). No closed-form bound
 *   against the raw statistic; it converges to it as the largest bin proportion goes to zero.
 */
import { poolBinnedCounts } from './numeric-bins.js';
import { type NumericSample, type PooledSamples, poolSamples } from './numeric-sample.js';
import { pValueDriftResult } from './p-value-result.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Default p-value threshold of the Anderson–Darling drift check (0.05). */
export const ANDERSON_DARLING_DEFAULT_THRESHOLD = 0.05;

/** Significance levels of the Scholz–Stephens critical-value table. */
export const ANDERSON_DARLING_SIGNIFICANCE = [0.25, 0.1, 0.05, 0.025, 0.01, 0.005, 0.001] as const;
// Interpolation coefficients of Scholz & Stephens (1987), Table 2: critical = b0 + b1/√m + b2/m.
const B0 = [0.675, 1.281, 1.645, 1.96, 2.326, 2.573, 3.085];
const B1 = [-0.245, 0.25, 0.678, 1.149, 1.822, 2.364, 3.615];
const B2 = [-0.105, -0.305, -0.362, -0.391, -0.396, -0.345, -0.154];

/**
 * Result of the two-sample Anderson–Darling test: standardised statistic, critical values and the
 * interpolated p-value (capped to [0.001, 0.25]).
 */
export interface AndersonDarlingResult {
  statistic: number;
  /** Critical values at {@link ANDERSON_DARLING_SIGNIFICANCE}. */
  criticalValues: number[];
  pValue: number;
  /** True when the p-value is one of the caps 0.25 / 0.001 rather than an interpolation. */
  pValueCapped: boolean;
}

/** Least-squares quadratic through (x, y) by Householder QR on column-scaled Vandermonde rows. */
function quadraticFit(x: readonly number[], y: readonly number[]): [number, number, number] {
  const rows = x.length;
  const cols = 3;
  const a = x.map((v) => [v * v, v, 1]);
  const scale = [0, 1, 2].map((c) => Math.sqrt(a.reduce((s, row) => s + row[c]! ** 2, 0)));
  for (const row of a) for (let c = 0; c < cols; c++) row[c] = row[c]! / scale[c]!;
  const b = [...y];
  for (let c = 0; c < cols; c++) {
    let norm = 0;
    for (let r = c; r < rows; r++) norm += a[r]![c]! ** 2;
    norm = Math.sqrt(norm);
    const alpha = a[c]![c]! > 0 ? -norm : norm;
    const v = new Array<number>(rows).fill(0);
    for (let r = c; r < rows; r++) v[r] = a[r]![c]!;
    v[c] = v[c]! - alpha;
    const vv = v.reduce((s, e) => s + e * e, 0);
    if (vv === 0) continue;
    for (let k = c; k < cols; k++) {
      let dot = 0;
      for (let r = c; r < rows; r++) dot += v[r]! * a[r]![k]!;
      for (let r = c; r < rows; r++) a[r]![k] = a[r]![k]! - (2 * dot * v[r]!) / vv;
    }
    let dot = 0;
    for (let r = c; r < rows; r++) dot += v[r]! * b[r]!;
    for (let r = c; r < rows; r++) b[r] = b[r]! - (2 * dot * v[r]!) / vv;
  }
  const coef = [0, 0, 0];
  for (let c = cols - 1; c >= 0; c--) {
    let s = b[c]!;
    for (let k = c + 1; k < cols; k++) s -= a[c]![k]! * coef[k]!;
    coef[c] = s / a[c]![c]!;
  }
  return [coef[0]! / scale[0]!, coef[1]! / scale[1]!, coef[2]! / scale[2]!];
}

let twoSampleFit: { critical: number[]; coefficients: [number, number, number] } | undefined;

function criticalValuesTwoSamples(): { critical: number[]; coefficients: [number, number, number] } {
  if (!twoSampleFit) {
    const m = 1; // k - 1 for two samples
    const critical = B0.map((b0, i) => b0 + B1[i]! / Math.sqrt(m) + B2[i]! / m);
    const logSig = ANDERSON_DARLING_SIGNIFICANCE.map((s) => Math.log(s));
    twoSampleFit = { critical, coefficients: quadraticFit(critical, logSig) };
  }
  return twoSampleFit;
}

function andersonDarlingFromPooled({
  pooled,
  referenceSize: nx,
  currentSize: ny,
}: PooledSamples): AndersonDarlingResult {
  const N = nx + ny;
  if (pooled.size < 2) throw new RangeError('Anderson–Darling needs more than one distinct value');
  // A²akN with midranks: Σ_i 1/n_i Σ_j l_j/N (N M_ij - B_j n_i)² / (B_j (N - B_j) - N l_j / 4).
  let sumX = 0;
  let sumY = 0;
  let before = 0;
  let cumX = 0;
  let cumY = 0;
  for (let k = 0; k < pooled.size; k++) {
    const fx = pooled.countX[k]!;
    const fy = pooled.countY[k]!;
    const l = fx + fy;
    const bj = before + l / 2;
    cumX += fx;
    cumY += fy;
    const mx = cumX - fx / 2;
    const my = cumY - fy / 2;
    const denominator = bj * (N - bj) - (N * l) / 4;
    sumX += ((l / N) * (N * mx - bj * nx) ** 2) / denominator;
    sumY += ((l / N) * (N * my - bj * ny) ** 2) / denominator;
    before += l;
  }
  const a2kn = ((sumX / nx + sumY / ny) * (N - 1)) / N;
  // Variance of A²akN under the null hypothesis (Scholz & Stephens, eq. 4).
  const k = 2;
  const H = 1 / nx + 1 / ny;
  let hsCs = 0; // running Σ_{i=N-1}^{N-1-s} 1/i, s = 0..N-3
  let g = 0;
  for (let s = 0; s < N - 2; s++) {
    hsCs += 1 / (N - 1 - s);
    g += hsCs / (s + 2);
  }
  const h = hsCs + 1;
  const a = (4 * g - 6) * (k - 1) + (10 - 6 * g) * H;
  const b = (2 * g - 4) * k * k + 8 * h * k + (2 * g - 14 * h - 4) * H - 8 * h + 4 * g - 6;
  const c = (6 * h + 2 * g - 2) * k * k + (4 * h - 4 * g + 6) * k + (2 * h - 6) * H + 4 * h;
  const d = (2 * h + 6) * k * k - 4 * h * k;
  const sigmaSq = (a * N ** 3 + b * N ** 2 + c * N + d) / ((N - 1) * (N - 2) * (N - 3));
  const statistic = (a2kn - (k - 1)) / Math.sqrt(sigmaSq);
  const { critical, coefficients } = criticalValuesTwoSamples();
  const lowest = Math.min(...critical);
  const highest = Math.max(...critical);
  let pValue: number;
  let pValueCapped = true;
  if (statistic < lowest) pValue = 0.25;
  else if (statistic > highest) pValue = 0.001;
  else {
    const [c2, c1, c0] = coefficients;
    pValue = Math.exp((c2 * statistic + c1) * statistic + c0);
    pValueCapped = false;
  }
  return { statistic, criticalValues: [...critical], pValue, pValueCapped };
}

/** Two-sample Anderson–Darling test (midrank) on raw samples (NaN ignored). */
export function andersonDarling(reference: NumericSample, current: NumericSample): AndersonDarlingResult {
  return andersonDarlingFromPooled(poolSamples(reference, current));
}

/** Two-sample Anderson–Darling test on histogram counts (values within a bin tied). */
export function andersonDarlingBinned(counts: BinnedCounts): AndersonDarlingResult {
  return andersonDarlingFromPooled(poolBinnedCounts(counts));
}

/**
 * An Anderson–Darling drift result: the shared {@link DriftResult} plus the p-value, whether it is capped,
 * and the critical values.
 */
export interface AndersonDarlingDriftResult extends DriftResult {
  pValue: number;
  pValueCapped: boolean;
  criticalValues: number[];
}

function toDrift(result: AndersonDarlingResult, threshold: number): AndersonDarlingDriftResult {
  return pValueDriftResult('anderson_darling', result.statistic, result.pValue, threshold, {
    pValueCapped: result.pValueCapped,
    criticalValues: result.criticalValues,
  });
}

/** Anderson–Darling drift check on raw samples: drift when p < threshold (default 0.05; p capped to [0.001, 0.25]). */
export function andersonDarlingDrift(
  reference: NumericSample,
  current: NumericSample,
  options: { threshold?: number } = {},
): AndersonDarlingDriftResult {
  return toDrift(
    andersonDarling(reference, current),
    options.threshold ?? ANDERSON_DARLING_DEFAULT_THRESHOLD,
  );
}

/** Anderson–Darling drift check on histogram counts: drift when p < threshold (default 0.05). */
export function andersonDarlingDriftBinned(
  counts: BinnedCounts,
  options: { threshold?: number } = {},
): AndersonDarlingDriftResult {
  return toDrift(andersonDarlingBinned(counts), options.threshold ?? ANDERSON_DARLING_DEFAULT_THRESHOLD);
}

/**
 * Two-sample Cramér–von Mises test.
 *
 * - Inputs: raw samples (`cramerVonMises`, `cramerVonMisesDrift`) or histogram counts on shared edges
 *   (`cramerVonMisesBinned`, `cramerVonMisesDriftBinned`).
 * - Output: statistic T = U / (nm(n+m)) - (4nm - 1) / (6(n+m)) with U from midranks, p-value and
 *   p-value method, as `scipy.stats.cramervonmises_2samp(method='auto')`: exact when both samples have
 *   at most 20 values, otherwise Anderson's (1962) standardisation of T compared with the limiting
 *   distribution (p = 1 when the standardised statistic is below 0.003, as scipy).
 * - Default threshold: drift when p < 0.05 (method id `cramer_von_mises`).
 * - Binned: values in one bin are tied (the raw test on bin indices, with midranks); the asymptotic
 *   p-value is then used whenever a bin is shared. There is no closed-form bound against the raw
 *   statistic; it converges to it as the largest bin proportion goes to zero.
 */
import { cramerVonMisesLimitCdf, gcd } from '../math/index.js';
import { poolBinnedCounts } from './numeric-bins.js';
import { type NumericSample, type PooledSamples, poolSamples } from './numeric-sample.js';
import { pValueDriftResult } from './p-value-result.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Default p-value threshold of the Cramér–von Mises drift check (0.05). */
export const CRAMER_VON_MISES_DEFAULT_THRESHOLD = 0.05;
/** `auto` uses the exact distribution when both samples have at most this many values (as scipy). */
export const CRAMER_VON_MISES_EXACT_MAX_SIZE = 20;

/**
 * Result of the two-sample Cramér–von Mises test: statistic T, p-value, and whether the p-value is exact or
 * asymptotic.
 */
export interface CramerVonMisesResult {
  statistic: number;
  pValue: number;
  method: 'exact' | 'asymptotic';
}

/** Floor division as numpy's for doubles (fmod-based, with its rounding fix-up). */
function floorDivide(a: number, b: number): number {
  const mod = a % b;
  let div = (a - mod) / b;
  if (mod !== 0 && b < 0 !== mod < 0) div -= 1;
  let floored = Math.floor(div);
  if (div - floored > 0.5) floored += 1;
  return floored;
}

/**
 * Exact p-value P(U >= u) for sizes m, n, enumerating the statistic over lattice paths: with
 * a = lcm/m and b = lcm/n, the scaled statistic Σ (a·i - b·j)² over the path points is an integer.
 */
export function cramerVonMisesExactSf(m: number, n: number, u: number): number {
  const lcm = (m / gcd(m, n)) * n;
  const a = lcm / m;
  const b = lcm / n;
  const mn = m * n;
  const zeta = floorDivide(lcm * lcm * (m + n) * (6 * u - mn * (4 * mn - 1)), 6 * mn * mn);
  // column[i] maps scaled statistic -> number of paths to (i, j) for the current j.
  let column: Map<number, number>[] = [];
  for (let j = 0; j <= n; j++) {
    const next: Map<number, number>[] = [];
    for (let i = 0; i <= m; i++) {
      const merged = new Map<number, number>();
      if (i === 0 && j === 0) merged.set(0, 1);
      const below = j > 0 ? column[i] : undefined;
      const left = i > 0 ? next[i - 1] : undefined;
      const step = (a * i - b * j) ** 2;
      for (const source of [below, left]) {
        if (!source) continue;
        for (const [value, count] of source) {
          const key = value + step;
          merged.set(key, (merged.get(key) ?? 0) + count);
        }
      }
      next.push(merged);
    }
    column = next;
  }
  let hits = 0;
  let total = 0;
  for (const [value, count] of column[m]!) {
    total += count;
    if (value >= zeta) hits += count;
  }
  return hits / total;
}

function asymptoticPValue(t: number, nx: number, ny: number): number {
  const N = nx + ny;
  const k = nx * ny;
  const et = (1 + 1 / N) / 6;
  let vt = (N + 1) * (4 * k * N - 3 * (nx * nx + ny * ny) - 2 * k);
  vt = vt / (45 * N * N * 4 * k);
  const tn = 1 / 6 + (t - et) / Math.sqrt(45 * vt);
  if (!(tn >= 0.003)) return 1;
  return Math.max(0, 1 - cramerVonMisesLimitCdf(tn));
}

function cramerVonMisesFromPooled(
  { pooled, referenceSize: nx, currentSize: ny }: PooledSamples,
  hasTiesAcross: boolean,
): CramerVonMisesResult {
  let before = 0;
  let ix = 0;
  let iy = 0;
  let sx = 0;
  let sy = 0;
  for (let k = 0; k < pooled.size; k++) {
    const cx = pooled.countX[k]!;
    const cy = pooled.countY[k]!;
    const rank = before + (cx + cy + 1) / 2;
    for (let c = 0; c < cx; c++) {
      ix++;
      sx += (rank - ix) ** 2;
    }
    for (let c = 0; c < cy; c++) {
      iy++;
      sy += (rank - iy) ** 2;
    }
    before += cx + cy;
  }
  const u = nx * sx + ny * sy;
  const k = nx * ny;
  const N = nx + ny;
  const t = u / (k * N) - (4 * k - 1) / (6 * N);
  const exact = Math.max(nx, ny) <= CRAMER_VON_MISES_EXACT_MAX_SIZE && !hasTiesAcross;
  const pValue = exact ? cramerVonMisesExactSf(nx, ny, u) : asymptoticPValue(t, nx, ny);
  return { statistic: t, pValue: Math.min(1, Math.max(0, pValue)), method: exact ? 'exact' : 'asymptotic' };
}

/** Two-sample Cramér–von Mises test on raw samples (NaN ignored); needs at least 2 values per sample. */
export function cramerVonMises(reference: NumericSample, current: NumericSample): CramerVonMisesResult {
  const samples = poolSamples(reference, current);
  if (samples.referenceSize < 2 || samples.currentSize < 2)
    throw new RangeError('Cramér–von Mises needs at least two values per sample');
  // scipy's 'auto' goes exact on size alone, ties or not, comparing the midrank statistic with the
  // no-ties distribution; do the same so that results agree.
  return cramerVonMisesFromPooled(samples, false);
}

/** Two-sample Cramér–von Mises test on histogram counts (values within a bin tied; asymptotic p-value). */
export function cramerVonMisesBinned(counts: BinnedCounts): CramerVonMisesResult {
  return cramerVonMisesFromPooled(poolBinnedCounts(counts), true);
}

/**
 * A Cramér–von Mises drift result: the shared {@link DriftResult} plus the p-value and how it was computed.
 */
export interface CramerVonMisesDriftResult extends DriftResult {
  pValue: number;
  pValueMethod: 'exact' | 'asymptotic';
}

function toDrift(result: CramerVonMisesResult, threshold: number): CramerVonMisesDriftResult {
  return pValueDriftResult('cramer_von_mises', result.statistic, result.pValue, threshold, {
    pValueMethod: result.method,
  });
}

/** Cramér–von Mises drift check on raw samples: drift when p < threshold (default 0.05). */
export function cramerVonMisesDrift(
  reference: NumericSample,
  current: NumericSample,
  options: { threshold?: number } = {},
): CramerVonMisesDriftResult {
  return toDrift(cramerVonMises(reference, current), options.threshold ?? CRAMER_VON_MISES_DEFAULT_THRESHOLD);
}

/** Cramér–von Mises drift check on histogram counts: drift when p < threshold (default 0.05). */
export function cramerVonMisesDriftBinned(
  counts: BinnedCounts,
  options: { threshold?: number } = {},
): CramerVonMisesDriftResult {
  return toDrift(cramerVonMisesBinned(counts), options.threshold ?? CRAMER_VON_MISES_DEFAULT_THRESHOLD);
}

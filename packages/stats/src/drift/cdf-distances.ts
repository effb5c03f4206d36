/**
 * Distances between the empirical CDFs of two samples, in data units.
 *
 * Wasserstein-1 (earth mover's) distance, `wassersteinDistance`: ∫|F_ref - F_cur| dx, as
 * `scipy.stats.wasserstein_distance`.
 * Normed Wasserstein, `wassersteinNormed` / `wassersteinDrift`: the distance divided by the
 * reference standard deviation (population, ddof = 0, floored at 0.001 to avoid dividing by zero),
 * as Evidently's `wasserstein` stattest. Scale-free; method id `wasserstein_normed`, default
 * threshold: drift when >= 0.1 (a shift of a tenth of a standard deviation).
 * Energy distance, `energyDistance` / `energyDrift`: √2 · (∫(F_ref - F_cur)² dx)^½, as
 * `scipy.stats.energy_distance`. In data units; method id `energy_distance`, default threshold 0.1
 * (Evidently's default), so pass a threshold suited to the column's scale.
 *
 * Binned inputs place each bin's mass at its midpoint; infinite outer edges need finite `lower` /
 * `upper` bounds (e.g. the observed minimum and maximum) when those bins hold counts.
 * Error bounds vs the raw samples (w_i bin width, p_i / q_i reference / current bin proportions):
 * - Wasserstein: |W_binned - W_raw| <= Σ_i (p_i + q_i) w_i / 2 <= max_i w_i (moving each point to its
 *   bin midpoint moves it at most w_i / 2, and W is a metric).
 * - Energy: |E_binned - E_raw| <= √2 (√(Σ_i w_i p_i²) + √(Σ_i w_i q_i²)) (within bin i the binned CDF
 *   differs from the raw one by at most the bin's proportion; the L2 CDF distance is a metric).
 * The normed variant with binned input uses the standard deviation of the midpoints unless
 * `referenceStd` is given.
 */
import { binMidpoints, validateBinnedCounts } from './numeric-bins.js';
import { type NumericSample, sortedValues } from './numeric-sample.js';
import type { BinnedCounts, DriftResult } from './types.js';

/** Default threshold of the normed Wasserstein drift check (distance in reference standard deviations). */
export const WASSERSTEIN_NORMED_DEFAULT_THRESHOLD = 0.1;
/** Default threshold of the energy-distance drift check (data units; Evidently's default). */
export const ENERGY_DEFAULT_THRESHOLD = 0.1;
/** Smallest standard deviation used to norm the Wasserstein distance (as Evidently). */
export const WASSERSTEIN_MIN_NORM = 0.001;

/**
 * Walks the pooled sorted values and returns Σ |F - G|^power · Δx over the gaps between consecutive
 * pooled values, with F, G the empirical CDFs (weights: sample counts or bin counts).
 */
function cdfIntegral(
  xValues: ArrayLike<number>,
  xWeights: ArrayLike<number> | null,
  yValues: ArrayLike<number>,
  yWeights: ArrayLike<number> | null,
  power: 1 | 2,
): number {
  let nx = 0;
  let ny = 0;
  for (let i = 0; i < xValues.length; i++) nx += xWeights ? xWeights[i]! : 1;
  for (let j = 0; j < yValues.length; j++) ny += yWeights ? yWeights[j]! : 1;
  let i = 0;
  let j = 0;
  let cx = 0;
  let cy = 0;
  let total = 0;
  let compensation = 0;
  let previous = Number.NaN;
  while (i < xValues.length || j < yValues.length) {
    const v =
      j >= yValues.length || (i < xValues.length && xValues[i]! <= yValues[j]!) ? xValues[i]! : yValues[j]!;
    if (!Number.isNaN(previous)) {
      const diff = Math.abs(cx / nx - cy / ny);
      const term = (power === 1 ? diff : diff * diff) * (v - previous);
      // Neumaier summation: long samples add many small terms.
      const t = total + term;
      compensation += Math.abs(total) >= Math.abs(term) ? total - t + term : term - t + total;
      total = t;
    }
    while (i < xValues.length && xValues[i] === v) {
      cx += xWeights ? xWeights[i]! : 1;
      i++;
    }
    while (j < yValues.length && yValues[j] === v) {
      cy += yWeights ? yWeights[j]! : 1;
      j++;
    }
    previous = v;
  }
  return total + compensation;
}

/**
 * {@link cdfIntegral} for two raw ascending samples (unit weights), with the same arithmetic in the
 * same order, so the same result to the last bit; its own function so the hot loop sees only
 * Float64Arrays and no weight checks.
 */
function sampleCdfIntegral(x: Float64Array, y: Float64Array, power: 1 | 2): number {
  const nx = x.length;
  const ny = y.length;
  let i = 0;
  let j = 0;
  let total = 0;
  let compensation = 0;
  let previous = Number.NaN;
  while (i < nx || j < ny) {
    const v = j >= ny || (i < nx && x[i]! <= y[j]!) ? x[i]! : y[j]!;
    if (!Number.isNaN(previous)) {
      // i and j count the values below v: the unnormalised CDFs.
      const diff = Math.abs(i / nx - j / ny);
      const term = (power === 1 ? diff : diff * diff) * (v - previous);
      const t = total + term;
      compensation += Math.abs(total) >= Math.abs(term) ? total - t + term : term - t + total;
      total = t;
    }
    while (i < nx && x[i] === v) i++;
    while (j < ny && y[j] === v) j++;
    previous = v;
  }
  return total + compensation;
}

/** Wasserstein-1 distance between two raw samples (NaN ignored), as scipy.stats.wasserstein_distance. */
export function wassersteinDistance(reference: NumericSample, current: NumericSample): number {
  return sampleCdfIntegral(sortedValues(reference, 'reference'), sortedValues(current, 'current'), 1);
}

/** Energy distance between two raw samples (NaN ignored), as scipy.stats.energy_distance. */
export function energyDistance(reference: NumericSample, current: NumericSample): number {
  return (
    Math.SQRT2 *
    Math.sqrt(sampleCdfIntegral(sortedValues(reference, 'reference'), sortedValues(current, 'current'), 2))
  );
}

/** Population standard deviation of an ascending sample (two-pass). */
function populationStd(sorted: Float64Array): number {
  let s = 0;
  for (let i = 0; i < sorted.length; i++) s += sorted[i]!;
  const m = s / sorted.length;
  let ss = 0;
  let r = 0;
  for (let i = 0; i < sorted.length; i++) {
    const d = sorted[i]! - m;
    ss += d * d;
    r += d;
  }
  return Math.sqrt((ss - (r * r) / sorted.length) / sorted.length);
}

/** Wasserstein distance divided by max(reference population std, 0.001), as Evidently's `wasserstein`. */
export function wassersteinNormed(reference: NumericSample, current: NumericSample): number {
  const x = sortedValues(reference, 'reference');
  const y = sortedValues(current, 'current');
  return sampleCdfIntegral(x, y, 1) / Math.max(populationStd(x), WASSERSTEIN_MIN_NORM);
}

/** Bounds for infinite outer edges of binned inputs. */
export interface BinBounds {
  /** Replaces an infinite lowest edge (e.g. the observed minimum). */
  lower?: number;
  /** Replaces an infinite highest edge (e.g. the observed maximum). */
  upper?: number;
}

function binnedCdfIntegral(counts: BinnedCounts, bounds: BinBounds, power: 1 | 2): number {
  validateBinnedCounts(counts);
  const { midpoints } = binMidpoints(counts, bounds);
  return cdfIntegral(midpoints, counts.reference, midpoints, counts.current, power);
}

/** Wasserstein distance from histogram counts (mass at bin midpoints; bound in the module notes). */
export function wassersteinDistanceBinned(counts: BinnedCounts, bounds: BinBounds = {}): number {
  return binnedCdfIntegral(counts, bounds, 1);
}

/** Energy distance from histogram counts (mass at bin midpoints; bound in the module notes). */
export function energyDistanceBinned(counts: BinnedCounts, bounds: BinBounds = {}): number {
  return Math.SQRT2 * Math.sqrt(binnedCdfIntegral(counts, bounds, 2));
}

/** Normed Wasserstein distance from histogram counts; the std is that of the reference midpoints unless given. */
export function wassersteinNormedBinned(
  counts: BinnedCounts,
  options: BinBounds & { referenceStd?: number } = {},
): number {
  const distance = wassersteinDistanceBinned(counts, options);
  let std = options.referenceStd;
  if (std === undefined) {
    const { midpoints } = binMidpoints(counts, options);
    let n = 0;
    let s = 0;
    for (let b = 0; b < midpoints.length; b++) {
      n += counts.reference[b]!;
      s += counts.reference[b]! * midpoints[b]!;
    }
    const m = s / n;
    let ss = 0;
    for (let b = 0; b < midpoints.length; b++) ss += counts.reference[b]! * (midpoints[b]! - m) ** 2;
    std = Math.sqrt(ss / n);
  }
  return distance / Math.max(std, WASSERSTEIN_MIN_NORM);
}

/**
 * Normed Wasserstein distance from histograms that also carry the sum of the values in each bin:
 * each bin's mass sits at its mean rather than its midpoint, which removes most of the binning
 * error (exact when every bin holds a single distinct value). `referenceStd` is the population
 * standard deviation of the reference values.
 */
export function wassersteinNormedBinMeans(
  counts: BinnedCounts & { referenceSums: ArrayLike<number>; currentSums: ArrayLike<number> },
  referenceStd: number,
): number {
  validateBinnedCounts(counts);
  const means = (c: ArrayLike<number>, sums: ArrayLike<number>) => {
    const values: number[] = [];
    const weights: number[] = [];
    for (let b = 0; b < c.length; b++) {
      if (c[b]! > 0) {
        values.push(sums[b]! / c[b]!);
        weights.push(c[b]!);
      }
    }
    // Bin means follow the bin order, so they are already sorted (bins do not overlap).
    return { values, weights };
  };
  const x = means(counts.reference, counts.referenceSums);
  const y = means(counts.current, counts.currentSums);
  return (
    cdfIntegral(x.values, x.weights, y.values, y.weights, 1) / Math.max(referenceStd, WASSERSTEIN_MIN_NORM)
  );
}

function distanceDrift(method: string, statistic: number, threshold: number): DriftResult {
  return { method, statistic, threshold, thresholdKind: 'distance', drifted: statistic >= threshold };
}

/** Normed Wasserstein drift check on raw samples: drift when >= threshold (default 0.1). */
export function wassersteinDrift(
  reference: NumericSample,
  current: NumericSample,
  options: { threshold?: number } = {},
): DriftResult {
  return distanceDrift(
    'wasserstein_normed',
    wassersteinNormed(reference, current),
    options.threshold ?? WASSERSTEIN_NORMED_DEFAULT_THRESHOLD,
  );
}

/** Normed Wasserstein drift check on histogram counts: drift when >= threshold (default 0.1). */
export function wassersteinDriftBinned(
  counts: BinnedCounts,
  options: BinBounds & { referenceStd?: number; threshold?: number } = {},
): DriftResult {
  return distanceDrift(
    'wasserstein_normed',
    wassersteinNormedBinned(counts, options),
    options.threshold ?? WASSERSTEIN_NORMED_DEFAULT_THRESHOLD,
  );
}

/** Energy-distance drift check on raw samples: drift when >= threshold (default 0.1, data units). */
export function energyDrift(
  reference: NumericSample,
  current: NumericSample,
  options: { threshold?: number } = {},
): DriftResult {
  return distanceDrift(
    'energy_distance',
    energyDistance(reference, current),
    options.threshold ?? ENERGY_DEFAULT_THRESHOLD,
  );
}

/** Energy-distance drift check on histogram counts: drift when >= threshold (default 0.1, data units). */
export function energyDriftBinned(
  counts: BinnedCounts,
  options: BinBounds & { threshold?: number } = {},
): DriftResult {
  return distanceDrift(
    'energy_distance',
    energyDistanceBinned(counts, options),
    options.threshold ?? ENERGY_DEFAULT_THRESHOLD,
  );
}

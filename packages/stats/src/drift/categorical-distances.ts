/**
 * Distances between the reference and current category proportions. They measure how much the
 * distribution moved, not how sure we are that it moved, so they do not grow with sample size.
 */
import { type AlignedCategories, alignCategories } from './categories.js';
import type { CategoryCounts, DriftResult } from './types.js';

/** Options of the categorical distances. */
export interface CategoricalDistanceOptions {
  /** Drift when the distance is at or above this. Defaults: see each function. */
  threshold?: number;
}

type Aligned = CategoryCounts | AlignedCategories;

function distanceResult(method: string, statistic: number, threshold: number): DriftResult {
  return { method, statistic, threshold, thresholdKind: 'distance', drifted: statistic >= threshold };
}

/**
 * Jensen–Shannon distance (square root of the divergence, base-2 logarithms, so in [0, 1]) between
 * the category proportions. Matches `scipy.spatial.distance.jensenshannon(p, q, base=2)`.
 * Categories unseen in one sample need no smoothing: the mixture is positive wherever either is.
 * Default threshold 0.1.
 */
export function jensenShannonCategorical(
  counts: Aligned,
  options: CategoricalDistanceOptions = {},
): DriftResult {
  const a = alignCategories(counts);
  let divergence = 0;
  for (let i = 0; i < a.categories.length; i++) {
    const p = a.reference[i]! / a.referenceTotal;
    const q = a.current[i]! / a.currentTotal;
    const m = 0.5 * (p + q);
    if (p > 0) divergence += p * Math.log(p / m);
    if (q > 0) divergence += q * Math.log(q / m);
  }
  // Rounding can leave a tiny negative divergence for identical distributions.
  const distance = Math.sqrt(Math.max(0, divergence / (2 * Math.LN2)));
  return distanceResult('jensen_shannon', distance, options.threshold ?? 0.1);
}

/**
 * L-infinity distance: the largest absolute change of any category's share, in [0, 1].
 * The categorical drift measure of SageMaker Model Monitor and Vertex AI. Default threshold 0.1.
 */
export function lInfinityDistance(counts: Aligned, options: CategoricalDistanceOptions = {}): DriftResult {
  const a = alignCategories(counts);
  let largest = 0;
  for (let i = 0; i < a.categories.length; i++) {
    largest = Math.max(
      largest,
      Math.abs(a.reference[i]! / a.referenceTotal - a.current[i]! / a.currentTotal),
    );
  }
  return distanceResult('l_infinity', largest, options.threshold ?? 0.1);
}

/**
 * Total variation distance: half the sum of absolute share changes, in [0, 1]; the share of rows
 * that would have to change category to turn one distribution into the other. Default threshold 0.1.
 */
export function totalVariationDistance(
  counts: Aligned,
  options: CategoricalDistanceOptions = {},
): DriftResult {
  const a = alignCategories(counts);
  let sum = 0;
  for (let i = 0; i < a.categories.length; i++) {
    sum += Math.abs(a.reference[i]! / a.referenceTotal - a.current[i]! / a.currentTotal);
  }
  return distanceResult('total_variation', 0.5 * sum, options.threshold ?? 0.1);
}

/**
 * Hellinger distance sqrt(sum (sqrt p - sqrt q)^2 / 2), in [0, 1], on the category proportions
 * (the form NannyML uses for categorical columns). Default threshold 0.1.
 */
export function hellingerCategorical(counts: Aligned, options: CategoricalDistanceOptions = {}): DriftResult {
  const a = alignCategories(counts);
  let sum = 0;
  for (let i = 0; i < a.categories.length; i++) {
    const diff = Math.sqrt(a.reference[i]! / a.referenceTotal) - Math.sqrt(a.current[i]! / a.currentTotal);
    sum += diff * diff;
  }
  return distanceResult('hellinger', Math.sqrt(0.5 * sum), options.threshold ?? 0.1);
}

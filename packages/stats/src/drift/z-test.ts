/** Two-proportion z-test for binary (boolean or two-category) columns. */
import { normalSf } from '../math/index.js';
import { type AlignedCategories, alignCategories } from './categories.js';
import { pValueDriftResult } from './p-value-result.js';
import type { CategoryCounts, DriftResult } from './types.js';

/** Options of {@link zTestDrift}. */
export interface ZTestDriftOptions {
  /** Drift when the two-sided p-value is below this. Default 0.05. */
  threshold?: number;
  /** The category whose share is compared; default the first of the two in sorted order. */
  category?: string;
}

/**
 * Two-sided two-proportion z-test with the pooled proportion, as Evidently's `z` test:
 * z = (p_cur - p_ref) / sqrt(p (1 - p) (1/n_ref + 1/n_cur)), p the pooled share of `category`.
 * `statistic` is z (positive when the category became more frequent). The p-value is
 * 2 * normalSf(|z|), computed on the upper tail so tiny p-values keep their precision.
 * A single category in both samples gives z = 0, p = 1. Throws with more than two categories.
 */
export function zTestDrift(
  counts: CategoryCounts | AlignedCategories,
  options: ZTestDriftOptions = {},
): DriftResult {
  const threshold = options.threshold ?? 0.05;
  const aligned = alignCategories(counts);
  const k = aligned.categories.length;
  if (k > 2) throw new RangeError(`z-test needs at most two categories, got ${k}`);
  const index = options.category === undefined ? 0 : aligned.categories.indexOf(options.category);
  const nRef = aligned.referenceTotal;
  const nCur = aligned.currentTotal;
  // A category absent from both samples has share 0 in each.
  const refCount = index < 0 ? 0 : aligned.reference[index]!;
  const curCount = index < 0 ? 0 : aligned.current[index]!;
  const pooled = (refCount + curCount) / (nRef + nCur);
  const variance = pooled * (1 - pooled) * (1 / nRef + 1 / nCur);
  const z = variance > 0 ? (curCount / nCur - refCount / nRef) / Math.sqrt(variance) : 0;
  const pValue = Math.min(1, 2 * normalSf(Math.abs(z)));
  return pValueDriftResult('z_test', z, pValue, threshold, {});
}

/**
 * Population stability index on category proportions, with the same empty-bin smoothing as the
 * numeric PSI so that a column's PSI means the same whether it is binned or categorical.
 */
import { type AlignedCategories, alignCategories } from './categories.js';
import { HISTOGRAM_EPSILON, PSI_DEFAULT_THRESHOLD } from './histogram-distances.js';
import type { CategoryCounts, DriftResult } from './types.js';

/**
 * PSI = sum (q_i - p_i) ln(q_i / p_i) over the union of categories (p reference, q current
 * proportions). A category empty in one sample gets proportion 1e-4 there (not renormalised), as the
 * numeric PSI does for empty bins; without it one new or vanished category makes PSI infinite.
 * Default threshold 0.2.
 */
export function psiCategorical(
  counts: CategoryCounts | AlignedCategories,
  options: { threshold?: number } = {},
): DriftResult {
  const a = alignCategories(counts);
  let psi = 0;
  for (let i = 0; i < a.categories.length; i++) {
    const p = a.reference[i]! / a.referenceTotal || HISTOGRAM_EPSILON;
    const q = a.current[i]! / a.currentTotal || HISTOGRAM_EPSILON;
    psi += (q - p) * Math.log(q / p);
  }
  const threshold = options.threshold ?? PSI_DEFAULT_THRESHOLD;
  return { method: 'psi', statistic: psi, threshold, thresholdKind: 'distance', drifted: psi >= threshold };
}

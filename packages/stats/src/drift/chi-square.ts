/**
 * Chi-square tests of categorical drift, in the two forms monitoring tools use:
 * goodness of fit against the reference proportions, and homogeneity of the 2 x k table.
 */
import { chiSquareSf } from '../math/index.js';
import { type AlignedCategories, alignCategories } from './categories.js';
import { pValueDriftResult } from './p-value-result.js';
import { contingencyStatistic, type DivergenceKind, goodnessOfFitStatistic } from './power-divergence.js';
import type { CategoryCounts, DriftResult } from './types.js';

/** A drift result of a chi-square-family test, with its degrees of freedom. */
export interface ChiSquareDriftResult extends DriftResult {
  degreesOfFreedom: number;
}

/** Options of the chi-square and G tests. */
export interface ChiSquareDriftOptions {
  /** Drift when the p-value is below this. Default 0.05. */
  threshold?: number;
}

/** Options of the contingency-table forms. */
export interface ContingencyDriftOptions extends ChiSquareDriftOptions {
  /** Yates' continuity correction, applied only when there is one degree of freedom. Default false. */
  yatesCorrection?: boolean;
}

/** Builds the result; one category (zero degrees of freedom) can show no drift, so p = 1. */
function chiSquareFamilyResult(
  method: string,
  statistic: number,
  degreesOfFreedom: number,
  threshold: number,
): ChiSquareDriftResult {
  const pValue =
    degreesOfFreedom === 0
      ? 1
      : statistic === Number.POSITIVE_INFINITY
        ? 0
        : chiSquareSf(statistic, degreesOfFreedom);
  const value = degreesOfFreedom === 0 ? 0 : statistic;
  return { ...pValueDriftResult(method, value, pValue, threshold, {}), degreesOfFreedom };
}

/** A goodness-of-fit test of the current counts to the reference proportions. */
function goodnessOfFit(
  method: string,
  kind: DivergenceKind,
  counts: CategoryCounts | AlignedCategories,
  options: ChiSquareDriftOptions,
): ChiSquareDriftResult {
  const { statistic, degreesOfFreedom } = goodnessOfFitStatistic(alignCategories(counts), kind);
  return chiSquareFamilyResult(method, statistic, degreesOfFreedom, options.threshold ?? 0.05);
}

/** A test of homogeneity on the 2 x k table of reference and current counts. */
function homogeneity(
  method: string,
  kind: DivergenceKind,
  counts: CategoryCounts | AlignedCategories,
  options: ContingencyDriftOptions,
): ChiSquareDriftResult {
  const { statistic, degreesOfFreedom } = contingencyStatistic(
    alignCategories(counts),
    kind,
    options.yatesCorrection ?? false,
  );
  return chiSquareFamilyResult(method, statistic, degreesOfFreedom, options.threshold ?? 0.05);
}

/**
 * Pearson chi-square goodness of fit of the current counts to the reference proportions, the
 * form Evidently's `chisquare` test uses (`scipy.stats.chisquare(current, reference * n_cur / n_ref)`).
 * It treats the reference proportions as exact, so it over-alarms when the reference is small;
 * prefer {@link chiSquareContingencyDrift} then. A category unseen in the reference gives an
 * infinite statistic and p = 0.
 */
export function chiSquareDrift(
  counts: CategoryCounts | AlignedCategories,
  options: ChiSquareDriftOptions = {},
): ChiSquareDriftResult {
  return goodnessOfFit('chi_square', 'pearson', counts, options);
}

/**
 * Pearson chi-square test of homogeneity on the 2 x k table of reference and current counts
 * (`scipy.stats.chi2_contingency(table, correction=false)` by default). Both samples are treated
 * as random, and categories unseen in either sample are handled naturally.
 */
export function chiSquareContingencyDrift(
  counts: CategoryCounts | AlignedCategories,
  options: ContingencyDriftOptions = {},
): ChiSquareDriftResult {
  return homogeneity('chi_square_contingency', 'pearson', counts, options);
}

/**
 * G-test (log-likelihood ratio) goodness of fit of the current counts to the reference
 * proportions (`scipy.stats.power_divergence(current, expected, lambda_='log-likelihood')`).
 */
export function gTestDrift(
  counts: CategoryCounts | AlignedCategories,
  options: ChiSquareDriftOptions = {},
): ChiSquareDriftResult {
  return goodnessOfFit('g_test', 'log_likelihood', counts, options);
}

/**
 * G-test of homogeneity on the 2 x k table
 * (`scipy.stats.chi2_contingency(table, correction=false, lambda_='log-likelihood')` by default).
 */
export function gTestContingencyDrift(
  counts: CategoryCounts | AlignedCategories,
  options: ContingencyDriftOptions = {},
): ChiSquareDriftResult {
  return homogeneity('g_test_contingency', 'log_likelihood', counts, options);
}

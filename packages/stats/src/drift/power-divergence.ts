/**
 * Shared core of the chi-square and G tests: Pearson's X^2 and the log-likelihood ratio G are
 * two members of the power-divergence family, computed on the same aligned counts.
 */
import type { AlignedCategories } from './categories.js';

/** `pearson`: sum (o - e)^2 / e. `log_likelihood`: 2 sum o ln(o / e) (the G statistic). */
export type DivergenceKind = 'pearson' | 'log_likelihood';

function term(kind: DivergenceKind, observed: number, expected: number): number {
  if (kind === 'pearson') {
    const diff = observed - expected;
    return (diff * diff) / expected;
  }
  // o ln(o/e) is 0 for o = 0 (its limit), even when e = 0 would make the ratio undefined.
  if (observed === 0) return 0;
  return 2 * observed * Math.log(observed / expected);
}

/**
 * Goodness of fit of the current counts to the reference proportions scaled to the current
 * total: expected_i = reference_i * n_current / n_reference. A category unseen in the reference
 * has expected 0 and makes the statistic infinite. Degrees of freedom: categories - 1.
 */
export function goodnessOfFitStatistic(
  aligned: AlignedCategories,
  kind: DivergenceKind,
): { statistic: number; degreesOfFreedom: number } {
  const scale = aligned.currentTotal / aligned.referenceTotal;
  let statistic = 0;
  for (let i = 0; i < aligned.categories.length; i++) {
    statistic += term(kind, aligned.current[i]!, aligned.reference[i]! * scale);
  }
  return { statistic, degreesOfFreedom: aligned.categories.length - 1 };
}

/**
 * Test of homogeneity on the 2 x k table (rows: reference, current; columns: categories) with
 * expected counts from the margins. With `yatesCorrection` and one degree of freedom each observed
 * count moves towards its expected count by at most 0.5, as in the classic continuity correction.
 */
export function contingencyStatistic(
  aligned: AlignedCategories,
  kind: DivergenceKind,
  yatesCorrection: boolean,
): { statistic: number; degreesOfFreedom: number } {
  const k = aligned.categories.length;
  const degreesOfFreedom = k - 1;
  if (degreesOfFreedom === 0) return { statistic: 0, degreesOfFreedom };
  const total = aligned.referenceTotal + aligned.currentTotal;
  const correct = yatesCorrection && degreesOfFreedom === 1;
  let statistic = 0;
  for (const [row, rowTotal] of [
    [aligned.reference, aligned.referenceTotal],
    [aligned.current, aligned.currentTotal],
  ] as const) {
    for (let j = 0; j < k; j++) {
      const expected = (rowTotal * (aligned.reference[j]! + aligned.current[j]!)) / total;
      let observed = row[j]!;
      if (correct) {
        const diff = expected - observed;
        observed += Math.sign(diff) * Math.min(0.5, Math.abs(diff));
      }
      statistic += term(kind, observed, expected);
    }
  }
  return { statistic, degreesOfFreedom };
}

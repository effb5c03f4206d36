/**
 * McNemar's test and the paired difference in accuracy, for two models scored on the same rows.
 *
 * - Inputs: the 2 × 2 table of paired outcomes ({@link PairedOutcomeTable}), or per-row correctness of
 *   each model ({@link pairedOutcomeTable}).
 * - Test: only the discordant rows count (`onlyA` = A right and B wrong, `onlyB` = the reverse). As
 *   `statsmodels.stats.contingency_tables.mcnemar(table, exact, correction)`:
 *   exact: statistic min(onlyA, onlyB), p = min(1, 2 · BinomCdf(min; onlyA + onlyB, 1/2));
 *   chi-square: statistic (|onlyA − onlyB| − c)² / (onlyA + onlyB) with c = 1 under the continuity
 *   correction, else 0, p from χ²(1). statsmodels subtracts the correction even when onlyA = onlyB
 *   (statistic 1 / (onlyA + onlyB) there); Vigil keeps that, so its numbers are statsmodels' numbers.
 * - With no discordant row the chi-square statistic is undefined: Vigil gives NaN statistic and p-value
 *   in both chi-square forms. statsmodels agrees without the correction but reports an infinite
 *   statistic and p = 0 with it, which would flag two identical models as different. The exact test
 *   gives p = 1 there, as statsmodels.
 * - Default: exact, as statsmodels. Prefer exact while onlyA + onlyB is small (below ~25 the
 *   chi-square approximation is poor); for large windows the two agree.
 * - Difference in accuracy A − B with Newcombe's hybrid score interval for paired proportions
 *   (Newcombe 1998, method 10, without continuity correction). Chosen over the Wald interval because
 *   the Wald interval under-covers when discordant rows are few and collapses to zero width when
 *   there are none, which is common in short windows of two similar models; Fagerland, Lydersen &
 *   Laake (2014) recommend this interval for paired proportions. The Wald standard error is reported
 *   as well, for users who want it.
 */

import { chiSquareSf } from '../math/distributions.js';
import { regularizedIncompleteBeta } from '../math/gamma.js';
import { normalQuantile } from '../math/normal.js';

/** Counts of the four paired outcomes of models A and B on the same rows. */
export interface PairedOutcomeTable {
  /** Rows both models got right. */
  bothCorrect: number;
  /** Rows only model A got right. */
  onlyA: number;
  /** Rows only model B got right. */
  onlyB: number;
  /** Rows both models got wrong. */
  bothWrong: number;
}

/** Options of {@link mcnemarTest}, with statsmodels' defaults. */
export interface McNemarOptions {
  /** Exact binomial test (default true); false uses the chi-square approximation. */
  exact?: boolean;
  /** Continuity correction of the chi-square version (default true); ignored when exact. */
  correction?: boolean;
}

/** Result of {@link mcnemarTest}. */
export interface McNemarResult {
  /** min(onlyA, onlyB) for the exact test, the chi-square statistic otherwise. */
  statistic: number;
  /** Two-sided p-value. */
  pValue: number;
  method: 'exact' | 'chi_square' | 'chi_square_corrected';
  /** Rows where the models disagree on correctness (onlyA + onlyB). */
  discordant: number;
}

/** A paired difference with its interval. */
export interface PairedDifference {
  /** Metric of model A. */
  a: number;
  /** Metric of model B. */
  b: number;
  /** a − b. */
  difference: number;
  lower: number;
  upper: number;
  /** Two-sided coverage of [lower, upper]. */
  confidence: number;
}

/** Difference in accuracy with Newcombe's interval and the Wald standard error. */
export interface PairedAccuracyDifference extends PairedDifference {
  /** Wald standard error of the difference, sqrt((onlyA + onlyB − (onlyA − onlyB)² / n)) / n. */
  standardError: number;
  method: 'newcombe_hybrid_score';
  /** Number of paired rows. */
  size: number;
}

function checkCount(value: number, name: string): void {
  if (!Number.isInteger(value) || value < 0) {
    throw new RangeError(`Paired outcome table: ${name} must be a non-negative integer, got ${value}.`);
  }
}

function checkTable(table: PairedOutcomeTable): void {
  checkCount(table.bothCorrect, 'bothCorrect');
  checkCount(table.onlyA, 'onlyA');
  checkCount(table.onlyB, 'onlyB');
  checkCount(table.bothWrong, 'bothWrong');
}

function isCorrect(value: boolean | number, model: string, row: number): boolean {
  if (value === true || value === 1) return true;
  if (value === false || value === 0) return false;
  throw new RangeError(
    `Row ${row}: correctness of model ${model} must be true/false or 1/0, got ${String(value)}.`,
  );
}

/** Tallies per-row correctness (true/false or 1/0) of models A and B on the same rows. */
export function pairedOutcomeTable(
  correctA: ArrayLike<boolean | number>,
  correctB: ArrayLike<boolean | number>,
): PairedOutcomeTable {
  if (correctA.length !== correctB.length) {
    throw new RangeError(`Paired outcomes: lengths differ (${correctA.length} vs ${correctB.length}).`);
  }
  const table = { bothCorrect: 0, onlyA: 0, onlyB: 0, bothWrong: 0 };
  for (let i = 0; i < correctA.length; i++) {
    const a = isCorrect(correctA[i]!, 'A', i);
    const b = isCorrect(correctB[i]!, 'B', i);
    if (a && b) table.bothCorrect++;
    else if (a) table.onlyA++;
    else if (b) table.onlyB++;
    else table.bothWrong++;
  }
  return table;
}

/** Tallies the paired outcome table from labels and the predictions of A and B (correct = equal to the label). */
export function pairedOutcomeTableFromPredictions<T extends string | number>(
  yTrue: ArrayLike<T>,
  predictionsA: ArrayLike<T>,
  predictionsB: ArrayLike<T>,
): PairedOutcomeTable {
  if (yTrue.length !== predictionsA.length || yTrue.length !== predictionsB.length) {
    throw new RangeError(
      `Paired predictions: lengths differ (labels ${yTrue.length}, A ${predictionsA.length}, B ${predictionsB.length}).`,
    );
  }
  const correctA = new Uint8Array(yTrue.length);
  const correctB = new Uint8Array(yTrue.length);
  for (let i = 0; i < yTrue.length; i++) {
    correctA[i] = predictionsA[i] === yTrue[i] ? 1 : 0;
    correctB[i] = predictionsB[i] === yTrue[i] ? 1 : 0;
  }
  return pairedOutcomeTable(correctA, correctB);
}

/** P(X <= k) for X ~ Binomial(n, 1/2). */
function binomialHalfCdf(k: number, n: number): number {
  if (k >= n) return 1;
  // P(X <= k) = I_{1/2}(n − k, k + 1).
  return regularizedIncompleteBeta(n - k, k + 1, 0.5);
}

/** McNemar's test of equal accuracy of two models on the same rows (see the module header). */
export function mcnemarTest(table: PairedOutcomeTable, options: McNemarOptions = {}): McNemarResult {
  checkTable(table);
  const exact = options.exact ?? true;
  const correction = options.correction ?? true;
  const discordant = table.onlyA + table.onlyB;
  if (exact) {
    const statistic = Math.min(table.onlyA, table.onlyB);
    const pValue = Math.min(1, 2 * binomialHalfCdf(statistic, discordant));
    return { statistic, pValue, method: 'exact', discordant };
  }
  const shift = correction ? 1 : 0;
  const method = correction ? 'chi_square_corrected' : 'chi_square';
  if (discordant === 0) return { statistic: Number.NaN, pValue: Number.NaN, method, discordant };
  const statistic = (Math.abs(table.onlyA - table.onlyB) - shift) ** 2 / discordant;
  return { statistic, pValue: chiSquareSf(statistic, 1), method, discordant };
}

/** Wilson score interval of a proportion. */
function wilson(successes: number, n: number, z: number): [number, number] {
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z / denominator) * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n));
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * Accuracy of A minus accuracy of B on the same rows, with Newcombe's hybrid score interval (see the
 * module header); `confidence` defaults to 0.95. NaN throughout for an empty table.
 */
export function pairedAccuracyDifference(
  table: PairedOutcomeTable,
  confidence = 0.95,
): PairedAccuracyDifference {
  checkTable(table);
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must lie in (0, 1), got ${confidence}.`);
  const { bothCorrect: a, onlyA: b, onlyB: c, bothWrong: d } = table;
  const n = a + b + c + d;
  if (n === 0) {
    const nan = Number.NaN;
    return {
      a: nan,
      b: nan,
      difference: nan,
      lower: nan,
      upper: nan,
      confidence,
      standardError: nan,
      method: 'newcombe_hybrid_score',
      size: 0,
    };
  }
  const z = normalQuantile(1 - (1 - confidence) / 2);
  const p1 = (a + b) / n;
  const p2 = (a + c) / n;
  const difference = (b - c) / n;
  const [l1, u1] = wilson(a + b, n, z);
  const [l2, u2] = wilson(a + c, n, z);
  // Correlation of the two correctness indicators; 0 when either is constant.
  const spread = (a + b) * (c + d) * (a + c) * (b + d);
  const phi = spread > 0 ? (a * d - b * c) / Math.sqrt(spread) : 0;
  const below = Math.sqrt(Math.max(0, (p1 - l1) ** 2 - 2 * phi * (p1 - l1) * (u2 - p2) + (u2 - p2) ** 2));
  const above = Math.sqrt(Math.max(0, (u1 - p1) ** 2 - 2 * phi * (u1 - p1) * (p2 - l2) + (p2 - l2) ** 2));
  const standardError = Math.sqrt(Math.max(0, b + c - (b - c) ** 2 / n)) / n;
  return {
    a: p1,
    b: p2,
    difference,
    lower: Math.max(-1, difference - below),
    upper: Math.min(1, difference + above),
    confidence,
    standardError,
    method: 'newcombe_hybrid_score',
    size: n,
  };
}

import { assertSameLength } from './labels.js';

/** Mean absolute error, as `mean_absolute_error`. */
export function meanAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return meanOf(yTrue, yPred, (t, p) => Math.abs(p - t));
}

/** Mean squared error, as `mean_squared_error`. */
export function meanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return meanOf(yTrue, yPred, (t, p) => (p - t) ** 2);
}

/** Square root of the mean squared error, as `root_mean_squared_error`. */
export function rootMeanSquaredError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return Math.sqrt(meanSquaredError(yTrue, yPred));
}

/** Machine epsilon of float64: scikit-learn's floor on |y| in MAPE. */
const FLOAT64_EPSILON = 2 ** -52;

/**
 * Mean absolute percentage error as a fraction (not ×100), as
 * `mean_absolute_percentage_error`: |y − ŷ| / max(|y|, eps) with eps = 2^-52, so a zero
 * true value yields a huge but finite term instead of infinity.
 */
export function meanAbsolutePercentageError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return meanOf(yTrue, yPred, (t, p) => Math.abs(p - t) / Math.max(Math.abs(t), FLOAT64_EPSILON));
}

/** Median of |y − ŷ| (mean of the two middle values for an even count), as `median_absolute_error`. */
export function medianAbsoluteError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  assertSameLength(yTrue, yPred, 'medianAbsoluteError');
  const n = yTrue.length;
  if (n === 0) return Number.NaN;
  const errors = new Float64Array(n);
  for (let i = 0; i < n; i++) errors[i] = Math.abs(yPred[i]! - yTrue[i]!);
  errors.sort();
  const middle = n >> 1;
  return n % 2 === 1 ? errors[middle]! : (errors[middle - 1]! + errors[middle]!) / 2;
}

/** Largest |y − ŷ|, as `max_error`. */
export function maxError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  assertSameLength(yTrue, yPred, 'maxError');
  if (yTrue.length === 0) return Number.NaN;
  let max = 0;
  for (let i = 0; i < yTrue.length; i++) max = Math.max(max, Math.abs(yPred[i]! - yTrue[i]!));
  return max;
}

/** Mean of ŷ − y: positive when the model over-predicts. */
export function meanError(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  return meanOf(yTrue, yPred, (t, p) => p - t);
}

/**
 * Coefficient of determination 1 − SS_res / SS_tot, as `r2_score` (with `force_finite`): for a
 * constant `yTrue` it is 1 when predictions are exact and 0 otherwise, instead of NaN / −∞.
 * NaN below two samples, as scikit-learn.
 */
export function r2Score(yTrue: ArrayLike<number>, yPred: ArrayLike<number>): number {
  assertSameLength(yTrue, yPred, 'r2Score');
  const n = yTrue.length;
  if (n < 2) return Number.NaN;
  let mean = 0;
  for (let i = 0; i < n; i++) mean += yTrue[i]!;
  mean /= n;
  let residual = 0;
  let total = 0;
  for (let i = 0; i < n; i++) {
    residual += (yTrue[i]! - yPred[i]!) ** 2;
    total += (yTrue[i]! - mean) ** 2;
  }
  if (total === 0) return residual === 0 ? 1 : 0;
  return 1 - residual / total;
}

function meanOf(
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
  term: (truth: number, prediction: number) => number,
): number {
  assertSameLength(yTrue, yPred, 'regression metric');
  const n = yTrue.length;
  if (n === 0) return Number.NaN;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += term(yTrue[i]!, yPred[i]!);
  return sum / n;
}

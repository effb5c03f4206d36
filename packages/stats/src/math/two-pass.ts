/**
 * Mean and variance by the plain two-pass formulas: a running sum divided by the count, then the
 * running sum of squared deviations from that mean. Several estimators reproduce reference values
 * computed this way, so this arithmetic is kept as it is; the public `mean` / `variance` of
 * `descriptive.ts` are compensated and may differ from it in the last bits. NaN propagates.
 */

/** Mean and variance with `ddof` delta degrees of freedom (default 0); NaN when n <= ddof (mean NaN when n = 0). */
export function twoPassMeanVariance(values: ArrayLike<number>, ddof = 0): { mean: number; variance: number } {
  const n = values.length;
  if (n === 0) return { mean: Number.NaN, variance: Number.NaN };
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[i]!;
  const mean = sum / n;
  if (n - ddof <= 0) return { mean, variance: Number.NaN };
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  return { mean, variance: squares / (n - ddof) };
}

/** Standard deviation with `ddof` delta degrees of freedom (default 0), by {@link twoPassMeanVariance}. */
export function twoPassStd(values: ArrayLike<number>, ddof = 0): number {
  return Math.sqrt(twoPassMeanVariance(values, ddof).variance);
}

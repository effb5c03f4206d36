/**
 * In-control level and spread for the control charts, either given or estimated from the first
 * `warmup` values. The sums are pairwise in blocks of eight, the same order numpy uses, so the
 * estimates agree with the numpy reference to the last bit.
 */

/** Sum of `values[start..end)` in numpy's pairwise order. */
function pairwiseSum(values: ArrayLike<number>, start: number, end: number): number {
  const n = end - start;
  if (n < 8) {
    let sum = 0;
    for (let i = start; i < end; i++) sum += values[i]!;
    return sum;
  }
  if (n <= 128) {
    const r = [0, 0, 0, 0, 0, 0, 0, 0];
    for (let j = 0; j < 8; j++) r[j] = values[start + j]!;
    const blocked = n - (n % 8);
    for (let i = 8; i < blocked; i += 8) {
      for (let j = 0; j < 8; j++) r[j]! += values[start + i + j]!;
    }
    let sum = r[0]! + r[1]! + (r[2]! + r[3]!) + (r[4]! + r[5]! + (r[6]! + r[7]!));
    for (let i = start + blocked; i < end; i++) sum += values[i]!;
    return sum;
  }
  let half = Math.floor(n / 2);
  half -= half % 8;
  return pairwiseSum(values, start, start + half) + pairwiseSum(values, start + half, end);
}

/** Mean and sample standard deviation (ddof = 1) of a warm-up sample. */
export function meanAndStd(values: ArrayLike<number>): { mean: number; std: number } {
  const n = values.length;
  const mean = pairwiseSum(values, 0, n) / n;
  const squares = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares[i] = d * d;
  }
  return { mean, std: Math.sqrt(pairwiseSum(squares, 0, n) / (n - 1)) };
}

/**
 * How a control chart gets its in-control mean and standard deviation: given, or estimated from the first
 * `warmup` values.
 */
export interface BaselineOptions {
  /** In-control mean; `null` estimates it from the warm-up values. */
  target: number | null;
  /** In-control standard deviation; `null` estimates it from the warm-up values. */
  sigma: number | null;
  /** Number of values used for estimation when `target` or `sigma` is not given. */
  warmup: number;
}

/** Current in-control parameters, or the warm-up values still being collected. */
export interface BaselineState {
  mean: number | null;
  std: number | null;
  warmupValues: number[];
}

/**
 * Starting baseline of a chart: the given `target` and `sigma` (`null` when still to be estimated) and no
 * warm-up values yet.
 */
export function initialBaseline(options: BaselineOptions): BaselineState {
  return { mean: options.target, std: options.sigma, warmupValues: [] };
}

/**
 * Feeds one warm-up value. Returns true once the baseline is complete (the value itself is then
 * part of the estimate, not of the monitored stream).
 */
export function collectWarmup(baseline: BaselineState, options: BaselineOptions, x: number): boolean {
  baseline.warmupValues.push(x);
  if (baseline.warmupValues.length < options.warmup) return false;
  const estimate = meanAndStd(baseline.warmupValues);
  baseline.mean = options.target ?? estimate.mean;
  baseline.std = options.sigma ?? estimate.std;
  baseline.warmupValues = [];
  return true;
}

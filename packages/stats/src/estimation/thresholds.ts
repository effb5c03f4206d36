/**
 * Alert thresholds from reference windows, as NannyML's default `StandardDeviationThreshold`:
 * mean ± k · (population) standard deviation of a metric over the reference windows, NaN ignored,
 * then limited to the metric's theoretical range.
 */
import { twoPassMeanVariance } from '../math/two-pass.js';

/** Lower and upper alert thresholds; `null` means "no threshold on that side". */
export interface AlertThresholds {
  lower: number | null;
  upper: number | null;
}

/**
 * Options of {@link standardDeviationThresholds}: the multiplier (default 3) and the metric's theoretical
 * range.
 */
export interface StandardDeviationThresholdOptions {
  /** Multiplier of the standard deviation on each side (default 3). */
  multiplier?: number;
  /** Smallest value the metric can take; a lower threshold at or below it is replaced. */
  lowerLimit?: number;
  /** Largest value the metric can take; an upper threshold at or above it is replaced. */
  upperLimit?: number;
  /**
   * Replace thresholds beyond a limit by `null` (no threshold) instead of the limit itself
   * (NannyML does this for reconstruction error).
   */
  dropBeyondLimit?: boolean;
}

/** Computes mean ± multiplier · std of the reference values, limited as NannyML does. */
export function standardDeviationThresholds(
  referenceValues: ArrayLike<number>,
  options: StandardDeviationThresholdOptions = {},
): AlertThresholds {
  const multiplier = options.multiplier ?? 3;
  const present: number[] = [];
  for (let i = 0; i < referenceValues.length; i++) {
    const v = referenceValues[i]!;
    if (!Number.isNaN(v)) present.push(v);
  }
  const { mean, variance } = twoPassMeanVariance(present);
  const std = Math.sqrt(variance);
  let lower: number | null = mean - multiplier * std;
  let upper: number | null = mean + multiplier * std;
  if (options.lowerLimit !== undefined && lower <= options.lowerLimit) {
    lower = options.dropBeyondLimit ? null : options.lowerLimit;
  }
  if (options.upperLimit !== undefined && upper >= options.upperLimit) {
    upper = options.dropBeyondLimit ? null : options.upperLimit;
  }
  return { lower, upper };
}

/** True when the value falls strictly outside the thresholds. */
export function isOutsideThresholds(value: number, thresholds: AlertThresholds): boolean {
  return (
    (thresholds.lower !== null && value < thresholds.lower) ||
    (thresholds.upper !== null && value > thresholds.upper)
  );
}

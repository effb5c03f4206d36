/** Turning estimated values into reported estimates, and realized reference values into fitted metrics. */
import { type SamplingErrorComponents, samplingError } from './sampling-error.js';
import { isOutsideThresholds, standardDeviationThresholds } from './thresholds.js';
import type { FittedMetric, MetricEstimate } from './types.js';

// NannyML draws confidence bands at three standard errors
const BAND_WIDTH = 3;

/** Builds a fitted metric from its sampling components and the realized values on the reference windows. */
export function fitMetric(
  sampling: SamplingErrorComponents,
  referenceWindowValues: ArrayLike<number>,
  range: { lower: number | null; upper: number | null },
  thresholdMultiplier = 3,
): FittedMetric {
  return {
    sampling,
    thresholds: standardDeviationThresholds(referenceWindowValues, {
      multiplier: thresholdMultiplier,
      lowerLimit: range.lower ?? undefined,
      upperLimit: range.upper ?? undefined,
    }),
    lowerLimit: range.lower,
    upperLimit: range.upper,
  };
}

/** Reports one estimated value with its band, thresholds and alert. */
export function reportEstimate(metric: FittedMetric, value: number, size: number): MetricEstimate {
  const error = samplingError(metric.sampling, size);
  const upper = value + BAND_WIDTH * error;
  const lower = value - BAND_WIDTH * error;
  return {
    value,
    samplingError: error,
    upperConfidence: metric.upperLimit === null ? upper : Math.min(metric.upperLimit, upper),
    lowerConfidence: metric.lowerLimit === null ? lower : Math.max(metric.lowerLimit, lower),
    upperThreshold: metric.thresholds.upper,
    lowerThreshold: metric.thresholds.lower,
    alert: isOutsideThresholds(value, metric.thresholds),
  };
}

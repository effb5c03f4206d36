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

/** The confidence band of a value, limited to the metric's range (`null`: no limit on that side). */
export function confidenceBand(
  value: number,
  samplingError: number,
  lowerLimit: number | null,
  upperLimit: number | null,
): { upperConfidence: number; lowerConfidence: number } {
  const upper = value + BAND_WIDTH * samplingError;
  const lower = value - BAND_WIDTH * samplingError;
  return {
    upperConfidence: upperLimit === null ? upper : Math.min(upperLimit, upper),
    lowerConfidence: lowerLimit === null ? lower : Math.max(lowerLimit, lower),
  };
}

/** Reports one estimated value with its band, thresholds and alert. */
export function reportEstimate(metric: FittedMetric, value: number, size: number): MetricEstimate {
  const error = samplingError(metric.sampling, size);
  return {
    value,
    samplingError: error,
    ...confidenceBand(value, error, metric.lowerLimit, metric.upperLimit),
    upperThreshold: metric.thresholds.upper,
    lowerThreshold: metric.thresholds.lower,
    alert: isOutsideThresholds(value, metric.thresholds),
  };
}

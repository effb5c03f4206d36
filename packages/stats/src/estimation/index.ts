export type { BinaryMetric } from './binary-metrics.js';
export {
  BINARY_METRICS,
  estimateBinaryMetrics,
  estimateRocAuc,
  realizedBinaryMetrics,
} from './binary-metrics.js';
export type { NeedsCalibrationOptions } from './calibration.js';
export { calibrateScores, fitScoreCalibration, needsCalibration } from './calibration.js';
export { estimateWindow, fitCbpe } from './cbpe.js';
export type { BinaryReference, BinaryWindow } from './cbpe-binary.js';
export { estimateCbpeBinary, fitCbpeBinary } from './cbpe-binary.js';
export type { MulticlassMetric, MulticlassReference, MulticlassWindow } from './cbpe-multiclass.js';
export {
  calibrateMulticlassScores,
  estimateCbpeMulticlass,
  fitCbpeMulticlass,
  MULTICLASS_METRICS,
  realizedMulticlassMetrics,
} from './cbpe-multiclass.js';
export type { IsotonicModel } from './isotonic.js';
export { fitIsotonic, predictIsotonic } from './isotonic.js';
export type { SamplingErrorComponents } from './sampling-error.js';
export { samplingError } from './sampling-error.js';
export type { AlertThresholds, StandardDeviationThresholdOptions } from './thresholds.js';
export { isOutsideThresholds, standardDeviationThresholds } from './thresholds.js';
export type {
  CbpeBinaryModel,
  CbpeMulticlassModel,
  DleModel,
  EstimatorFitOptions,
  FittedMetric,
  MetricEstimate,
  PerformanceEstimatorModel,
  WindowEstimates,
} from './types.js';

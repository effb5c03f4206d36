/**
 * Shapes shared by the performance estimators. A fitted estimator is a plain JSON-safe object, so the
 * server can store it once (fitted on reference data) and apply it to every later window.
 */
import type { IsotonicModel } from './isotonic.js';
import type { SamplingErrorComponents } from './sampling-error.js';
import type { AlertThresholds } from './thresholds.js';

/** One estimated metric of one window, with its sampling-error band and reference thresholds. */
export interface MetricEstimate {
  /** Estimated value (NaN when it cannot be estimated). */
  value: number;
  /** Standard error from the reference, for a window of this size. */
  samplingError: number;
  /** value + 3 · samplingError, limited to the metric's range. */
  upperConfidence: number;
  /** value − 3 · samplingError, limited to the metric's range. */
  lowerConfidence: number;
  /** Alert thresholds from the reference windows; `null` means none on that side. */
  upperThreshold: number | null;
  lowerThreshold: number | null;
  /** The estimate lies outside the thresholds. */
  alert: boolean;
}

/** What an estimator keeps per metric after fitting. */
export interface FittedMetric {
  sampling: SamplingErrorComponents;
  thresholds: AlertThresholds;
  /** Range of the metric, used to limit confidence bands; `null` for unbounded. */
  lowerLimit: number | null;
  upperLimit: number | null;
}

/** Options shared by the estimators' `fit`. */
export interface EstimatorFitOptions {
  /**
   * Rows per reference window for the alert thresholds; use the size of the monitored windows.
   * Default: a tenth of the reference, as NannyML's default chunker.
   */
  windowSize?: number;
  /** Standard deviations of the reference windows' realized metric on each side of their mean (default 3). */
  thresholdMultiplier?: number;
  /** Seed of the calibration check's splits (default 42). */
  seed?: number;
}

/** CBPE fitted on a binary classifier's reference data. */
export interface CbpeBinaryModel {
  kind: 'cbpe_binary';
  version: 1;
  referenceSize: number;
  windowSize: number;
  /** Isotonic calibration of the scores, or `null` when the scores are already calibrated enough. */
  calibration: IsotonicModel | null;
  metrics: Record<string, FittedMetric>;
}

/** CBPE fitted on a multiclass classifier's reference data (one-vs-rest calibration per class). */
export interface CbpeMulticlassModel {
  kind: 'cbpe_multiclass';
  version: 1;
  referenceSize: number;
  windowSize: number;
  classes: string[];
  /** Calibration per class, aligned with `classes`. */
  calibrations: Array<IsotonicModel | null>;
  metrics: Record<string, FittedMetric>;
}

/**
 * Direct loss estimation for regression models (NannyML's DLE): reserved, not implemented yet.
 * A DLE model predicts each row's absolute or squared error from its features and prediction; the
 * fitted form will carry that error model and the same per-metric sampling errors and thresholds.
 */
export interface DleModel {
  kind: 'dle';
  version: 1;
  referenceSize: number;
  windowSize: number;
  /** Names of the input features, in the order the error model expects them. */
  featureNames: string[];
  /** Serialised error model (format to be defined with the implementation). */
  errorModel: unknown;
  /** Per-metric pieces for `mae`, `mse`, `rmse`, `mape`, `msle`, `rmsle`. */
  metrics: Record<string, FittedMetric>;
}

/** Any fitted performance estimator. */
export type PerformanceEstimatorModel = CbpeBinaryModel | CbpeMulticlassModel | DleModel;

/** Estimates for one window. */
export interface WindowEstimates {
  /** Rows in the window. */
  size: number;
  metrics: Record<string, MetricEstimate>;
}

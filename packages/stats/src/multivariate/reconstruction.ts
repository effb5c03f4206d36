/**
 * Data-reconstruction drift, as NannyML's `DataReconstructionDriftCalculator`: features are encoded,
 * standardised and compressed with PCA fitted on the reference; the mean distance between each row
 * and its reconstruction from the principal components rises when the relations between features
 * change, even if every feature's own distribution stays the same.
 */

import { confidenceBand } from '../estimation/metric-estimate.js';
import { type AlertThresholds, standardDeviationThresholds } from '../estimation/thresholds.js';
import type { MetricEstimate } from '../estimation/types.js';
import { windowBounds } from '../estimation/windows.js';
import { encodeFeatures, type FeatureEncoding, fitFeatureEncoding } from './encoding.js';
import { symmetricEigen } from './symmetric-eigen.js';
import { type FeatureColumns, rowCount } from './tabular.js';

/**
 * Options of {@link fitDataReconstruction}: the PCA variance share and how the reference thresholds are set.
 */
export interface DataReconstructionOptions {
  /** Share of the variance the kept components must exceed (default 0.65, as NannyML). */
  varianceShare?: number;
  /** Rows per reference window for the thresholds (default: a tenth of the reference). */
  windowSize?: number;
  /** Standard deviations around the reference windows' mean error (default 3). */
  thresholdMultiplier?: number;
}

/** A fitted reconstruction model (JSON-safe). */
export interface DataReconstructionModel {
  kind: 'data_reconstruction';
  version: 1;
  encoding: FeatureEncoding;
  /** Standardisation: reference mean and population standard deviation of each encoded column. */
  scaleMean: number[];
  scaleStd: number[];
  /** Mean of the standardised reference (PCA centre). */
  centre: number[];
  /** Kept principal axes, unit vectors over the encoded columns. */
  components: number[][];
  /** Share of variance of every principal axis, descending. */
  explainedVarianceRatio: number[];
  windowSize: number;
  thresholds: AlertThresholds;
}

/**
 * Reconstruction error of one window: `value` is the mean Euclidean reconstruction error of its rows,
 * `samplingError` the standard error of that mean (sample std / √n), and `alert` is set when the error
 * is not strictly between the thresholds.
 */
export interface ReconstructionWindowResult extends MetricEstimate {
  /** Rows in the window. */
  size: number;
}

/** Fits the encoding, standardisation and PCA on the reference, and thresholds from its windows. */
export function fitDataReconstruction(
  reference: FeatureColumns,
  options: DataReconstructionOptions = {},
): DataReconstructionModel {
  const n = rowCount(reference);
  if (n < 2) throw new RangeError('reference needs at least 2 rows');
  const encoding = fitFeatureEncoding(reference);
  const x = encodeFeatures(encoding, reference, n);
  const d = x.length / n;

  const scaleMean = new Array<number>(d).fill(0);
  const scaleStd = new Array<number>(d).fill(0);
  for (let j = 0; j < d; j++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += x[i * d + j]!;
    const mean = sum / n;
    let squares = 0;
    for (let i = 0; i < n; i++) squares += (x[i * d + j]! - mean) ** 2;
    const std = Math.sqrt(squares / n);
    scaleMean[j] = mean;
    // constant columns are left unscaled, as scikit-learn's StandardScaler does
    scaleStd[j] = std < 10 * Number.EPSILON * Math.max(1, Math.abs(mean)) ? 1 : std;
  }
  standardiseInPlace(x, d, scaleMean, scaleStd);

  const centre = new Array<number>(d).fill(0);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) centre[j]! += x[i * d + j]!;
  for (let j = 0; j < d; j++) centre[j]! /= n;
  const covariance = new Float64Array(d * d);
  const row = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) row[j] = x[i * d + j]! - centre[j]!;
    for (let j = 0; j < d; j++) for (let k = j; k < d; k++) covariance[j * d + k]! += row[j]! * row[k]!;
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      covariance[j * d + k]! /= n - 1;
      covariance[k * d + j] = covariance[j * d + k]!;
    }
  }
  const { values, vectors } = symmetricEigen(covariance, d);
  const total = values.reduce((a, b) => a + Math.max(0, b), 0);
  const explainedVarianceRatio = Array.from(values, (v) => Math.max(0, v) / total);
  // smallest number of axes whose cumulative share exceeds the target (scikit-learn's rule)
  const share = options.varianceShare ?? 0.65;
  let kept = 0;
  let cumulative = 0;
  while (kept < d && cumulative <= share) cumulative += explainedVarianceRatio[kept++]!;
  // Keeping every axis reconstructs each row exactly, leaving only rounding noise to compare
  // against a band of rounding noise (two weakly correlated features do that): keep one fewer.
  if (d > 1) kept = Math.min(kept, d - 1);
  const components = vectors.slice(0, Math.max(1, kept)).map((v) => Array.from(v));

  const partial: DataReconstructionModel = {
    kind: 'data_reconstruction',
    version: 1,
    encoding,
    scaleMean,
    scaleStd,
    centre,
    components,
    explainedVarianceRatio,
    windowSize: options.windowSize ?? Math.max(1, Math.floor(n / 10)),
    thresholds: { lower: null, upper: null },
  };
  const errors = reconstructionErrors(partial, reference);
  const windowMeans = windowBounds(n, partial.windowSize).map(([start, end]) => {
    let sum = 0;
    for (let i = start; i < end; i++) sum += errors[i]!;
    return sum / (end - start);
  });
  partial.thresholds = standardDeviationThresholds(windowMeans, {
    multiplier: options.thresholdMultiplier,
    lowerLimit: 0,
    dropBeyondLimit: true,
  });
  return partial;
}

function standardiseInPlace(
  x: Float64Array,
  d: number,
  mean: readonly number[],
  std: readonly number[],
): void {
  for (let i = 0; i < x.length; i++) {
    const j = i % d;
    x[i] = (x[i]! - mean[j]!) / std[j]!;
  }
}

/** Euclidean distance between each row (standardised) and its reconstruction from the kept components. */
export function reconstructionErrors(model: DataReconstructionModel, columns: FeatureColumns): Float64Array {
  const n = rowCount(columns);
  const x = encodeFeatures(model.encoding, columns, n);
  const d = model.scaleMean.length;
  standardiseInPlace(x, d, model.scaleMean, model.scaleStd);
  const errors = new Float64Array(n);
  const residual = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) residual[j] = x[i * d + j]! - model.centre[j]!;
    for (const axis of model.components) {
      let projection = 0;
      for (let j = 0; j < d; j++) projection += residual[j]! * axis[j]!;
      for (let j = 0; j < d; j++) residual[j]! -= projection * axis[j]!;
    }
    let squares = 0;
    for (let j = 0; j < d; j++) squares += residual[j]! * residual[j]!;
    errors[i] = Math.sqrt(squares);
  }
  return errors;
}

/** Mean reconstruction error of one window, with its band, thresholds and alert. */
export function evaluateReconstructionWindow(
  model: DataReconstructionModel,
  window: FeatureColumns,
): ReconstructionWindowResult {
  const errors = reconstructionErrors(model, window);
  const n = errors.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += errors[i]!;
  const value = sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) squares += (errors[i]! - value) ** 2;
  const samplingError = n > 1 ? Math.sqrt(squares / (n - 1)) / Math.sqrt(n) : Number.NaN;
  const { lower, upper } = model.thresholds;
  return {
    size: n,
    value,
    samplingError,
    ...confidenceBand(value, samplingError, 0, null),
    upperThreshold: upper,
    lowerThreshold: lower,
    alert: !((lower === null || lower < value) && (upper === null || value < upper)),
  };
}

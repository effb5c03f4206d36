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

/**
 * What the kept components leave out, as an orthonormal basis of `width − components` unit
 * vectors (row-major): a row's reconstruction error is the length of its standardised, centred
 * coordinates in this basis, since the residual is the row's projection onto it. With more kept
 * components than left out, measuring there costs (d − k)·d multiplications per row instead of
 * the 2·k·d of subtracting each component, and equals it to rounding (relative differences near
 * 1e-14). Pure data, computed once per model: a caller that keeps the model may keep this with it.
 */
export interface ReconstructionComplement {
  /** Encoded columns (d). */
  width: number;
  basis: Float64Array;
}

/**
 * The complement of the model's kept components, or null when subtracting the components is as
 * cheap (fewer than twice as many left out as kept) or nothing is left out.
 */
export function reconstructionComplement(model: DataReconstructionModel): ReconstructionComplement | null {
  const d = model.scaleMean.length;
  const axes = model.components;
  const left = d - axes.length;
  if (left <= 0 || left >= 2 * axes.length) return null;
  // Candidates: each unit vector with the kept axes projected out (the columns of I − VᵀV).
  // Gram–Schmidt with pivoting takes the longest remaining candidate each time, so no step
  // divides by a nearly vanished vector.
  const candidates = new Float64Array(d * d);
  const lengths = new Float64Array(d);
  for (let j = 0; j < d; j++) {
    const row = j * d;
    candidates[row + j] = 1;
    for (const axis of axes) {
      const aj = axis[j]!;
      for (let l = 0; l < d; l++) candidates[row + l]! -= aj * axis[l]!;
    }
    for (let l = 0; l < d; l++) lengths[j]! += candidates[row + l]! ** 2;
  }
  const taken = new Uint8Array(d);
  const basis = new Float64Array(left * d);
  const v = new Float64Array(d);
  for (let t = 0; t < left; t++) {
    let pick = -1;
    for (let j = 0; j < d; j++) if (!taken[j] && (pick < 0 || lengths[j]! > lengths[pick]!)) pick = j;
    taken[pick] = 1;
    v.set(candidates.subarray(pick * d, pick * d + d));
    // Once more against everything taken: one pass leaves rounding-sized overlaps behind.
    for (const axis of axes) subtractProjection(v, axis, 0, d);
    for (let s = 0; s < t; s++) subtractProjection(v, basis, s * d, d);
    let length = 0;
    for (let l = 0; l < d; l++) length += v[l]! * v[l]!;
    length = Math.sqrt(length);
    for (let l = 0; l < d; l++) basis[t * d + l] = v[l]! / length;
    for (let j = 0; j < d; j++) {
      if (taken[j]) continue;
      const row = j * d;
      let p = 0;
      for (let l = 0; l < d; l++) p += candidates[row + l]! * basis[t * d + l]!;
      let rest = 0;
      for (let l = 0; l < d; l++) {
        candidates[row + l]! -= p * basis[t * d + l]!;
        rest += candidates[row + l]! ** 2;
      }
      lengths[j] = rest;
    }
  }
  return { width: d, basis };
}

function subtractProjection(v: Float64Array, axes: ArrayLike<number>, offset: number, d: number): void {
  let p = 0;
  for (let l = 0; l < d; l++) p += v[l]! * axes[offset + l]!;
  for (let l = 0; l < d; l++) v[l]! -= p * axes[offset + l]!;
}

/**
 * Euclidean distance between each row (standardised) and its reconstruction from the kept
 * components; measured in the complement when that is cheaper (`reconstructionComplement`,
 * which a caller may pass when it keeps one per model).
 */
export function reconstructionErrors(
  model: DataReconstructionModel,
  columns: FeatureColumns,
  complement: ReconstructionComplement | null = reconstructionComplement(model),
): Float64Array {
  const n = rowCount(columns);
  const x = encodeFeatures(model.encoding, columns, n);
  const d = model.scaleMean.length;
  if (complement !== null) {
    if (complement.width !== d) throw new RangeError('the complement belongs to another model');
    return complementLengths(x, n, model, complement.basis);
  }
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

/** The length of each encoded row's standardised, centred coordinates in `basis`. */
function complementLengths(
  x: Float64Array,
  n: number,
  model: DataReconstructionModel,
  basis: Float64Array,
): Float64Array {
  const d = model.scaleMean.length;
  const m = basis.length / d;
  const mean = Float64Array.from(model.scaleMean);
  const std = Float64Array.from(model.scaleStd);
  const centre = Float64Array.from(model.centre);
  const errors = new Float64Array(n);
  const r = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    const row = i * d;
    for (let j = 0; j < d; j++) r[j] = (x[row + j]! - mean[j]!) / std[j]! - centre[j]!;
    let squares = 0;
    let k = 0;
    // Four coordinates at a time: four independent sums keep the processor busy while each
    // still adds its terms in column order.
    for (; k + 4 <= m; k += 4) {
      const a = k * d;
      const b = a + d;
      const c = b + d;
      const e = c + d;
      let p0 = 0;
      let p1 = 0;
      let p2 = 0;
      let p3 = 0;
      for (let j = 0; j < d; j++) {
        const v = r[j]!;
        p0 += v * basis[a + j]!;
        p1 += v * basis[b + j]!;
        p2 += v * basis[c + j]!;
        p3 += v * basis[e + j]!;
      }
      squares += p0 * p0 + p1 * p1 + p2 * p2 + p3 * p3;
    }
    for (; k < m; k++) {
      const a = k * d;
      let p = 0;
      for (let j = 0; j < d; j++) p += r[j]! * basis[a + j]!;
      squares += p * p;
    }
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

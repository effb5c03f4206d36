/**
 * Score calibration for confidence-based performance estimation, following NannyML: scores are
 * calibrated with isotonic regression fitted on the reference, but only when cross-validation shows
 * that calibration lowers the expected calibration error.
 */

import { argsort, argsortLexicographic } from '../math/order.js';
import { mulberry32, shuffleInPlace } from '../math/random.js';
import { rocAuc } from '../math/roc-auc.js';
import { fitIsotonic, fitIsotonicOrdered, type IsotonicModel, predictIsotonic } from './isotonic.js';

/**
 * Options of {@link needsCalibration} and {@link fitScoreCalibration}: the calibration-error bins and the
 * seeded shuffle splits.
 */
export interface NeedsCalibrationOptions {
  /** Number of equal-count bins of the expected calibration error (default 10). */
  binCount?: number;
  /** Number of stratified shuffle splits (default 10). */
  splitCount?: number;
  /** Share of each split held out for testing (default 0.1). */
  testShare?: number;
  /** Seed of the splits (default 42). */
  seed?: number;
}

/**
 * Expected calibration error over equal-count bins of the scores sorted ascending:
 * Σ (bin size / n) · |mean score − mean label|. The last bin takes the remainder, as NannyML does;
 * with fewer than 2 · binCount points, binCount becomes n / 2.
 */
export function expectedCalibrationError(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  binCount = 10,
): number {
  const n = scores.length;
  let bins = binCount;
  if (n <= 2 * bins) {
    bins = Math.floor(n / 2);
    if (bins < 2) throw new RangeError(`cannot split ${n} points into at least 2 calibration bins`);
  }
  const width = Math.floor(n / bins);
  const order = argsort(scores);
  const edges: number[] = [];
  for (let e = 0; e <= n; e += width) edges.push(e);
  edges[edges.length - 1] = n;
  let error = 0;
  for (let b = 0; b + 1 < edges.length; b++) {
    const start = edges[b]!;
    const end = edges[b + 1]!;
    let sumScore = 0;
    let sumLabel = 0;
    for (let k = start; k < end; k++) {
      const i = order[k]!;
      sumScore += scores[i]!;
      sumLabel += labels[i]!;
    }
    const size = end - start;
    error += (size / n) * Math.abs(sumScore / size - sumLabel / size);
  }
  return error;
}

/**
 * Decides whether isotonic calibration helps, as NannyML's `needs_calibration`: false for a single
 * class or an almost perfect ranking (ROC AUC > 0.999); otherwise the held-out parts of stratified
 * shuffle splits are pooled and calibration is needed when it lowers their expected calibration error.
 *
 * The splits come from this package's seeded generator, so they differ from scikit-learn's; the
 * decision agrees with NannyML whenever calibration clearly helps or clearly does not.
 */
export function needsCalibration(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: NeedsCalibrationOptions = {},
): boolean {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) {
    if (Number.isNaN(labels[i]!) || Number.isNaN(scores[i]!)) {
      throw new RangeError('labels and scores must not contain NaN');
    }
    if (labels[i] === 1) positives++;
  }
  if (positives === 0 || positives === n) return false;
  if (rocAuc(labels, scores) > 0.999) return false;

  const splitCount = options.splitCount ?? 10;
  const testShare = options.testShare ?? 0.1;
  const random = mulberry32(options.seed ?? 42);
  const classIndices = [0, 1].map((cls) => {
    const idx: number[] = [];
    for (let i = 0; i < n; i++) if ((labels[i] === 1 ? 1 : 0) === cls) idx.push(i);
    return Uint32Array.from(idx);
  });

  // sort once; every training subset keeps this order, so no per-split sort is needed
  const order = argsortLexicographic(scores, labels);
  const pooledLabels: number[] = [];
  const pooledScores: number[] = [];
  const pooledCalibrated: number[] = [];
  const isTest = new Uint8Array(n);
  const trainOrder = new Uint32Array(n);
  for (let split = 0; split < splitCount; split++) {
    isTest.fill(0);
    for (const idx of classIndices) {
      shuffleInPlace(idx, random);
      const take = Math.max(1, Math.round(idx.length * testShare));
      for (let k = 0; k < take; k++) isTest[idx[k]!] = 1;
    }
    let trainSize = 0;
    for (let k = 0; k < n; k++) if (!isTest[order[k]!]) trainOrder[trainSize++] = order[k]!;
    const model = fitIsotonicOrdered(scores, labels, trainOrder.subarray(0, trainSize));
    const testScores: number[] = [];
    for (let i = 0; i < n; i++) {
      if (isTest[i]) {
        testScores.push(scores[i]!);
        pooledLabels.push(labels[i]!);
      }
    }
    const calibrated = predictIsotonic(model, testScores);
    for (let k = 0; k < testScores.length; k++) {
      pooledScores.push(testScores[k]!);
      pooledCalibrated.push(calibrated[k]!);
    }
  }
  const binCount = options.binCount ?? 10;
  const before = expectedCalibrationError(pooledLabels, pooledScores, binCount);
  const after = expectedCalibrationError(pooledLabels, pooledCalibrated, binCount);
  return before > after;
}

/** Fits the calibration NannyML would use: an isotonic model, or `null` when scores are kept as they are. */
export function fitScoreCalibration(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  options: NeedsCalibrationOptions = {},
): IsotonicModel | null {
  return needsCalibration(labels, scores, options) ? fitIsotonic(scores, labels) : null;
}

/** Applies a fitted calibration (or none) to scores. */
export function calibrateScores(calibration: IsotonicModel | null, scores: ArrayLike<number>): Float64Array {
  return calibration ? predictIsotonic(calibration, scores) : Float64Array.from(scores);
}

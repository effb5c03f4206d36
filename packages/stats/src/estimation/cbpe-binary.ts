/**
 * Confidence-based performance estimation (CBPE) for binary classifiers, following NannyML: with
 * calibrated scores, each row's score is its probability of being positive, so the expected confusion
 * matrix — and every metric derived from it — can be computed without labels.
 */
import {
  BINARY_METRICS,
  type BinaryMetric,
  estimateBinaryMetrics,
  realizedBinaryMetrics,
} from './binary-metrics.js';
import { calibrateScores, fitScoreCalibration } from './calibration.js';
import { fitMetric, reportEstimate } from './metric-estimate.js';
import { binarySamplingErrorComponents } from './sampling-error.js';
import type { CbpeBinaryModel, EstimatorFitOptions, FittedMetric, WindowEstimates } from './types.js';
import { windowBounds } from './windows.js';

/** Reference data of a binary classifier: scores, 0/1 predictions and 0/1 labels, row-aligned. */
export interface BinaryReference {
  scores: ArrayLike<number>;
  predictions: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** One window of a binary classifier's outputs, without labels. */
export interface BinaryWindow {
  scores: ArrayLike<number>;
  predictions: ArrayLike<number>;
}

const isCell = (m: BinaryMetric) =>
  m === 'true_positive' || m === 'true_negative' || m === 'false_positive' || m === 'false_negative';

/** Fits CBPE on a binary classifier's reference data. */
export function fitCbpeBinary(
  reference: BinaryReference,
  options: EstimatorFitOptions = {},
): CbpeBinaryModel {
  const { scores, predictions, labels } = reference;
  const n = scores.length;
  if (predictions.length !== n || labels.length !== n) {
    throw new RangeError('reference scores, predictions and labels must have the same length');
  }
  if (n < 2) throw new RangeError('reference needs at least 2 rows');
  const windowSize = options.windowSize ?? Math.max(1, Math.floor(n / 10));

  const realizedPerWindow = windowBounds(n, windowSize).map(([start, end]) =>
    realizedBinaryMetrics(
      slice(labels, start, end),
      slice(predictions, start, end),
      slice(scores, start, end),
    ),
  );
  const sampling = binarySamplingErrorComponents(labels, predictions, scores);
  const metrics: Record<string, FittedMetric> = {};
  for (const m of BINARY_METRICS) {
    const values = Float64Array.from(realizedPerWindow, (r) => r[m]);
    const range = isCell(m) ? { lower: 0, upper: null } : { lower: 0, upper: 1 };
    metrics[m] = fitMetric(sampling[m], values, range, options.thresholdMultiplier);
  }
  return {
    kind: 'cbpe_binary',
    version: 1,
    referenceSize: n,
    windowSize,
    calibration: fitScoreCalibration(labels, scores, { seed: options.seed }),
    metrics,
  };
}

/** Estimates every binary metric for one window of unlabelled outputs. */
export function estimateCbpeBinary(model: CbpeBinaryModel, window: BinaryWindow): WindowEstimates {
  const n = window.scores.length;
  if (window.predictions.length !== n)
    throw new RangeError('window scores and predictions must have the same length');
  const calibrated = calibrateScores(model.calibration, window.scores);
  const values = estimateBinaryMetrics(calibrated, window.scores, window.predictions);
  const metrics: WindowEstimates['metrics'] = {};
  for (const m of BINARY_METRICS) {
    const fitted = model.metrics[m];
    if (fitted) metrics[m] = reportEstimate(fitted, values[m], n);
  }
  return { size: n, metrics };
}

function slice(values: ArrayLike<number>, start: number, end: number): Float64Array {
  return Float64Array.from({ length: end - start }, (_, k) => values[start + k]!);
}

/**
 * CBPE for multiclass classifiers, following NannyML: each class's score is calibrated one-vs-rest
 * (isotonic, when it helps), the calibrated scores are renormalised to sum to one per row, and the
 * macro-averaged metrics are estimated class by class as in the binary case.
 */

import { rocAuc } from '../math/roc-auc.js';
import { estimateBinaryMetrics, estimateRocAuc, RATE_METRICS, type RateMetric } from './binary-metrics.js';
import { calibrateScores, fitScoreCalibration } from './calibration.js';
import { fitMetric, reportEstimate } from './metric-estimate.js';
import { aurocSamplingErrorComponents, type SamplingErrorComponents } from './sampling-error.js';
import type { CbpeMulticlassModel, EstimatorFitOptions, FittedMetric, WindowEstimates } from './types.js';
import { windowBounds } from './windows.js';

/** Metrics CBPE estimates for multiclass classifiers (macro averages over classes). */
export type MulticlassMetric = RateMetric;

/** Every multiclass metric, in reporting order. */
export const MULTICLASS_METRICS: readonly MulticlassMetric[] = RATE_METRICS;

/**
 * Reference data of a multiclass classifier. `scores[k]` holds every row's score for `classes[k]`;
 * predictions and labels are class indices into `classes`.
 */
export interface MulticlassReference {
  classes: string[];
  scores: ReadonlyArray<ArrayLike<number>>;
  predictions: ArrayLike<number>;
  labels: ArrayLike<number>;
}

/** One window of a multiclass classifier's outputs, without labels. */
export interface MulticlassWindow {
  scores: ReadonlyArray<ArrayLike<number>>;
  predictions: ArrayLike<number>;
}

const oneVsRest = (classIndices: ArrayLike<number>, k: number) =>
  Float64Array.from({ length: classIndices.length }, (_, i) => (classIndices[i] === k ? 1 : 0));

/** Fits multiclass CBPE on reference data. */
export function fitCbpeMulticlass(
  reference: MulticlassReference,
  options: EstimatorFitOptions = {},
): CbpeMulticlassModel {
  const { classes, scores, predictions, labels } = reference;
  const classCount = classes.length;
  const n = labels.length;
  if (classCount < 2 || scores.length !== classCount) {
    throw new RangeError('multiclass reference needs at least 2 classes and one score array per class');
  }
  if (predictions.length !== n || scores.some((s) => s.length !== n)) {
    throw new RangeError('reference scores, predictions and labels must have the same length');
  }
  const windowSize = options.windowSize ?? Math.max(1, Math.floor(n / 10));

  const realizedPerWindow = windowBounds(n, windowSize).map(([start, end]) =>
    realizedMulticlassMetrics(classCount, labels, predictions, scores, start, end),
  );
  const sampling = multiclassSamplingErrorComponents(classCount, labels, predictions, scores);
  const metrics: Record<string, FittedMetric> = {};
  for (const m of MULTICLASS_METRICS) {
    const values = Float64Array.from(realizedPerWindow, (r) => r[m]);
    metrics[m] = fitMetric(sampling[m], values, { lower: 0, upper: 1 }, options.thresholdMultiplier);
  }
  const calibrations = classes.map((_, k) =>
    fitScoreCalibration(oneVsRest(labels, k), scores[k]!, { seed: options.seed }),
  );
  return {
    kind: 'cbpe_multiclass',
    version: 1,
    referenceSize: n,
    windowSize,
    classes,
    calibrations,
    metrics,
  };
}

/** Calibrates each class's scores and renormalises every row to sum to one (uniform when all are zero). */
export function calibrateMulticlassScores(
  calibrations: ReadonlyArray<CbpeMulticlassModel['calibrations'][number]>,
  scores: ReadonlyArray<ArrayLike<number>>,
): Float64Array[] {
  const calibrated = scores.map((s, k) => calibrateScores(calibrations[k] ?? null, s));
  const n = calibrated[0]?.length ?? 0;
  const classCount = calibrated.length;
  for (let i = 0; i < n; i++) {
    let total = 0;
    for (let k = 0; k < classCount; k++) total += calibrated[k]![i]!;
    for (let k = 0; k < classCount; k++) {
      calibrated[k]![i] = total !== 0 ? calibrated[k]![i]! / total : 1 / classCount;
    }
  }
  return calibrated;
}

/** Estimates every multiclass metric for one window of unlabelled outputs. */
export function estimateCbpeMulticlass(
  model: CbpeMulticlassModel,
  window: MulticlassWindow,
): WindowEstimates {
  const classCount = model.classes.length;
  const n = window.predictions.length;
  if (window.scores.length !== classCount || window.scores.some((s) => s.length !== n)) {
    throw new RangeError('window needs one score array per class, each as long as the predictions');
  }
  const calibrated = calibrateMulticlassScores(model.calibrations, window.scores);
  const sums = { roc_auc: 0, f1: 0, precision: 0, recall: 0, specificity: 0 };
  for (let k = 0; k < classCount; k++) {
    const predicted = oneVsRest(window.predictions, k);
    const binary = estimateBinaryMetrics(calibrated[k]!, window.scores[k]!, predicted);
    sums.roc_auc += estimateRocAuc(calibrated[k]!, window.scores[k]!);
    sums.f1 += binary.f1;
    sums.precision += binary.precision;
    sums.recall += binary.recall;
    sums.specificity += binary.specificity;
  }
  // expected accuracy: the calibrated probability of each row's predicted class
  let accuracy = 0;
  for (let i = 0; i < n; i++) accuracy += calibrated[window.predictions[i]!]![i]!;
  const values: Record<MulticlassMetric, number> = {
    roc_auc: sums.roc_auc / classCount,
    f1: sums.f1 / classCount,
    precision: sums.precision / classCount,
    recall: sums.recall / classCount,
    specificity: sums.specificity / classCount,
    accuracy: accuracy / n,
  };
  const metrics: WindowEstimates['metrics'] = {};
  for (const m of MULTICLASS_METRICS) {
    const fitted = model.metrics[m];
    if (fitted) metrics[m] = reportEstimate(fitted, values[m], n);
  }
  return { size: n, metrics };
}

/** Realized macro metrics on rows [start, end) (NaN where NannyML reports NaN). */
export function realizedMulticlassMetrics(
  classCount: number,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  scores: ReadonlyArray<ArrayLike<number>>,
  start = 0,
  end = labels.length,
): Record<MulticlassMetric, number> {
  const size = end - start;
  const labelCount = new Float64Array(classCount);
  const predictedCount = new Float64Array(classCount);
  const hits = new Float64Array(classCount);
  for (let i = start; i < end; i++) {
    const label = labels[i]!;
    const predicted = predictions[i]!;
    labelCount[label]!++;
    predictedCount[predicted]!++;
    if (label === predicted) hits[label]!++;
  }
  const distinct = (counts: Float64Array) => counts.reduce((c, v) => c + (v > 0 ? 1 : 0), 0);
  const defined = distinct(labelCount) > 1 && distinct(predictedCount) > 1;
  let precision = 0;
  let recall = 0;
  let f1 = 0;
  let specificity = 0;
  let correct = 0;
  for (let k = 0; k < classCount; k++) {
    const tp = hits[k]!;
    const fp = predictedCount[k]! - tp;
    const fn = labelCount[k]! - tp;
    const tn = size - tp - fp - fn;
    precision += tp + fp > 0 ? tp / (tp + fp) : 0;
    recall += tp + fn > 0 ? tp / (tp + fn) : 0;
    f1 += 2 * tp + fp + fn > 0 ? (2 * tp) / (2 * tp + fp + fn) : 0;
    specificity += tn / (tn + fp);
    correct += tp;
  }
  let rocAucSum = 0;
  const allClasses = distinct(labelCount) === classCount;
  if (allClasses) {
    for (let k = 0; k < classCount; k++) {
      const oneClass = Float64Array.from({ length: size }, (_, j) => (labels[start + j] === k ? 1 : 0));
      const classScores = Float64Array.from({ length: size }, (_, j) => scores[k]![start + j]!);
      rocAucSum += rocAuc(oneClass, classScores);
    }
  }
  return {
    roc_auc: allClasses ? rocAucSum / classCount : Number.NaN,
    f1: defined ? f1 / classCount : Number.NaN,
    precision: defined ? precision / classCount : Number.NaN,
    recall: defined ? recall / classCount : Number.NaN,
    specificity: defined ? specificity / classCount : Number.NaN,
    accuracy: defined ? correct / size : Number.NaN,
  };
}

/**
 * Multiclass sampling-error components, after NannyML: each class contributes a variance over its
 * relevant rows; the macro error is √(Σ variance_k / (n · share_k)) / K, stored here as one
 * equivalent component (std² = K⁻² · Σ variance_k / share_k, share = 1). ROC AUC carries NannyML's
 * extra factor 1.2.
 */
export function multiclassSamplingErrorComponents(
  classCount: number,
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  scores: ReadonlyArray<ArrayLike<number>>,
): Record<MulticlassMetric, SamplingErrorComponents> {
  const n = labels.length;
  const sums = { roc_auc: 0, f1: 0, precision: 0, recall: 0, specificity: 0 };
  let correct = 0;
  const bernoulliVariance = (ones: number, count: number) => {
    const p = ones / count;
    return p * (1 - p);
  };
  for (let k = 0; k < classCount; k++) {
    let tp = 0;
    let fp = 0;
    let fn = 0;
    let tn = 0;
    for (let i = 0; i < n; i++) {
      const actual = labels[i] === k;
      const predicted = predictions[i] === k;
      if (predicted) actual ? tp++ : fp++;
      else actual ? fn++ : tn++;
    }
    if (k === 0) for (let i = 0; i < n; i++) if (labels[i] === predictions[i]) correct++;
    const auc = aurocSamplingErrorComponents(oneVsRest(labels, k), scores[k]!, 'variance');
    sums.roc_auc += auc.std / auc.share;
    sums.f1 += bernoulliVariance(tp, tp + fp + fn) / ((tp + fp + fn) / n);
    sums.precision += bernoulliVariance(tp, tp + fp) / ((tp + fp) / n);
    sums.recall += bernoulliVariance(tp, tp + fn) / ((tp + fn) / n);
    sums.specificity += bernoulliVariance(tn, tn + fp) / ((tn + fp) / n);
  }
  const combined = (sum: number, factor = 1): SamplingErrorComponents => ({
    std: (factor * Math.sqrt(sum)) / classCount,
    share: 1,
    scale: 'proportion',
  });
  const accuracyP = correct / n;
  return {
    roc_auc: combined(sums.roc_auc, 1.2),
    f1: combined(sums.f1),
    precision: combined(sums.precision),
    recall: combined(sums.recall),
    specificity: combined(sums.specificity),
    accuracy: { std: Math.sqrt(accuracyP * (1 - accuracyP)), share: 1, scale: 'proportion' },
  };
}

/**
 * Binary classification metrics, both estimated from calibrated probabilities (no labels) and realized
 * from labels, with NannyML's CBPE conventions. Predictions and labels are 0/1.
 */
import { argsort } from '../math/order.js';
import { rocAuc } from '../math/roc-auc.js';
import { roundHalfEven } from '../math/rounding.js';

/**
 * The rate metrics, in reporting order: every binary metric but the confusion-matrix cells, and every
 * multiclass metric (there, macro averages over the classes).
 */
export const RATE_METRICS = ['roc_auc', 'f1', 'precision', 'recall', 'specificity', 'accuracy'] as const;

/** A rate metric (see {@link RATE_METRICS}). */
export type RateMetric = (typeof RATE_METRICS)[number];

/** Metrics CBPE estimates for binary classifiers. */
export type BinaryMetric =
  | RateMetric
  | 'true_positive'
  | 'true_negative'
  | 'false_positive'
  | 'false_negative';

/** Every binary metric, in reporting order. */
export const BINARY_METRICS: readonly BinaryMetric[] = [
  ...RATE_METRICS,
  'true_positive',
  'true_negative',
  'false_positive',
  'false_negative',
];

/** Expected confusion-matrix counts: each row contributes its calibrated probability of being positive. */
export function expectedConfusionMatrix(
  calibrated: ArrayLike<number>,
  predictions: ArrayLike<number>,
): { truePositive: number; trueNegative: number; falsePositive: number; falseNegative: number } {
  let truePositive = 0;
  let trueNegative = 0;
  let falsePositive = 0;
  let falseNegative = 0;
  for (let i = 0; i < calibrated.length; i++) {
    const p = calibrated[i]!;
    if (predictions[i] === 1) {
      truePositive += p;
      falsePositive += 1 - p;
    } else {
      falseNegative += p;
      trueNegative += 1 - p;
    }
  }
  return { truePositive, trueNegative, falsePositive, falseNegative };
}

/**
 * ROC AUC expected under the calibrated probabilities, as NannyML computes it: rows ordered by the
 * model's own (uncalibrated) score, descending; each row adds its calibrated probability to the true
 * positives and the rest to the false positives; the cumulative counts are rounded to 5 decimals
 * (NannyML's choice) before the trapezoidal area under the resulting curve.
 */
export function estimateRocAuc(calibrated: ArrayLike<number>, uncalibrated: ArrayLike<number>): number {
  const n = calibrated.length;
  const ascending = argsort(uncalibrated);
  const tps = new Float64Array(n + 1);
  const fps = new Float64Array(n + 1);
  let cumulative = 0;
  for (let k = 0; k < n; k++) {
    cumulative += calibrated[ascending[n - 1 - k]!]!;
    tps[k + 1] = roundHalfEven(cumulative, 5);
    fps[k + 1] = roundHalfEven(k + 1 - cumulative, 5);
  }
  const totalTp = tps[n]!;
  const totalFp = fps[n]!;
  let area = 0;
  for (let k = 0; k < n; k++) {
    area += ((fps[k + 1]! - fps[k]!) / totalFp) * ((tps[k + 1]! / totalTp + tps[k]! / totalTp) / 2);
  }
  return area;
}

/** Estimated values of every binary metric for one window (confusion-matrix cells as counts). */
export function estimateBinaryMetrics(
  calibrated: ArrayLike<number>,
  uncalibrated: ArrayLike<number>,
  predictions: ArrayLike<number>,
): Record<BinaryMetric, number> {
  const n = calibrated.length;
  const cm = expectedConfusionMatrix(calibrated, predictions);
  const ratio = (num: number, den: number) => (den !== 0 ? num / den : 0);
  return {
    roc_auc: estimateRocAuc(calibrated, uncalibrated),
    f1: ratio(cm.truePositive, cm.truePositive + 0.5 * (cm.falsePositive + cm.falseNegative)),
    precision: ratio(cm.truePositive, cm.truePositive + cm.falsePositive),
    recall: ratio(cm.truePositive, cm.truePositive + cm.falseNegative),
    specificity: ratio(cm.trueNegative, cm.trueNegative + cm.falsePositive),
    accuracy: (cm.truePositive + cm.trueNegative) / n,
    true_positive: cm.truePositive,
    true_negative: cm.trueNegative,
    false_positive: cm.falsePositive,
    false_negative: cm.falseNegative,
  };
}

/** Counts of true / false positives and negatives of 0/1 predictions against 0/1 labels. */
export function confusionCounts(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
): { tp: number; tn: number; fp: number; fn: number } {
  let tp = 0;
  let tn = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++) {
    const positive = labels[i] === 1;
    if (predictions[i] === 1) positive ? tp++ : fp++;
    else positive ? fn++ : tn++;
  }
  return { tp, tn, fp, fn };
}

/** Realized values of every binary metric from labels (NaN where NannyML reports NaN). */
export function realizedBinaryMetrics(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  scores: ArrayLike<number>,
): Record<BinaryMetric, number> {
  const n = labels.length;
  const { tp, tn, fp, fn } = confusionCounts(labels, predictions);
  // precision, recall and F1 are undefined when labels or predictions hold a single class
  const bothClasses = tp + fn > 0 && tn + fp > 0 && tp + fp > 0 && tn + fn > 0;
  const ratio = (num: number, den: number) => (den !== 0 ? num / den : 0);
  return {
    roc_auc: tp + fn > 0 && tn + fp > 0 ? rocAuc(labels, scores) : Number.NaN,
    f1: bothClasses ? ratio(2 * tp, 2 * tp + fp + fn) : Number.NaN,
    precision: bothClasses ? ratio(tp, tp + fp) : Number.NaN,
    recall: bothClasses ? ratio(tp, tp + fn) : Number.NaN,
    specificity: tn + fp > 0 ? tn / (tn + fp) : Number.NaN,
    accuracy: (tp + tn) / n,
    true_positive: tp,
    true_negative: tn,
    false_positive: fp,
    false_negative: fn,
  };
}

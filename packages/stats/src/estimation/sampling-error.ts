/**
 * Sampling error of performance metrics, following NannyML: a per-observation standard deviation is
 * measured once on the reference, and the error of a window of n rows is std / √(n · share), where
 * `share` is the part of the rows the metric is computed on (e.g. predicted positives for precision).
 */

import { argsort } from '../math/order.js';
import { twoPassMeanVariance } from '../math/two-pass.js';
import { type BinaryMetric, confusionCounts } from './binary-metrics.js';

/** Reference-derived pieces of a metric's sampling error (JSON-safe). */
export interface SamplingErrorComponents {
  /** Per-observation standard deviation on the reference. */
  std: number;
  /** Share of rows the metric is computed on. */
  share: number;
  /**
   * `proportion`: error of a rate, std / √(n · share).
   * `count`: error of a count (confusion-matrix cell), std · √n.
   */
  scale: 'proportion' | 'count';
}

/** Sampling error of a metric for a window of `size` rows. */
export function samplingError(components: SamplingErrorComponents, size: number): number {
  return components.scale === 'count'
    ? components.std * Math.sqrt(size)
    : components.std / Math.sqrt(size * components.share);
}

/** Population standard deviation of `ones` ones among `count` zero/one values, times `factor`. */
function bernoulliStd(ones: number, count: number, factor = 1): number {
  if (count === 0) return Number.NaN;
  const p = ones / count;
  return factor * Math.sqrt(p * (1 - p));
}

/** Sampling-error components of the binary metrics, from reference labels, predictions and scores. */
export function binarySamplingErrorComponents(
  labels: ArrayLike<number>,
  predictions: ArrayLike<number>,
  scores: ArrayLike<number>,
): Record<BinaryMetric, SamplingErrorComponents> {
  const n = labels.length;
  const { tp, tn, fp, fn } = confusionCounts(labels, predictions);
  const f1Count = tp + fp + fn;
  const f1Factor = f1Count / ((fn + fp) * 0.5 + tp);
  return {
    roc_auc: aurocSamplingErrorComponents(labels, scores, 'std'),
    f1: { std: bernoulliStd(tp, f1Count, f1Factor), share: f1Count / n, scale: 'proportion' },
    precision: { std: bernoulliStd(tp, tp + fp), share: (tp + fp) / n, scale: 'proportion' },
    recall: { std: bernoulliStd(tp, tp + fn), share: (tp + fn) / n, scale: 'proportion' },
    specificity: { std: bernoulliStd(tn, tn + fp), share: (tn + fp) / n, scale: 'proportion' },
    accuracy: { std: bernoulliStd(tp + tn, n), share: 1, scale: 'proportion' },
    true_positive: { std: bernoulliStd(tp, n), share: 1, scale: 'count' },
    true_negative: { std: bernoulliStd(tn, n), share: 1, scale: 'count' },
    false_positive: { std: bernoulliStd(fp, n), share: 1, scale: 'count' },
    false_negative: { std: bernoulliStd(fn, n), share: 1, scale: 'count' },
  };
}

/**
 * ROC AUC sampling-error components, after NannyML: AUC written as a Mann–Whitney statistic, the
 * per-positive share of negatives ranked below it gives the spread. The minority class is taken as
 * positive. NannyML skips the positive ranked first and counts negatives below the k-th remaining
 * positive as (its 0-based rank − k); both quirks are kept so the bands agree.
 * `spread` chooses the standard deviation (binary) or the variance (multiclass).
 */
export function aurocSamplingErrorComponents(
  labels: ArrayLike<number>,
  scores: ArrayLike<number>,
  spread: 'std' | 'variance',
): SamplingErrorComponents {
  const n = labels.length;
  let positives = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) positives++;
  const flip = positives / n > 0.5;
  const keys = new Float64Array(n);
  for (let i = 0; i < n; i++) keys[i] = flip ? 1 - scores[i]! : scores[i]!;
  const isPositive = (i: number) => (labels[i] === 1) !== flip;
  if (flip) positives = n - positives;
  const negatives = n - positives;
  const order = argsort(keys);
  const shares = new Float64Array(positives);
  let count = 0;
  for (let rank = 1; rank < n; rank++) {
    if (!isPositive(order[rank]!)) continue;
    shares[count] = (rank - count) / negatives;
    count++;
  }
  const { variance } = twoPassMeanVariance(shares.subarray(0, count));
  return {
    std: spread === 'std' ? Math.sqrt(variance) : variance,
    share: positives / n,
    scale: 'proportion',
  };
}

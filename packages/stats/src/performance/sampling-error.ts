import { twoPassStd } from '../math/two-pass.js';
import { assertSameLength, defaultPositiveLabel, type Label, sortedLabelUnion } from './labels.js';

/**
 * Standard error of a metric on a sample of `n` rows, learnt once from reference data:
 * `std / sqrt(n · fraction)`, where `std` is the spread of the per-row quantity the metric
 * averages and `fraction` the share of rows that quantity is defined on (e.g. actual positives
 * for recall). This is NannyML's "sampling error"; it needs no labels in the monitored window.
 */
export interface SamplingErrorModel {
  std: number;
  fraction: number;
}

/** Binary confusion counts of a reference sample. */
export interface BinaryConfusionCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/** Metrics whose sampling error follows from binary confusion counts. */
export type ConfusionSamplingMetric = 'accuracy' | 'precision' | 'recall' | 'specificity' | 'f1';

/**
 * Sampling-error model of a binary confusion metric from reference counts. Each metric is a
 * mean of 0/1 outcomes over its relevant rows, so `std` is the Bernoulli spread
 * sqrt(q(1 − q)); for F1, whose rows are tp (1) and fp / fn (0), the outcomes are first
 * rescaled so they average to F1 (NaN without tp, fp or fn).
 */
export function confusionSamplingError(
  metric: ConfusionSamplingMetric,
  reference: BinaryConfusionCounts,
): SamplingErrorModel {
  const { truePositives: tp, falsePositives: fp, falseNegatives: fn, trueNegatives: tn } = reference;
  const n = tp + fp + fn + tn;
  const bernoulli = (hits: number, rows: number): SamplingErrorModel => {
    const q = hits / rows;
    return { std: Math.sqrt(q * (1 - q)), fraction: rows / n };
  };
  switch (metric) {
    case 'accuracy':
      return bernoulli(tp + tn, n);
    case 'precision':
      return bernoulli(tp, tp + fp);
    case 'recall':
      return bernoulli(tp, tp + fn);
    case 'specificity':
      return bernoulli(tn, tn + fp);
    case 'f1': {
      const relevant = tp + fp + fn;
      if (relevant === 0) return { std: Number.NaN, fraction: 0 };
      const scale = relevant / ((fn + fp) / 2 + tp);
      const { std } = bernoulli(tp, relevant);
      return { std: scale * std, fraction: relevant / n };
    }
  }
}

/**
 * Sampling-error model of binary ROC AUC from reference scores, via AUC as a Mann–Whitney
 * statistic: `std` is the spread of the minority class's placement values (for each row of
 * that class, the share of the other class ranked below it) and `fraction` the minority share.
 * A tie with the other class counts one half (NannyML orders tied rows arbitrarily; without
 * ties both agree).
 */
export function aucSamplingError(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: { posLabel?: Label } = {},
): SamplingErrorModel {
  assertSameLength(yTrue, scores, 'aucSamplingError');
  const n = yTrue.length;
  const posLabel = options.posLabel ?? defaultPositiveLabel(sortedLabelUnion(yTrue)) ?? 1;
  let positives = 0;
  for (let i = 0; i < n; i++) if (yTrue[i] === posLabel) positives++;
  // Placements are taken for the minority class; flipping the score keeps the ranking meaningful.
  const minorityIsPositive = positives <= n / 2;
  const minorityCount = minorityIsPositive ? positives : n - positives;
  const majorityCount = n - minorityCount;
  const sign = minorityIsPositive ? 1 : -1;
  const minority = new Float64Array(minorityCount);
  const majority = new Float64Array(majorityCount);
  let m = 0;
  let j = 0;
  for (let i = 0; i < n; i++) {
    if ((yTrue[i] === posLabel) === minorityIsPositive) minority[m++] = sign * scores[i]!;
    else majority[j++] = sign * scores[i]!;
  }
  minority.sort();
  majority.sort();
  // Sorted arrays make the placements one merge; a tie with the majority counts one half.
  const placements = new Float64Array(minorityCount);
  let below = 0;
  let belowOrTied = 0;
  for (let k = 0; k < minorityCount; k++) {
    const score = minority[k]!;
    while (below < majorityCount && majority[below]! < score) below++;
    if (belowOrTied < below) belowOrTied = below;
    while (belowOrTied < majorityCount && majority[belowOrTied]! <= score) belowOrTied++;
    placements[k] = (below + (belowOrTied - below) / 2) / majorityCount;
  }
  return { std: twoPassStd(placements), fraction: minorityCount / n };
}

/** Regression metrics with a sampling-error model. */
export type RegressionSamplingMetric = 'mae' | 'mse' | 'rmse' | 'mape';

/**
 * Sampling-error model of a regression metric from reference truth and predictions: the
 * spread of the per-row error (|e|, e², |e| / |y|). For RMSE the delta method gives
 * std(e²) / (2 · sqrt(mean e²)).
 */
export function regressionSamplingError(
  metric: RegressionSamplingMetric,
  yTrue: ArrayLike<number>,
  yPred: ArrayLike<number>,
): SamplingErrorModel {
  assertSameLength(yTrue, yPred, 'regressionSamplingError');
  const n = yTrue.length;
  const perRow = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const error = yTrue[i]! - yPred[i]!;
    perRow[i] =
      metric === 'mae'
        ? Math.abs(error)
        : metric === 'mape'
          ? Math.abs(error) / Math.abs(yTrue[i]!)
          : error * error;
  }
  const std = twoPassStd(perRow);
  if (metric !== 'rmse') return { std, fraction: 1 };
  let mean = 0;
  for (const value of perRow) mean += value;
  mean /= n;
  return { std: std / (2 * Math.sqrt(mean)), fraction: 1 };
}

/** Standard error of the metric on `sampleSize` rows under a {@link SamplingErrorModel}. */
export function samplingStandardError(model: SamplingErrorModel, sampleSize: number): number {
  return model.std / Math.sqrt(sampleSize * model.fraction);
}

/**
 * Standard error of any metric on `sampleSize` rows, estimated from how the metric varies
 * over consecutive reference chunks of `chunkSize` rows (an incomplete last chunk is left
 * out): population std of the chunk values times sqrt(chunkSize / sampleSize). NaN chunk
 * values are skipped; fewer than two usable chunks give NaN.
 */
export function chunkedStandardError(
  referenceSize: number,
  chunkSize: number,
  metricOfChunk: (start: number, end: number) => number,
  sampleSize: number,
): number {
  if (!(chunkSize >= 1) || !Number.isInteger(chunkSize))
    throw new RangeError('chunkSize must be a positive integer.');
  const chunks = Math.floor(referenceSize / chunkSize);
  const values: number[] = [];
  for (let c = 0; c < chunks; c++) {
    const value = metricOfChunk(c * chunkSize, (c + 1) * chunkSize);
    if (!Number.isNaN(value)) values.push(value);
  }
  if (values.length < 2) return Number.NaN;
  return twoPassStd(values) * Math.sqrt(chunkSize / sampleSize);
}

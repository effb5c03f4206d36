import { rocAucSorted, walkThresholds } from '../math/roc-auc.js';
import {
  assertSameLength,
  defaultPositiveLabel,
  type Label,
  labelPositions,
  sortedLabelUnion,
} from './labels.js';

/** Row-major `n × k` class scores (probabilities); column `j` scores `labels[j]`. */
export interface ScoreMatrix {
  labels: readonly Label[];
  values: ArrayLike<number>;
}

/** Options of the binary ranking metrics. */
export interface BinaryRankingOptions {
  /** Class whose score is given; default `1` for labels in {-1, 0, 1}, else the greatest label. */
  posLabel?: Label;
}

/** Options of the one-vs-rest multiclass ranking metrics. */
export interface OneVsRestOptions {
  /** `macro` (default): plain mean over classes; `weighted`: weighted by class prevalence. */
  average?: 'macro' | 'weighted';
}

/**
 * Area under the ROC curve, as scikit-learn's binary `roc_auc_score`: tied scores form one
 * step of the curve, integrated with the trapezoid rule (so a tie between a positive and a
 * negative counts one half). NaN when only one class is present.
 */
export function rocAucScore(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryRankingOptions = {},
): number {
  assertSameLength(yTrue, scores, 'rocAucScore');
  const present = sortedLabelUnion(yTrue);
  if (present.length !== 2) return Number.NaN;
  const posLabel = options.posLabel ?? defaultPositiveLabel(present)!;
  const split = splitScores(yTrue, scores, posLabel);
  return aucOfSplit(split);
}

/**
 * Average precision, as scikit-learn's `average_precision_score`: the step-wise sum of
 * precision at each distinct score threshold times the recall gained there, without
 * interpolation. 0 when there are no positives (scikit-learn then sets recall to 1).
 */
export function averagePrecisionScore(
  yTrue: ArrayLike<Label>,
  scores: ArrayLike<number>,
  options: BinaryRankingOptions = {},
): number {
  assertSameLength(yTrue, scores, 'averagePrecisionScore');
  const posLabel = options.posLabel ?? defaultPositiveLabel(sortedLabelUnion(yTrue)) ?? 1;
  return averagePrecisionOfSplit(splitScores(yTrue, scores, posLabel));
}

/**
 * One-vs-rest ROC AUC of a multiclass problem, as `roc_auc_score(multi_class='ovr')`.
 * A class absent from `yTrue` has no AUC: it makes the macro mean NaN (as scikit-learn) and
 * gets zero weight in the weighted mean. Every label of `yTrue` must be a matrix column.
 */
export function rocAucOneVsRest(
  yTrue: ArrayLike<Label>,
  matrix: ScoreMatrix,
  options: OneVsRestOptions = {},
): number {
  return oneVsRest(yTrue, matrix, options, aucOfSplit);
}

/**
 * One-vs-rest average precision of a multiclass problem, as `average_precision_score` on
 * binarized labels. A class absent from `yTrue` counts as NaN, like {@link rocAucOneVsRest}.
 */
export function averagePrecisionOneVsRest(
  yTrue: ArrayLike<Label>,
  matrix: ScoreMatrix,
  options: OneVsRestOptions = {},
): number {
  return oneVsRest(yTrue, matrix, options, averagePrecisionOfSplit);
}

/** Scores of positives and negatives, each sorted ascending. */
interface SplitScores {
  positives: Float64Array;
  negatives: Float64Array;
}

function splitScores(yTrue: ArrayLike<Label>, scores: ArrayLike<number>, posLabel: Label): SplitScores {
  let positiveCount = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === posLabel) positiveCount++;
  const positives = new Float64Array(positiveCount);
  const negatives = new Float64Array(yTrue.length - positiveCount);
  let p = 0;
  let n = 0;
  for (let i = 0; i < yTrue.length; i++) {
    const score = scores[i]!;
    if (Number.isNaN(score)) throw new RangeError('Scores contain NaN.');
    if (yTrue[i] === posLabel) positives[p++] = score;
    else negatives[n++] = score;
  }
  return { positives: positives.sort(), negatives: negatives.sort() };
}

function aucOfSplit(split: SplitScores): number {
  return rocAucSorted(split.positives, split.negatives);
}

function averagePrecisionOfSplit(split: SplitScores): number {
  const positiveCount = split.positives.length;
  if (positiveCount === 0) return 0;
  let sum = 0;
  walkThresholds(
    split.positives,
    split.negatives,
    (positivesHere, negativesHere, positivesAbove, negativesAbove) => {
      if (positivesHere === 0) return;
      const truePositives = positivesAbove + positivesHere;
      sum +=
        (positivesHere / positiveCount) * (truePositives / (truePositives + negativesAbove + negativesHere));
    },
  );
  return sum;
}

function oneVsRest(
  yTrue: ArrayLike<Label>,
  matrix: ScoreMatrix,
  options: OneVsRestOptions,
  metric: (split: SplitScores) => number,
): number {
  const k = matrix.labels.length;
  const n = yTrue.length;
  if (matrix.values.length !== n * k) {
    throw new RangeError(`Score matrix has ${matrix.values.length} values, expected ${n} × ${k}.`);
  }
  const positions = labelPositions(matrix.labels);
  const classOf = new Int32Array(n);
  const support = new Float64Array(k);
  for (let i = 0; i < n; i++) {
    const position = positions.get(yTrue[i]!);
    if (position === undefined)
      throw new RangeError(`yTrue has label ${String(yTrue[i])} with no score column.`);
    classOf[i] = position;
    support[position]! += 1;
  }
  const weighted = options.average === 'weighted';
  let sum = 0;
  let weightSum = 0;
  for (let c = 0; c < k; c++) {
    if (weighted && support[c] === 0) continue;
    const positives = new Float64Array(support[c]!);
    const negatives = new Float64Array(n - support[c]!);
    let p = 0;
    let q = 0;
    for (let i = 0; i < n; i++) {
      const score = matrix.values[i * k + c]!;
      if (Number.isNaN(score)) throw new RangeError('Scores contain NaN.');
      if (classOf[i] === c) positives[p++] = score;
      else negatives[q++] = score;
    }
    const value =
      support[c] === 0 ? Number.NaN : metric({ positives: positives.sort(), negatives: negatives.sort() });
    const weight = weighted ? support[c]! : 1;
    sum += value * weight;
    weightSum += weight;
  }
  // scikit-learn returns 0 for a weighted mean with no weight at all.
  if (weightSum === 0) return weighted ? 0 : Number.NaN;
  return sum / weightSum;
}

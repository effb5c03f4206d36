import { type ClassCounts, type ConfusionMatrix, classCounts, totalCount } from './confusion-matrix.js';
import type { Label } from './labels.js';

/**
 * How per-class scores combine, as scikit-learn's `average`:
 * - `binary`: the score of `posLabel` only; needs at most two classes present.
 * - `micro`: counts pooled over the classes before dividing.
 * - `macro`: unweighted mean of the per-class scores.
 * - `weighted`: mean weighted by each class's support (true count).
 */
export type Average = 'binary' | 'micro' | 'macro' | 'weighted';

/** Options shared by precision, recall, F-scores and specificity. */
export interface AveragingOptions {
  /** Default `binary`, as scikit-learn. */
  average?: Average;
  /** Positive class for `binary`; default `1`. */
  posLabel?: Label;
  /** Classes to score for non-binary averages; default every class of the matrix. */
  labels?: readonly Label[];
  /**
   * Value of a ratio whose denominator is 0 (e.g. precision of a class never predicted):
   * `0` (default, scikit-learn's `"warn"` without the warning), `1`, or `NaN`. `NaN`
   * scores are left out of macro and weighted means, as in scikit-learn.
   */
  zeroDivision?: number;
}

/** Precision, recall and F-beta under one averaging, as `precision_recall_fscore_support`. */
export interface PrecisionRecallF {
  precision: number;
  recall: number;
  fScore: number;
}

/** Share of correct predictions: trace / total (`accuracy_score`); NaN for an empty matrix. */
export function accuracyScore(matrix: ConfusionMatrix): number {
  const k = matrix.labels.length;
  let correct = 0;
  for (let i = 0; i < k; i++) correct += matrix.counts[i * k + i]!;
  const total = totalCount(matrix);
  return total === 0 ? Number.NaN : correct / total;
}

/**
 * Mean per-class recall over the classes present in the true labels (`balanced_accuracy_score`;
 * classes only predicted are skipped). `adjusted` rescales so chance is 0 and perfect is 1.
 */
export function balancedAccuracyScore(matrix: ConfusionMatrix, options: { adjusted?: boolean } = {}): number {
  const k = matrix.labels.length;
  let sum = 0;
  let classes = 0;
  for (let i = 0; i < k; i++) {
    let support = 0;
    for (let j = 0; j < k; j++) support += matrix.counts[i * k + j]!;
    if (support > 0) {
      sum += matrix.counts[i * k + i]! / support;
      classes++;
    }
  }
  if (classes === 0) return Number.NaN;
  const score = sum / classes;
  if (!options.adjusted) return score;
  const chance = 1 / classes;
  return (score - chance) / (1 - chance);
}

/** Precision, recall and F-beta together (one pass over the matrix). */
export function precisionRecallFscore(
  matrix: ConfusionMatrix,
  options: AveragingOptions & { beta?: number } = {},
): PrecisionRecallF {
  const beta2 = (options.beta ?? 1) ** 2;
  const zeroDivision = options.zeroDivision ?? 0;
  const perClass = selectedClassCounts(matrix, options);
  const precision = perClass.map((c) =>
    ratio(c.truePositives, c.truePositives + c.falsePositives, zeroDivision),
  );
  const recall = perClass.map((c) => ratio(c.truePositives, c.support, zeroDivision));
  // Written on counts, so an F-score is defined whenever any of tp, fp, fn is non-zero.
  const fScore = perClass.map((c) =>
    ratio(
      (1 + beta2) * c.truePositives,
      beta2 * c.support + c.truePositives + c.falsePositives,
      zeroDivision,
    ),
  );
  const weights = options.average === 'weighted' ? perClass.map((c) => c.support) : undefined;
  return {
    precision: nanAverage(precision, weights),
    recall: nanAverage(recall, weights),
    fScore: nanAverage(fScore, weights),
  };
}

/** tp / (tp + fp), as `precision_score`. */
export function precisionScore(matrix: ConfusionMatrix, options: AveragingOptions = {}): number {
  return precisionRecallFscore(matrix, options).precision;
}

/** tp / (tp + fn) (sensitivity, true positive rate), as `recall_score`. */
export function recallScore(matrix: ConfusionMatrix, options: AveragingOptions = {}): number {
  return precisionRecallFscore(matrix, options).recall;
}

/** Harmonic mean of precision and recall, as `f1_score`. */
export function f1Score(matrix: ConfusionMatrix, options: AveragingOptions = {}): number {
  return precisionRecallFscore(matrix, options).fScore;
}

/** F-beta: recall weighted `beta` times as much as precision, as `fbeta_score`. */
export function fbetaScore(matrix: ConfusionMatrix, beta: number, options: AveragingOptions = {}): number {
  if (!(beta >= 0)) throw new RangeError('beta must be non-negative.');
  return precisionRecallFscore(matrix, { ...options, beta }).fScore;
}

/**
 * tn / (tn + fp) (true negative rate). No scikit-learn function exists; the averaging follows
 * the other scores (as imbalanced-learn's `specificity_score`): `weighted` weights each class
 * by its support, `micro` pools tn and fp.
 */
export function specificityScore(matrix: ConfusionMatrix, options: AveragingOptions = {}): number {
  const zeroDivision = options.zeroDivision ?? 0;
  const perClass = selectedClassCounts(matrix, options);
  const scores = perClass.map((c) =>
    ratio(c.trueNegatives, c.trueNegatives + c.falsePositives, zeroDivision),
  );
  return nanAverage(scores, options.average === 'weighted' ? perClass.map((c) => c.support) : undefined);
}

/** One-vs-rest counts of the classes the averaging scores; `micro` returns them pooled. */
function selectedClassCounts(matrix: ConfusionMatrix, options: AveragingOptions): ClassCounts[] {
  const average = options.average ?? 'binary';
  const total = totalCount(matrix);
  const indexOf = (label: Label) => matrix.labels.indexOf(label);
  let selected: number[];
  if (average === 'binary') {
    const posLabel = options.posLabel ?? 1;
    const present = presentLabels(matrix);
    if (present.length > 2) {
      throw new RangeError(
        `average 'binary' needs at most two classes, found ${present.length}; choose another average.`,
      );
    }
    if (present.length === 2 && !present.includes(posLabel)) {
      throw new RangeError(`posLabel ${String(posLabel)} is not one of the labels ${present.join(', ')}.`);
    }
    selected = [indexOf(posLabel)];
  } else {
    selected = (options.labels ?? matrix.labels).map(indexOf);
  }
  const perClass = selected.map((index) => classCounts(matrix, index, total));
  if (average !== 'micro') return perClass;
  const pooled: ClassCounts = {
    truePositives: 0,
    falsePositives: 0,
    falseNegatives: 0,
    trueNegatives: 0,
    support: 0,
  };
  for (const c of perClass) {
    pooled.truePositives += c.truePositives;
    pooled.falsePositives += c.falsePositives;
    pooled.falseNegatives += c.falseNegatives;
    pooled.trueNegatives += c.trueNegatives;
    pooled.support += c.support;
  }
  return [pooled];
}

/** Labels that occur as a true or a predicted class. */
function presentLabels(matrix: ConfusionMatrix): Label[] {
  const k = matrix.labels.length;
  const present: Label[] = [];
  for (let i = 0; i < k; i++) {
    let seen = 0;
    for (let j = 0; j < k; j++) seen += matrix.counts[i * k + j]! + matrix.counts[j * k + i]!;
    if (seen > 0) present.push(matrix.labels[i]!);
  }
  return present;
}

function ratio(numerator: number, denominator: number, zeroDivision: number): number {
  return denominator === 0 ? zeroDivision : numerator / denominator;
}

/**
 * Mean ignoring NaN scores; with weights that sum to zero it falls back to the plain mean,
 * as scikit-learn's `_nanaverage`.
 */
function nanAverage(values: number[], weights?: number[]): number {
  let sum = 0;
  let count = 0;
  let weightedSum = 0;
  let weightSum = 0;
  values.forEach((value, i) => {
    if (Number.isNaN(value)) return;
    sum += value;
    count++;
    const weight = weights?.[i] ?? 1;
    weightedSum += value * weight;
    weightSum += weight;
  });
  if (count === 0) return Number.NaN;
  if (weights && weightSum > 0) return weightedSum / weightSum;
  return sum / count;
}

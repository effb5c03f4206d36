import { assertSameLength, type Label, labelPositions, sortedLabelUnion } from './labels.js';

/**
 * Counts of (true class, predicted class) pairs. The server builds these in SQL, so every
 * confusion-based metric takes this shape rather than raw labels.
 */
export interface ConfusionMatrix {
  /** Class labels; row and column `i` both refer to `labels[i]`. */
  labels: readonly Label[];
  /** Row-major `k × k` counts: row = true class, column = predicted class. */
  counts: Float64Array;
}

/** Per-class one-vs-rest counts derived from a confusion matrix. */
export interface ClassCounts {
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
  /** Samples whose true class is this one (tp + fn). */
  support: number;
}

/**
 * Confusion matrix of true against predicted labels, as scikit-learn's `confusion_matrix`.
 * `labels` fixes the order (classes missing from the data get zero rows); by default the
 * sorted union of both arrays. Pairs with a label outside `labels` are not counted.
 */
export function confusionMatrix(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  options: { labels?: readonly Label[] } = {},
): ConfusionMatrix {
  assertSameLength(yTrue, yPred, 'confusionMatrix');
  const labels = options.labels ?? sortedLabelUnion(yTrue, yPred);
  const positions = labelPositions(labels);
  const k = labels.length;
  const counts = new Float64Array(k * k);
  for (let i = 0; i < yTrue.length; i++) {
    const row = positions.get(yTrue[i]!);
    const column = positions.get(yPred[i]!);
    if (row !== undefined && column !== undefined) counts[row * k + column]! += 1;
  }
  return { labels: [...labels], counts };
}

/** Wraps pre-aggregated counts (e.g. from SQL), checking the shape. */
export function confusionMatrixFromCounts(
  labels: readonly Label[],
  counts: ArrayLike<number>,
): ConfusionMatrix {
  labelPositions(labels);
  if (counts.length !== labels.length * labels.length) {
    throw new RangeError(
      `Expected ${labels.length ** 2} counts for ${labels.length} labels, got ${counts.length}.`,
    );
  }
  const copy = Float64Array.from(counts);
  for (const value of copy) {
    if (!(value >= 0) || !Number.isFinite(value))
      throw new RangeError('Counts must be finite and non-negative.');
  }
  return { labels: [...labels], counts: copy };
}

/** Sum of every cell. */
export function totalCount(matrix: ConfusionMatrix): number {
  let total = 0;
  for (const value of matrix.counts) total += value;
  return total;
}

/**
 * One-vs-rest counts for the class at `index`; an index of -1 (a label absent from the
 * matrix) gives all-zero positives, so metrics fall back to their zero-division value.
 */
export function classCounts(matrix: ConfusionMatrix, index: number, total = totalCount(matrix)): ClassCounts {
  const k = matrix.labels.length;
  if (index < 0) {
    return { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: total, support: 0 };
  }
  let rowSum = 0;
  let columnSum = 0;
  for (let j = 0; j < k; j++) {
    rowSum += matrix.counts[index * k + j]!;
    columnSum += matrix.counts[j * k + index]!;
  }
  const truePositives = matrix.counts[index * k + index]!;
  const falsePositives = columnSum - truePositives;
  const falseNegatives = rowSum - truePositives;
  return {
    truePositives,
    falsePositives,
    falseNegatives,
    trueNegatives: total - truePositives - falsePositives - falseNegatives,
    support: rowSum,
  };
}

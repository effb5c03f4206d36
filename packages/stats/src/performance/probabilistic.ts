import {
  assertSameLength,
  defaultPositiveLabel,
  type Label,
  labelPositions,
  sortedLabelUnion,
} from './labels.js';
import type { ScoreMatrix } from './ranking.js';

/** Options of metrics on predicted probabilities. */
export interface ProbabilityOptions {
  /** For a 1-D input, the class its probability refers to; default as the ranking metrics. */
  posLabel?: Label;
}

/** Machine epsilon of float64, scikit-learn's clipping margin for `log_loss`. */
const FLOAT64_EPSILON = 2 ** -52;

/**
 * Mean cross-entropy, as scikit-learn's `log_loss` (1.9): probabilities outside [0, 1]
 * throw; each probability is clipped to [eps, 1 - eps] with eps = 2^-52 so a confident
 * mistake costs about 36 rather than infinity; rows are not renormalised. Accepts the
 * positive-class probability (binary) or a score matrix whose columns cover every true label.
 */
export function logLoss(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number> | ScoreMatrix,
  options: ProbabilityOptions = {},
): number {
  return meanOverRows(
    yTrue,
    probabilities,
    options,
    (p) => -Math.log(clip(p, FLOAT64_EPSILON, 1 - FLOAT64_EPSILON)),
  );
}

/**
 * Brier score, as scikit-learn's `brier_score_loss`: binary (1-D input) is mean((p - y)^2);
 * a score matrix gives the mean over rows of the squared distance to the one-hot truth,
 * halved for two columns so it matches the binary form.
 */
export function brierScore(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number> | ScoreMatrix,
  options: ProbabilityOptions = {},
): number {
  if (isScoreMatrix(probabilities)) {
    const k = probabilities.labels.length;
    const { classOf, n } = encodeRows(yTrue, probabilities);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) {
        const p = checkedProbability(probabilities.values[i * k + j]!);
        const target = classOf[i] === j ? 1 : 0;
        sum += (target - p) ** 2;
      }
    }
    return (k < 3 ? 0.5 : 1) * (sum / n);
  }
  // Squared error of the true-class probability equals that of the positive-class one.
  return meanOverRows(yTrue, probabilities, options, (p) => (1 - p) ** 2);
}

/** Reliability diagram data on equal-width bins of [0, 1]. */
export interface ReliabilityBins {
  /** Bin edges, `bins + 1` values from 0 to 1. */
  edges: Float64Array;
  counts: Float64Array;
  /** Mean predicted confidence per bin (NaN for an empty bin). */
  meanConfidence: Float64Array;
  /** Observed frequency of the event per bin (NaN for an empty bin). */
  observedFrequency: Float64Array;
}

/**
 * Groups predictions into `bins` equal-width confidence bins: a value `c` falls in bin
 * `min(floor(c · bins), bins - 1)`, so bin `b` is [b/bins, (b+1)/bins) and the last one is
 * closed. For a 1-D input the confidence is the positive-class probability and the event is
 * "true class is positive"; for a score matrix it is the top-label confidence (largest
 * probability, first column on ties) and the event is "top label is the true class".
 */
export function reliabilityBins(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number> | ScoreMatrix,
  options: ProbabilityOptions & { bins?: number } = {},
): ReliabilityBins {
  const bins = options.bins ?? 10;
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError('bins must be a positive integer.');
  const counts = new Float64Array(bins);
  const confidenceSum = new Float64Array(bins);
  const eventSum = new Float64Array(bins);
  const add = (confidence: number, event: boolean) => {
    const bin = Math.min(Math.floor(checkedProbability(confidence) * bins), bins - 1);
    counts[bin]! += 1;
    confidenceSum[bin]! += confidence;
    if (event) eventSum[bin]! += 1;
  };
  if (isScoreMatrix(probabilities)) {
    const k = probabilities.labels.length;
    const { classOf, n } = encodeRows(yTrue, probabilities);
    for (let i = 0; i < n; i++) {
      let best = 0;
      for (let j = 1; j < k; j++) {
        if (probabilities.values[i * k + j]! > probabilities.values[i * k + best]!) best = j;
      }
      add(probabilities.values[i * k + best]!, classOf[i] === best);
    }
  } else {
    assertSameLength(yTrue, probabilities, 'reliabilityBins');
    const posLabel = options.posLabel ?? defaultPositiveLabel(sortedLabelUnion(yTrue)) ?? 1;
    for (let i = 0; i < yTrue.length; i++) add(probabilities[i]!, yTrue[i] === posLabel);
  }
  const edges = new Float64Array(bins + 1);
  for (let b = 0; b <= bins; b++) edges[b] = b / bins;
  return {
    edges,
    counts,
    meanConfidence: confidenceSum.map((sum, b) => sum / counts[b]!),
    observedFrequency: eventSum.map((sum, b) => sum / counts[b]!),
  };
}

/**
 * Expected calibration error: Σ_b (n_b / n) · |observed frequency_b − mean confidence_b| over
 * the bins of {@link reliabilityBins} (default 10). 0 is perfect calibration; NaN when empty.
 */
export function expectedCalibrationErrorEqualWidth(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number> | ScoreMatrix,
  options: ProbabilityOptions & { bins?: number } = {},
): number {
  const { counts, meanConfidence, observedFrequency } = reliabilityBins(yTrue, probabilities, options);
  let total = 0;
  let weightedGap = 0;
  counts.forEach((count, b) => {
    if (count === 0) return;
    total += count;
    weightedGap += count * Math.abs(observedFrequency[b]! - meanConfidence[b]!);
  });
  return total === 0 ? Number.NaN : weightedGap / total;
}

/** Mean of `loss(probability given to the true class)` over rows. */
function meanOverRows(
  yTrue: ArrayLike<Label>,
  probabilities: ArrayLike<number> | ScoreMatrix,
  options: ProbabilityOptions,
  loss: (trueClassProbability: number) => number,
): number {
  let sum = 0;
  if (isScoreMatrix(probabilities)) {
    const k = probabilities.labels.length;
    const { classOf, n } = encodeRows(yTrue, probabilities);
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < k; j++) checkedProbability(probabilities.values[i * k + j]!);
      sum += loss(probabilities.values[i * k + classOf[i]!]!);
    }
    return n === 0 ? Number.NaN : sum / n;
  }
  assertSameLength(yTrue, probabilities, 'probability metric');
  const posLabel = options.posLabel ?? defaultPositiveLabel(sortedLabelUnion(yTrue)) ?? 1;
  for (let i = 0; i < yTrue.length; i++) {
    const p = checkedProbability(probabilities[i]!);
    sum += loss(yTrue[i] === posLabel ? p : 1 - p);
  }
  return yTrue.length === 0 ? Number.NaN : sum / yTrue.length;
}

function encodeRows(yTrue: ArrayLike<Label>, matrix: ScoreMatrix): { classOf: Int32Array; n: number } {
  const n = yTrue.length;
  const k = matrix.labels.length;
  if (matrix.values.length !== n * k) {
    throw new RangeError(`Probability matrix has ${matrix.values.length} values, expected ${n} × ${k}.`);
  }
  const positions = labelPositions(matrix.labels);
  const classOf = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const position = positions.get(yTrue[i]!);
    if (position === undefined) throw new RangeError(`yTrue has label ${String(yTrue[i])} with no column.`);
    classOf[i] = position;
  }
  return { classOf, n };
}

function isScoreMatrix(value: ArrayLike<number> | ScoreMatrix): value is ScoreMatrix {
  return 'labels' in value && 'values' in value;
}

function checkedProbability(p: number): number {
  if (!(p >= 0 && p <= 1)) throw new RangeError(`Probabilities must lie in [0, 1], got ${p}.`);
  return p;
}

function clip(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(value, high));
}

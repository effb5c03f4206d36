/**
 * DeLong's test of two correlated ROC AUCs: two models scoring the same rows against the same labels.
 *
 * - Inputs: binary labels (the positive class as in `rocAucScore`: `1` for labels in {-1, 0, 1}, else
 *   the greatest label, or `posLabel`) and the two models' scores on the same rows.
 * - Output: both AUCs (equal to scikit-learn's `roc_auc_score`, ties counting one half), their
 *   difference A − B, the difference's variance and standard error, z, the two-sided p-value and the
 *   normal confidence interval of the difference.
 * - Method: DeLong, DeLong & Clarke-Pearson (1988) structural components, computed in O(n log n) from
 *   mid-ranks as Sun & Xu (2014). Each positive's component is the share of negatives it outranks, each
 *   negative's the share of positives that outrank it (ties one half); the AUCs' covariance is
 *   S_pos / m + S_neg / n with S the sample covariances (n − 1) of the components over m positives and
 *   n negatives. This is the variance R's pROC (`roc.test(method = "delong")`) uses.
 * - Checked against scikit-learn's AUC and a brute-force O(m·n) computation of the components in numpy.
 * - Undefined (NaN variance, z and p-value) with fewer than two positives or two negatives. When the
 *   difference has zero variance (identical rankings, or both models separate the classes perfectly)
 *   an equal pair gets z = 0 and p = 1, an unequal one z = ±Infinity and p = 0, as the formula's limit.
 */

import { rankAverage } from '../math/descriptive.js';
import { normalQuantile, normalSf } from '../math/normal.js';
import {
  assertSameLength,
  defaultPositiveLabel,
  type Label,
  sortedLabelUnion,
} from '../performance/labels.js';

/** Options of {@link delongTest}. */
export interface DeLongOptions {
  /** Positive class; default as `rocAucScore`. */
  posLabel?: Label;
  /** Two-sided coverage of the interval of the difference; default 0.95. */
  confidence?: number;
}

/** Result of {@link delongTest}. */
export interface DeLongResult {
  /** ROC AUC of model A. */
  aucA: number;
  /** ROC AUC of model B. */
  aucB: number;
  /** aucA − aucB. */
  difference: number;
  /** Variance of the difference (DeLong). */
  variance: number;
  standardError: number;
  /** difference / standardError. */
  z: number;
  /** Two-sided p-value of equal AUCs. */
  pValue: number;
  /** Normal interval of the difference. */
  lower: number;
  upper: number;
  confidence: number;
  positives: number;
  negatives: number;
}

function checkScores(scores: ArrayLike<number>, model: string): void {
  for (let i = 0; i < scores.length; i++) {
    if (!Number.isFinite(scores[i]!)) {
      throw new RangeError(`Row ${i}: score of model ${model} must be a finite number, got ${scores[i]}.`);
    }
  }
}

/** Structural components and AUC of one model's scores, split into positives and negatives. */
function components(
  positives: Float64Array,
  negatives: Float64Array,
): { auc: number; positive: Float64Array; negative: Float64Array } {
  const m = positives.length;
  const n = negatives.length;
  const combined = new Float64Array(m + n);
  combined.set(positives);
  combined.set(negatives, m);
  const rankAll = rankAverage(combined);
  const rankPositives = rankAverage(positives);
  const rankNegatives = rankAverage(negatives);
  const positive = new Float64Array(m);
  const negative = new Float64Array(n);
  let rankSum = 0;
  for (let i = 0; i < m; i++) {
    rankSum += rankAll[i]!;
    // Negatives below positive i (ties one half) = its rank among all minus its rank among positives.
    positive[i] = (rankAll[i]! - rankPositives[i]!) / n;
  }
  for (let j = 0; j < n; j++) negative[j] = 1 - (rankAll[m + j]! - rankNegatives[j]!) / m;
  return { auc: (rankSum - (m * (m + 1)) / 2) / (m * n), positive, negative };
}

/** Sample covariance matrix entries (n − 1) of two equally long series: [var x, cov, var y]. */
function covariance(x: Float64Array, y: Float64Array): [number, number, number] {
  const n = x.length;
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += x[i]!;
    my += y[i]!;
  }
  mx /= n;
  my /= n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i]! - mx;
    const dy = y[i]! - my;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  return [sxx / (n - 1), sxy / (n - 1), syy / (n - 1)];
}

/** DeLong's test that two models scored on the same rows have equal ROC AUC (see the module header). */
export function delongTest(
  yTrue: ArrayLike<Label>,
  scoresA: ArrayLike<number>,
  scoresB: ArrayLike<number>,
  options: DeLongOptions = {},
): DeLongResult {
  assertSameLength(yTrue, scoresA, 'delongTest (labels vs scores of A)');
  assertSameLength(yTrue, scoresB, 'delongTest (labels vs scores of B)');
  checkScores(scoresA, 'A');
  checkScores(scoresB, 'B');
  const confidence = options.confidence ?? 0.95;
  if (!(confidence > 0 && confidence < 1))
    throw new RangeError(`confidence must lie in (0, 1), got ${confidence}.`);
  const present = sortedLabelUnion(yTrue);
  if (present.length > 2) {
    throw new RangeError(`delongTest needs binary labels, got ${present.length} classes.`);
  }
  const posLabel = options.posLabel ?? defaultPositiveLabel(present) ?? 1;
  let m = 0;
  for (let i = 0; i < yTrue.length; i++) if (yTrue[i] === posLabel) m++;
  const n = yTrue.length - m;
  const split = (scores: ArrayLike<number>): [Float64Array, Float64Array] => {
    const positives = new Float64Array(m);
    const negatives = new Float64Array(n);
    let p = 0;
    let q = 0;
    for (let i = 0; i < yTrue.length; i++) {
      if (yTrue[i] === posLabel) positives[p++] = scores[i]!;
      else negatives[q++] = scores[i]!;
    }
    return [positives, negatives];
  };
  const z95 = normalQuantile(1 - (1 - confidence) / 2);
  const base = { confidence, positives: m, negatives: n };
  if (m === 0 || n === 0) {
    const nan = Number.NaN;
    return {
      ...base,
      aucA: nan,
      aucB: nan,
      difference: nan,
      variance: nan,
      standardError: nan,
      z: nan,
      pValue: nan,
      lower: nan,
      upper: nan,
    };
  }
  const a = components(...split(scoresA));
  const b = components(...split(scoresB));
  const difference = a.auc - b.auc;
  let variance = Number.NaN;
  if (m >= 2 && n >= 2) {
    const [pa, pab, pb] = covariance(a.positive, b.positive);
    const [na, nab, nb] = covariance(a.negative, b.negative);
    variance = Math.max(0, (pa + pb - 2 * pab) / m + (na + nb - 2 * nab) / n);
  }
  const standardError = Math.sqrt(variance);
  const z = difference === 0 && standardError === 0 ? 0 : difference / standardError;
  return {
    ...base,
    aucA: a.auc,
    aucB: b.auc,
    difference,
    variance,
    standardError,
    z,
    pValue: Math.min(1, 2 * normalSf(Math.abs(z))),
    lower: difference - z95 * standardError,
    upper: difference + z95 * standardError,
  };
}

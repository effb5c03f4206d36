/**
 * ROC AUC as the share of (positive, negative) pairs that the scores put in the right order, ties
 * counting one half (scikit-learn's `roc_auc_score`, the Mann–Whitney U over the number of pairs).
 * The count is a sum of half-integers, exact below 2^53, so every way of counting it gives the same
 * double.
 */

/**
 * Walks the distinct scores of two ascending, NaN-free score lists from the highest down, calling
 * `step` with the positives and negatives at that score and the counts of each above it.
 */
export function walkThresholds(
  positives: ArrayLike<number>,
  negatives: ArrayLike<number>,
  step: (
    positivesHere: number,
    negativesHere: number,
    positivesAbove: number,
    negativesAbove: number,
  ) => void,
): void {
  let p = positives.length - 1;
  let n = negatives.length - 1;
  let positivesAbove = 0;
  let negativesAbove = 0;
  while (p >= 0 || n >= 0) {
    const threshold = Math.max(p >= 0 ? positives[p]! : -Infinity, n >= 0 ? negatives[n]! : -Infinity);
    let positivesHere = 0;
    let negativesHere = 0;
    while (p >= 0 && positives[p] === threshold) {
      positivesHere++;
      p--;
    }
    while (n >= 0 && negatives[n] === threshold) {
      negativesHere++;
      n--;
    }
    step(positivesHere, negativesHere, positivesAbove, negativesAbove);
    positivesAbove += positivesHere;
    negativesAbove += negativesHere;
  }
}

/**
 * Number of (positive, negative) pairs with the positive scored higher, ties counting one half,
 * from the two score lists each sorted ascending and free of NaN.
 */
export function concordantPairs(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  let concordant = 0;
  walkThresholds(positives, negatives, (positivesHere, negativesHere, positivesAbove) => {
    // The negatives at a score sit below every positive above it and tie with the positives at it.
    concordant += negativesHere * (positivesAbove + positivesHere / 2);
  });
  return concordant;
}

/** ROC AUC from the scores of positives and of negatives, each sorted ascending and free of NaN; NaN when either is empty. */
export function rocAucSorted(positives: ArrayLike<number>, negatives: ArrayLike<number>): number {
  const pairs = positives.length * negatives.length;
  if (pairs === 0) return Number.NaN;
  return concordantPairs(positives, negatives) / pairs;
}

/**
 * ROC AUC of scores against binary labels (1 = positive, anything else negative); NaN when only one
 * class is present. NaN scores rank above every number and among themselves in row order.
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = scores.length;
  let positiveCount = 0;
  for (let i = 0; i < n; i++) if (labels[i] === 1) positiveCount++;
  const negativeCount = n - positiveCount;
  if (positiveCount === 0 || negativeCount === 0) return Number.NaN;
  const positives = new Float64Array(positiveCount);
  const negatives = new Float64Array(negativeCount);
  let p = 0;
  let q = 0;
  for (let i = 0; i < n; i++) {
    if (labels[i] === 1) positives[p++] = scores[i]!;
    else negatives[q++] = scores[i]!;
  }
  // A typed-array sort puts NaN last.
  positives.sort();
  negatives.sort();
  let positiveNumbers = positiveCount;
  while (positiveNumbers > 0 && Number.isNaN(positives[positiveNumbers - 1]!)) positiveNumbers--;
  let negativeNumbers = negativeCount;
  while (negativeNumbers > 0 && Number.isNaN(negatives[negativeNumbers - 1]!)) negativeNumbers--;
  let concordant = concordantPairs(
    positives.subarray(0, positiveNumbers),
    negatives.subarray(0, negativeNumbers),
  );
  if (positiveNumbers < positiveCount || negativeNumbers < negativeCount) {
    concordant += (positiveCount - positiveNumbers) * negativeNumbers;
    let nanNegativesBefore = 0;
    for (let i = 0; i < n; i++) {
      if (!Number.isNaN(scores[i]!)) continue;
      if (labels[i] === 1) concordant += nanNegativesBefore;
      else nanNegativesBefore++;
    }
  }
  return concordant / (positiveCount * negativeCount);
}

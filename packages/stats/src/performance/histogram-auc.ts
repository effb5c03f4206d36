/** ROC AUC computed from per-class score histograms, with its worst-case error. */
export interface HistogramAuc {
  /** AUC treating every bin as one tied score. */
  auc: number;
  /** The exact AUC of the underlying scores lies within `auc ± maxError`. */
  maxError: number;
}

/**
 * ROC AUC from counts of positives and negatives in shared score bins ordered by ascending
 * score, as the server aggregates them in SQL. Each bin counts as one tied score, so the result
 * equals `rocAucScore` on scores rounded to their bin; pairs within a bin may in truth be
 * ordered either way, which bounds the error by half their share of all pairs. NaN without
 * both classes.
 */
export function rocAucFromHistograms(
  positiveCounts: ArrayLike<number>,
  negativeCounts: ArrayLike<number>,
): HistogramAuc {
  if (positiveCounts.length !== negativeCounts.length) {
    throw new RangeError('Positive and negative histograms need the same bins.');
  }
  let positives = 0;
  let negatives = 0;
  for (let b = 0; b < positiveCounts.length; b++) {
    positives += positiveCounts[b]!;
    negatives += negativeCounts[b]!;
  }
  const pairs = positives * negatives;
  if (pairs === 0) return { auc: Number.NaN, maxError: Number.NaN };
  let negativesBelow = 0;
  let concordant = 0;
  let tiedPairs = 0;
  for (let b = 0; b < positiveCounts.length; b++) {
    const p = positiveCounts[b]!;
    const q = negativeCounts[b]!;
    concordant += p * (negativesBelow + q / 2);
    tiedPairs += p * q;
    negativesBelow += q;
  }
  return { auc: concordant / pairs, maxError: tiedPairs / 2 / pairs };
}

/** Rank-based metrics on labelled scores. */
import { argsortAscending } from './order.js';

/**
 * ROC AUC of scores against binary labels (1 = positive), ties counted as one half
 * (equal to scikit-learn's `roc_auc_score`). NaN when only one class is present. O(n log n).
 */
export function rocAuc(labels: ArrayLike<number>, scores: ArrayLike<number>): number {
  const n = scores.length;
  const order = argsortAscending(scores);
  let positives = 0;
  let positiveRankSum = 0;
  let k = 0;
  while (k < n) {
    // a run of tied scores shares the average of its 1-based ranks
    let end = k + 1;
    while (end < n && scores[order[end]!] === scores[order[k]!]) end++;
    const averageRank = (k + 1 + end) / 2;
    for (let j = k; j < end; j++) {
      if (labels[order[j]!] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    k = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

import { type Label, sortedLabelUnion } from '../performance/index.js';

/** Binary confusion counts of one group of a sensitive attribute (e.g. from SQL). */
export interface GroupConfusionCounts {
  group: Label;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  trueNegatives: number;
}

/**
 * Per-group binary confusion counts. `posLabel` (default 1) marks the favourable outcome in
 * both the truth and the prediction; every other value is the unfavourable one. Groups come
 * out in sorted order.
 */
export function groupConfusionCounts(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  sensitive: ArrayLike<Label>,
  options: { posLabel?: Label } = {},
): GroupConfusionCounts[] {
  if (yTrue.length !== yPred.length || yTrue.length !== sensitive.length) {
    throw new RangeError('yTrue, yPred and sensitive must have the same length.');
  }
  const posLabel = options.posLabel ?? 1;
  const byGroup = new Map<Label, GroupConfusionCounts>();
  for (const group of sortedLabelUnion(sensitive)) {
    byGroup.set(group, { group, truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 });
  }
  for (let i = 0; i < yTrue.length; i++) {
    const counts = byGroup.get(sensitive[i]!)!;
    const actual = yTrue[i] === posLabel;
    const predicted = yPred[i] === posLabel;
    if (actual && predicted) counts.truePositives++;
    else if (predicted) counts.falsePositives++;
    else if (actual) counts.falseNegatives++;
    else counts.trueNegatives++;
  }
  return [...byGroup.values()];
}

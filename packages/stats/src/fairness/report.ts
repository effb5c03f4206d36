import type { Label } from '../performance/index.js';
import { type GroupConfusionCounts, groupConfusionCounts } from './group-counts.js';

/** Rates of one group; a rate with a zero denominator is NaN. */
export interface GroupPerformance extends GroupConfusionCounts {
  count: number;
  /** Share predicted favourable: (tp + fp) / count. */
  selectionRate: number;
  /** tp / (tp + fn); NaN without actual positives. */
  truePositiveRate: number;
  /** fp / (fp + tn); NaN without actual negatives. */
  falsePositiveRate: number;
  /** Precision tp / (tp + fp); NaN without predicted positives. */
  positivePredictiveValue: number;
  accuracy: number;
  /** False when the group is too small to enter the gaps. */
  included: boolean;
  /** Why the group is left out of the gaps, when it is. */
  exclusionReason?: string;
}

/** Spread of one rate across the compared groups. */
export interface GroupGap {
  /** Highest minus lowest rate (fairlearn's `between_groups` difference); NaN with no group. */
  difference: number;
  /** Lowest over highest rate; NaN when the highest is 0. */
  ratio: number;
  lowestGroup?: Label;
  highestGroup?: Label;
  /** Included groups whose rate is defined; others are left out of this gap. */
  groupsCompared: number;
}

/** Fairness of binary decisions across the groups of one sensitive attribute. */
export interface FairnessReport {
  groups: GroupPerformance[];
  /** Selection-rate gap: fairlearn's `demographic_parity_difference` and `_ratio`. */
  demographicParity: GroupGap;
  /** True when the selection-rate ratio (disparate impact) is below the four-fifths threshold. */
  fourFifthsRuleViolated: boolean;
  /** True-positive-rate gap, as fairlearn's `equal_opportunity_difference`. */
  equalOpportunity: GroupGap;
  /** False-positive-rate gap. */
  falsePositiveRateGap: GroupGap;
  /** max(TPR gap, FPR gap), as fairlearn's `equalized_odds_difference` (worst case). */
  equalizedOddsDifference: number;
  /** Positive-predictive-value (precision) gap. */
  predictiveParity: GroupGap;
}

/** Options of {@link fairnessReport}. */
export interface FairnessOptions {
  /** Groups with fewer rows are reported but left out of the gaps; default 30. */
  minGroupSize?: number;
  /** Disparate-impact threshold of the four-fifths rule; default 0.8. */
  fourFifthsThreshold?: number;
}

/**
 * Fairness report from per-group confusion counts. Gaps follow fairlearn's definitions with
 * two deliberate differences: groups below `minGroupSize` are excluded (their noise would
 * dominate), and a rate whose denominator is empty (e.g. TPR of a group without actual
 * positives) is NaN and left out, where fairlearn would count it as 0.
 */
export function fairnessReport(
  counts: readonly GroupConfusionCounts[],
  options: FairnessOptions = {},
): FairnessReport {
  const minGroupSize = options.minGroupSize ?? 30;
  const threshold = options.fourFifthsThreshold ?? 0.8;
  const groups = counts.map((c) => groupPerformance(c, minGroupSize));
  const demographicParity = gap(groups, (g) => g.selectionRate);
  const equalOpportunity = gap(groups, (g) => g.truePositiveRate);
  const falsePositiveRateGap = gap(groups, (g) => g.falsePositiveRate);
  return {
    groups,
    demographicParity,
    fourFifthsRuleViolated: demographicParity.ratio < threshold,
    equalOpportunity,
    falsePositiveRateGap,
    equalizedOddsDifference: Math.max(equalOpportunity.difference, falsePositiveRateGap.difference),
    predictiveParity: gap(groups, (g) => g.positivePredictiveValue),
  };
}

/** {@link fairnessReport} from raw labels, predictions and the sensitive attribute. */
export function fairnessReportFromLabels(
  yTrue: ArrayLike<Label>,
  yPred: ArrayLike<Label>,
  sensitive: ArrayLike<Label>,
  options: FairnessOptions & { posLabel?: Label } = {},
): FairnessReport {
  return fairnessReport(groupConfusionCounts(yTrue, yPred, sensitive, options), options);
}

function groupPerformance(c: GroupConfusionCounts, minGroupSize: number): GroupPerformance {
  const count = c.truePositives + c.falsePositives + c.falseNegatives + c.trueNegatives;
  const included = count >= minGroupSize && count > 0;
  const performance: GroupPerformance = {
    ...c,
    count,
    selectionRate: (c.truePositives + c.falsePositives) / count,
    truePositiveRate: c.truePositives / (c.truePositives + c.falseNegatives),
    falsePositiveRate: c.falsePositives / (c.falsePositives + c.trueNegatives),
    positivePredictiveValue: c.truePositives / (c.truePositives + c.falsePositives),
    accuracy: (c.truePositives + c.trueNegatives) / count,
    included,
  };
  if (!included) {
    performance.exclusionReason = `${count} rows, below the minimum group size of ${minGroupSize}`;
  }
  return performance;
}

function gap(groups: readonly GroupPerformance[], rate: (g: GroupPerformance) => number): GroupGap {
  let lowest: GroupPerformance | undefined;
  let highest: GroupPerformance | undefined;
  let groupsCompared = 0;
  for (const g of groups) {
    const value = rate(g);
    if (!g.included || Number.isNaN(value)) continue;
    groupsCompared++;
    if (!lowest || value < rate(lowest)) lowest = g;
    if (!highest || value > rate(highest)) highest = g;
  }
  if (!lowest || !highest) return { difference: Number.NaN, ratio: Number.NaN, groupsCompared };
  const low = rate(lowest);
  const high = rate(highest);
  return {
    difference: high - low,
    ratio: high === 0 ? Number.NaN : low / high,
    lowestGroup: lowest.group,
    highestGroup: highest.group,
    groupsCompared,
  };
}

/**
 * Binned CBPE for binary classifiers, the part of estimated performance that needs no store:
 * calibration learnt from the reference's score histograms by label, and the expected confusion
 * matrix of a window from its score histograms by prediction (the server's estimated-performance
 * monitor and the offline report).
 *
 * Histograms have 1,000 bins of width 0.001 on [0, 1] (outer bins open), with the sum of the
 * scores in each bin, so every bin stands for its rows' mean score. Isotonic regression of the
 * reference's positive rate per bin, weighted by the bin's rows, maps a mean score to a calibrated
 * probability; a row predicted positive is a true positive with that probability.
 */
import { fitIsotonic, predictIsotonic } from '../estimation/isotonic.js';
import { type BinaryCounts, bernoulli, type MetricValue, precisionRecallF1 } from './performance.js';

export const CBPE_BINS = 1000;
/** Inner edges at k / 1000; values fall in [edges[i], edges[i+1]). */
export const CBPE_EDGES = [
  Number.NEGATIVE_INFINITY,
  ...Array.from({ length: CBPE_BINS - 1 }, (_, i) => (i + 1) / CBPE_BINS),
  Number.POSITIVE_INFINITY,
];

export interface ScoreHistogram {
  counts: number[];
  sums: number[];
}

function meanScores(histogram: ScoreHistogram): number[] {
  return histogram.counts.map((c, b) => (c > 0 ? histogram.sums[b]! / c : (b + 0.5) / CBPE_BINS));
}

/** The calibration map learnt from the reference: all scored rows, and those labelled positive. */
export function calibrationOnBins(
  all: ScoreHistogram,
  positive: ScoreHistogram,
): (scores: number[]) => Float64Array {
  const x: number[] = [];
  const y: number[] = [];
  const w: number[] = [];
  for (let b = 0; b < CBPE_BINS; b++) {
    const n = all.counts[b]!;
    if (n === 0) continue;
    x.push(all.sums[b]! / n);
    y.push(positive.counts[b]! / n);
    w.push(n);
  }
  const model = fitIsotonic(x, y, w);
  return (scores) => predictIsotonic(model, scores);
}

/** Expected confusion counts of a window from its score histograms by prediction. */
export function expectedConfusion(
  calibrated: (scores: number[]) => Float64Array,
  predictedPositive: ScoreHistogram,
  predictedNegative: ScoreHistogram,
): BinaryCounts {
  const p = calibrated(meanScores(predictedPositive));
  const q = calibrated(meanScores(predictedNegative));
  let tp = 0;
  let fp = 0;
  let fn = 0;
  let tn = 0;
  for (let b = 0; b < CBPE_BINS; b++) {
    tp += predictedPositive.counts[b]! * p[b]!;
    fp += predictedPositive.counts[b]! * (1 - p[b]!);
    fn += predictedNegative.counts[b]! * q[b]!;
    tn += predictedNegative.counts[b]! * (1 - q[b]!);
  }
  return { tp, fp, fn, tn };
}

export function metricsFromConfusion(c: BinaryCounts): Record<string, MetricValue> {
  return { accuracy: bernoulli(c.tp + c.tn, c.tp + c.fp + c.fn + c.tn), ...precisionRecallF1(c) };
}

/**
 * CBPE's expected confusion of each side of a comparison, from the pairs' score histograms: a
 * pair predicted positive is a true positive with the calibrated probability of its score bin,
 * one predicted otherwise (or not at all) a false negative with it. Pairs without a score are
 * left out.
 */
import type { PairedScoreBins } from '../storage/comparison.js';

/** Expected confusion counts of one side in one window (`windowStartMicros` null: the period). */
export interface ExpectedConfusion {
  windowStartMicros: number | null;
  side: 'a' | 'b';
  scored: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/**
 * One row per window and side that has scored pairs. `calibrations` give each side's calibrated
 * probability of each of the 1,000 score bins.
 */
export function expectedConfusion(
  scoreBins: readonly PairedScoreBins[],
  positiveClass: string,
  calibrations: { a: readonly number[]; b: readonly number[] },
): ExpectedConfusion[] {
  const rows = new Map<string, ExpectedConfusion>();
  for (const group of scoreBins) {
    const key = `${group.windowStartMicros}/${group.side}`;
    let row = rows.get(key);
    if (!row) {
      row = {
        windowStartMicros: group.windowStartMicros,
        side: group.side,
        scored: 0,
        tp: 0,
        fp: 0,
        fn: 0,
        tn: 0,
      };
      rows.set(key, row);
    }
    const calibration = calibrations[group.side];
    const positive = group.prediction === positiveClass;
    group.bins.forEach((bin, i) => {
      const n = group.counts[i]!;
      const p = calibration[bin]!;
      row.scored += n;
      if (positive) {
        row.tp += n * p;
        row.fp += n * (1 - p);
      } else {
        row.fn += n * p;
        row.tn += n * (1 - p);
      }
    });
  }
  return [...rows.values()];
}

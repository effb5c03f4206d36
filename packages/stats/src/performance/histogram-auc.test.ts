import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import { rocAucFromHistograms } from './histogram-auc.js';
import { rocAucScore } from './ranking.js';

const golden = loadGolden<{
  histogramAuc: { positiveCounts: number[]; negativeCounts: number[]; binnedAuc: number; exactAuc: number };
}>('performance');

describe('rocAucFromHistograms', () => {
  it('equals scikit-learn on bin indices and bounds the exact AUC', () => {
    const { positiveCounts, negativeCounts, binnedAuc, exactAuc } = golden.histogramAuc;
    const { auc, maxError } = rocAucFromHistograms(positiveCounts, negativeCounts);
    expectClose(auc, binnedAuc, 1e-12, 'binned auc');
    expect(Math.abs(auc - exactAuc)).toBeLessThanOrEqual(maxError);
  });

  it('is NaN without both classes', () => {
    expect(rocAucFromHistograms([0, 0], [3, 4]).auc).toBeNaN();
  });

  it('matches rocAucScore on binned scores and bounds the exact value', () => {
    const rows = fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })), {
      minLength: 2,
    });
    fc.assert(
      fc.property(rows, (data) => {
        const y = data.map((d) => (d[0] ? 1 : 0));
        if (!y.includes(0) || !y.includes(1)) return;
        const bins = 5;
        const binOf = (s: number) => Math.min(Math.floor(s * bins), bins - 1);
        const positives = new Float64Array(bins);
        const negatives = new Float64Array(bins);
        data.forEach(([isPositive, s]) => {
          (isPositive ? positives : negatives)[binOf(s)]! += 1;
        });
        const { auc, maxError } = rocAucFromHistograms(positives, negatives);
        const binned = rocAucScore(
          y,
          data.map((d) => binOf(d[1])),
        );
        expect(Math.abs(auc - binned)).toBeLessThan(1e-12);
        const exact = rocAucScore(
          y,
          data.map((d) => d[1]),
        );
        expect(Math.abs(auc - exact)).toBeLessThanOrEqual(maxError + 1e-12);
      }),
      { numRuns: 100 },
    );
  });
});

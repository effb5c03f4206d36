import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import type { Label } from './labels.js';
import { brierScore, expectedCalibrationErrorEqualWidth, logLoss, reliabilityBins } from './probabilistic.js';

interface ProbabilisticCase {
  name: string;
  yTrue: Label[];
  probabilities?: number[];
  labels?: Label[];
  values?: number[];
  logLoss: number;
  brier: number;
  ece10?: number;
  ece15?: number;
}

const golden = loadGolden<{ probabilistic: ProbabilisticCase[] }>('performance');

describe('probability metrics match scikit-learn and the numpy ECE reference', () => {
  for (const c of golden.probabilistic) {
    it(c.name, () => {
      const input = c.probabilities ?? { labels: c.labels!, values: c.values! };
      expectClose(logLoss(c.yTrue, input), c.logLoss, 1e-12, 'log loss');
      expectClose(brierScore(c.yTrue, input), c.brier, 1e-12, 'brier');
      if (c.ece10 !== undefined)
        expectClose(expectedCalibrationErrorEqualWidth(c.yTrue, input), c.ece10, 1e-12, 'ece 10');
      if (c.ece15 !== undefined) {
        expectClose(
          expectedCalibrationErrorEqualWidth(c.yTrue, input, { bins: 15 }),
          c.ece15,
          1e-12,
          'ece 15',
        );
      }
    });
  }
});

describe('probability metrics', () => {
  it('clip a confident mistake to -log(eps)', () => {
    expectClose(logLoss([1], [0]), 52 * Math.LN2, 1e-15, 'log loss of p = 0');
  });

  it('reject probabilities outside [0, 1]', () => {
    expect(() => logLoss([0, 1], [0.2, 1.2])).toThrow(RangeError);
    expect(() => brierScore([0, 1], [-0.1, 0.5])).toThrow(RangeError);
  });

  it('put 1.0 in the last bin and report empty bins as NaN', () => {
    const bins = reliabilityBins([1, 0, 1], [1, 0, 0.95], { bins: 4 });
    expect(Array.from(bins.counts)).toEqual([1, 0, 0, 2]);
    expect(bins.meanConfidence[1]).toBeNaN();
    expect(Array.from(bins.edges)).toEqual([0, 0.25, 0.5, 0.75, 1]);
  });

  it('ECE is 0 for a perfectly calibrated bin and lies in [0, 1]', () => {
    expect(expectedCalibrationErrorEqualWidth([1, 0, 1, 0], [0.5, 0.5, 0.5, 0.5])).toBe(0);
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.boolean(), fc.double({ min: 0, max: 1, noNaN: true })), {
          minLength: 1,
          maxLength: 50,
        }),
        (rows) => {
          const ece = expectedCalibrationErrorEqualWidth(
            rows.map((r) => (r[0] ? 1 : 0)),
            rows.map((r) => r[1]),
          );
          expect(ece >= 0 && ece <= 1).toBe(true);
        },
      ),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import type { Label } from './labels.js';
import { averagePrecisionOneVsRest, averagePrecisionScore, rocAucOneVsRest, rocAucScore } from './ranking.js';

interface BinaryCase {
  name: string;
  yTrue: Label[];
  scores: number[];
  posLabel: Label;
  rocAuc: number | null;
  averagePrecision: number;
}
interface MulticlassCase {
  name: string;
  yTrue: Label[];
  labels: Label[];
  values: number[];
  rocAuc_macro: number | null;
  rocAuc_weighted: number | null;
  averagePrecision_macro?: number;
  averagePrecision_weighted?: number;
}

const golden = loadGolden<{ ranking: BinaryCase[]; multiclassRanking: MulticlassCase[] }>('performance');

describe('binary ranking metrics match scikit-learn', () => {
  for (const c of golden.ranking) {
    it(c.name, () => {
      expectClose(rocAucScore(c.yTrue, c.scores), c.rocAuc, 1e-12, 'roc auc (default positive)');
      expectClose(rocAucScore(c.yTrue, c.scores, { posLabel: c.posLabel }), c.rocAuc, 1e-12, 'roc auc');
      expectClose(averagePrecisionScore(c.yTrue, c.scores), c.averagePrecision, 1e-12, 'average precision');
    });
  }
});

describe('one-vs-rest ranking metrics match scikit-learn', () => {
  for (const c of golden.multiclassRanking) {
    it(c.name, () => {
      const matrix = { labels: c.labels, values: c.values };
      expectClose(rocAucOneVsRest(c.yTrue, matrix), c.rocAuc_macro, 1e-12, 'macro auc');
      expectClose(
        rocAucOneVsRest(c.yTrue, matrix, { average: 'weighted' }),
        c.rocAuc_weighted,
        1e-12,
        'weighted',
      );
      if (c.averagePrecision_macro !== undefined) {
        expectClose(averagePrecisionOneVsRest(c.yTrue, matrix), c.averagePrecision_macro, 1e-12, 'macro ap');
        expectClose(
          averagePrecisionOneVsRest(c.yTrue, matrix, { average: 'weighted' }),
          c.averagePrecision_weighted ?? null,
          1e-12,
          'weighted ap',
        );
      }
    });
  }

  it('rejects a true label without a column and a wrong-sized matrix', () => {
    expect(() => rocAucOneVsRest([0, 5], { labels: [0, 1], values: [0.5, 0.5, 0.5, 0.5] })).toThrow(
      RangeError,
    );
    expect(() => rocAucOneVsRest([0, 1], { labels: [0, 1], values: [0.5, 0.5] })).toThrow(RangeError);
  });
});

describe('properties', () => {
  const sample = fc
    .array(fc.tuple(fc.boolean(), fc.integer({ min: 0, max: 20 })), { minLength: 2, maxLength: 80 })
    .filter((rows) => rows.some((r) => r[0]) && rows.some((r) => !r[0]));

  it('AUC equals the tie-corrected share of concordant pairs and is symmetric', () => {
    fc.assert(
      fc.property(sample, (rows) => {
        const y = rows.map((r) => (r[0] ? 1 : 0));
        const s = rows.map((r) => r[1] / 20);
        let concordant = 0;
        let pairs = 0;
        for (const [pi, ps] of rows) {
          if (!pi) continue;
          for (const [ni, ns] of rows) {
            if (ni) continue;
            pairs++;
            concordant += ps > ns ? 1 : ps === ns ? 0.5 : 0;
          }
        }
        const auc = rocAucScore(y, s);
        expect(Math.abs(auc - concordant / pairs)).toBeLessThan(1e-12);
        // Negating the scores mirrors the curve.
        expect(
          Math.abs(
            rocAucScore(
              y,
              s.map((v) => -v),
            ) -
              (1 - auc),
          ),
        ).toBeLessThan(1e-12);
        const ap = averagePrecisionScore(y, s);
        expect(ap >= 0 && ap <= 1).toBe(true);
      }),
      { numRuns: 200 },
    );
  });

  it('throws on NaN scores', () => {
    expect(() => rocAucScore([0, 1], [0.1, Number.NaN])).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import {
  accuracyScore,
  balancedAccuracyScore,
  fbetaScore,
  precisionRecallFscore,
  specificityScore,
} from './classification.js';
import { type ConfusionMatrix, confusionMatrix, confusionMatrixFromCounts } from './confusion-matrix.js';
import type { Label } from './labels.js';

interface ClassificationCase {
  name: string;
  yTrue: Label[];
  yPred: Label[];
  labels: Label[];
  confusion: number[];
  accuracy: number;
  balancedAccuracy: number;
  balancedAccuracyAdjusted: number;
  posLabel: Label;
  metricLabels: Label[] | null;
  scores: {
    average: 'binary' | 'micro' | 'macro' | 'weighted';
    zeroDivision: number | 'nan';
    beta: number;
    precision: number | null;
    recall: number | null;
    fScore: number | null;
    specificity: number | null;
  }[];
}

const golden = loadGolden<{ classification: ClassificationCase[] }>('performance');

describe('confusion-based metrics match scikit-learn', () => {
  for (const c of golden.classification) {
    it(c.name, () => {
      const matrix = confusionMatrix(c.yTrue, c.yPred);
      expect(matrix.labels).toEqual(c.labels);
      expect(Array.from(matrix.counts)).toEqual(c.confusion);
      expectClose(accuracyScore(matrix), c.accuracy, 1e-12, 'accuracy');
      expectClose(balancedAccuracyScore(matrix), c.balancedAccuracy, 1e-12, 'balanced accuracy');
      expectClose(
        balancedAccuracyScore(matrix, { adjusted: true }),
        c.balancedAccuracyAdjusted,
        1e-12,
        'adjusted balanced accuracy',
      );
      for (const s of c.scores) {
        const options = {
          average: s.average,
          posLabel: c.posLabel,
          zeroDivision: s.zeroDivision === 'nan' ? Number.NaN : s.zeroDivision,
          ...(c.metricLabels ? { labels: c.metricLabels } : {}),
        };
        const label = `${s.average} zd=${s.zeroDivision} beta=${s.beta}`;
        const result = precisionRecallFscore(matrix, { ...options, beta: s.beta });
        expectClose(result.precision, s.precision, 1e-12, `precision ${label}`);
        expectClose(result.recall, s.recall, 1e-12, `recall ${label}`);
        expectClose(result.fScore, s.fScore, 1e-12, `f ${label}`);
        expectClose(specificityScore(matrix, options), s.specificity, 1e-12, `specificity ${label}`);
      }
    });
  }
});

describe('confusion matrix', () => {
  it('keeps the given label order and drops pairs outside it', () => {
    const matrix = confusionMatrix(['b', 'a', 'c', 'b'], ['b', 'b', 'a', 'z'], { labels: ['b', 'a', 'd'] });
    expect(matrix.labels).toEqual(['b', 'a', 'd']);
    expect(Array.from(matrix.counts)).toEqual([1, 0, 0, 1, 0, 0, 0, 0, 0]);
  });

  it('rejects a mix of string and number labels', () => {
    expect(() => confusionMatrix([1, 'a'], [1, 1])).toThrow(TypeError);
  });

  it('accepts pre-aggregated counts and rejects bad shapes', () => {
    const matrix = confusionMatrixFromCounts([0, 1], [50, 10, 5, 35]);
    expectClose(accuracyScore(matrix), 0.85, 1e-15);
    expectClose(fbetaScore(matrix, 1), (2 * 35) / (2 * 35 + 10 + 5), 1e-15);
    expect(() => confusionMatrixFromCounts([0, 1], [1, 2, 3])).toThrow(RangeError);
    expect(() => confusionMatrixFromCounts([0, 1], [1, 2, 3, -1])).toThrow(RangeError);
  });

  it('refuses binary averaging on three classes', () => {
    const matrix = confusionMatrix([0, 1, 2], [0, 1, 2]);
    expect(() => precisionRecallFscore(matrix)).toThrow(/binary/);
  });

  it('an empty matrix has NaN accuracy', () => {
    expect(accuracyScore(confusionMatrixFromCounts([0, 1], [0, 0, 0, 0]))).toBeNaN();
  });
});

describe('properties', () => {
  const labelled = fc
    .array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })), {
      minLength: 1,
      maxLength: 60,
    })
    .map((pairs) => ({ yTrue: pairs.map((p) => p[0]), yPred: pairs.map((p) => p[1]) }));

  it('scores lie in [0, 1] and micro precision = micro recall = accuracy', () => {
    fc.assert(
      fc.property(labelled, ({ yTrue, yPred }) => {
        const matrix: ConfusionMatrix = confusionMatrix(yTrue, yPred);
        const micro = precisionRecallFscore(matrix, { average: 'micro' });
        const accuracy = accuracyScore(matrix);
        expect(Math.abs(micro.precision - accuracy)).toBeLessThan(1e-12);
        expect(Math.abs(micro.recall - accuracy)).toBeLessThan(1e-12);
        for (const average of ['macro', 'weighted'] as const) {
          const r = precisionRecallFscore(matrix, { average });
          for (const v of [r.precision, r.recall, r.fScore]) expect(v >= 0 && v <= 1).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('is invariant to the order of rows', () => {
    fc.assert(
      fc.property(labelled, fc.integer(), ({ yTrue, yPred }, seed) => {
        const order = yTrue
          .map((_, i) => i)
          .sort((a, b) => ((a * 7919 + seed) % 97) - ((b * 7919 + seed) % 97));
        const a = confusionMatrix(yTrue, yPred);
        const b = confusionMatrix(
          order.map((i) => yTrue[i]!),
          order.map((i) => yPred[i]!),
        );
        expect(Array.from(b.counts)).toEqual(Array.from(a.counts));
      }),
      { numRuns: 100 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { rocAucScore } from '../performance/ranking.js';
import { expectClose, loadGolden } from '../test-support.js';
import { delongTest } from './delong.js';

interface DeLongCase {
  name: string;
  yTrue: number[];
  scoresA: number[];
  scoresB: number[];
  positives: number;
  negatives: number;
  aucA: number;
  aucB: number;
  difference: number;
  variance: number;
  standardError: number;
  z: number;
  pValue: number;
  lower: number;
  upper: number;
}

const golden = loadGolden<{ delong: DeLongCase[] }>('paired');

describe('DeLong matches scikit-learn AUCs and brute-force structural components', () => {
  for (const c of golden.delong) {
    it(c.name, () => {
      const r = delongTest(c.yTrue, c.scoresA, c.scoresB);
      expect(r.positives).toBe(c.positives);
      expect(r.negatives).toBe(c.negatives);
      for (const key of [
        'aucA',
        'aucB',
        'difference',
        'variance',
        'standardError',
        'z',
        'pValue',
        'lower',
        'upper',
      ] as const) {
        expectClose(r[key], c[key], 1e-9, `${c.name} ${key}`);
      }
    });
  }
});

describe('DeLong edge cases and bad input', () => {
  it('identical scores: no difference, p = 1', () => {
    const r = delongTest([0, 1, 0, 1, 1], [0.1, 0.7, 0.3, 0.2, 0.9], [0.1, 0.7, 0.3, 0.2, 0.9]);
    expect(r.difference).toBe(0);
    expect(r.z).toBe(0);
    expect(r.pValue).toBe(1);
  });

  it('one class, or a single positive, has no variance', () => {
    expect(delongTest([1, 1, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1]).pValue).toBeNaN();
    const single = delongTest([0, 0, 1], [0.1, 0.2, 0.3], [0.3, 0.2, 0.1]);
    expect(single.aucA).toBe(1);
    expect(single.aucB).toBe(0);
    expect(single.variance).toBeNaN();
  });

  it('refuses mismatched lengths, non-finite scores and more than two classes', () => {
    expect(() => delongTest([0, 1], [0.1], [0.1, 0.2])).toThrow(/lengths differ/);
    expect(() => delongTest([0, 1], [0.1, Number.NaN], [0.1, 0.2])).toThrow(/Row 1: score of model A/);
    expect(() => delongTest([0, 1, 2], [0.1, 0.2, 0.3], [0.1, 0.2, 0.3])).toThrow(/binary labels/);
  });

  it('takes string labels with an explicit positive class', () => {
    const r = delongTest(['ok', 'fraud', 'ok', 'fraud'], [0.1, 0.8, 0.3, 0.6], [0.5, 0.4, 0.2, 0.9], {
      posLabel: 'fraud',
    });
    expect(r.aucA).toBe(1);
    expect(r.aucB).toBe(0.75);
  });
});

describe('properties', () => {
  // Scores on a coarse grid so ties are frequent.
  const rows = fc.array(
    fc.tuple(fc.integer({ min: 0, max: 1 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 6 })),
    {
      minLength: 4,
      maxLength: 80,
    },
  );

  it('AUCs equal rocAucScore; swapping A and B negates the difference and keeps p in [0, 1]', () => {
    fc.assert(
      fc.property(rows, (data) => {
        const y = data.map((r) => r[0]);
        const a = data.map((r) => r[1] / 6);
        const b = data.map((r) => r[2] / 6);
        const forward = delongTest(y, a, b);
        const backward = delongTest(y, b, a);
        expectClose(forward.aucA, rocAucScore(y, a), 1e-12, 'auc A');
        expectClose(forward.aucB, rocAucScore(y, b), 1e-12, 'auc B');
        if (Number.isNaN(forward.difference)) {
          expect(backward.difference).toBeNaN(); // one class only
          return;
        }
        expect(backward.difference + forward.difference).toBe(0);
        expect(backward.variance).toBe(forward.variance);
        expect(Object.is(backward.pValue, forward.pValue) || backward.pValue === forward.pValue).toBe(true);
        if (!Number.isNaN(forward.pValue)) expect(forward.pValue >= 0 && forward.pValue <= 1).toBe(true);
        if (forward.variance > 0)
          expect(forward.lower < forward.difference && forward.difference < forward.upper).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import {
  maxError,
  meanAbsoluteError,
  meanAbsolutePercentageError,
  meanError,
  meanSquaredError,
  medianAbsoluteError,
  r2Score,
  rootMeanSquaredError,
} from './regression.js';

interface RegressionCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  mae: number;
  mse: number;
  rmse: number;
  mape: number;
  medianAe: number;
  maxError: number;
  r2: number;
  meanError: number;
}

const golden = loadGolden<{ regression: RegressionCase[] }>('performance');

describe('regression metrics match scikit-learn', () => {
  for (const c of golden.regression) {
    it(c.name, () => {
      const t = Float64Array.from(c.yTrue);
      const p = Float64Array.from(c.yPred);
      expectClose(meanAbsoluteError(t, p), c.mae, 1e-9, 'mae');
      expectClose(meanSquaredError(t, p), c.mse, 1e-9, 'mse');
      expectClose(rootMeanSquaredError(t, p), c.rmse, 1e-9, 'rmse');
      expectClose(meanAbsolutePercentageError(t, p), c.mape, 1e-9, 'mape');
      expectClose(medianAbsoluteError(t, p), c.medianAe, 1e-9, 'median ae');
      expectClose(maxError(t, p), c.maxError, 1e-9, 'max error');
      expectClose(r2Score(t, p), c.r2, 1e-9, 'r2');
      expectClose(meanError(t, p), c.meanError, 1e-9, 'mean error');
    });
  }
});

describe('regression properties', () => {
  const pairs = fc
    .array(fc.tuple(fc.integer({ min: -1e5, max: 1e5 }), fc.integer({ min: -1e5, max: 1e5 })), {
      minLength: 2,
      maxLength: 60,
    })
    // Hundredths keep squares away from underflow, where RMSE ≥ MAE no longer holds in floats.
    .map((rows) => ({ t: rows.map((r) => r[0] / 100), p: rows.map((r) => r[1] / 100) }));

  it('orders MAE ≤ RMSE ≤ max error and gives R² = 1 for exact predictions', () => {
    fc.assert(
      fc.property(pairs, ({ t, p }) => {
        const mae = meanAbsoluteError(t, p);
        const rmse = rootMeanSquaredError(t, p);
        expect(mae).toBeLessThanOrEqual(rmse * (1 + 1e-12));
        expect(rmse).toBeLessThanOrEqual(maxError(t, p) * (1 + 1e-12));
        expect(r2Score(t, t)).toBe(1);
      }),
      { numRuns: 200 },
    );
  });

  it('is NaN on empty input and throws on a length mismatch', () => {
    expect(meanAbsoluteError([], [])).toBeNaN();
    expect(r2Score([1], [1])).toBeNaN();
    expect(() => meanSquaredError([1, 2], [1])).toThrow(RangeError);
  });
});

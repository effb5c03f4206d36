import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import { fitIsotonic, predictIsotonic } from './isotonic.js';

interface IsotonicCase {
  name: string;
  x: number[];
  y: number[];
  weights: number[] | null;
  query: number[];
  predicted: number[];
  xThresholds: number[];
  yThresholds: number[];
}

const golden = loadGolden<{ cases: IsotonicCase[] }>('estimation-isotonic');

describe('fitIsotonic / predictIsotonic against scikit-learn', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const model = fitIsotonic(c.x, c.y, c.weights ?? undefined);
      expect(model.xThresholds.length).toBe(c.xThresholds.length);
      model.xThresholds.forEach((v, i) => {
        expectClose(v, c.xThresholds[i]!, 1e-12, `x knot ${i}`);
      });
      model.yThresholds.forEach((v, i) => {
        expectClose(v, c.yThresholds[i]!, 1e-9, `y knot ${i}`);
      });
      predictIsotonic(model, c.query).forEach((v, i) => {
        expectClose(v, c.predicted[i]!, 1e-9, `prediction ${i}`);
      });
    });
  }
});

describe('isotonic properties', () => {
  const points = fc.array(
    fc.record({ x: fc.integer({ min: -50, max: 50 }), y: fc.double({ min: -10, max: 10, noNaN: true }) }),
    { minLength: 1, maxLength: 60 },
  );

  it('is non-decreasing and preserves the weighted mean', () => {
    fc.assert(
      fc.property(points, (pts) => {
        const x = pts.map((p) => p.x);
        const y = pts.map((p) => p.y);
        const model = fitIsotonic(x, y);
        for (let i = 1; i < model.yThresholds.length; i++) {
          expect(model.yThresholds[i]!).toBeGreaterThanOrEqual(model.yThresholds[i - 1]! - 1e-12);
        }
        const fitted = predictIsotonic(model, x);
        const meanFitted = fitted.reduce((a, b) => a + b, 0) / fitted.length;
        const meanY = y.reduce((a, b) => a + b, 0) / y.length;
        expect(Math.abs(meanFitted - meanY)).toBeLessThan(1e-9);
      }),
      { numRuns: 200 },
    );
  });

  it('does not depend on the input order', () => {
    fc.assert(
      fc.property(points, fc.integer(), (pts, seed) => {
        const shuffled = [...pts].sort((a, b) => ((a.x * 31 + seed) % 7) - ((b.x * 31 + seed) % 7));
        const a = fitIsotonic(
          pts.map((p) => p.x),
          pts.map((p) => p.y),
        );
        const b = fitIsotonic(
          shuffled.map((p) => p.x),
          shuffled.map((p) => p.y),
        );
        expect(b.xThresholds).toEqual(a.xThresholds);
        for (const [i, v] of b.yThresholds.entries())
          expect(Math.abs(v - a.yThresholds[i]!)).toBeLessThan(1e-9);
      }),
      { numRuns: 100 },
    );
  });

  it('leaves already monotone data unchanged', () => {
    const model = fitIsotonic([1, 2, 3, 4], [0, 0.5, 0.5, 2]);
    expect(Array.from(predictIsotonic(model, [0, 1, 2.5, 4, 9]))).toEqual([0, 0, 0.5, 2, 2]);
  });
});

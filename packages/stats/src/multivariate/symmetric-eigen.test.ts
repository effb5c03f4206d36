import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { symmetricEigen } from './symmetric-eigen.js';

describe('symmetricEigen', () => {
  it('decomposes a known matrix', () => {
    const { values } = symmetricEigen([2, 1, 1, 2], 2);
    expect(values[0]).toBeCloseTo(3, 12);
    expect(values[1]).toBeCloseTo(1, 12);
  });

  it('satisfies A v = λ v with orthonormal vectors', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 7 }),
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 49, maxLength: 49 }),
        (d, raw) => {
          const m = new Float64Array(d * d);
          for (let i = 0; i < d; i++)
            for (let j = 0; j < d; j++) m[i * d + j] = raw[i * 7 + j]! + raw[j * 7 + i]!;
          const { values, vectors } = symmetricEigen(m, d);
          for (let k = 0; k < d; k++) {
            if (k > 0) expect(values[k]!).toBeLessThanOrEqual(values[k - 1]! + 1e-12);
            for (let i = 0; i < d; i++) {
              let av = 0;
              for (let j = 0; j < d; j++) av += m[i * d + j]! * vectors[k]![j]!;
              expect(Math.abs(av - values[k]! * vectors[k]![i]!)).toBeLessThan(1e-9);
            }
            for (let l = 0; l < d; l++) {
              let dot = 0;
              for (let i = 0; i < d; i++) dot += vectors[k]![i]! * vectors[l]![i]!;
              expect(Math.abs(dot - (k === l ? 1 : 0))).toBeLessThan(1e-10);
            }
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

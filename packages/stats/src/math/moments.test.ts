import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EMPTY_MOMENTS, type Moments, mergeMoments, momentsFromStd, momentsStd } from './moments.js';
import { twoPassMeanVariance } from './two-pass.js';

/** A part as the engine reports it: count, mean and sample standard deviation. */
function partMoments(values: number[]): Moments {
  if (values.length === 0) return EMPTY_MOMENTS;
  const { mean, variance } = twoPassMeanVariance(values, 1);
  return momentsFromStd(values.length, mean, values.length > 1 ? Math.sqrt(variance) : null);
}

describe('mergeMoments', () => {
  it('merges parts into the two-pass mean and standard deviation of the whole', () => {
    fc.assert(
      fc.property(
        // Values far from zero against their spread: where sums of squares would cancel.
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        fc.double({ min: 1e-3, max: 10, noNaN: true }),
        fc.array(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { maxLength: 40 }), {
          minLength: 1,
          maxLength: 60,
        }),
        fc.boolean(),
        (offset, spread, parts, pairwise) => {
          const values = parts.map((part) => part.map((u) => offset + spread * u));
          const all = values.flat();
          let merged: Moments;
          if (pairwise) {
            // A balanced tree of merges, as parallel workers would combine.
            let level = values.map(partMoments);
            while (level.length > 1) {
              const next: Moments[] = [];
              for (let i = 0; i < level.length; i += 2)
                next.push(i + 1 < level.length ? mergeMoments(level[i]!, level[i + 1]!) : level[i]!);
              level = next;
            }
            merged = level[0]!;
          } else {
            merged = values.map(partMoments).reduce(mergeMoments, EMPTY_MOMENTS);
          }
          expect(merged.count).toBe(all.length);
          if (all.length === 0) return;
          const whole = twoPassMeanVariance(all, 1);
          // Rounding is relative to the values' magnitude (a mean near zero may be their difference).
          expect(Math.abs(merged.mean - whole.mean)).toBeLessThanOrEqual(1e-13 * (Math.abs(offset) + spread));
          const std = momentsStd(merged);
          if (all.length < 2) {
            expect(std).toBeNull();
            return;
          }
          const expected = Math.sqrt(whole.variance);
          // Relative, but for the rounding of the mean when the values are (nearly) constant.
          expect(Math.abs(std! - expected)).toBeLessThanOrEqual(
            1e-12 * expected + 1e-14 * (Math.abs(offset) + spread),
          );
        },
      ),
      { numRuns: 300 },
    );
  });

  it('leaves a part unchanged by an empty one, and gives a constant sample no spread', () => {
    const part = { count: 3, mean: 2, m2: 1 };
    expect(mergeMoments(part, EMPTY_MOMENTS)).toBe(part);
    expect(mergeMoments(EMPTY_MOMENTS, part)).toBe(part);
    const constant = [momentsFromStd(4, 0.1, 0), momentsFromStd(1, 0.1, null), momentsFromStd(7, 0.1, 0)];
    const merged = constant.reduce(mergeMoments, EMPTY_MOMENTS);
    expect(merged).toEqual({ count: 12, mean: 0.1, m2: 0 });
    expect(momentsStd(merged)).toBe(0);
    expect(momentsStd(momentsFromStd(1, 5, null))).toBeNull();
    expect(momentsFromStd(0, null, null)).toBe(EMPTY_MOMENTS);
  });
});

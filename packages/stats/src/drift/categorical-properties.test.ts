import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import {
  hellingerCategorical,
  jensenShannonCategorical,
  lInfinityDistance,
  totalVariationDistance,
} from './categorical-distances.js';
import { countCategories } from './categories.js';
import {
  chiSquareContingencyDrift,
  chiSquareDrift,
  gTestContingencyDrift,
  gTestDrift,
} from './chi-square.js';
import type { CategoryCounts } from './types.js';
import { zTestDrift } from './z-test.js';

const distances = [jensenShannonCategorical, lInfinityDistance, totalVariationDistance, hellingerCategorical];
const tests = [chiSquareContingencyDrift, gTestContingencyDrift];

const countsArbitrary = fc
  .tuple(
    fc.array(fc.nat({ max: 500 }), { minLength: 1, maxLength: 8 }),
    fc.array(fc.nat({ max: 500 }), { minLength: 1, maxLength: 8 }),
  )
  .filter(([r, c]) => r.some((v) => v > 0) && c.some((v) => v > 0))
  .map(([r, c]): CategoryCounts => {
    const named = (counts: number[]) => Object.fromEntries(counts.map((v, i) => [`k${i}`, v]));
    return { reference: named(r), current: named(c) };
  });

const swap = (counts: CategoryCounts): CategoryCounts => ({
  reference: counts.current,
  current: counts.reference,
});

describe('categorical distances', () => {
  it('lie in [0, 1], are symmetric, and are 0 for equal proportions', () => {
    fc.assert(
      fc.property(countsArbitrary, (counts) => {
        for (const distance of distances) {
          const d = distance(counts).statistic;
          expect(d).toBeGreaterThanOrEqual(0);
          expect(d).toBeLessThanOrEqual(1 + 1e-12);
          expectClose(distance(swap(counts)).statistic, d, 1e-12, `${distance.name} symmetric`);
          expectClose(
            distance({ reference: counts.reference, current: counts.reference }).statistic,
            0,
            1e-12,
            'self',
          );
        }
      }),
      { numRuns: 150 },
    );
  });

  it('order as L-infinity <= total variation and Hellinger^2 <= total variation', () => {
    fc.assert(
      fc.property(countsArbitrary, (counts) => {
        const tv = totalVariationDistance(counts).statistic;
        expect(lInfinityDistance(counts).statistic).toBeLessThanOrEqual(tv + 1e-12);
        expect(hellingerCategorical(counts).statistic ** 2).toBeLessThanOrEqual(tv + 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  it('are 1 for disjoint supports and flag drift at the threshold', () => {
    const disjoint = countCategories(['a', 'a', 'b'], ['c', 'd']);
    for (const distance of [jensenShannonCategorical, totalVariationDistance, hellingerCategorical]) {
      expectClose(distance(disjoint).statistic, 1, 1e-12, distance.name);
    }
    // L-infinity sees only the largest single share change: 'a' drops from 2/3 to 0.
    expectClose(lInfinityDistance(disjoint).statistic, 2 / 3, 1e-12, 'L-infinity');
    const at = lInfinityDistance({ reference: { a: 9, b: 1 }, current: { a: 8, b: 2 } }, { threshold: 0.1 });
    expect(at).toMatchObject({ method: 'l_infinity', thresholdKind: 'distance' });
    expectClose(at.statistic, 0.1, 1e-12, 'L-infinity');
  });
});

describe('categorical tests', () => {
  it('give p-values in [0, 1], symmetric in the two samples for the contingency forms', () => {
    fc.assert(
      fc.property(countsArbitrary, (counts) => {
        for (const test of tests) {
          const p = test(counts).pValue!;
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
          expectClose(test(swap(counts)).pValue!, p, 1e-9, `${test.name} symmetric`);
        }
      }),
      { numRuns: 150 },
    );
  });

  it('the 2 x 2 chi-square equals the squared z statistic', () => {
    const counts = { reference: { yes: 130, no: 70 }, current: { yes: 90, no: 80 } };
    const z = zTestDrift(counts);
    const chi = chiSquareContingencyDrift(counts);
    expectClose(z.statistic ** 2, chi.statistic, 1e-12, 'z^2');
    expectClose(z.pValue!, chi.pValue!, 1e-12, 'p');
    // 'no' (first in sorted order) went from 35% to 47%: a positive z.
    expect(z.statistic).toBeGreaterThan(0);
  });

  it('report a category unseen in the reference as certain drift in the goodness-of-fit forms', () => {
    const counts = { reference: { a: 10, b: 5 }, current: { a: 3, b: 4, c: 2 } };
    for (const test of [chiSquareDrift, gTestDrift]) {
      const result = test(counts);
      expect(result.statistic).toBe(Number.POSITIVE_INFINITY);
      expect(result.pValue).toBe(0);
      expect(result.drifted).toBe(true);
    }
  });

  it('give p = 1 and no drift for a single category', () => {
    const counts = { reference: { only: 10 }, current: { only: 3 } };
    for (const test of [
      chiSquareDrift,
      gTestDrift,
      chiSquareContingencyDrift,
      gTestContingencyDrift,
      zTestDrift,
    ]) {
      const result = test(counts);
      expect(result.statistic).toBe(0);
      expect(result.pValue).toBe(1);
      expect(result.drifted).toBe(false);
    }
  });

  it('z-test compares the requested category and refuses three categories', () => {
    const counts = { reference: { no: 60, yes: 40 }, current: { no: 40, yes: 60 } };
    expect(zTestDrift(counts).statistic).toBeLessThan(0);
    expectClose(
      zTestDrift(counts, { category: 'yes' }).statistic,
      -zTestDrift(counts).statistic,
      1e-12,
      'sign',
    );
    expect(() => zTestDrift({ reference: { a: 1, b: 1, c: 1 }, current: { a: 1 } })).toThrow(RangeError);
  });
});

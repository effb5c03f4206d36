import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import { fisherExactDrift, fisherExactTest } from './fisher-exact.js';

interface FisherCase {
  table: [[number, number], [number, number]];
  oddsRatio: number | 'Infinity' | null;
  pValue: number;
}

const golden = loadGolden<{ fisher: FisherCase[] }>('drift_categorical');

describe('fisherExactTest', () => {
  it('matches scipy.stats.fisher_exact (two-sided) at 1e-9', () => {
    for (const { table, oddsRatio, pValue } of golden.fisher) {
      const [[a, b], [c, d]] = table;
      const got = fisherExactTest(a, b, c, d);
      const label = JSON.stringify(table);
      expectClose(
        got.oddsRatio,
        oddsRatio === 'Infinity' ? Number.POSITIVE_INFINITY : oddsRatio,
        1e-12,
        label,
      );
      expectClose(got.pValue, pValue, 1e-9, label);
      expectClose(got.pValue / pValue, 1, 1e-9, `${label} relative`);
    }
  });

  it('handles large margins without overflow', () => {
    const got = fisherExactTest(400000, 100000, 399000, 101000);
    expect(got.pValue).toBeGreaterThan(0);
    expect(got.pValue).toBeLessThan(0.05);
  });

  it('rejects non-integer cells', () => {
    expect(() => fisherExactTest(1.5, 2, 3, 4)).toThrow(RangeError);
  });

  it('is a p-value, symmetric under swapping rows or columns', () => {
    const cell = fc.integer({ min: 0, max: 60 });
    fc.assert(
      fc.property(cell, cell, cell, cell, (a, b, c, d) => {
        const p = fisherExactTest(a, b, c, d).pValue;
        expect(p).toBeGreaterThanOrEqual(0);
        expect(p).toBeLessThanOrEqual(1);
        expectClose(fisherExactTest(c, d, a, b).pValue, p, 1e-9, 'rows swapped');
        expectClose(fisherExactTest(b, a, d, c).pValue, p, 1e-9, 'columns swapped');
        expectClose(fisherExactTest(a, c, b, d).pValue, p, 1e-9, 'transposed');
      }),
      { numRuns: 200 },
    );
  });
});

describe('fisherExactDrift', () => {
  it('builds the table from category counts and decides on the p-value', () => {
    const result = fisherExactDrift({ reference: { yes: 8, no: 2 }, current: { yes: 1, no: 5 } });
    // Sorted categories: no, yes -> [[2, 8], [5, 1]], the transposed-and-swapped scipy example.
    expectClose(result.pValue!, 0.034965034965034975, 1e-12, 'p');
    expect(result.drifted).toBe(true);
    expect(result.thresholdKind).toBe('p_value');
  });

  it('refuses more than two categories', () => {
    expect(() => fisherExactDrift({ reference: { a: 1, b: 1, c: 1 }, current: { a: 1 } })).toThrow(
      RangeError,
    );
  });
});

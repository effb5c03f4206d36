import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import {
  mcnemarTest,
  type PairedOutcomeTable,
  pairedAccuracyDifference,
  pairedOutcomeTable,
  pairedOutcomeTableFromPredictions,
} from './mcnemar.js';

interface Golden {
  statistic: number | null;
  pValue: number | null;
}
interface GoldenDifference {
  a: number;
  b: number;
  difference: number;
  lower: number;
  upper: number;
  standardError: number;
}
interface McNemarCase {
  table: PairedOutcomeTable;
  exact: Golden;
  chiSquare: Golden;
  chiSquareCorrected: Golden;
  difference95?: GoldenDifference;
  difference90?: GoldenDifference;
}

/** p-values as small as 1e-15 are compared relative to their size (1e-9), not to 1. */
function expectRelative(actual: number, expected: number | null, label: string): void {
  if (expected === null || expected === 0) expectClose(actual, expected, 1e-15, label);
  else expectClose(actual / expected, 1, 1e-9, label);
}

const golden = loadGolden<{ mcnemar: McNemarCase[] }>('paired');

function expectDifference(
  table: PairedOutcomeTable,
  confidence: number,
  want: GoldenDifference,
  label: string,
): void {
  const got = pairedAccuracyDifference(table, confidence);
  for (const key of ['a', 'b', 'difference', 'lower', 'upper', 'standardError'] as const) {
    expectClose(got[key], want[key], 1e-12, `${label} ${key}`);
  }
}

describe('McNemar matches statsmodels, the accuracy difference matches Newcombe', () => {
  for (const c of golden.mcnemar) {
    const t = c.table;
    it(`${t.bothCorrect}/${t.onlyA}/${t.onlyB}/${t.bothWrong}`, () => {
      const exact = mcnemarTest(t);
      expectClose(exact.statistic, c.exact.statistic, 1e-12, 'exact statistic');
      expectRelative(exact.pValue, c.exact.pValue, 'exact p-value');
      const plain = mcnemarTest(t, { exact: false, correction: false });
      expectClose(plain.statistic, c.chiSquare.statistic, 1e-12, 'chi-square statistic');
      expectRelative(plain.pValue, c.chiSquare.pValue, 'chi-square p-value');
      const corrected = mcnemarTest(t, { exact: false });
      if (t.onlyA + t.onlyB === 0) {
        // statsmodels: infinite statistic, p = 0; Vigil: undefined (see mcnemar.ts).
        expect(c.chiSquareCorrected.pValue).toBe(0);
        expect(corrected.statistic).toBeNaN();
        expect(corrected.pValue).toBeNaN();
      } else {
        expectClose(corrected.statistic, c.chiSquareCorrected.statistic, 1e-12, 'corrected statistic');
        expectRelative(corrected.pValue, c.chiSquareCorrected.pValue, 'corrected p-value');
      }
      if (c.difference95) expectDifference(t, 0.95, c.difference95, '95%');
      if (c.difference90) expectDifference(t, 0.9, c.difference90, '90%');
    });
  }
});

describe('paired outcome tables', () => {
  it('tallies correctness and predictions', () => {
    expect(pairedOutcomeTable([true, true, false, false, 1], [true, false, true, false, 0])).toEqual({
      bothCorrect: 1,
      onlyA: 2,
      onlyB: 1,
      bothWrong: 1,
    });
    expect(pairedOutcomeTableFromPredictions(['x', 'y', 'y'], ['x', 'x', 'y'], ['y', 'y', 'y'])).toEqual({
      bothCorrect: 1,
      onlyA: 1,
      onlyB: 1,
      bothWrong: 0,
    });
  });

  it('refuses bad input with the row and the reason', () => {
    expect(() => pairedOutcomeTable([true], [true, false])).toThrow(/lengths differ \(1 vs 2\)/);
    expect(() => pairedOutcomeTable([true, 2], [true, false])).toThrow(/Row 1: correctness of model A/);
    expect(() => mcnemarTest({ bothCorrect: 1, onlyA: -1, onlyB: 0, bothWrong: 0 })).toThrow(
      /onlyA must be a non-negative integer/,
    );
    expect(() => mcnemarTest({ bothCorrect: 1, onlyA: 0.5, onlyB: 0, bothWrong: 0 })).toThrow(/onlyA/);
    expect(() => pairedAccuracyDifference({ bothCorrect: 1, onlyA: 0, onlyB: 0, bothWrong: 0 }, 1)).toThrow(
      /confidence/,
    );
  });

  it('an empty table gives NaN, not an error', () => {
    const empty = { bothCorrect: 0, onlyA: 0, onlyB: 0, bothWrong: 0 };
    expect(pairedAccuracyDifference(empty).difference).toBeNaN();
    expect(mcnemarTest(empty).pValue).toBe(1);
    expect(mcnemarTest(empty, { exact: false }).pValue).toBeNaN();
  });
});

describe('properties', () => {
  const count = fc.integer({ min: 0, max: 400 });
  const table = fc.record({ bothCorrect: count, onlyA: count, onlyB: count, bothWrong: count });
  const swap = (t: PairedOutcomeTable): PairedOutcomeTable => ({ ...t, onlyA: t.onlyB, onlyB: t.onlyA });

  it('swapping A and B keeps every p-value and negates the difference and its interval', () => {
    fc.assert(
      fc.property(table, (t) => {
        for (const options of [{}, { exact: false }, { exact: false, correction: false }]) {
          const forward = mcnemarTest(t, options);
          const backward = mcnemarTest(swap(t), options);
          expect(backward.statistic).toEqual(forward.statistic);
          expect(backward.pValue).toEqual(forward.pValue);
          if (!Number.isNaN(forward.pValue)) expect(forward.pValue >= 0 && forward.pValue <= 1).toBe(true);
        }
        const d = pairedAccuracyDifference(t);
        const e = pairedAccuracyDifference(swap(t));
        if (Number.isNaN(d.difference)) return;
        expect(e.difference).toBeCloseTo(-d.difference, 14);
        expect(e.lower).toBeCloseTo(-d.upper, 12);
        expect(e.upper).toBeCloseTo(-d.lower, 12);
        expect(d.lower <= d.difference && d.difference <= d.upper).toBe(true);
        expect(d.lower >= -1 && d.upper <= 1).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('no discordant rows: exact p = 1 and the interval still has width', () => {
    const d = pairedAccuracyDifference({ bothCorrect: 40, onlyA: 0, onlyB: 0, bothWrong: 10 });
    expect(d.difference).toBe(0);
    expect(d.upper).toBeGreaterThan(0);
    expect(d.lower).toBeLessThan(0);
    expect(mcnemarTest({ bothCorrect: 40, onlyA: 0, onlyB: 0, bothWrong: 10 }).pValue).toBe(1);
  });
});

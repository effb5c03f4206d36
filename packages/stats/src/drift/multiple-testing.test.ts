import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import type { MonitoredDriftResult } from './effect-size-floor.js';
import { adjustDriftResults, benjaminiHochberg, bonferroni } from './multiple-testing.js';

interface MultipleTestingCase {
  pValues: number[];
  benjaminiHochberg: number[];
  bonferroni: number[];
}

const golden = loadGolden<{ multipleTesting: MultipleTestingCase[] }>('drift_categorical');

describe('p-value adjustment', () => {
  it('matches scipy.stats.false_discovery_control and Bonferroni at 1e-12', () => {
    for (const c of golden.multipleTesting) {
      const bh = benjaminiHochberg(c.pValues);
      const bonf = bonferroni(c.pValues);
      c.pValues.forEach((_, i) => {
        expectClose(bh[i]!, c.benjaminiHochberg[i]!, 1e-12, `BH ${i}`);
        expectClose(bonf[i]!, c.bonferroni[i]!, 1e-12, `Bonferroni ${i}`);
      });
    }
  });

  it('skips NaN entries, which are not tests', () => {
    const bh = benjaminiHochberg([0.01, Number.NaN, 0.04]);
    expect(bh[1]).toBeNaN();
    expectClose(bh[0]!, 0.02, 1e-15, 'BH with m = 2');
    expectClose(bonferroni([0.01, Number.NaN, 0.04])[2]!, 0.08, 1e-15, 'Bonferroni with m = 2');
  });

  it('rejects values outside [0, 1]', () => {
    expect(() => benjaminiHochberg([0.5, 1.5])).toThrow(RangeError);
    expect(() => bonferroni([-0.1])).toThrow(RangeError);
  });

  it('keeps order, never lowers a p-value, and BH is never above Bonferroni', () => {
    const pValues = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { minLength: 1, maxLength: 40 });
    fc.assert(
      fc.property(pValues, (p) => {
        const bh = benjaminiHochberg(p);
        const bonf = bonferroni(p);
        for (let i = 0; i < p.length; i++) {
          expect(bh[i]!).toBeGreaterThanOrEqual(p[i]! * (1 - 1e-15));
          expect(bh[i]!).toBeLessThanOrEqual(bonf[i]! + 1e-15);
          for (let j = 0; j < p.length; j++) if (p[i]! < p[j]!) expect(bh[i]!).toBeLessThanOrEqual(bh[j]!);
        }
      }),
      { numRuns: 100 },
    );
  });
});

describe('adjustDriftResults', () => {
  const test = (pValue: number, extra: Partial<MonitoredDriftResult> = {}): MonitoredDriftResult => ({
    method: 'ks',
    statistic: 0.1,
    pValue,
    threshold: 0.05,
    thresholdKind: 'p_value',
    drifted: pValue < 0.05,
    ...extra,
  });
  const distance: MonitoredDriftResult = {
    method: 'jensen_shannon',
    statistic: 0.2,
    threshold: 0.1,
    thresholdKind: 'distance',
    drifted: true,
  };

  it('adjusts only p-value results and re-decides drift', () => {
    const input = [test(0.01), distance, test(0.04), test(0.5)];
    const bh = adjustDriftResults(input);
    expect(bh.map((r) => r.drifted)).toEqual([true, true, false, false]);
    expectClose(bh[0]!.pValue!, 0.03, 1e-15, 'BH over the three tests');
    expect(bh[0]!.rawPValue).toBe(0.01);
    expect(bh[1]).toEqual(distance);
    const bonf = adjustDriftResults(input, 'bonferroni');
    expect(bonf.map((r) => r.drifted)).toEqual([true, true, false, false]);
    expect(input[2]!.drifted).toBe(true); // the input is left alone
  });

  it('does not compound when applied twice and keeps the effect-size floor', () => {
    const input = [
      test(0.001, { effectSize: { method: 'wasserstein_normed', value: 0.01, floor: 0.05 } }),
      test(0.2),
    ];
    const once = adjustDriftResults(input);
    const twice = adjustDriftResults(once);
    expect(twice).toEqual(once);
    expect(once[0]!.drifted).toBe(false);
    expect(adjustDriftResults(once, 'none')[0]!.pValue).toBe(0.001);
  });
});

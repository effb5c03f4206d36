import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Label } from '../performance/index.js';
import { expectClose, loadGolden } from '../test-support.js';
import { groupConfusionCounts } from './group-counts.js';
import { fairnessReport, fairnessReportFromLabels } from './report.js';

type Rates = Record<
  | 'count'
  | 'selectionRate'
  | 'truePositiveRate'
  | 'falsePositiveRate'
  | 'positivePredictiveValue'
  | 'accuracy',
  number | null
>;
interface FairnessCase {
  name: string;
  yTrue: number[];
  yPred: number[];
  groups: Label[];
  byGroup: Record<string, Rates>;
  demographicParityDifference: number;
  demographicParityRatio: number;
  equalOpportunityDifference: number;
  equalizedOddsDifference: number;
  predictiveParityDifference: number;
}

const golden = loadGolden<{ cases: FairnessCase[] }>('fairness');

describe('fairness matches fairlearn', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const report = fairnessReportFromLabels(c.yTrue, c.yPred, c.groups);
      const compared = report.groups.filter((g) => g.included);
      expect(compared.map((g) => String(g.group))).toEqual(Object.keys(c.byGroup));
      for (const g of compared) {
        const want = c.byGroup[String(g.group)]!;
        for (const key of Object.keys(want) as (keyof Rates)[]) {
          expectClose(g[key], want[key], 1e-12, `${String(g.group)} ${key}`);
        }
      }
      expectClose(report.demographicParity.difference, c.demographicParityDifference, 1e-12, 'dp difference');
      expectClose(report.demographicParity.ratio, c.demographicParityRatio, 1e-12, 'dp ratio');
      expect(report.fourFifthsRuleViolated).toBe(c.demographicParityRatio < 0.8);
      expectClose(
        report.equalOpportunity.difference,
        c.equalOpportunityDifference,
        1e-12,
        'equal opportunity',
      );
      expectClose(report.equalizedOddsDifference, c.equalizedOddsDifference, 1e-12, 'equalized odds');
      if (
        !Number.isNaN(report.predictiveParity.difference) &&
        report.predictiveParity.groupsCompared === compared.length
      ) {
        expectClose(
          report.predictiveParity.difference,
          c.predictiveParityDifference,
          1e-12,
          'predictive parity',
        );
      }
    });
  }
});

describe('fairness report', () => {
  it('reports small groups but leaves them out of the gaps, with a reason', () => {
    const report = fairnessReport(
      [
        { group: 'a', truePositives: 40, falsePositives: 10, falseNegatives: 10, trueNegatives: 40 },
        { group: 'b', truePositives: 20, falsePositives: 20, falseNegatives: 30, trueNegatives: 30 },
        { group: 'tiny', truePositives: 5, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 },
      ],
      { minGroupSize: 30 },
    );
    const tiny = report.groups.find((g) => g.group === 'tiny')!;
    expect(tiny.included).toBe(false);
    expect(tiny.exclusionReason).toMatch(/5 rows.*30/);
    expect(tiny.selectionRate).toBe(1);
    expect(report.demographicParity.groupsCompared).toBe(2);
    expectClose(report.demographicParity.difference, 0.1, 1e-15, 'dp');
    expect(report.demographicParity.highestGroup).toBe('a');
    expectClose(report.predictiveParity.difference, 0.8 - 0.5, 1e-15, 'ppv');
  });

  it('leaves a group out of a gap whose rate is undefined', () => {
    const report = fairnessReport(
      [
        { group: 'a', truePositives: 0, falsePositives: 5, falseNegatives: 0, trueNegatives: 45 },
        { group: 'b', truePositives: 10, falsePositives: 5, falseNegatives: 10, trueNegatives: 25 },
      ],
      { minGroupSize: 1 },
    );
    expect(report.groups[0]!.truePositiveRate).toBeNaN();
    expect(report.equalOpportunity.groupsCompared).toBe(1);
    expect(report.equalOpportunity.difference).toBe(0);
  });

  it('string labels and a custom favourable outcome', () => {
    const counts = groupConfusionCounts(['yes', 'no', 'yes'], ['yes', 'yes', 'no'], ['m', 'f', 'm'], {
      posLabel: 'yes',
    });
    expect(counts).toEqual([
      { group: 'f', truePositives: 0, falsePositives: 1, falseNegatives: 0, trueNegatives: 0 },
      { group: 'm', truePositives: 1, falsePositives: 0, falseNegatives: 1, trueNegatives: 0 },
    ]);
  });

  it('gaps are non-negative, ratios in [0, 1], and invariant to group order', () => {
    const group = fc.record({
      truePositives: fc.nat(50),
      falsePositives: fc.nat(50),
      falseNegatives: fc.nat(50),
      trueNegatives: fc.nat(50),
    });
    fc.assert(
      fc.property(fc.array(group, { minLength: 1, maxLength: 6 }), (rows) => {
        const counts = rows.map((r, i) => ({ group: `g${i}`, ...r }));
        const a = fairnessReport(counts, { minGroupSize: 1 });
        const b = fairnessReport([...counts].reverse(), { minGroupSize: 1 });
        for (const gap of [a.demographicParity, a.equalOpportunity, a.predictiveParity]) {
          if (Number.isNaN(gap.difference)) continue;
          expect(gap.difference).toBeGreaterThanOrEqual(0);
          if (!Number.isNaN(gap.ratio)) expect(gap.ratio >= 0 && gap.ratio <= 1).toBe(true);
        }
        expect(b.demographicParity.difference).toBe(a.demographicParity.difference);
        expect(b.equalizedOddsDifference).toBe(a.equalizedOddsDifference);
      }),
      { numRuns: 200 },
    );
  });
});

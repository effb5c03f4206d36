import { describe, expect, it } from 'vitest';
import { evaluateGate } from './gate.js';

const candidate = { name: '4', metrics: { auc: 0.86, rmse: 1.2 } };
const holder = { name: '3', metrics: { auc: 0.8, rmse: 1.5 } };

describe('promotion gate', () => {
  it('passes thresholds and changes in the better direction', () => {
    const results = evaluateGate(
      [
        {
          metric: 'auc',
          greaterIsBetter: true,
          threshold: 0.85,
          minAbsoluteChange: 0.05,
          minRelativeChange: 0.07,
        },
        { metric: 'rmse', greaterIsBetter: false, threshold: 1.3, minRelativeChange: 0.2 },
      ],
      candidate,
      holder,
    );
    expect(results.map((r) => [r.metric, r.check, r.passed])).toEqual([
      ['auc', 'threshold', true],
      ['auc', 'min_absolute_change', true],
      ['auc', 'min_relative_change', true],
      ['rmse', 'threshold', true],
      ['rmse', 'min_relative_change', true],
    ]);
  });

  it('says which check failed with the numbers', () => {
    const [threshold, change] = evaluateGate(
      [{ metric: 'auc', greaterIsBetter: true, threshold: 0.9, minAbsoluteChange: 0.1 }],
      candidate,
      holder,
    );
    expect(threshold).toMatchObject({ passed: false, candidate: 0.86, required: 0.9 });
    expect(threshold!.message).toBe('auc = 0.86 fails the threshold ≥ 0.9');
    expect(change).toMatchObject({ passed: false, candidate: 0.86, baseline: 0.8 });
    expect(change!.message).toContain('absolute change 0.06');
    expect(change!.message).toContain('below the required 0.1');
  });

  it('skips changes when nothing holds the alias, and fails on a missing metric', () => {
    const results = evaluateGate(
      [
        { metric: 'auc', greaterIsBetter: true, minRelativeChange: 0.1 },
        { metric: 'f1', greaterIsBetter: true, threshold: 0.5 },
      ],
      candidate,
      null,
    );
    expect(results.map((r) => [r.passed, r.skipped])).toEqual([
      [true, true],
      [false, false],
    ]);
    expect(results[1]!.message).toBe('version 4 has no metric "f1"');
  });
});

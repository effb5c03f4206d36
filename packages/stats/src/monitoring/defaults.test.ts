import { describe, expect, it } from 'vitest';
import { compareDistributions } from './compare.js';
import {
  BUDGETED_KINDS,
  chunkCount,
  chunkOfRow,
  defaultMonitorKinds,
  driftEdgesOfSorted,
} from './defaults.js';

describe('default monitor choices', () => {
  it('gives a binary classifier with numeric features six budgeted monitors', () => {
    const kinds = defaultMonitorKinds({
      task: 'binary_classification',
      numericFeatures: 2,
      sensitiveAttributes: 0,
    });
    expect(kinds.filter((k) => BUDGETED_KINDS.has(k))).toHaveLength(6);
    const regression = defaultMonitorKinds({
      task: 'regression',
      numericFeatures: 1,
      sensitiveAttributes: 1,
    });
    expect(regression).not.toContain('estimated_performance');
    expect(regression).not.toContain('fairness');
  });

  it('bins on deciles with ties collapsed and cuts the reference into 5, 10 or 20 chunks', () => {
    expect(driftEdgesOfSorted(Float64Array.from({ length: 11 }, (_, i) => i))).toEqual([
      Number.NEGATIVE_INFINITY,
      1,
      2,
      3,
      4,
      5,
      6,
      7,
      8,
      9,
      Number.POSITIVE_INFINITY,
    ]);
    const tied = driftEdgesOfSorted(new Float64Array([1, 1, 1, 2]));
    expect(tied.slice(0, 2)).toEqual([Number.NEGATIVE_INFINITY, 1]);
    expect(tied.slice(2, 5).map((e) => Number(e.toFixed(12)))).toEqual([1.1, 1.4, 1.7]);
    expect(tied[5]).toBe(Number.POSITIVE_INFINITY);
    expect([chunkCount(100, 100), chunkCount(750, 100), chunkCount(1500, 100)]).toEqual([5, 10, 20]);
    expect(Array.from({ length: 10 }, (_, i) => chunkOfRow(i, 10, 5))).toEqual([
      0, 0, 1, 1, 2, 2, 3, 3, 4, 4,
    ]);
  });

  it('alerts on a shifted histogram and not on the same one', () => {
    const chunk = { counts: [20, 20, 20, 20, 20], sums: [0, 0, 0, 0, 0] };
    const reference = { counts: [100, 100, 100, 100, 100], sums: [0, 0, 0, 0, 0] };
    const edges = [Number.NEGATIVE_INFINITY, 1, 2, 3, 4, Number.POSITIVE_INFINITY];
    const chunks = [chunk, chunk, chunk, chunk, chunk];
    const same = compareDistributions(
      { kind: 'numeric', edges, reference, current: reference, chunks },
      { method: 'jensen_shannon', alpha: 1e-4 },
    );
    expect(same.status).toBe('ok');
    const shifted = compareDistributions(
      {
        kind: 'numeric',
        edges,
        reference,
        current: { counts: [10, 10, 100, 200, 180], sums: [0, 0, 0, 0, 0] },
        chunks,
      },
      { method: 'jensen_shannon', alpha: 1e-4 },
    );
    expect(shifted.status).toBe('alert');
    expect(shifted.details.threshold_source).toBe('sampling noise');
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import { EwmaChart, type EwmaChartOptions } from './ewma-chart.js';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';

function options(c: GoldenCase): EwmaChartOptions {
  const p = c.params as Record<string, number | null>;
  return { lambda: p.lambda!, L: p.L!, target: p.target ?? null, sigma: p.sigma ?? null, warmup: p.warmup! };
}

describe('EwmaChart against the numpy Roberts EWMA chart', () => {
  goldenReplayTests({
    detector: 'ewma',
    minCases: 5,
    title: 'fires at the reference indices with the same EWMA and limit',
    create: (c) => new EwmaChart(options(c)),
    fromState: EwmaChart.fromState,
    restartEvery: 61,
    checkTrace: (row, u, i) => {
      expectClose(u.z, row[1]!, 1e-9, `z at ${i}`);
      expectClose(u.upperLimit, row[2]!, 1e-9, `upper limit at ${i}`);
    },
  });

  it('limits widen monotonically towards the asymptotic L sigma sqrt(lambda / (2 - lambda))', () => {
    fc.assert(
      fc.property(fc.double({ min: 0.01, max: 1, noNaN: true }), (lambda) => {
        const chart = new EwmaChart({ lambda, L: 3, target: 0, sigma: 1 });
        const asymptote = 3 * Math.sqrt(lambda / (2 - lambda));
        let previous = 0;
        for (let i = 0; i < 50; i++) {
          const { upperLimit } = chart.update(0);
          expect(upperLimit).toBeGreaterThanOrEqual(previous);
          expect(upperLimit).toBeLessThanOrEqual(asymptote * (1 + 1e-12));
          previous = upperLimit;
        }
      }),
      { numRuns: 40 },
    );
  });

  it('rejects lambda outside (0, 1]', () => {
    expect(() => new EwmaChart({ lambda: 0 })).toThrow(RangeError);
    expect(() => new EwmaChart({ lambda: 1.5 })).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import { EwmaChart, type EwmaChartOptions } from './ewma-chart.js';
import {
  caseLabel,
  type GoldenCase,
  goldenCases,
  replay,
  replayWithRestarts,
} from './golden-cases.test-support.js';

const { cases, streams } = goldenCases('ewma');

function options(c: GoldenCase): EwmaChartOptions {
  const p = c.params as Record<string, number | null>;
  return { lambda: p.lambda!, L: p.L!, target: p.target ?? null, sigma: p.sigma ?? null, warmup: p.warmup! };
}

describe('EwmaChart against the numpy Roberts EWMA chart', () => {
  it('has golden cases', () => expect(cases.length).toBeGreaterThan(5));

  for (const c of cases) {
    it(`fires at the reference indices with the same EWMA and limit: ${caseLabel(c)}`, () => {
      const traced = new Map((c.trace ?? []).map((row) => [row[0]!, row]));
      const { drifts } = replay(new EwmaChart(options(c)), streams[c.stream]!, (i, u) => {
        const row = traced.get(i);
        if (!row) return;
        expectClose(u.z, row[1]!, 1e-9, `z at ${i}`);
        expectClose(u.upperLimit, row[2]!, 1e-9, `upper limit at ${i}`);
      });
      expect(drifts).toEqual(c.drifts);
    });
  }

  it('resumes exactly from its JSON state', () => {
    for (const c of cases) {
      const resumed = replayWithRestarts(
        () => new EwmaChart(options(c)),
        EwmaChart.fromState,
        streams[c.stream]!,
        61,
      );
      expect(resumed.drifts, caseLabel(c)).toEqual(c.drifts);
    }
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import { Cusum, type CusumOptions } from './cusum.js';
import {
  caseLabel,
  type GoldenCase,
  goldenCases,
  replay,
  replayWithRestarts,
} from './golden-cases.test-support.js';

const { cases, streams } = goldenCases('cusum');

function options(c: GoldenCase): CusumOptions {
  const p = c.params as Record<string, number | null>;
  return { k: p.k!, h: p.h!, target: p.target ?? null, sigma: p.sigma ?? null, warmup: p.warmup! };
}

describe('Cusum against the numpy tabular CUSUM', () => {
  it('has golden cases', () => expect(cases.length).toBeGreaterThan(5));

  for (const c of cases) {
    it(`fires at the reference indices with the same sums: ${caseLabel(c)}`, () => {
      const traced = new Map((c.trace ?? []).map((row) => [row[0]!, row]));
      const { drifts } = replay(new Cusum(options(c)), streams[c.stream]!, (i, u) => {
        const row = traced.get(i);
        if (!row) return;
        expectClose(u.upper, row[1]!, 1e-9, `C+ at ${i}`);
        expectClose(u.lower, row[2]!, 1e-9, `C- at ${i}`);
      });
      expect(drifts).toEqual(c.drifts);
    });
  }

  it('resumes exactly from its JSON state', () => {
    for (const c of cases) {
      const resumed = replayWithRestarts(
        () => new Cusum(options(c)),
        Cusum.fromState,
        streams[c.stream]!,
        77,
      );
      expect(resumed.drifts, caseLabel(c)).toEqual(c.drifts);
    }
  });

  it('is symmetric: negating the stream around the target swaps the two sums', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -4, max: 4, noNaN: true }), { minLength: 1, maxLength: 200 }),
        (xs) => {
          const a = new Cusum({ target: 0, sigma: 1, k: 0.5, h: 4 });
          const b = new Cusum({ target: 0, sigma: 1, k: 0.5, h: 4 });
          for (const x of xs) {
            const ua = a.update(x);
            const ub = b.update(-x);
            expect(ua.drift).toBe(ub.drift);
            expectClose(ua.upper, ub.lower, 1e-12);
            expect(Math.min(ua.upper, ua.lower)).toBeGreaterThanOrEqual(0);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

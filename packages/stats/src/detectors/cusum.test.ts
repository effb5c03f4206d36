import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import { Cusum, type CusumOptions } from './cusum.js';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';

function options(c: GoldenCase): CusumOptions {
  const p = c.params as Record<string, number | null>;
  return { k: p.k!, h: p.h!, target: p.target ?? null, sigma: p.sigma ?? null, warmup: p.warmup! };
}

describe('Cusum against the numpy tabular CUSUM', () => {
  goldenReplayTests({
    detector: 'cusum',
    minCases: 5,
    title: 'fires at the reference indices with the same sums',
    create: (c) => new Cusum(options(c)),
    fromState: Cusum.fromState,
    restartEvery: 77,
    checkTrace: (row, u, i) => {
      expectClose(u.upper, row[1]!, 1e-9, `C+ at ${i}`);
      expectClose(u.lower, row[2]!, 1e-9, `C- at ${i}`);
    },
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

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ddm, type DdmOptions } from './ddm.js';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';

function options(c: GoldenCase): Partial<DdmOptions> {
  const p = c.params as Record<string, number>;
  const out: Partial<DdmOptions> = {};
  if (p.warm_start !== undefined) out.warmStart = p.warm_start;
  if (p.warning_threshold !== undefined) out.warningThreshold = p.warning_threshold;
  if (p.drift_threshold !== undefined) out.driftThreshold = p.drift_threshold;
  return out;
}

describe('Ddm against river.drift.binary.DDM', () => {
  goldenReplayTests({
    detector: 'ddm',
    minCases: 5,
    title: "warns and fires at river's indices",
    create: (c) => new Ddm(options(c)),
    fromState: Ddm.fromState,
    restartEvery: 89,
    warnings: true,
  });

  it('never warns and fires on the same value, and never fires on an error-free stream', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(0, 1), { minLength: 1, maxLength: 400 }), (xs) => {
        const ddm = new Ddm();
        for (const x of xs) {
          const u = ddm.update(x);
          expect(u.drift && u.warning).toBe(false);
        }
        const clean = new Ddm();
        return xs.every(() => !clean.update(0).drift);
      }),
      { numRuns: 40 },
    );
  });
});

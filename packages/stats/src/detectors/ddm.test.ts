import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Ddm, type DdmOptions } from './ddm.js';
import {
  caseLabel,
  type GoldenCase,
  goldenCases,
  replay,
  replayWithRestarts,
} from './golden-cases.test-support.js';

const { cases, streams } = goldenCases('ddm');

function options(c: GoldenCase): Partial<DdmOptions> {
  const p = c.params as Record<string, number>;
  const out: Partial<DdmOptions> = {};
  if (p.warm_start !== undefined) out.warmStart = p.warm_start;
  if (p.warning_threshold !== undefined) out.warningThreshold = p.warning_threshold;
  if (p.drift_threshold !== undefined) out.driftThreshold = p.drift_threshold;
  return out;
}

describe('Ddm against river.drift.binary.DDM', () => {
  it('has golden cases', () => expect(cases.length).toBeGreaterThan(5));

  for (const c of cases) {
    it(`warns and fires at river's indices: ${caseLabel(c)}`, () => {
      const { drifts, warnings } = replay(new Ddm(options(c)), streams[c.stream]!);
      expect(drifts).toEqual(c.drifts);
      expect(warnings).toEqual(c.warnings);
    });
  }

  it('resumes exactly from its JSON state', () => {
    for (const c of cases) {
      const resumed = replayWithRestarts(() => new Ddm(options(c)), Ddm.fromState, streams[c.stream]!, 89);
      expect(resumed, caseLabel(c)).toEqual({ drifts: c.drifts, warnings: c.warnings });
    }
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

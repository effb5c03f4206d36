import { describe, expect, it } from 'vitest';
import { Eddm, type EddmOptions } from './eddm.js';
import {
  caseLabel,
  type GoldenCase,
  goldenCases,
  replay,
  replayWithRestarts,
} from './golden-cases.test-support.js';

const { cases, streams } = goldenCases('eddm');

function options(c: GoldenCase): Partial<EddmOptions> {
  const p = c.params as Record<string, number>;
  const out: Partial<EddmOptions> = {};
  if (p.warm_start !== undefined) out.warmStart = p.warm_start;
  if (p.alpha !== undefined) out.alpha = p.alpha;
  if (p.beta !== undefined) out.beta = p.beta;
  return out;
}

describe('Eddm against river.drift.binary.EDDM', () => {
  it('has golden cases', () => expect(cases.length).toBeGreaterThan(5));

  for (const c of cases) {
    it(`warns and fires at river's indices: ${caseLabel(c)}`, () => {
      const { drifts, warnings } = replay(new Eddm(options(c)), streams[c.stream]!);
      expect(drifts).toEqual(c.drifts);
      expect(warnings).toEqual(c.warnings);
    });
  }

  it('resumes exactly from its JSON state', () => {
    for (const c of cases) {
      const resumed = replayWithRestarts(() => new Eddm(options(c)), Eddm.fromState, streams[c.stream]!, 97);
      expect(resumed, caseLabel(c)).toEqual({ drifts: c.drifts, warnings: c.warnings });
    }
  });

  it('rejects alpha < beta', () => {
    expect(() => new Eddm({ alpha: 0.8, beta: 0.9 })).toThrow(RangeError);
  });
});

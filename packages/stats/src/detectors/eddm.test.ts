import { describe, expect, it } from 'vitest';
import { Eddm, type EddmOptions } from './eddm.js';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';

function options(c: GoldenCase): Partial<EddmOptions> {
  const p = c.params as Record<string, number>;
  const out: Partial<EddmOptions> = {};
  if (p.warm_start !== undefined) out.warmStart = p.warm_start;
  if (p.alpha !== undefined) out.alpha = p.alpha;
  if (p.beta !== undefined) out.beta = p.beta;
  return out;
}

describe('Eddm against river.drift.binary.EDDM', () => {
  goldenReplayTests({
    detector: 'eddm',
    minCases: 5,
    title: "warns and fires at river's indices",
    create: (c) => new Eddm(options(c)),
    fromState: Eddm.fromState,
    restartEvery: 97,
    warnings: true,
  });

  it('rejects alpha < beta', () => {
    expect(() => new Eddm({ alpha: 0.8, beta: 0.9 })).toThrow(RangeError);
  });
});

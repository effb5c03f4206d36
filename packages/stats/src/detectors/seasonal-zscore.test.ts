import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';
import { SeasonalZScore, type SeasonalZScoreOptions } from './seasonal-zscore.js';

function options(c: GoldenCase): SeasonalZScoreOptions {
  const p = c.params as Record<string, number>;
  return { period: p.period!, history: p.history!, threshold: p.threshold!, minHistory: p.min_history! };
}

describe('SeasonalZScore against the numpy median / MAD reference', () => {
  goldenReplayTests({
    detector: 'seasonal_zscore',
    minCases: 2,
    title: 'flags the reference indices with the same scores',
    create: (c) => new SeasonalZScore(options(c)),
    fromState: SeasonalZScore.fromState,
    restartEvery: 53,
    checkTrace: (row, u, i) => {
      if (row[1] === null) expect(Number.isFinite(u.score)).toBe(false);
      else expectClose(u.score, row[1]!, 1e-9, `score at ${i}`);
    },
  });

  it('is unchanged by shifting and positively scaling the whole series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 10, maxLength: 120 }),
        fc.integer({ min: -100, max: 100 }),
        fc.constantFrom(0.5, 2, 4),
        (xs, shift, scale) => {
          const a = new SeasonalZScore({ period: 3, history: 5, minHistory: 3 });
          const b = new SeasonalZScore({ period: 3, history: 5, minHistory: 3 });
          for (const x of xs) {
            const sa = a.update(x).score;
            const sb = b.update(x * scale + shift).score;
            if (Number.isFinite(sa)) expectClose(sb, sa, 1e-9);
            else expect(sb).toBe(sa);
          }
        },
      ),
      { numRuns: 40 },
    );
  });
});

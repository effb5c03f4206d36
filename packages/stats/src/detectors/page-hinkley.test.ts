import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';
import { PageHinkley, type PageHinkleyMode, type PageHinkleyOptions } from './page-hinkley.js';

function options(c: GoldenCase): Partial<PageHinkleyOptions> {
  const p = c.params;
  const out: Partial<PageHinkleyOptions> = {};
  if (p.min_instances !== undefined) out.minInstances = p.min_instances as number;
  if (p.delta !== undefined) out.delta = p.delta as number;
  if (p.threshold !== undefined) out.threshold = p.threshold as number;
  if (p.alpha !== undefined) out.alpha = p.alpha as number;
  if (p.mode !== undefined) out.mode = p.mode as PageHinkleyMode;
  return out;
}

describe('PageHinkley against river.drift.PageHinkley', () => {
  goldenReplayTests({
    detector: 'page_hinkley',
    minCases: 10,
    title: "fires at river's indices",
    create: (c) => new PageHinkley(options(c)),
    fromState: PageHinkley.fromState,
    restartEvery: 101,
  });

  it('keeps both statistics non-negative and never fires on a constant stream', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -5, max: 5, noNaN: true }), { minLength: 1, maxLength: 300 }),
        fc.double({ min: -1e3, max: 1e3, noNaN: true }),
        (xs, constant) => {
          const detector = new PageHinkley({ threshold: 5, minInstances: 10 });
          for (const x of xs) {
            const { increase, decrease } = detector.update(x);
            expect(increase).toBeGreaterThanOrEqual(0);
            expect(decrease).toBeGreaterThanOrEqual(0);
          }
          const flat = new PageHinkley();
          for (let i = 0; i < 500; i++) expect(flat.update(constant).drift).toBe(false);
        },
      ),
      { numRuns: 30 },
    );
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  caseLabel,
  type GoldenCase,
  goldenCases,
  replay,
  replayWithRestarts,
} from './golden-cases.test-support.js';
import { PageHinkley, type PageHinkleyMode, type PageHinkleyOptions } from './page-hinkley.js';

const { cases, streams } = goldenCases('page_hinkley');

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
  it('has golden cases', () => expect(cases.length).toBeGreaterThan(10));

  for (const c of cases) {
    it(`fires at river's indices: ${caseLabel(c)}`, () => {
      expect(replay(new PageHinkley(options(c)), streams[c.stream]!).drifts).toEqual(c.drifts);
    });
  }

  it('resumes exactly from its JSON state', () => {
    for (const c of cases) {
      const resumed = replayWithRestarts(
        () => new PageHinkley(options(c)),
        PageHinkley.fromState,
        streams[c.stream]!,
        101,
      );
      expect(resumed.drifts, caseLabel(c)).toEqual(c.drifts);
    }
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

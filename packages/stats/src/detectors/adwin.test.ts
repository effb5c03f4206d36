import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose } from '../test-support.js';
import { Adwin, type AdwinOptions } from './adwin.js';
import { type GoldenCase, goldenReplayTests } from './golden-cases.test-support.js';

function options(c: GoldenCase): Partial<AdwinOptions> {
  const p = c.params as Record<string, number>;
  return {
    delta: p.delta,
    clock: p.clock,
    maxBuckets: p.max_buckets,
    minWindowLength: p.min_window_length,
    gracePeriod: p.grace_period,
  };
}

function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

describe('Adwin against river.drift.ADWIN', () => {
  goldenReplayTests({
    detector: 'adwin',
    minCases: 20,
    title: "fires at river's indices and tracks its window",
    create: (c) => new Adwin(defined(options(c))),
    fromState: Adwin.fromState,
    restartEvery: 137,
    resumeCases: 12,
    checkTrace: (row, _update, i, adwin) => {
      const { width, total, variance } = adwin.window;
      expect(width, `width at ${i}`).toBe(row[1]);
      expectClose(total, row[2]!, 1e-9, `total at ${i}`);
      expectClose(variance, row[3]!, 1e-9, `variance at ${i}`);
      expectClose(adwin.estimation, row[4]!, 1e-9, `estimation at ${i}`);
    },
  });

  it('never fires on a constant stream and keeps the exact mean', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -1e6, max: 1e6, noNaN: true }),
        fc.integer({ min: 1, max: 600 }),
        (v, n) => {
          const adwin = new Adwin({ clock: 1 });
          for (let i = 0; i < n; i++) expect(adwin.update(v).drift).toBe(false);
          expect(adwin.window.width).toBe(n);
        },
      ),
      { numRuns: 30 },
    );
  });

  it('restarts with an empty window after a change', () => {
    const adwin = new Adwin({ clock: 1 });
    let fired = -1;
    for (let i = 0; i < 400 && fired < 0; i++) if (adwin.update(i < 200 ? 0 : 10).drift) fired = i;
    expect(fired).toBeGreaterThan(199);
    adwin.update(10);
    expect(adwin.window.width).toBe(1);
  });
});

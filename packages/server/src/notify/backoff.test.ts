import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { retryDelay } from './backoff.js';

describe('retryDelay', () => {
  const config = { backoffMs: 1000, maxBackoffMs: 60_000 };

  it('doubles from the base, capped, with half of each delay left to jitter', () => {
    expect([1, 2, 3, 4].map((n) => retryDelay(n, config, () => 0))).toEqual([500, 1000, 2000, 4000]);
    expect([1, 2, 3, 4].map((n) => retryDelay(n, config, () => 0.999_999))).toEqual([1000, 2000, 4000, 8000]);
    expect(retryDelay(30, config, () => 0)).toBe(30_000);
  });

  it('waits at least what Retry-After asks, within the cap', () => {
    expect(retryDelay(1, config, () => 0, 20_000)).toBe(20_000);
    expect(retryDelay(1, config, () => 0, 10 * 60_000)).toBe(60_000);
  });

  it('stays between half and all of the capped exponential delay', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10_000_000 }),
        (attempts, random, backoffMs, extra) => {
          const limits = { backoffMs, maxBackoffMs: backoffMs + extra };
          const full = Math.min(limits.maxBackoffMs, backoffMs * 2 ** (attempts - 1));
          const delay = retryDelay(attempts, limits, () => random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(full));
        },
      ),
    );
  });
});

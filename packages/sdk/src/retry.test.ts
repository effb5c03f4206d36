import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay, defaultRetryPolicy, isRetryableStatus, parseRetryAfter } from './retry.js';

describe('backoffDelay', () => {
  it('stays in the upper half of the capped exponential window', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 60 }), fc.double({ min: 0, max: 1, noNaN: true }), (retry, r) => {
        const cap = Math.min(defaultRetryPolicy.maxDelayMs, defaultRetryPolicy.baseDelayMs * 2 ** retry);
        const delay = backoffDelay(retry, defaultRetryPolicy, () => r);
        expect(delay).toBeGreaterThanOrEqual(Math.floor(cap / 2));
        expect(delay).toBeLessThanOrEqual(Math.ceil(cap));
      }),
    );
  });

  it('grows with the retry number until the cap', () => {
    const policy = { ...defaultRetryPolicy, baseDelayMs: 100, maxDelayMs: 1000 };
    expect([0, 1, 2, 3, 4, 5].map((n) => backoffDelay(n, policy, () => 1))).toEqual([
      100, 200, 400, 800, 1000, 1000,
    ]);
  });
});

describe('parseRetryAfter', () => {
  it('reads delay-seconds', () => {
    expect(parseRetryAfter('3')).toBe(3000);
    expect(parseRetryAfter(' 0 ')).toBe(0);
    expect(parseRetryAfter('1.5')).toBe(1500);
  });

  it('reads an HTTP date relative to now', () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:10 GMT', now)).toBe(10_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:00:00 GMT', now)).toBe(0);
  });

  it('ignores absent or unreadable values', () => {
    expect(parseRetryAfter(null)).toBeUndefined();
    expect(parseRetryAfter('soon')).toBeUndefined();
    expect(parseRetryAfter('-1')).toBeUndefined();
  });
});

describe('isRetryableStatus', () => {
  it('retries overload, timeouts and server faults only', () => {
    expect([408, 429, 500, 502, 503, 504].every(isRetryableStatus)).toBe(true);
    expect([400, 401, 403, 404, 409, 413, 422, 501, 505].some(isRetryableStatus)).toBe(false);
  });
});

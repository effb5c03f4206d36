import { describe, expect, it } from 'vitest';
import { FailureWindow, LoginLimiter } from './login-limiter.js';

const T0 = 1_000_000;

describe('FailureWindow', () => {
  it('blocks after `limit` failures within the window until the oldest of them leaves it', () => {
    const window = new FailureWindow(3, 60_000);
    window.recordFailure('k', T0);
    window.recordFailure('k', T0 + 10_000);
    expect(window.blockedFor('k', T0 + 10_000)).toBe(0);
    window.recordFailure('k', T0 + 20_000);
    expect(window.blockedFor('k', T0 + 20_000)).toBe(40_000);
    expect(window.blockedFor('k', T0 + 59_999)).toBe(1);
    // The first failure has left the window: two remain, below the limit.
    expect(window.blockedFor('k', T0 + 60_000)).toBe(0);
    expect(window.blockedFor('other', T0 + 20_000)).toBe(0);
    window.reset('k');
    expect(window.blockedFor('k', T0 + 20_000)).toBe(0);
  });
});

describe('LoginLimiter', () => {
  it('limits per user name and per address, and a success clears only the name', () => {
    const limiter = new LoginLimiter({ perUser: 2, perAddress: 3 });
    limiter.recordFailure('ada', '10.0.0.1', T0);
    limiter.recordFailure('ada', '10.0.0.1', T0);
    expect(limiter.retryAfterSeconds('ada', '10.0.0.2', T0)).toBe(60);
    expect(limiter.retryAfterSeconds('bob', '10.0.0.1', T0)).toBe(0);
    limiter.recordSuccess('ada');
    expect(limiter.retryAfterSeconds('ada', '10.0.0.2', T0)).toBe(0);
    // A third failure from the address, under another name, blocks every name from there.
    limiter.recordFailure('cy', '10.0.0.1', T0 + 30_000);
    expect(limiter.retryAfterSeconds('dan', '10.0.0.1', T0 + 30_000)).toBe(30);
    expect(limiter.retryAfterSeconds('dan', '10.0.0.9', T0 + 30_000)).toBe(0);
    // Never a 0-second wait while blocked: at least 1.
    expect(limiter.retryAfterSeconds('dan', '10.0.0.1', T0 + 59_999)).toBe(1);
  });
});

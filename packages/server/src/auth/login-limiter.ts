/**
 * Login rate limiting: after `limit` failed sign-ins within a minute for one user name
 * (or one client address), further attempts are refused with 429 until the oldest failure
 * leaves the window, without checking the password at all. In memory, per server:
 * enough against online guessing, which is what it is for.
 */

const WINDOW_MS = 60_000;
/** Bounds memory under a flood of distinct names or addresses. */
const MAX_TRACKED = 50_000;

export class FailureWindow {
  private readonly failures = new Map<string, number[]>();

  constructor(
    private readonly limit: number,
    private readonly windowMs = WINDOW_MS,
  ) {}

  /** Milliseconds until `key` may try again, or 0 when it may now. */
  blockedFor(key: string, nowMs: number): number {
    const recent = this.recent(key, nowMs);
    if (recent.length < this.limit) return 0;
    return recent[recent.length - this.limit]! + this.windowMs - nowMs;
  }

  recordFailure(key: string, nowMs: number): void {
    const recent = this.recent(key, nowMs);
    recent.push(nowMs);
    if (!this.failures.has(key) && this.failures.size >= MAX_TRACKED) this.prune(nowMs);
    this.failures.set(key, recent.slice(-this.limit));
  }

  reset(key: string): void {
    this.failures.delete(key);
  }

  private recent(key: string, nowMs: number): number[] {
    return (this.failures.get(key) ?? []).filter((at) => at > nowMs - this.windowMs);
  }

  private prune(nowMs: number): void {
    for (const [key, times] of this.failures) {
      if (times.every((at) => at <= nowMs - this.windowMs)) this.failures.delete(key);
    }
    // Still full of live entries: forget the oldest half rather than grow without bound.
    if (this.failures.size >= MAX_TRACKED) {
      let drop = this.failures.size / 2;
      for (const key of this.failures.keys()) {
        if (drop-- <= 0) break;
        this.failures.delete(key);
      }
    }
  }
}

export class LoginLimiter {
  private readonly byUser: FailureWindow;
  private readonly byAddress: FailureWindow;

  constructor(limits: { perUser: number; perAddress: number }) {
    this.byUser = new FailureWindow(limits.perUser);
    this.byAddress = new FailureWindow(limits.perAddress);
  }

  /** Seconds to wait before this attempt is allowed, or 0. */
  retryAfterSeconds(username: string, address: string, nowMs: number): number {
    const waitMs = Math.max(
      this.byUser.blockedFor(username, nowMs),
      this.byAddress.blockedFor(address, nowMs),
    );
    return waitMs > 0 ? Math.max(1, Math.ceil(waitMs / 1000)) : 0;
  }

  recordFailure(username: string, address: string, nowMs: number): void {
    this.byUser.recordFailure(username, nowMs);
    this.byAddress.recordFailure(address, nowMs);
  }

  /** A successful sign-in clears the name's failures (the address keeps its own). */
  recordSuccess(username: string): void {
    this.byUser.reset(username);
  }
}

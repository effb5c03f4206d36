/** When and how long to wait before a request is tried again. */
export interface RetryPolicy {
  /** Retries after the first attempt; `0` disables retrying. */
  maxRetries: number;
  /** Delay cap of the first retry; each further retry doubles it. */
  baseDelayMs: number;
  /** Upper bound of the exponential delay. */
  maxDelayMs: number;
  /** Upper bound of a wait asked for by the server through `Retry-After`. */
  maxRetryAfterMs: number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 8,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxRetryAfterMs: 300_000,
};

/**
 * Exponential backoff with jitter for the retry numbered `retry` (0 for the first retry): a delay
 * drawn uniformly from the upper half of `min(maxDelayMs, baseDelayMs * 2^retry)`, so that clients
 * that failed together do not come back together.
 */
export function backoffDelay(retry: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.min(retry, 30));
  return Math.round(cap / 2 + random() * (cap / 2));
}

/**
 * Milliseconds to wait according to a `Retry-After` header: delay-seconds or an HTTP date.
 * `undefined` when the header is absent or cannot be read.
 */
export function parseRetryAfter(value: string | null, now: number = Date.now()): number | undefined {
  if (value === null) return undefined;
  const text = value.trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  // HTTP dates start with the day name ("Wed, 21 Oct 2015 07:28:00 GMT").
  const date = /^[A-Za-z]{3}/.test(text) ? Date.parse(text) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}

/** Statuses after which the same request may succeed: overload, timeouts and server faults. */
export function isRetryableStatus(status: number): boolean {
  if (status === 408 || status === 429) return true;
  return status >= 500 && status !== 501 && status !== 505;
}

import type { NotifyConfig } from '../config.js';

/**
 * Delay before the next attempt after `attempts` failed ones: exponential from `backoffMs`,
 * capped at `maxBackoffMs`, with "equal jitter" (half fixed, half random) so receivers that
 * failed together are not retried all at the same instant. `random` is in [0, 1).
 */
export function retryDelay(
  attempts: number,
  config: Pick<NotifyConfig, 'backoffMs' | 'maxBackoffMs'>,
  random: () => number,
  retryAfterMs?: number,
): number {
  const exponential = Math.min(config.maxBackoffMs, config.backoffMs * 2 ** Math.max(0, attempts - 1));
  const jittered = exponential / 2 + (random() * exponential) / 2;
  return Math.round(Math.max(jittered, Math.min(retryAfterMs ?? 0, config.maxBackoffMs)));
}

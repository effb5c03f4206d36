/**
 * The effect-size floor: on large windows a hypothesis test detects shifts too small to matter,
 * so a p-value test only reports drift when a distance with effect-size meaning also reaches a
 * small floor.
 */
import type { DriftResult } from './types.js';

/** A distance that must reach `floor` before a p-value test may report drift. */
export interface EffectSizeCheck {
  /** Distance method, e.g. `wasserstein_normed` or `total_variation`. */
  method: string;
  value: number;
  floor: number;
}

/** A drift result as a monitor reports it: possibly adjusted for multiple testing and floored. */
export interface MonitoredDriftResult extends DriftResult {
  /** The p-value before multiple-testing adjustment, when an adjustment was applied. */
  rawPValue?: number;
  /** The effect-size floor applied to a p-value test, if any. */
  effectSize?: EffectSizeCheck;
}

/** Default floors: 5% of a reference standard deviation for numeric, 2 points of share for categories. */
export const DEFAULT_EFFECT_SIZE_FLOORS = {
  /** Normed Wasserstein distance (Wasserstein-1 / reference standard deviation). */
  numeric: 0.05,
  /** Total variation distance between the category proportions. */
  categorical: 0.02,
} as const;

/**
 * Decides `drifted` from the result's own fields: p-value (or statistic) against the threshold,
 * and, when present, the effect-size floor. A NaN p-value or statistic never reports drift.
 */
export function decideDrift(result: MonitoredDriftResult): boolean {
  const significant =
    result.thresholdKind === 'p_value'
      ? result.pValue !== undefined && result.pValue < result.threshold
      : result.statistic >= result.threshold;
  if (!significant) return false;
  return result.effectSize === undefined || result.effectSize.value >= result.effectSize.floor;
}

/** Attaches an effect-size floor to a result and re-decides `drifted`. */
export function withEffectSizeFloor<T extends DriftResult>(
  result: T,
  check: EffectSizeCheck,
): T & MonitoredDriftResult {
  const floored: T & MonitoredDriftResult = { ...result, effectSize: check };
  floored.drifted = decideDrift(floored);
  return floored;
}

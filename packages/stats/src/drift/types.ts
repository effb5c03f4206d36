/**
 * Shared shapes for every drift method, so monitors, alerts and the dashboard
 * treat all methods alike.
 */

/** How a method's statistic is compared with its threshold. */
export type ThresholdKind =
  /** Drift when the p-value is below the threshold (hypothesis tests). */
  | 'p_value'
  /** Drift when the statistic is at or above the threshold (distances, divergences). */
  | 'distance';

/**
 * Outcome of one drift check, in the same shape for every method: statistic, threshold and whether drift was
 * found.
 */
export interface DriftResult {
  /** Method identifier, e.g. `ks`, `psi`, `jensen_shannon`. */
  method: string;
  /** The test statistic or distance. */
  statistic: number;
  /** Defined for hypothesis tests only. */
  pValue?: number;
  threshold: number;
  thresholdKind: ThresholdKind;
  drifted: boolean;
}

/** Histogram counts of a reference and a current sample on shared bin edges. */
export interface BinnedCounts {
  /** Bin edges, ascending, length = counts.length + 1. */
  edges: ArrayLike<number>;
  reference: ArrayLike<number>;
  current: ArrayLike<number>;
}

/** Category counts of a reference and a current sample, keyed by category. */
export interface CategoryCounts {
  reference: ReadonlyMap<string, number> | Record<string, number>;
  current: ReadonlyMap<string, number> | Record<string, number>;
}

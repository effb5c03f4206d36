/**
 * Count, mean and sum of squared deviations (M2) of parts of a sample, merged into those of the
 * whole by the pairwise update of Chan, Golub and LeVeque ("Updating formulae and a pairwise
 * algorithm for computing sample variances", 1979):
 *
 *   n = nA + nB,  δ = meanB − meanA,  mean = meanA + δ·nB/n,  M2 = M2A + M2B + δ²·nA·nB/n.
 *
 * Unlike sums of squares it does not cancel when the mean is large against the spread: merged
 * parts agree with a two-pass computation over the whole to a few ulps per merge. The sample
 * variance is M2 / (n − 1), as numpy's `var(ddof=1)` and SQL's `var_samp`.
 */

export interface Moments {
  count: number;
  /** Mean of the values (0 when count is 0). */
  mean: number;
  /** Sum of squared deviations from the mean. */
  m2: number;
}

export const EMPTY_MOMENTS: Moments = Object.freeze({ count: 0, mean: 0, m2: 0 });

/** The moments of a part known by its count, mean and sample standard deviation (null below 2 values). */
export function momentsFromStd(count: number, mean: number | null, std: number | null): Moments {
  if (count === 0 || mean === null) return EMPTY_MOMENTS;
  return { count, mean, m2: count > 1 && std !== null ? std * std * (count - 1) : 0 };
}

/** The moments of two disjoint parts together. */
export function mergeMoments(a: Moments, b: Moments): Moments {
  if (b.count === 0) return a;
  if (a.count === 0) return b;
  const count = a.count + b.count;
  const delta = b.mean - a.mean;
  return {
    count,
    mean: a.mean + (delta * b.count) / count,
    m2: a.m2 + b.m2 + ((delta * delta * a.count) / count) * b.count,
  };
}

/** Sample standard deviation (n − 1); null below 2 values. */
export function momentsStd(m: Moments): number | null {
  return m.count > 1 ? Math.sqrt(Math.max(0, m.m2) / (m.count - 1)) : null;
}

import type { DriftResult } from './types.js';

/**
 * The drift result of a hypothesis test: drift when the p-value is below the threshold (a NaN p-value
 * never is). `details` are the test's own fields, such as how the p-value was computed.
 */
export function pValueDriftResult<Details extends object>(
  method: string,
  statistic: number,
  pValue: number,
  threshold: number,
  details: Details,
): DriftResult & { pValue: number } & Details {
  return {
    method,
    statistic,
    pValue,
    ...details,
    threshold,
    thresholdKind: 'p_value',
    drifted: pValue < threshold,
  };
}

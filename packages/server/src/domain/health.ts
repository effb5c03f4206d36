/**
 * A model's health in one word, from the newest-window statuses of its enabled monitors and
 * whether it has ever received a prediction. The worst status wins.
 */
import type { ResultStatus } from './monitoring.js';

export const HEALTH_STATUSES = [
  'alerting',
  'warning',
  'error',
  'ok',
  'insufficient_data',
  'no_data',
] as const;
export type HealthStatus = (typeof HEALTH_STATUSES)[number];

const RESULT_RANK: Record<ResultStatus, number> = {
  alert: 5,
  error: 4,
  warning: 3,
  insufficient_data: 2,
  ok: 1,
};

export function modelHealth(statuses: readonly ResultStatus[], hasPredictions: boolean): HealthStatus {
  if (!hasPredictions) return 'no_data';
  let worst: ResultStatus | null = null;
  for (const status of statuses) {
    if (worst === null || RESULT_RANK[status] > RESULT_RANK[worst]) worst = status;
  }
  if (worst === null) return 'insufficient_data';
  return worst === 'alert' ? 'alerting' : worst;
}

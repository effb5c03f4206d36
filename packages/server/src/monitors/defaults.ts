/**
 * The monitors every model gets when its first reference data arrives: data quality, drift of
 * every feature, of the prediction and of the label, performance with labels, multivariate drift
 * (for models with at least two numeric features), and traffic.
 * Their thresholds are calibrated on that reference (see thresholds.ts), so they need no tuning
 * to stay within the false-alarm budget.
 */
import type { MonitorConfigInput, WindowSize } from '../domain/monitor-config.js';
import type { ModelColumn, ModelRow } from '../storage/types.js';
import { knownFeatures } from './validate.js';

export function defaultMonitors(
  model: ModelRow,
  window: WindowSize,
  columns: ModelColumn[] = [],
): { name: string; config: MonitorConfigInput }[] {
  const w = { size: window } as const;
  const numericFeatures = [...knownFeatures(model, columns).values()].filter((t) => t === 'numeric').length;
  const monitors: { name: string; config: MonitorConfigInput }[] = [
    { name: 'data-quality', config: { kind: 'data_quality', window: w } },
    { name: 'feature-drift', config: { kind: 'feature_drift', window: w } },
    { name: 'prediction-drift', config: { kind: 'prediction_drift', window: w } },
    { name: 'label-drift', config: { kind: 'label_drift', window: w } },
    { name: 'performance', config: { kind: 'performance', window: w } },
    ...(model.task === 'binary_classification'
      ? [{ name: 'estimated-performance', config: { kind: 'estimated_performance', window: w } as const }]
      : []),
    ...(numericFeatures >= 2
      ? [{ name: 'multivariate-drift', config: { kind: 'multivariate_drift', window: w } as const }]
      : []),
    ...((model.schema?.sensitive_attributes ?? []).length > 0 && model.task !== 'regression'
      ? [{ name: 'fairness', config: { kind: 'fairness', window: w } as const }]
      : []),
    { name: 'traffic', config: { kind: 'traffic', window: w } },
  ];
  return monitors;
}

/** Kinds whose thresholds are calibrated to the false-alarm budget, which they share. */
export const BUDGETED_KINDS = new Set([
  'feature_drift',
  'prediction_drift',
  'label_drift',
  'performance',
  'estimated_performance',
  'multivariate_drift',
]);

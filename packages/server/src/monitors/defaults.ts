/**
 * The monitors every model gets when its first reference data arrives: data quality, drift of
 * every feature, of the prediction and of the label, performance with labels, multivariate drift
 * (for models with at least two numeric features), and traffic.
 * Their thresholds are calibrated on that reference (see thresholds.ts), so they need no tuning
 * to stay within the false-alarm budget.
 */
import { BUDGETED_KINDS, defaultMonitorKinds } from '@vigil/stats';
import type { MonitorConfigInput, WindowSize } from '../domain/monitor-config.js';
import type { ModelColumn, ModelRow } from '../storage/types.js';
import { knownFeatures } from './validate.js';

export function defaultMonitors(
  model: ModelRow,
  window: WindowSize,
  columns: ModelColumn[] = [],
): { name: string; config: MonitorConfigInput }[] {
  const numericFeatures = [...knownFeatures(model, columns).values()].filter((t) => t === 'numeric').length;
  return defaultMonitorKinds({
    task: model.task,
    numericFeatures,
    sensitiveAttributes: (model.schema?.sensitive_attributes ?? []).length,
  }).map((kind) => ({
    name: kind.replaceAll('_', '-'),
    config: { kind, window: { size: window } } as MonitorConfigInput,
  }));
}

export { BUDGETED_KINDS };

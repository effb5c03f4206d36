/**
 * Checks a monitor definition against its model before it is stored, so a monitor that cannot
 * work is refused with the field and the reason instead of failing at every evaluation.
 */
import type { MonitorConfig } from '../domain/monitor-config.js';
import { BadRequestError } from '../errors.js';
import type { ModelColumn, ModelRow } from '../storage/types.js';

const PERFORMANCE_METRICS = {
  binary_classification: ['accuracy', 'precision', 'recall', 'f1'],
  multiclass_classification: ['accuracy', 'macro_recall'],
  regression: ['mae', 'rmse', 'mean_error'],
} as const;

function fail(field: string, message: string): never {
  throw new BadRequestError(`${field}: ${message}`, [{ field, message }]);
}

export function knownFeatures(model: ModelRow, columns: ModelColumn[]): Map<string, ModelColumn['type']> {
  const features = new Map<string, ModelColumn['type']>();
  for (const f of model.schema?.features ?? []) features.set(f.name, f.type);
  for (const c of columns) if (c.role === 'feature') features.set(c.name, c.type);
  return features;
}

export function validateMonitor(model: ModelRow, columns: ModelColumn[], config: MonitorConfig): void {
  const features = knownFeatures(model, columns);
  const segments = new Set([
    ...(model.schema?.segments ?? []),
    ...columns.filter((c) => c.role === 'segment').map((c) => c.name),
  ]);
  const checkFeature = (field: string, name: string) => {
    if (!features.has(name)) {
      const known = [...features.keys()].slice(0, 20).join(', ');
      fail(field, `model "${model.name}" has no feature "${name}"${known ? ` (known: ${known})` : ''}.`);
    }
  };
  if (config.segment && !segments.has(config.segment.name)) {
    fail('segment.name', `model "${model.name}" has no segment "${config.segment.name}".`);
  }
  if (
    config.baseline.type === 'period' &&
    Date.parse(config.baseline.from) >= Date.parse(config.baseline.to)
  ) {
    fail('baseline.to', 'must be after baseline.from.');
  }
  switch (config.kind) {
    case 'feature_drift':
    case 'data_quality':
      for (const [i, f] of (config.features ?? []).entries()) checkFeature(`features.${i}`, f);
      if (config.kind === 'feature_drift') {
        for (const [name, method] of Object.entries(config.methods ?? {})) {
          checkFeature(`methods.${name}`, name);
          const type = features.get(name);
          if ((method === 'ks' || method === 'wasserstein_normed') && type !== 'numeric') {
            fail(`methods.${name}`, `${method} compares numbers; "${name}" is ${type}.`);
          }
          if (type === 'text' || type === 'timestamp')
            fail(`methods.${name}`, `drift is not measured on ${type} features.`);
        }
        for (const name of Object.keys(config.thresholds ?? {})) checkFeature(`thresholds.${name}`, name);
      }
      break;
    case 'prediction_drift':
    case 'label_drift':
      if (config.method === 'wasserstein_normed' || config.method === 'ks') {
        if (model.task !== 'regression' && config.kind === 'label_drift') {
          fail(
            'method',
            `${config.method} compares numbers; the labels of a ${model.task} model are classes.`,
          );
        }
      }
      break;
    case 'performance': {
      const allowed: readonly string[] = PERFORMANCE_METRICS[model.task];
      config.metrics?.forEach((m, i) => {
        if (!allowed.includes(m))
          fail(`metrics.${i}`, `"${m}" is not a metric of ${model.task}; use ${allowed.join(', ')}.`);
      });
      for (const m of Object.keys(config.thresholds ?? {})) {
        if (!allowed.includes(m))
          fail(`thresholds.${m}`, `"${m}" is not a metric of ${model.task}; use ${allowed.join(', ')}.`);
      }
      break;
    }
    case 'fairness': {
      if (model.task === 'regression')
        fail('kind', 'fairness compares classification outcomes between groups.');
      const attributes = config.attributes ?? model.schema?.sensitive_attributes ?? [];
      if (attributes.length === 0) {
        fail(
          'attributes',
          `name the sensitive attributes, or declare sensitive_attributes in the schema of "${model.name}".`,
        );
      }
      for (const [i, name] of attributes.entries()) {
        const column = columns.findLast((c) => c.name === name);
        const type = column?.type ?? features.get(name);
        if (!segments.has(name) && type === undefined)
          fail(`attributes.${i}`, `model "${model.name}" has no feature or segment "${name}".`);
        if (!segments.has(name) && type !== 'categorical' && type !== 'boolean') {
          fail(`attributes.${i}`, `"${name}" is ${type}; groups need a categorical feature or a segment.`);
        }
      }
      break;
    }
    case 'multivariate_drift': {
      for (const [i, f] of (config.features ?? []).entries()) {
        checkFeature(`features.${i}`, f);
        const type = features.get(f);
        if (type !== 'numeric' && type !== 'categorical' && type !== 'boolean')
          fail(
            `features.${i}`,
            `"${f}" is ${type}; multivariate drift reads numeric, categorical and boolean features.`,
          );
      }
      const usable = [...features.values()].filter(
        (t) => t === 'numeric' || t === 'categorical' || t === 'boolean',
      ).length;
      if (config.features === undefined && usable < 2) {
        fail(
          'features',
          `multivariate drift needs at least 2 numeric, categorical or boolean features; model "${model.name}" has ${usable}.`,
        );
      }
      if (config.threshold?.lower !== undefined && config.threshold.upper !== undefined) {
        if (config.threshold.lower > config.threshold.upper)
          fail('threshold.upper', 'must be at least threshold.lower.');
      }
      break;
    }
    case 'estimated_performance':
      if (model.task !== 'binary_classification') {
        fail(
          'kind',
          `estimated performance is available for binary classifiers; "${model.name}" is ${model.task}.`,
        );
      }
      break;
    case 'traffic':
      if (
        config.min_count !== undefined &&
        config.max_count !== undefined &&
        config.min_count > config.max_count
      ) {
        fail('max_count', 'must be at least min_count.');
      }
      break;
    case 'custom_metric': {
      const { aggregate, column } = config;
      if (aggregate !== 'count' && column === undefined)
        fail('column', `the "${aggregate}" aggregate needs a column.`);
      const outputs = ['prediction', 'score', 'label'];
      if (column !== undefined && !outputs.includes(column)) checkFeature('column', column);
      const numericAggregates = ['mean', 'sum', 'min', 'max', 'std', 'rate'];
      const type = column && !outputs.includes(column) ? features.get(column) : 'numeric';
      if (numericAggregates.includes(aggregate) && type !== 'numeric') {
        fail('aggregate', `"${aggregate}" needs a numeric column; "${column}" is ${type}.`);
      }
      if (aggregate === 'share' && config.category === undefined)
        fail('category', 'the "share" aggregate needs a category.');
      if (aggregate === 'rate' && config.predicate === undefined)
        fail('predicate', 'the "rate" aggregate needs a predicate.');
      if (
        config.threshold.lower !== undefined &&
        config.threshold.upper !== undefined &&
        config.threshold.lower > config.threshold.upper
      ) {
        fail('threshold.upper', 'must be at least threshold.lower.');
      }
      break;
    }
  }
}

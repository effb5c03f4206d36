/** Feature, prediction and label drift: each watched column's window against the baseline. */
import { DEFAULT_MONITOR_DRIFT_METHOD, DRIFT_MIN_SAMPLE } from '@vigil/stats';
import type { NewMonitorResult } from '../../domain/index.js';
import type { DriftMethod, MonitorConfig } from '../../domain/monitor-config.js';
import type { ProfileTarget } from '../../storage/profiles.js';
import {
  baselineEdges,
  currentProfile,
  type EvaluationContext,
  loadBaseline,
  type Measures,
  makeResult,
} from '../context.js';
import { perTestAlpha } from '../thresholds.js';
import { type EvaluationWindow, windowsPerWeek } from '../windows.js';
import { compareColumn } from './distributions.js';

export interface WatchedColumn {
  /** The name results carry in `feature`. */
  name: string;
  target: ProfileTarget;
  kind: 'numeric' | 'categorical';
}

/** Minimum rows in a window for a distribution comparison to mean anything. */
export { DRIFT_MIN_SAMPLE };

/** The columns a drift monitor watches (features that can drift: numeric, categorical, boolean). */
export function driftColumns(ctx: EvaluationContext): WatchedColumn[] {
  const config = ctx.config;
  const task = ctx.model.task;
  if (config.kind === 'feature_drift') {
    const wanted = config.features ? new Set(config.features) : null;
    const seen = new Set<string>();
    const out: WatchedColumn[] = [];
    for (const column of [...ctx.columns].reverse()) {
      if (column.role !== 'feature' || seen.has(column.name)) continue;
      seen.add(column.name);
      if (wanted && !wanted.has(column.name)) continue;
      if (column.type === 'numeric')
        out.push({ name: column.name, target: { column: column.name }, kind: 'numeric' });
      else if (column.type === 'categorical' || column.type === 'boolean') {
        out.push({ name: column.name, target: { column: column.name }, kind: 'categorical' });
      }
    }
    return out.reverse();
  }
  if (config.kind === 'prediction_drift') {
    if (task === 'regression')
      return [{ name: 'prediction', target: { field: 'prediction_num' }, kind: 'numeric' }];
    const columns: WatchedColumn[] = [
      { name: 'prediction', target: { field: 'prediction' }, kind: 'categorical' },
    ];
    if (task === 'binary_classification')
      columns.push({ name: 'score', target: { field: 'score' }, kind: 'numeric' });
    return columns;
  }
  if (config.kind === 'label_drift') {
    return task === 'regression'
      ? [{ name: 'label', target: { field: 'label_num' }, kind: 'numeric' }]
      : [{ name: 'label', target: { field: 'label' }, kind: 'categorical' }];
  }
  return [];
}

function methodFor(config: MonitorConfig, column: WatchedColumn): DriftMethod {
  let method: DriftMethod | undefined;
  if (config.kind === 'feature_drift') method = config.methods?.[column.name] ?? config.method;
  else if (config.kind === 'prediction_drift' || config.kind === 'label_drift') method = config.method;
  if (method === 'wasserstein_normed' && column.kind !== 'numeric') return 'jensen_shannon';
  if (method === 'ks' && column.kind !== 'numeric') return 'chi_square';
  return method ?? DEFAULT_MONITOR_DRIFT_METHOD;
}

function fixedThresholdFor(config: MonitorConfig, column: WatchedColumn): number | undefined {
  if (config.kind === 'feature_drift') return config.thresholds?.[column.name];
  if (config.kind === 'prediction_drift' || config.kind === 'label_drift') return config.threshold;
  return undefined;
}

/** The baseline side: each numeric column's edges (the baseline's deciles) and what the baseline is profiled for. */
async function driftBaselineMeasures(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  columns: WatchedColumn[],
): Promise<{ edges: Record<string, number[]>; measures: Measures }> {
  const numeric = columns.filter((c) => c.kind === 'numeric');
  const edges = await baselineEdges(
    ctx,
    window,
    numeric.map((c) => ({ key: c.name, target: c.target })),
  );
  const measures: Measures = {
    numeric: numeric.map((c) => ({ key: c.name, target: c.target, edges: edges[c.name]! })),
    categorical: columns
      .filter((c) => c.kind === 'categorical')
      .map((c) => ({ key: c.name, target: c.target })),
  };
  return { edges, measures };
}

/** Computes the baseline statistics `evaluateDrift` reads, for windows of each of `rows` rows. */
export async function warmDrift(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  rows: number[],
): Promise<void> {
  const columns = driftColumns(ctx);
  if (columns.length === 0) return;
  const { measures } = await driftBaselineMeasures(ctx, window, columns);
  for (const n of rows) await loadBaseline(ctx, window, measures, n);
}

export async function evaluateDrift(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const columns = driftColumns(ctx);
  if (columns.length === 0) return [];
  const numeric = columns.filter((c) => c.kind === 'numeric');
  const { edges, measures } = await driftBaselineMeasures(ctx, window, columns);
  const labelsOnly = ctx.config.kind === 'label_drift';
  // The window needs its bin counts and mean; bin sums only where a distance reads them.
  const currentMeasures: Measures = {
    ...measures,
    numeric: measures.numeric!.map((spec) => {
      const column = numeric.find((c) => c.name === spec.key)!;
      return methodFor(ctx.config, column) === 'wasserstein_normed' ? spec : { ...spec, countsOnly: true };
    }),
    ...(labelsOnly ? { confusion: true } : {}),
  };
  const current = await currentProfile(ctx, window, currentMeasures);
  const minSample = ctx.config.min_sample_size ?? DRIFT_MIN_SAMPLE;
  const baseline = await loadBaseline(ctx, window, measures, current.rows);
  const alpha = perTestAlpha(ctx.budgetPerWeek, windowsPerWeek(ctx.config.window), columns.length);

  return columns.map((column) => {
    const nonMissing =
      column.kind === 'numeric'
        ? (current.numeric[column.name]?.counts ?? []).reduce((a, b) => a + b, 0)
        : Object.values(current.categorical[column.name]?.counts ?? {}).reduce((a, b) => a + b, 0);
    const method = methodFor(ctx.config, column);
    const base = { feature: column.name, metric: method, sampleSize: nonMissing };
    if (nonMissing < minSample) {
      return makeResult(ctx, window, {
        ...base,
        status: 'insufficient_data',
        reason: `${nonMissing} values in the window; drift needs at least ${minSample}.`,
      });
    }
    const baselineValues =
      column.kind === 'numeric'
        ? (baseline.total.numeric[column.name]?.counts ?? []).reduce((a, b) => a + b, 0)
        : Object.values(baseline.total.categorical[column.name]?.counts ?? {}).reduce((a, b) => a + b, 0);
    if (baselineValues === 0) {
      // A reference uploaded without this column (e.g. features and labels, no scores).
      return makeResult(ctx, window, {
        ...base,
        status: 'insufficient_data',
        reason: `The baseline (${baseline.description}) has no ${column.name} values to compare with.`,
      });
    }
    try {
      const fixed = fixedThresholdFor(ctx.config, column);
      const comparison = compareColumn(
        column.name,
        column.kind,
        baseline.total,
        baseline.chunks,
        current,
        edges[column.name],
        {
          method,
          alpha,
          ...(fixed !== undefined ? { fixedThreshold: fixed } : {}),
        },
      );
      return makeResult(ctx, window, {
        ...base,
        value: comparison.value,
        thresholdLower: comparison.thresholdLower,
        thresholdUpper: comparison.thresholdUpper,
        status: comparison.status,
        details: { ...comparison.details, baseline: baseline.description, alpha },
      });
    } catch (error) {
      return makeResult(ctx, window, { ...base, status: 'error', reason: (error as Error).message });
    }
  });
}

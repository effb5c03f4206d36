/**
 * Custom metrics: one aggregate from a fixed menu over one column of the window (no SQL from
 * users), checked against the bounds the user set.
 */
import type { NewMonitorResult } from '../../domain/index.js';
import type { ProfileTarget } from '../../storage/profiles.js';
import { currentProfile, type EvaluationContext, type Measures, makeResult } from '../context.js';
import type { EvaluationWindow } from '../windows.js';
import { nextUp } from './edges.js';

export function customTarget(column: string): ProfileTarget {
  if (column === 'prediction' || column === 'score' || column === 'label') {
    return { field: column === 'label' ? 'label' : column };
  }
  return { column };
}

/** Bins whose counts give the rows that satisfy `value op x`, and which bins those are. */
function predicateEdges(op: string, x: number): { edges: number[]; bins: number[] } {
  const inf = Number.POSITIVE_INFINITY;
  switch (op) {
    case '<':
      return { edges: [-inf, x, inf], bins: [0] };
    case '>=':
      return { edges: [-inf, x, inf], bins: [1] };
    case '<=':
      return { edges: [-inf, nextUp(x), inf], bins: [0] };
    case '>':
      return { edges: [-inf, nextUp(x), inf], bins: [1] };
    case '==':
      return { edges: [-inf, x, nextUp(x), inf], bins: [1] };
    default:
      return { edges: [-inf, x, nextUp(x), inf], bins: [0, 2] };
  }
}

export async function evaluateCustom(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'custom_metric') return [];
  const column = config.column;
  const target = column ? customTarget(column) : null;
  const numericTarget: ProfileTarget | null =
    target && 'field' in target
      ? target.field === 'label'
        ? { field: 'label_num' }
        : target.field === 'prediction'
          ? { field: 'prediction_num' }
          : target
      : target;
  let measures: Measures = {};
  let bins: number[] = [];
  if (config.aggregate === 'share' && target)
    measures = { categorical: [{ key: 'v', target, limit: 100_000 }] };
  else if (config.aggregate === 'rate' && numericTarget && config.predicate) {
    const p = predicateEdges(config.predicate.op, config.predicate.value);
    bins = p.bins;
    measures = { numeric: [{ key: 'v', target: numericTarget, edges: p.edges }] };
  } else if (config.aggregate !== 'count' && numericTarget) {
    measures = {
      numeric: [
        { key: 'v', target: numericTarget, edges: [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY] },
      ],
    };
  }
  const profile = await currentProfile(ctx, window, measures);
  const numeric = profile.numeric.v;
  const present = numeric ? numeric.counts.reduce((a, b) => a + b, 0) : 0;
  let value: number | null;
  switch (config.aggregate) {
    case 'count':
      value = profile.rows;
      break;
    case 'mean':
      value = numeric?.mean ?? null;
      break;
    case 'sum':
      value = numeric ? numeric.sums.reduce((a, b) => a + b, 0) : null;
      break;
    case 'min':
      value = numeric?.min ?? null;
      break;
    case 'max':
      value = numeric?.max ?? null;
      break;
    case 'std':
      value = numeric?.std ?? null;
      break;
    case 'missing_rate':
      value =
        profile.rows === 0 ? null : (numeric?.nulls ?? profile.categorical.v?.nulls ?? 0) / profile.rows;
      break;
    case 'share': {
      const counts = profile.categorical.v?.counts ?? {};
      const total =
        Object.values(counts).reduce((a, b) => a + b, 0) + (profile.categorical.v?.otherCount ?? 0);
      value = total === 0 ? null : (counts[config.category ?? ''] ?? 0) / total;
      break;
    }
    case 'rate':
      value = present === 0 ? null : bins.reduce((a, b) => a + (numeric?.counts[b] ?? 0), 0) / present;
      break;
  }
  const lower = config.threshold.lower ?? null;
  const upper = config.threshold.upper ?? null;
  const minSample = config.min_sample_size ?? 1;
  if (profile.rows < minSample || value === null) {
    return [
      makeResult(ctx, window, {
        metric: config.metric,
        feature: column ?? null,
        sampleSize: profile.rows,
        thresholdLower: lower,
        thresholdUpper: upper,
        status: 'insufficient_data',
        reason:
          profile.rows < minSample
            ? `${profile.rows} rows in the window; the monitor needs ${minSample}.`
            : 'No values to aggregate in this window.',
      }),
    ];
  }
  const breach = (lower !== null && value < lower) || (upper !== null && value > upper);
  return [
    makeResult(ctx, window, {
      metric: config.metric,
      feature: column ?? null,
      value,
      thresholdLower: lower,
      thresholdUpper: upper,
      sampleSize: profile.rows,
      status: breach ? 'alert' : 'ok',
      details: { aggregate: config.aggregate, ...(config.predicate ? { predicate: config.predicate } : {}) },
    }),
  ];
}

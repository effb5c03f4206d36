/**
 * Performance with labels: the task's metrics over the window's labelled predictions, with a
 * band from their sampling error, the label coverage of the window, and thresholds learned from
 * the baseline (its value ± z · the spread expected at this window's size, see thresholds.ts).
 * Labels that arrive late re-evaluate their windows, so these results improve as labels come.
 */
import {
  type BinaryCounts,
  baselineBand,
  bernoulli,
  binaryCounts,
  MONITOR_CLASSIFICATION_METRICS as CLASSIFICATION_METRICS,
  classificationMetrics,
  HIGHER_IS_BETTER,
  type MetricValue,
  MONITOR_MULTICLASS_METRICS as MULTICLASS_METRICS,
  metricCalibration,
  PERFORMANCE_MIN_LABELS,
  positiveClassOf,
  precisionRecallF1,
  MONITOR_REGRESSION_METRICS as REGRESSION_METRICS,
  regressionMetrics,
} from '@vigil/stats';
import type { NewMonitorResult } from '../../domain/index.js';
import type { WindowProfile } from '../../storage/profiles.js';
import {
  currentProfile,
  type EvaluationContext,
  loadBaseline,
  type Measures,
  makeResult,
} from '../context.js';
import { chunkDetails, oneSidedZ, perTestAlpha } from '../thresholds.js';
import { type EvaluationWindow, windowsPerWeek } from '../windows.js';

export {
  type BinaryCounts,
  baselineBand,
  bernoulli,
  binaryCounts,
  classificationMetrics,
  type MetricValue,
  metricCalibration,
  PERFORMANCE_MIN_LABELS,
  precisionRecallF1,
};

export function positiveClass(ctx: EvaluationContext, profile: WindowProfile): string {
  return positiveClassOf(ctx.model.schema?.classes, profile.confusion);
}

function metricsOf(
  ctx: EvaluationContext,
  profile: WindowProfile,
  positive: string,
): Record<string, MetricValue> {
  if (ctx.model.task === 'regression') return regressionMetrics(profile);
  return classificationMetrics(profile, positive, ctx.model.task === 'multiclass_classification');
}

function performanceMeasures(ctx: EvaluationContext): Measures {
  return ctx.model.task === 'regression' ? { regression: true } : { confusion: true };
}

/** Computes the baseline statistics `evaluatePerformance` reads, for windows of each of `rows` labelled rows. */
export async function warmPerformance(
  ctx: EvaluationContext,
  window: EvaluationWindow,
  rows: number[],
): Promise<void> {
  if (ctx.config.kind !== 'performance') return;
  for (const n of rows) await loadBaseline(ctx, window, performanceMeasures(ctx), n);
}

export async function evaluatePerformance(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'performance') return [];
  const regression = ctx.model.task === 'regression';
  const measures = performanceMeasures(ctx);
  const current = await currentProfile(ctx, window, measures);
  const names =
    config.metrics ??
    (regression
      ? [...REGRESSION_METRICS]
      : ctx.model.task === 'multiclass_classification'
        ? [...MULTICLASS_METRICS]
        : [...CLASSIFICATION_METRICS]);
  const results: NewMonitorResult[] = [
    makeResult(ctx, window, {
      metric: 'label_coverage',
      value: current.rows === 0 ? 0 : current.labeled / current.rows,
      sampleSize: current.rows,
      status: 'ok',
      details: { labeled: current.labeled, predictions: current.rows },
    }),
  ];
  const minLabels = config.min_sample_size ?? PERFORMANCE_MIN_LABELS;
  const labeled = regression ? (current.regression?.count ?? 0) : current.labeled;
  if (labeled < minLabels) {
    for (const metric of names) {
      results.push(
        makeResult(ctx, window, {
          metric,
          sampleSize: labeled,
          status: 'insufficient_data',
          reason: `${labeled} labelled predictions in the window; performance needs at least ${minLabels}.`,
        }),
      );
    }
    return results;
  }
  const baseline = await loadBaseline(ctx, window, measures, labeled);
  const positive = positiveClass(ctx, baseline.total.confusion.length > 0 ? baseline.total : current);
  const now = metricsOf(ctx, current, positive);
  const reference = metricsOf(ctx, baseline.total, positive);
  const chunkMetrics = baseline.chunks.map((c) => metricsOf(ctx, c, positive));
  const alpha = perTestAlpha(ctx.budgetPerWeek, windowsPerWeek(config.window), names.length);
  const z = oneSidedZ(alpha);
  for (const metric of names) {
    const value = now[metric];
    if (!value || !Number.isFinite(value.value)) {
      results.push(
        makeResult(ctx, window, {
          metric,
          sampleSize: labeled,
          status: value ? 'insufficient_data' : 'error',
          reason: value
            ? `${metric} is undefined in this window (no rows it applies to).`
            : `Unknown metric "${metric}" for ${ctx.model.task}.`,
        }),
      );
      continue;
    }
    const se = Math.sqrt(value.rowVariance / Math.max(1, value.rows));
    const fixed = config.thresholds?.[metric];
    let lower: number | null = null;
    let upper: number | null = null;
    const details: Record<string, unknown> = { positive_class: regression ? undefined : positive };
    const ref = reference[metric];
    if (fixed) {
      lower = fixed.lower ?? null;
      upper = fixed.upper ?? null;
      details.threshold_source = 'set on the monitor';
    } else if (ref && Number.isFinite(ref.value)) {
      const band = baselineBand(metric, ref, chunkMetrics, value, labeled, z);
      // Alert only in the direction that means worse performance.
      if (HIGHER_IS_BETTER.has(metric)) lower = band.lower;
      else if (metric === 'mean_error') {
        lower = band.lower;
        upper = band.upper;
      } else upper = band.upper;
      details.baseline_value = ref.value;
      Object.assign(details, chunkDetails(metricCalibration(metric, chunkMetrics)));
      details.threshold_source = 'baseline';
      details.baseline = baseline.description;
    }
    const breach = (lower !== null && value.value < lower) || (upper !== null && value.value > upper);
    const reason =
      lower === null && upper === null
        ? `No threshold: the baseline (${baseline.description}) has no labelled rows to learn one from; give the monitor thresholds, or upload reference data with its labels.`
        : null;
    results.push(
      makeResult(ctx, window, {
        metric,
        value: value.value,
        thresholdLower: lower,
        thresholdUpper: upper,
        bandLower: value.value - 1.96 * se,
        bandUpper: value.value + 1.96 * se,
        sampleSize: value.rows,
        status: breach ? 'alert' : 'ok',
        reason,
        details,
      }),
    );
  }
  return results;
}

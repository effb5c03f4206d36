/**
 * Performance with labels: the task's metrics over the window's labelled predictions, with a
 * band from their sampling error, the label coverage of the window, and thresholds learned from
 * the baseline (its value ± z · the spread expected at this window's size, see thresholds.ts).
 * Labels that arrive late re-evaluate their windows, so these results improve as labels come.
 */
import type { NewMonitorResult } from '../../domain/index.js';
import type { WindowProfile } from '../../storage/profiles.js';
import {
  currentProfile,
  type EvaluationContext,
  loadBaseline,
  type Measures,
  makeResult,
} from '../context.js';
import {
  type ChunkCalibration,
  calibrate,
  chunkDetails,
  metricBand,
  oneSidedZ,
  perTestAlpha,
} from '../thresholds.js';
import { type EvaluationWindow, windowsPerWeek } from '../windows.js';

export const PERFORMANCE_MIN_LABELS = 50;

const CLASSIFICATION_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
const MULTICLASS_METRICS = ['accuracy', 'macro_recall'] as const;
const REGRESSION_METRICS = ['mae', 'rmse', 'mean_error'] as const;

export interface MetricValue {
  value: number;
  /** Rows the metric averages over (its effective sample size). */
  rows: number;
  /** Variance of one row's contribution, for the sampling error. */
  rowVariance: number;
}

export function positiveClass(ctx: EvaluationContext, profile: WindowProfile): string {
  const classes = ctx.model.schema?.classes;
  if (classes && classes.length > 0) return classes.at(-1)!;
  const labels = new Set(profile.confusion.map((c) => c.label));
  return labels.has('1') ? '1' : labels.has('true') ? 'true' : ([...labels].sort().at(-1) ?? '1');
}

/** A share of `rows` as a metric: its value and the variance of one row's 0/1 contribution. */
export function bernoulli(hits: number, rows: number): MetricValue {
  const q = rows > 0 ? hits / rows : Number.NaN;
  return { value: q, rows, rowVariance: q * (1 - q) };
}

export interface BinaryCounts {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

/** Confusion cells folded into positive / other, for a given positive (favourable) class. */
export function binaryCounts(
  confusion: readonly { prediction: string | null; label: string; count: number }[],
  positive: string,
): BinaryCounts {
  const c = { tp: 0, fp: 0, fn: 0, tn: 0 };
  for (const cell of confusion) {
    const predicted = cell.prediction === positive;
    const actual = cell.label === positive;
    if (predicted && actual) c.tp += cell.count;
    else if (predicted) c.fp += cell.count;
    else if (actual) c.fn += cell.count;
    else c.tn += cell.count;
  }
  return c;
}

export function precisionRecallF1(c: BinaryCounts): Record<'precision' | 'recall' | 'f1', MetricValue> {
  const f1 = 2 * c.tp + c.fp + c.fn === 0 ? Number.NaN : (2 * c.tp) / (2 * c.tp + c.fp + c.fn);
  return {
    precision: bernoulli(c.tp, c.tp + c.fp),
    recall: bernoulli(c.tp, c.tp + c.fn),
    f1: { value: f1, rows: c.tp + c.fp + c.fn, rowVariance: f1 * (1 - f1) },
  };
}

/**
 * The band a window's metric is expected in: the baseline value ± z · sqrt(its sampling variance
 * at the window's size + the baseline chunks' variance beyond their own sampling noise).
 */
/** A metric's values over the baseline chunks, as a calibration (null with fewer than 3 chunks). */
export function metricCalibration(
  metric: string,
  chunkMetrics: Record<string, MetricValue>[],
): ChunkCalibration | null {
  return calibrate(
    chunkMetrics.map((c) => c[metric]?.value ?? Number.NaN),
    chunkMetrics.map((c) => c[metric]?.rows ?? 0),
  );
}

export function baselineBand(
  metric: string,
  reference: MetricValue,
  chunkMetrics: Record<string, MetricValue>[],
  value: MetricValue,
  windowRows: number,
  z: number,
): { lower: number; upper: number } {
  const calibration = metricCalibration(metric, chunkMetrics);
  // The metric averages over a share of the window's rows (e.g. recall over actual positives).
  const rowsFraction = value.rows / Math.max(1, windowRows);
  return metricBand(
    reference.value,
    (n) => reference.rowVariance / Math.max(1, n * rowsFraction),
    calibration,
    windowRows,
    z,
    reference.rowVariance / Math.max(1, reference.rows),
  );
}

export function classificationMetrics(
  profile: WindowProfile,
  positive: string,
  multiclass: boolean,
): Record<string, MetricValue> {
  let correct = 0;
  let total = 0;
  const perClass = new Map<string, { hits: number; support: number }>();
  for (const c of profile.confusion) {
    total += c.count;
    if (c.prediction === c.label) correct += c.count;
    const cls = perClass.get(c.label) ?? { hits: 0, support: 0 };
    cls.support += c.count;
    if (c.prediction === c.label) cls.hits += c.count;
    perClass.set(c.label, cls);
  }
  const out: Record<string, MetricValue> = { accuracy: bernoulli(correct, total) };
  if (multiclass) {
    const recalls = [...perClass.values()].map((c) => c.hits / c.support);
    const value = recalls.reduce((a, b) => a + b, 0) / Math.max(1, recalls.length);
    out.macro_recall = { value, rows: total, rowVariance: value * (1 - value) };
    return out;
  }
  return { ...out, ...precisionRecallF1(binaryCounts(profile.confusion, positive)) };
}

function regressionMetrics(profile: WindowProfile): Record<string, MetricValue> {
  const r = profile.regression;
  if (!r || r.count === 0) return {};
  const mae = r.sumAbsError / r.count;
  const mse = r.sumSquaredError / r.count;
  const me = r.sumError / r.count;
  return {
    mae: { value: mae, rows: r.count, rowVariance: Math.max(0, mse - mae * mae) },
    // RMSE's sampling variance by the delta method from the squared errors' spread, approximated
    // with the normal fourth moment (2·mse²) to keep it computable from sums.
    rmse: { value: Math.sqrt(mse), rows: r.count, rowVariance: mse / 2 },
    mean_error: { value: me, rows: r.count, rowVariance: Math.max(0, mse - me * me) },
  };
}

function metricsOf(
  ctx: EvaluationContext,
  profile: WindowProfile,
  positive: string,
): Record<string, MetricValue> {
  if (ctx.model.task === 'regression') return regressionMetrics(profile);
  return classificationMetrics(profile, positive, ctx.model.task === 'multiclass_classification');
}

/** Metrics where larger is better; the others (errors) alert when they grow. */
const HIGHER_IS_BETTER = new Set(['accuracy', 'precision', 'recall', 'f1', 'macro_recall']);

export async function evaluatePerformance(
  ctx: EvaluationContext,
  window: EvaluationWindow,
): Promise<NewMonitorResult[]> {
  const config = ctx.config;
  if (config.kind !== 'performance') return [];
  const regression = ctx.model.task === 'regression';
  const measures: Measures = regression ? { regression: true } : { confusion: true };
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

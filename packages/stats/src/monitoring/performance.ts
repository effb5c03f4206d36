/**
 * Performance metrics of a window from its confusion counts (classifiers) or error sums
 * (regression), each with the variance of one row's contribution so that a band can be set at
 * any window size, and the band the default performance monitors alert outside of. Shared by the
 * server's monitors and the offline report.
 */
import { type ChunkCalibration, calibrate, metricBand } from './thresholds.js';

/** Labelled rows with a given (prediction, label) pair. */
export interface ConfusionCell {
  prediction: string | null;
  label: string;
  count: number;
}

/** Sums over labelled rows with numeric prediction and label, from which regression metrics follow. */
export interface RegressionSums {
  count: number;
  sumError: number;
  sumAbsError: number;
  sumSquaredError: number;
  sumLabel: number;
  sumSquaredLabel: number;
  /** Rows with a non-zero label, and the sum of |error| / |label| over them (MAPE). */
  nonZeroLabels: number;
  sumAbsPercentageError: number;
}

/**
 * `RegressionSums` over rows `start` to `end` (exclusive) of paired predictions and labels;
 * a row where either is NaN (missing) is skipped.
 */
export function regressionSums(
  predictions: ArrayLike<number>,
  labels: ArrayLike<number>,
  start = 0,
  end = labels.length,
): RegressionSums {
  const sums: RegressionSums = {
    count: 0,
    sumError: 0,
    sumAbsError: 0,
    sumSquaredError: 0,
    sumLabel: 0,
    sumSquaredLabel: 0,
    nonZeroLabels: 0,
    sumAbsPercentageError: 0,
  };
  for (let i = start; i < end; i++) {
    const p = predictions[i]!;
    const l = labels[i]!;
    if (Number.isNaN(p) || Number.isNaN(l)) continue;
    const d = p - l;
    sums.count++;
    sums.sumError += d;
    sums.sumAbsError += Math.abs(d);
    sums.sumSquaredError += d * d;
    sums.sumLabel += l;
    sums.sumSquaredLabel += l * l;
    if (l !== 0) {
      sums.nonZeroLabels++;
      sums.sumAbsPercentageError += Math.abs(d) / Math.abs(l);
    }
  }
  return sums;
}

export const MONITOR_CLASSIFICATION_METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;
export const MONITOR_MULTICLASS_METRICS = ['accuracy', 'macro_recall'] as const;
export const MONITOR_REGRESSION_METRICS = ['mae', 'rmse', 'mean_error'] as const;

/** Metrics where larger is better; the others (errors) alert when they grow. */
export const HIGHER_IS_BETTER: ReadonlySet<string> = new Set([
  'accuracy',
  'precision',
  'recall',
  'f1',
  'macro_recall',
]);

/**
 * The positive class: the last of the declared classes, else `1` or `true` when a label has that
 * name, else the last label in sort order.
 */
export function positiveClassOf(
  declared: readonly string[] | undefined,
  confusion: readonly ConfusionCell[],
): string {
  if (declared && declared.length > 0) return declared.at(-1)!;
  const labels = new Set(confusion.map((c) => c.label));
  return labels.has('1') ? '1' : labels.has('true') ? 'true' : ([...labels].sort().at(-1) ?? '1');
}

export interface MetricValue {
  value: number;
  /** Rows the metric averages over (its effective sample size). */
  rows: number;
  /** Variance of one row's contribution, for the sampling error. */
  rowVariance: number;
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

/**
 * The band a window's metric is expected in: the baseline value ± z · sqrt(its sampling variance
 * at the window's size + the baseline chunks' variance beyond their own sampling noise).
 */
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
  profile: { confusion: readonly ConfusionCell[] },
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

export function regressionMetrics(profile: {
  regression: RegressionSums | null;
}): Record<string, MetricValue> {
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

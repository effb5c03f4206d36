/**
 * The choices of the default monitors, in one place so that the server's monitors and the offline
 * report make them alike: which monitors a model gets, how their false-alarm budget is shared,
 * how a drift monitor bins numeric columns, how many pieces the baseline is cut into for
 * calibration, and the minimum samples and data-quality limits.
 */
import { quantileSorted } from '../math/descriptive.js';

export type MonitorTask = 'binary_classification' | 'multiclass_classification' | 'regression';

export type DefaultMonitorKind =
  | 'data_quality'
  | 'feature_drift'
  | 'prediction_drift'
  | 'label_drift'
  | 'performance'
  | 'estimated_performance'
  | 'multivariate_drift'
  | 'fairness'
  | 'traffic';

/** Kinds whose thresholds are calibrated to the false-alarm budget, which they share. */
export const BUDGETED_KINDS: ReadonlySet<string> = new Set([
  'feature_drift',
  'prediction_drift',
  'label_drift',
  'performance',
  'estimated_performance',
  'multivariate_drift',
]);

/** Expected false alarms per week of one model's budgeted monitors, unless configured otherwise. */
export const DEFAULT_FALSE_ALARMS_PER_WEEK = 1;

/** The window of the default monitors, unless configured otherwise (microseconds). */
export const DEFAULT_WINDOW_MICROS = 3_600_000_000;

export const WEEK_MICROS = 7 * 86_400_000_000;

/**
 * The monitors a model gets when its first reference data arrives: data quality, drift of every
 * feature, of the prediction and of the label, performance with labels, estimated performance
 * (binary classifiers), multivariate drift (at least two numeric features), fairness (sensitive
 * attributes named, classifiers), and traffic.
 */
export function defaultMonitorKinds(model: {
  task: MonitorTask;
  numericFeatures: number;
  sensitiveAttributes: number;
}): DefaultMonitorKind[] {
  return [
    'data_quality',
    'feature_drift',
    'prediction_drift',
    'label_drift',
    'performance',
    ...(model.task === 'binary_classification' ? (['estimated_performance'] as const) : []),
    ...(model.numericFeatures >= 2 ? (['multivariate_drift'] as const) : []),
    ...(model.sensitiveAttributes > 0 && model.task !== 'regression' ? (['fairness'] as const) : []),
    'traffic',
  ];
}

/** One budgeted monitor's share of the model's false-alarm budget. */
export function monitorBudget(falseAlarmsPerWeek: number, budgetedMonitors: number): number {
  return falseAlarmsPerWeek / Math.max(1, budgetedMonitors);
}

/** How many windows of a monitor are evaluated in a week: the unit of the false-alarm budget. */
export function windowsPerWeekOf(windowMicros: number | null): number {
  // "Last N" windows are re-evaluated as data comes; count them as one evaluation every 10 minutes.
  return windowMicros === null ? 1008 : Math.max(1, WEEK_MICROS / windowMicros);
}

/** Minimum non-missing values in a window for a distribution comparison to mean anything. */
export const DRIFT_MIN_SAMPLE = 100;
/** Minimum rows in a window for data-quality rates. */
export const QUALITY_MIN_SAMPLE = 30;
/** Minimum labelled rows for performance metrics. */
export const PERFORMANCE_MIN_LABELS = 50;
/** The method of a drift monitor that names none. */
export const DEFAULT_MONITOR_DRIFT_METHOD = 'jensen_shannon' as const;

/** Data-quality limits of the default data-quality monitor. */
export const DEFAULT_QUALITY_LIMITS = {
  /** Missing rate above the baseline's by more than this alerts. */
  maxMissingRateIncrease: 0.1,
  /** Share of numeric values outside the baseline's [min, max]. */
  maxOutOfRangeRate: 0.05,
  /** Share of categorical values the baseline never had. */
  maxUnseenCategoryRate: 0.05,
  /** Share of rows with a given violation recorded at ingestion. */
  maxViolationRate: 0.01,
} as const;

/** Quantiles of the baseline whose values are a numeric drift histogram's inner edges. */
export const DRIFT_EDGE_QUANTILES: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];

/**
 * Histogram edges from the baseline's quantiles at {@link DRIFT_EDGE_QUANTILES} (ties collapsed,
 * missing ones dropped), open at both ends so every current value falls in a bin.
 */
export function driftEdgesFromQuantiles(quantiles: readonly (number | null | undefined)[]): number[] {
  const finite = quantiles.filter((q): q is number => q !== null && q !== undefined && Number.isFinite(q));
  const inner = [...new Set(finite)].sort((a, b) => a - b);
  return [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY];
}

/** {@link driftEdgesFromQuantiles} of an ascending sample (numpy's linear quantiles). */
export function driftEdgesOfSorted(sorted: ArrayLike<number>): number[] {
  if (sorted.length === 0) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
  return driftEdgesFromQuantiles(DRIFT_EDGE_QUANTILES.map((q) => quantileSorted(sorted, q)));
}

/** How many chunks to cut the baseline into: about one window's worth each, between 5 and 20. */
export function chunkCount(baselineRows: number, windowRows: number): number {
  const ratio = baselineRows / Math.max(1, windowRows);
  return ratio >= 15 ? 20 : ratio >= 7.5 ? 10 : 5;
}

/** The chunk (0-based) of row `index` of `rows` cut into `chunks` consecutive pieces. */
export function chunkOfRow(index: number, rows: number, chunks: number): number {
  return Math.floor((index * chunks) / rows);
}

/** Limits of the default fairness monitor. */
export const DEFAULT_FAIRNESS_LIMITS = {
  /** Groups with fewer predictions are left out of the comparison. */
  minGroupSize: 30,
  maxParityDifference: 0.1,
  /** The four-fifths rule. */
  minParityRatio: 0.8,
  maxEqualOpportunityDifference: 0.1,
} as const;

/** Minimum scored rows for estimated performance. */
export const ESTIMATION_MIN_SAMPLE = 100;

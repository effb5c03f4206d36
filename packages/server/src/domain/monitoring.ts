/**
 * Monitors and their results: the contract between evaluation (which writes results),
 * alerting (which reads them in order) and the dashboard (which draws them).
 */

/** What a result says about its window. */
export const RESULT_STATUSES = ['ok', 'warning', 'alert', 'insufficient_data', 'error'] as const;
export type ResultStatus = (typeof RESULT_STATUSES)[number];

export const MONITOR_KINDS = [
  'data_quality',
  'feature_drift',
  'prediction_drift',
  'label_drift',
  'performance',
  'estimated_performance',
  'fairness',
  'multivariate_drift',
  'traffic',
  'custom_metric',
] as const;
export type MonitorKind = (typeof MONITOR_KINDS)[number];

/**
 * One value of one series in one window. A series is identified by
 * (monitor, version, segment, feature, metric); re-evaluating a window (late labels,
 * an edited monitor) replaces the result of that series and window and gives it a new
 * `seq`, so readers that follow `seq` see every change exactly once.
 */
export interface MonitorResult {
  /** Store-assigned, strictly increasing across all results: the order alerting reads them in. */
  seq: number;
  modelId: number;
  monitorId: number;
  monitorKind: MonitorKind;
  /** Model version the window is restricted to; null for all versions. */
  version: string | null;
  /** `name=value` of the segment the window is restricted to; null for all traffic. */
  segment: string | null;
  windowStartMicros: number;
  windowEndMicros: number;
  /** Feature (or column) the value is about; null for model-level metrics. */
  feature: string | null;
  /** e.g. `jensen_shannon`, `accuracy`, `missing_rate`, `prediction_count`. */
  metric: string;
  value: number | null;
  /** The value breaches when it is below `thresholdLower` or above `thresholdUpper`. */
  thresholdLower: number | null;
  thresholdUpper: number | null;
  /** Confidence band of the value (sampling error), when the method gives one. */
  bandLower: number | null;
  bandUpper: number | null;
  sampleSize: number;
  status: ResultStatus;
  /** Why: the reason for `error` / `insufficient_data`, or a short explanation of the value. */
  reason: string | null;
  /** Method-specific evidence (method name, p-value, reference value, …), JSON-serialisable. */
  details: Record<string, unknown> | null;
  evaluatedAtMicros: number;
}

/** A result as evaluation hands it to the store (the store assigns `seq`). */
export type NewMonitorResult = Omit<MonitorResult, 'seq'>;

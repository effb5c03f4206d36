/**
 * The report's data: what the JSON output holds (snake_case, as the API) and what the HTML shows.
 * Its JSON Schema is docs/report.schema.json; bump REPORT_SCHEMA_VERSION on any breaking change.
 */
import type { Task } from '@vigil/server/domain';
import type { ColumnType } from './columns.js';
import type { MultivariateSection } from './multivariate.js';
import type { EstimatedSection, FairnessSection, PerformanceSection } from './outcomes.js';

export const REPORT_SCHEMA_VERSION = 1;

export type Status = 'ok' | 'alert' | 'insufficient_data' | 'error';
export type { Task };

export interface InputSummary {
  file: string;
  format: string;
  gzipped: boolean;
  rows: number;
  columns: number;
}

export interface ColumnInfo {
  name: string;
  role: 'feature' | 'target' | 'prediction' | 'score' | 'segment' | 'ignored';
  type: ColumnType;
}

export interface HistogramView {
  /** Numeric: bin edges (null for ±infinity); categorical: absent. */
  edges?: (number | null)[];
  /** Categorical: the categories shown (the most frequent 50 of both sides). */
  categories?: string[];
  reference: number[];
  current: number[];
}

export interface DriftEntry {
  column: string;
  /** Which monitor of the server makes this decision. */
  monitor: 'feature_drift' | 'prediction_drift' | 'label_drift';
  type: 'numeric' | 'categorical';
  method: string;
  value: number | null;
  threshold: number | null;
  /** `upper`: the value alerts above the threshold (distances); `lower`: below (p-values). */
  threshold_direction: 'upper' | 'lower';
  threshold_source: string | null;
  status: Status;
  reason: string | null;
  /** Per-test false-alarm probability the threshold was set for. */
  alpha: number;
  reference_size: number;
  current_size: number;
  reference_mean: number | null;
  current_mean: number | null;
  histogram: HistogramView | null;
}

export interface QualityEntry {
  column: string;
  metric: 'missing_rate' | 'out_of_range_rate' | 'unseen_category_rate';
  value: number | null;
  threshold: number;
  reference_value: number | null;
  status: Status;
  details: Record<string, unknown>;
}

/** One column's summary in one of the two datasets. */
export interface ColumnSummary {
  missing: number;
  distinct: number | null;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
}

export interface ColumnStats {
  column: string;
  type: ColumnType;
  reference: ColumnSummary;
  current: ColumnSummary;
}

export interface LookFirst {
  section: 'drift' | 'quality' | 'performance' | 'estimated_performance' | 'multivariate' | 'fairness';
  column: string | null;
  message: string;
}

export interface ReportData {
  schema_version: number;
  generated_at: string;
  generator: string;
  reference: InputSummary;
  current: InputSummary;
  settings: {
    task: Task;
    task_source: 'option' | 'inferred';
    false_alarms_per_week: number;
    window: string;
    budgeted_monitors: number;
    drift_share_threshold: number;
    category_limit: number;
  };
  columns: ColumnInfo[];
  /** What was computed approximately and why (empty when every number is exact). */
  approximations: string[];
  summary: {
    drifted_features: string[];
    evaluated_features: number;
    drift_share: number;
    dataset_drift: boolean;
    quality_alerts: number;
    performance_alerts: number;
    fairness_alerts: number;
    look_first: LookFirst[];
    checks: {
      drift: 'pass' | 'fail';
      quality: 'pass' | 'fail';
      performance: 'pass' | 'fail' | 'not_evaluated';
      fairness: 'pass' | 'fail' | 'not_evaluated';
    };
  };
  quality: { rows: { reference: number; current: number }; entries: QualityEntry[]; columns: ColumnStats[] };
  drift: { features: DriftEntry[]; outputs: DriftEntry[] };
  multivariate: MultivariateSection | null;
  performance: PerformanceSection | null;
  estimated_performance: EstimatedSection | null;
  fairness: FairnessSection | null;
}

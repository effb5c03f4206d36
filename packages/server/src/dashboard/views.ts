/**
 * What the dashboard endpoints answer, shaped for the charts that draw them (snake_case like
 * the rest of the API). The zod schemas in `api/schemas/dashboard.ts` describe the same shapes.
 */
import type { MonitorKind, ResultStatus } from '../domain/index.js';

export interface SeriesFrame {
  model: string;
  from: string;
  to: string;
  step_seconds: number;
  version: string | null;
  segment: string | null;
}

export interface TrafficPoint {
  start: string;
  predictions: number;
  labeled: number;
  /** Share of the bucket's predictions that have a label (null without predictions). */
  label_coverage: number | null;
  /** Mean positive-class score (binary) or prediction (regression). */
  mean_score: number | null;
}

export interface ClassCountsPoint {
  start: string;
  counts: Record<string, number>;
}

export interface PredictionDistribution {
  kind: 'categorical' | 'numeric';
  /** Classes with their count over the whole range, most frequent first (classifiers). */
  classes: { value: string; count: number }[];
  /** Class counts per bucket (classifiers). */
  over_time: ClassCountsPoint[];
  /** Histogram of the positive-class score (binary) or the prediction (regression). */
  histogram: { edges: number[]; counts: number[] } | null;
}

export interface MetricPoint {
  start: string;
  value: number | null;
  band_lower: number | null;
  band_upper: number | null;
  threshold_lower: number | null;
  threshold_upper: number | null;
  status: ResultStatus;
  sample_size: number;
  windows: number;
}

export interface MetricSeries {
  monitor: string;
  kind: MonitorKind;
  metric: string;
  /** True for estimates without labels (e.g. CBPE). */
  estimated: boolean;
  points: MetricPoint[];
}

export interface QualityPoint {
  start: string;
  rows: number;
  /** Violations by kind (`missing_feature`, `type_mismatch`, …) summed over features. */
  violations: Record<string, number>;
}

export interface ModelSeries extends SeriesFrame {
  task: string;
  traffic: TrafficPoint[];
  predictions: PredictionDistribution;
  performance: MetricSeries[];
  quality: QualityPoint[];
  /** Versions that have predictions in the range, and segment columns of the model. */
  versions: string[];
  segments: { name: string; values: string[] }[];
}

export interface DriftMapRow {
  feature: string;
  metric: string;
  /** Aligned with `buckets`: the highest score of the bucket's windows, its threshold, their ratio, the worst status. */
  scores: (number | null)[];
  thresholds: (number | null)[];
  ratios: (number | null)[];
  statuses: (ResultStatus | null)[];
  /** The highest ratio over the range: rows are sorted by it, most drifted first. */
  max_ratio: number | null;
}

export interface DriftMap extends SeriesFrame {
  buckets: string[];
  features: DriftMapRow[];
}

export interface FeatureDistribution {
  kind: 'numeric' | 'categorical';
  /** Numeric: shared bin edges; the first and last bins also hold values beyond them. */
  edges: number[] | null;
  reference: number[];
  current: number[];
  /** Categorical: the category of each count; `null` stands for all other categories. */
  categories: (string | null)[] | null;
  reference_missing: number;
  current_missing: number;
  reference_rows: number;
  current_rows: number;
}

/** The distributions with the range the current one was drawn from. */
export interface FeatureDistributionInRange extends FeatureDistribution {
  current_from: string;
  current_to: string;
}

export interface FeatureQualityPoint {
  start: string;
  rows: number;
  missing: number;
  violations: Record<string, number>;
}

export interface ExampleRow {
  id: string;
  timestamp: string;
  value: number | string | boolean | null;
  /** The raw value when it did not fit the feature's type. */
  invalid_value: unknown;
  prediction: string | null;
  score: number | null;
  label: string | null;
  violations: string[];
}

export interface FeatureDetail extends SeriesFrame {
  feature: string;
  role: 'feature' | 'segment';
  type: string;
  reference_dataset: string | null;
  distribution: FeatureDistributionInRange;
  drift: MetricSeries[];
  quality: FeatureQualityPoint[];
  examples: ExampleRow[];
}

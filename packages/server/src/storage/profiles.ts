/**
 * Window profiles: everything a monitor needs from one window of data, computed inside the
 * engine in a few passes and returned as small aggregates. One request may cover many
 * clock-aligned windows (backfill) or the chunks of a reference dataset (threshold calibration).
 */
import type { RegressionSums } from '@vigil/stats';
import type { ModelColumn } from './types.js';

/** What a numeric or categorical aggregate reads: a model column by name, or a prediction field. */
export type ProfileTarget =
  | { column: string }
  | { field: 'prediction' | 'prediction_num' | 'score' | 'label' | 'label_num' | 'version' };

export type ProfileSource =
  | {
      kind: 'predictions';
      fromMicros?: number;
      toMicros?: number;
      version?: string;
      /** Only rows whose segment (or other) column `name` equals `value` (compared as text). */
      segment?: { name: string; value: string };
      /** Only rows stored at or after this time (epoch microseconds). */
      ingestedAfterMicros?: number;
      /** Only the newest N rows (by timestamp) of what the other conditions select. */
      lastN?: number;
      /**
       * Only the rows of the windows of `bucketMicros` starting at these times (distinct, on the
       * bucket's clock): the engine reads just their time ranges, however far apart they are.
       */
      windowStarts?: number[];
    }
  | {
      kind: 'reference';
      datasetId: number;
      /**
       * Split the dataset into this many consecutive chunks (by timestamp, then insertion order);
       * each chunk's index is its `window`. Used to calibrate thresholds on the reference itself.
       */
      chunks?: number;
    };

export interface ProfileRequest {
  source: ProfileSource;
  /** Group predictions into clock-aligned windows of this length (microseconds, from the Unix epoch). */
  bucketMicros?: number;
  /** Histograms on given edges, with the sum of the values in each bin (so binned distances can use bin means). */
  numeric?: {
    key: string;
    target: ProfileTarget;
    edges: number[];
    quantiles?: number[];
    /** Only rows whose prediction (or label) is this value; the others count as missing. */
    where?: { field: 'prediction' | 'label'; equals: string };
    /**
     * Only counts, nulls and the mean are wanted: the per-bin sums come back as NaN and min, max
     * and std as null. Spares the engine most of the work on large windows.
     */
    countsOnly?: boolean;
  }[];
  /** Value counts (the most frequent `limit` values, default 1,000; the rest folded into `otherCount`). */
  categorical?: { key: string; target: ProfileTarget; limit?: number }[];
  /** Counts of (prediction, label) pairs over labelled rows. */
  confusion?: boolean;
  /** Sums for regression metrics over labelled rows with numeric prediction and label. */
  regression?: boolean;
  /** Counts of stored data-quality violations by violation (e.g. `missing_feature:age`). */
  violations?: boolean;
}

/** One request of `Store.profileMany`: a model's profile request. */
export interface ProfileBatchItem {
  modelId: number;
  columns: ModelColumn[];
  request: ProfileRequest;
}

export interface NumericProfile {
  /** `counts[i]` counts values in [edges[i], edges[i+1]). */
  counts: number[];
  /** `sums[i]` sums the values counted in `counts[i]`. */
  sums: number[];
  nulls: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  /** Sample standard deviation (n − 1). */
  std: number | null;
  /** Exact quantiles (linear interpolation, as numpy) at the requested probabilities. */
  quantiles?: (number | null)[];
}

export interface CategoricalProfile {
  counts: Record<string, number>;
  nulls: number;
  /** Rows whose value is not among the `limit` most frequent. */
  otherCount: number;
}

/** The regression metrics' sums, as @vigil/stats computes the metrics from them. */
export type { RegressionSums };

export interface WindowProfile {
  /** Window start (epoch microseconds), the chunk index for a chunked reference, or null for one window. */
  window: number | null;
  rows: number;
  labeled: number;
  /** Timestamps of the oldest and newest row (epoch microseconds). */
  firstMicros: number | null;
  lastMicros: number | null;
  numeric: Record<string, NumericProfile>;
  categorical: Record<string, CategoricalProfile>;
  confusion: { prediction: string | null; label: string; count: number }[];
  regression: RegressionSums | null;
  violations: Record<string, number>;
}

/** Whether edges are strictly increasing: what binning by comparisons needs. */
export function strictlyIncreasing(values: number[]): boolean {
  return values.every((v, k) => k === 0 || values[k - 1]! < v);
}

/**
 * Whether inner edges lie on an even grid (within 1e-9 relative): what a histogram of many
 * bins needs, as engines bin those by arithmetic instead of comparisons.
 */
export function evenlySpacedEdges(inner: number[]): boolean {
  const first = inner[0]!;
  const step = (inner.at(-1)! - first) / Math.max(1, inner.length - 1);
  return inner.every((e, k) => Math.abs(e - (first + k * step)) <= 1e-9 * Math.max(1, Math.abs(e)));
}

/**
 * Whether a request reads labels. Only such requests count labelled rows (`labeled`); for the
 * others it is 0.
 */
export function profileUsesLabels(request: Omit<ProfileRequest, 'source'>): boolean {
  const labelTarget = (t: ProfileTarget) => 'field' in t && (t.field === 'label' || t.field === 'label_num');
  return (
    request.confusion === true ||
    request.regression === true ||
    (request.numeric ?? []).some((n) => labelTarget(n.target) || n.where?.field === 'label') ||
    (request.categorical ?? []).some((c) => labelTarget(c.target))
  );
}

/** A profile of no rows (what a window without data looks like). */
export function emptyWindowProfile(window: number | null = null): WindowProfile {
  return {
    window,
    rows: 0,
    labeled: 0,
    firstMicros: null,
    lastMicros: null,
    numeric: {},
    categorical: {},
    confusion: [],
    regression: null,
    violations: {},
  };
}

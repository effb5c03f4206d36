/**
 * Bounded row samples, for the few methods that truly need rows (multivariate drift: PCA
 * reconstruction and the domain classifier). The engine picks the rows, so a window of
 * millions of predictions never travels: only `limit` rows of the requested columns do.
 */
import type { ProfileSource, ProfileTarget } from './profiles.js';

export interface SampleRequest {
  /** The same sources as profiles: a window of traffic (version, segment, last N) or a reference dataset. */
  source: ProfileSource;
  /** Feature names read as numbers (missing values become NaN). */
  numeric: string[];
  /** Feature names read as text (booleans as `true`/`false`; missing values become null). */
  categorical: string[];
  /** Rows drawn at most. */
  limit: number;
  /**
   * Also return each sampled row's place in the draw (`RowSample.ranks`), so that samples of
   * parts of a window (a predictions source only) can be merged into the window's sample.
   */
  ranked?: boolean;
  /**
   * Draw only among rows ranked at or below this (a ranked draw): rows ranked above the
   * `limit`-th row of samples already drawn cannot enter their merge. `totalRows` still counts
   * every row of the source.
   */
  rankAtMost?: bigint;
}

/**
 * Where each sampled traffic row stands in the draw: a sample is the `limit` rows with the
 * smallest `(rank, id)`, ranks compared as unsigned integers and ids as text in the engine's
 * order. A row's rank depends only on the row, so the sample of a window is the smallest
 * `limit` of the union of its parts' samples.
 */
export interface SampleRanks {
  rank: bigint[];
  id: string[];
  /** The rows' timestamps (epoch microseconds). */
  micros: number[];
}

/**
 * A deterministic pseudo-random sample: traffic rows are chosen by a hash of their id, reference
 * rows by a hash of their position in the dataset (ids may be generated per upload), so the same
 * stored rows always give the same sample, and two uploads of the same reference rows in the
 * same order give the same sample too. Rows are returned in the order they were recorded (by
 * timestamp, then id), so consecutive pieces of a sample are consecutive in time.
 */
export interface RowSample {
  /** Rows the source selected before sampling. */
  totalRows: number;
  /** Rows in the sample (at most the request's limit). */
  rows: number;
  numeric: Record<string, Float64Array>;
  categorical: Record<string, (string | null)[]>;
  /** Each row's place in the draw, in the rows' order (when the request was `ranked`). */
  ranks?: SampleRanks;
}

/**
 * Every row of a small window, read once: what a window of a few thousand predictions is
 * profiled from in-process (`monitors/row-profile.ts`), where the engine's fixed cost per
 * statement (planning dozens of aggregates) would exceed the cost of the data.
 */
export interface WindowRowsRequest {
  /** A predictions source (its version, segment, time range or last N). */
  source: ProfileSource;
  /** Targets read as numbers, as profiles cast them (missing values become NaN). */
  numeric: ProfileTarget[];
  /** Targets read as text, as profiles cast them (booleans as `true`/`false`; missing values are null). */
  text: ProfileTarget[];
  /** Join the labels, so that `label` and `label_num` targets read them (null otherwise). */
  labels: boolean;
  /** Also read each row's stored data-quality violations. */
  violations: boolean;
  /** Read nothing when the source selects more rows than this. */
  limit: number;
}

export interface WindowRows {
  /** False when the source selects more than the limit: then no rows are returned. */
  withinLimit: boolean;
  rows: number;
  /** Epoch microseconds, in recorded order (timestamp, then id), which every column follows. */
  timestamps: Float64Array;
  /** One column per requested numeric target, in request order. */
  numeric: Float64Array[];
  /** One column per requested text target, in request order. */
  text: (string | null)[][];
  /** Each row's violations (empty when none were stored), when requested. */
  violations?: string[][];
}

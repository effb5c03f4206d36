/**
 * Bounded row samples, for the few methods that truly need rows (multivariate drift: PCA
 * reconstruction and the domain classifier). The engine picks the rows, so a window of
 * millions of predictions never travels: only `limit` rows of the requested columns do.
 */
import type { ProfileSource } from './profiles.js';

export interface SampleRequest {
  /** The same sources as profiles: a window of traffic (version, segment, last N) or a reference dataset. */
  source: ProfileSource;
  /** Feature names read as numbers (missing values become NaN). */
  numeric: string[];
  /** Feature names read as text (booleans as `true`/`false`; missing values become null). */
  categorical: string[];
  /** Rows drawn at most. */
  limit: number;
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
}

/**
 * Row counts of a model's predictions in a few time ranges: what the traffic monitor compares.
 * Counts only, so an engine answers them without the machinery of a window profile.
 */

export interface PredictionCountRequest {
  /** Time ranges `[fromMicros, toMicros)`, epoch microseconds. */
  ranges: { fromMicros: number; toMicros: number }[];
  /** Also tell whether any prediction lies in this range (read up to the first one). */
  anyIn?: { fromMicros: number; toMicros: number };
  version?: string;
  /** Only rows whose segment (or other) column `name` equals `value` (compared as text). */
  segment?: { name: string; value: string };
}

export interface PredictionCounts {
  /** Element i: the predictions in range i. */
  counts: number[];
  /** Whether `anyIn` holds a prediction (false when it was not asked). */
  any: boolean;
}

import type { ColumnProfile } from './profile.js';
import { scanColumn } from './scan.js';
import { hasCategories } from './values.js';

/**
 * Aggregates of one column over one window: what `checkColumn` needs. The server computes
 * the same fields in SQL; `summarizeWindow` computes them from raw values.
 */
export interface WindowSummary {
  count: number;
  missingCount: number;
  /** Non-missing values that violate the declared type. */
  typeViolationCount: number;
  min?: number;
  max?: number;
  /** Valid values below the reference minimum / above the reference maximum. */
  belowMinCount?: number;
  aboveMaxCount?: number;
  /** Counts per category (string keys) of categorical and boolean columns. */
  categoryCounts?: ReadonlyMap<string, number> | Readonly<Record<string, number>>;
  /** Distinct valid values; for categorical columns it may be left out (taken from `categoryCounts`). */
  distinctCount?: number;
}

/** Summarises raw window values against the reference range of `profile`. */
export function summarizeWindow(values: ArrayLike<unknown>, profile: ColumnProfile): WindowSummary {
  const scan = scanColumn(values, profile.type, profile);
  const summary: WindowSummary = {
    count: values.length,
    missingCount: scan.missingCount,
    typeViolationCount: scan.typeViolationCount,
    distinctCount: scan.distinctCount,
  };
  if (scan.min <= scan.max) {
    summary.min = scan.min;
    summary.max = scan.max;
    summary.belowMinCount = scan.belowMinCount;
    summary.aboveMaxCount = scan.aboveMaxCount;
  }
  if (hasCategories(profile.type)) summary.categoryCounts = scan.categoryCounts;
  return summary;
}

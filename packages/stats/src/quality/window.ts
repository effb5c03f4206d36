import type { ColumnProfile } from './profile.js';
import {
  categoryKey,
  conformsToType,
  countDistinctSorted,
  hasCategories,
  isMissing,
  orderedValue,
} from './values.js';

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
  const { type } = profile;
  let missingCount = 0;
  let typeViolationCount = 0;
  let belowMinCount = 0;
  let aboveMaxCount = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  const categoryCounts = new Map<string, number>();
  // Ordered values are counted distinct by sorting: a Set of 500k doubles is far slower.
  const ordered = new Float64Array(type === 'numeric' || type === 'timestamp' ? values.length : 0);
  let orderedCount = 0;
  const distinct = new Set<unknown>();
  const categorical = hasCategories(type);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (isMissing(value)) {
      missingCount++;
      continue;
    }
    if (!conformsToType(value, type)) {
      typeViolationCount++;
      continue;
    }
    const number = orderedValue(value, type);
    if (number !== undefined) {
      if (number < min) min = number;
      if (number > max) max = number;
      ordered[orderedCount++] = number;
      if (profile.min !== undefined && number < profile.min) belowMinCount++;
      if (profile.max !== undefined && number > profile.max) aboveMaxCount++;
    } else if (categorical) {
      const key = categoryKey(value);
      categoryCounts.set(key, (categoryCounts.get(key) ?? 0) + 1);
    } else {
      distinct.add(value);
    }
  }
  const summary: WindowSummary = {
    count: values.length,
    missingCount,
    typeViolationCount,
    distinctCount: categorical
      ? categoryCounts.size
      : distinct.size + countDistinctSorted(ordered, orderedCount),
  };
  if (min <= max) {
    summary.min = min;
    summary.max = max;
    summary.belowMinCount = belowMinCount;
    summary.aboveMaxCount = aboveMaxCount;
  }
  if (categorical) summary.categoryCounts = categoryCounts;
  return summary;
}

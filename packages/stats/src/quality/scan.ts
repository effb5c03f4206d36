import {
  type ColumnType,
  categoryKey,
  conformsToType,
  countDistinctSorted,
  hasCategories,
  isMissing,
  orderedValue,
} from './values.js';

/** What one pass over a column's values finds; profiles and window summaries are both built from it. */
export interface ColumnScan {
  missingCount: number;
  /** Non-missing values that violate the type. */
  typeViolationCount: number;
  /** Range of the valid numeric or timestamp values; `min > max` when there are none. */
  min: number;
  max: number;
  /** Valid values below `range.min` / above `range.max` (0 when the range leaves that side open). */
  belowMinCount: number;
  aboveMaxCount: number;
  /** Counts per category (string keys) of categorical and boolean columns; empty for other types. */
  categoryCounts: Map<string, number>;
  /** Distinct valid values. */
  distinctCount: number;
}

/** Counts missing values, type violations, range, categories and distinct values in one pass. */
export function scanColumn(
  values: ArrayLike<unknown>,
  type: ColumnType,
  range: { min?: number; max?: number } = {},
): ColumnScan {
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
      if (range.min !== undefined && number < range.min) belowMinCount++;
      if (range.max !== undefined && number > range.max) aboveMaxCount++;
    } else if (categorical) {
      const key = categoryKey(value);
      categoryCounts.set(key, (categoryCounts.get(key) ?? 0) + 1);
    } else {
      distinct.add(value);
    }
  }
  return {
    missingCount,
    typeViolationCount,
    min,
    max,
    belowMinCount,
    aboveMaxCount,
    categoryCounts,
    distinctCount: categorical
      ? categoryCounts.size
      : distinct.size + countDistinctSorted(ordered, orderedCount),
  };
}

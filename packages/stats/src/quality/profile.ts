import {
  type ColumnType,
  categoryKey,
  conformsToType,
  countDistinctSorted,
  hasCategories,
  isMissing,
  orderedValue,
} from './values.js';

/** What a column looked like in the reference data; windows are checked against it. */
export interface ColumnProfile {
  name: string;
  type: ColumnType;
  /** Rows in the reference sample. */
  count: number;
  /** Share of missing values (see `isMissing`). */
  missingRate: number;
  /** Share of non-missing values that violate the type. */
  typeViolationRate: number;
  /** Range of numeric and timestamp columns (timestamps in epoch ms); absent otherwise or when empty. */
  min?: number;
  max?: number;
  /** Known categories of categorical and boolean columns (string keys). */
  categories?: string[];
  /** Distinct non-missing values that fit the type. */
  distinctCount: number;
}

/** Builds a column profile from reference values. */
export function buildColumnProfile(
  name: string,
  values: ArrayLike<unknown>,
  type: ColumnType,
): ColumnProfile {
  let missing = 0;
  let violations = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  // Ordered values are counted distinct by sorting: a Set of 500k doubles is far slower.
  const ordered = new Float64Array(type === 'numeric' || type === 'timestamp' ? values.length : 0);
  let orderedCount = 0;
  const distinct = new Set<unknown>();
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (isMissing(value)) {
      missing++;
      continue;
    }
    if (!conformsToType(value, type)) {
      violations++;
      continue;
    }
    const number = orderedValue(value, type);
    if (number !== undefined) {
      if (number < min) min = number;
      if (number > max) max = number;
      ordered[orderedCount++] = number;
    } else {
      distinct.add(hasCategories(type) ? categoryKey(value) : value);
    }
  }
  const present = values.length - missing;
  const profile: ColumnProfile = {
    name,
    type,
    count: values.length,
    missingRate: values.length === 0 ? 0 : missing / values.length,
    typeViolationRate: present === 0 ? 0 : violations / present,
    distinctCount: distinct.size + countDistinctSorted(ordered, orderedCount),
  };
  if (min <= max) {
    profile.min = min;
    profile.max = max;
  }
  if (hasCategories(type)) profile.categories = [...(distinct as Set<string>)].sort();
  return profile;
}

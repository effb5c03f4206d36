import { scanColumn } from './scan.js';
import { type ColumnType, hasCategories } from './values.js';

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
  const scan = scanColumn(values, type);
  const present = values.length - scan.missingCount;
  const profile: ColumnProfile = {
    name,
    type,
    count: values.length,
    missingRate: values.length === 0 ? 0 : scan.missingCount / values.length,
    typeViolationRate: present === 0 ? 0 : scan.typeViolationCount / present,
    distinctCount: scan.distinctCount,
  };
  if (scan.min <= scan.max) {
    profile.min = scan.min;
    profile.max = scan.max;
  }
  if (hasCategories(type)) profile.categories = [...scan.categoryCounts.keys()].sort();
  return profile;
}

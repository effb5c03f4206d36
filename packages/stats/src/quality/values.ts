/** Declared logical type of a column. */
export type ColumnType = 'numeric' | 'categorical' | 'boolean' | 'text' | 'timestamp';

/**
 * Missing means `null`, `undefined`, a NaN number, or the empty string `''`. Whitespace-only
 * strings and the text "null" count as values: they are data the producer chose to send.
 */
export function isMissing(value: unknown): boolean {
  return (
    value === null ||
    value === undefined ||
    value === '' ||
    (typeof value === 'number' && Number.isNaN(value))
  );
}

/**
 * Whether a non-missing value fits the declared type. Strict on purpose, so upstream
 * serialisation changes show up:
 * - `numeric`: a finite number (numeric strings such as "3.5" are violations; so is ±Infinity);
 * - `categorical`: a string, finite number or boolean;
 * - `boolean`: `true` or `false` only;
 * - `text`: a string;
 * - `timestamp`: a valid `Date`, a finite epoch-milliseconds number, or a string `Date.parse` reads.
 */
export function conformsToType(value: unknown, type: ColumnType): boolean {
  switch (type) {
    case 'numeric':
      return typeof value === 'number' && Number.isFinite(value);
    case 'categorical':
      return (
        typeof value === 'string' ||
        typeof value === 'boolean' ||
        (typeof value === 'number' && Number.isFinite(value))
      );
    case 'boolean':
      return typeof value === 'boolean';
    case 'text':
      return typeof value === 'string';
    case 'timestamp':
      return timestampMillis(value) !== undefined;
  }
}

/** Epoch milliseconds of a timestamp value, or undefined when it is not one. */
export function timestampMillis(value: unknown): number | undefined {
  if (value instanceof Date) {
    const time = value.getTime();
    return Number.isNaN(time) ? undefined : time;
  }
  if (typeof value === 'number') return Number.isFinite(value) ? value : undefined;
  if (typeof value === 'string') {
    const time = Date.parse(value);
    return Number.isNaN(time) ? undefined : time;
  }
  return undefined;
}

/**
 * The number a value is ranged by (numeric value or timestamp in epoch ms), undefined for
 * types without an order.
 */
export function orderedValue(value: unknown, type: ColumnType): number | undefined {
  if (type === 'numeric') return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
  if (type === 'timestamp') return timestampMillis(value);
  return undefined;
}

/** Category key of a value: its string form, so `1` and `"1"` are one category (as in SQL). */
export function categoryKey(value: unknown): string {
  return String(value);
}

/** Whether a column type is summarised by its categories rather than its range. */
export function hasCategories(type: ColumnType): boolean {
  return type === 'categorical' || type === 'boolean';
}

/** Number of distinct values among the first `length` entries; sorts them in place. */
export function countDistinctSorted(values: Float64Array, length: number): number {
  const view = values.subarray(0, length).sort();
  let distinct = 0;
  for (let i = 0; i < view.length; i++) if (i === 0 || view[i] !== view[i - 1]) distinct++;
  return distinct;
}

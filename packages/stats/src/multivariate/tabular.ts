/** Column-oriented tabular input shared by the multivariate methods. */

/** Rows given column by column; every column has the same length. */
export interface FeatureColumns {
  /** Numeric features; NaN marks a missing value. */
  numeric: ReadonlyArray<ArrayLike<number>>;
  /** Categorical features; `null` marks a missing value. */
  categorical?: ReadonlyArray<ArrayLike<string | null>>;
}

/** Number of rows, checking that every column agrees. */
export function rowCount(columns: FeatureColumns): number {
  const all: Array<{ length: number }> = [...columns.numeric, ...(columns.categorical ?? [])];
  if (all.length === 0) throw new RangeError('at least one feature column is needed');
  const n = all[0]!.length;
  if (all.some((c) => c.length !== n)) throw new RangeError('all feature columns must have the same length');
  return n;
}

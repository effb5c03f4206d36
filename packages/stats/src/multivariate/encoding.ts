/**
 * Turning mixed features into numbers as NannyML's data-reconstruction drift does: missing numbers
 * become the reference mean, missing categories the reference's most frequent one, and each category
 * becomes its share of the reference rows (frequency encoding; unseen categories become 0).
 */
import type { FeatureColumns } from './tabular.js';

/** Imputation and encoding learnt from the reference (JSON-safe). */
export interface FeatureEncoding {
  /** Reference mean of each numeric column (NaN ignored), used for missing values. */
  numericFill: number[];
  /** Most frequent reference category of each categorical column (smallest name on ties). */
  categoricalFill: string[];
  /** Share of reference rows in each category, per categorical column. */
  categoryShares: Array<Record<string, number>>;
}

/** Learns imputation values and category shares from reference columns. */
export function fitFeatureEncoding(reference: FeatureColumns): FeatureEncoding {
  const numericFill = reference.numeric.map((column) => {
    let sum = 0;
    let count = 0;
    for (let i = 0; i < column.length; i++) {
      const v = column[i]!;
      if (!Number.isNaN(v)) {
        sum += v;
        count++;
      }
    }
    return count > 0 ? sum / count : Number.NaN;
  });
  const categoricalFill: string[] = [];
  const categoryShares: Array<Record<string, number>> = [];
  for (const column of reference.categorical ?? []) {
    const counts = new Map<string, number>();
    for (let i = 0; i < column.length; i++) {
      const v = column[i];
      if (v !== null && v !== undefined) counts.set(v, (counts.get(v) ?? 0) + 1);
    }
    let fill = '';
    let best = -1;
    for (const [category, count] of counts) {
      if (count > best || (count === best && category < fill)) {
        best = count;
        fill = category;
      }
    }
    categoricalFill.push(fill);
    // shares after imputation: missing rows count towards the fill category
    const missing = column.length - [...counts.values()].reduce((a, b) => a + b, 0);
    counts.set(fill, (counts.get(fill) ?? 0) + missing);
    const shares: Record<string, number> = {};
    for (const [category, count] of counts) shares[category] = count / column.length;
    categoryShares.push(shares);
  }
  return { numericFill, categoricalFill, categoryShares };
}

/** Encodes rows into a row-major matrix of `numeric.length + categorical.length` columns. */
export function encodeFeatures(
  encoding: FeatureEncoding,
  columns: FeatureColumns,
  rows: number,
): Float64Array {
  const numeric = columns.numeric;
  const categorical = columns.categorical ?? [];
  if (
    numeric.length !== encoding.numericFill.length ||
    categorical.length !== encoding.categoricalFill.length
  ) {
    throw new RangeError('columns do not match the fitted encoding');
  }
  const width = numeric.length + categorical.length;
  const out = new Float64Array(rows * width);
  numeric.forEach((column, j) => {
    const fill = encoding.numericFill[j]!;
    for (let i = 0; i < rows; i++) {
      const v = column[i]!;
      out[i * width + j] = Number.isNaN(v) ? fill : v;
    }
  });
  categorical.forEach((column, c) => {
    // A Map of the own entries: the same look-up as `Object.hasOwn`, several times faster per row.
    const shares = new Map(Object.entries(encoding.categoryShares[c]!));
    const fill = encoding.categoricalFill[c]!;
    const j = numeric.length + c;
    for (let i = 0; i < rows; i++) {
      const v = column[i] ?? fill;
      // (a property key is a string: a non-string value, which the type excludes, looks up as one)
      out[i * width + j] = shares.get(typeof v === 'string' ? v : String(v)) ?? 0;
    }
  });
  return out;
}

/**
 * How a typed value (Parquet, JSON, NDJSON) joins its column, as the server's schema inference
 * reads it: missing values are NaN while the column is numeric, numbers (and numeric text) stay
 * numbers, and the first value that is not a number turns the column categorical, remembered with
 * its position for the messages that name it.
 */
import type { ColumnStore } from './column-store.js';
import { type ColumnBuilder, isMissingCell, numberOf, textOf } from './columns.js';

/** Where a column stopped being numeric, and the value that did it. */
export interface FirstNonNumeric {
  position: number;
  value: string;
}

/** What a reader gives back: each kept column's values, and where a column stopped being numeric. */
export interface ColumnsRead {
  rows: number;
  builders: Map<string, ColumnBuilder>;
  firstNonNumeric: Map<string, FirstNonNumeric>;
}

/** What every reader is told. */
export interface ColumnReadOptions {
  /** The file's name in messages. */
  label: string;
  keep?: ReadonlySet<string>;
  /** Where the values wait for the analysis (all in memory when absent). */
  store?: ColumnStore;
  onProgress?: (rows: number, fraction: number) => void;
}

/** What the readers of text files (CSV, NDJSON) are told besides. */
export interface TextColumnReadOptions extends ColumnReadOptions {
  gzipped: boolean;
  /** Bytes read at a time (tests use small ones to cut records at every place). */
  chunkBytes?: number;
}

export function appendValue(
  builder: ColumnBuilder,
  value: unknown,
  position: number,
  firstNonNumeric: Map<string, FirstNonNumeric>,
): void {
  if (builder.isNumeric) {
    if (isMissingCell(value)) {
      builder.pushNumber(Number.NaN);
      return;
    }
    const n = numberOf(value);
    if (n !== undefined) {
      builder.pushNumber(n);
      return;
    }
    firstNonNumeric.set(builder.name, { position, value: textOf(value) });
  }
  builder.push(value);
}

/**
 * Appends `values[from, to)`; the position of `values[i]` is `firstPosition + i - from`. A typed
 * array of numbers goes in without a check per value while the column is numeric.
 */
export function appendValues(
  builder: ColumnBuilder,
  values: ArrayLike<unknown>,
  from: number,
  to: number,
  firstPosition: number,
  firstNonNumeric: Map<string, FirstNonNumeric>,
): void {
  if (builder.isNumeric && isNumberArray(values)) {
    for (let i = from; i < to; i++) builder.pushNumber(values[i]!);
    return;
  }
  for (let i = from; i < to; i++) appendValue(builder, values[i], firstPosition + i - from, firstNonNumeric);
}

function isNumberArray(values: ArrayLike<unknown>): values is ArrayLike<number> {
  return (
    ArrayBuffer.isView(values) &&
    !(values instanceof BigInt64Array) &&
    !(values instanceof BigUint64Array) &&
    !(values instanceof DataView)
  );
}

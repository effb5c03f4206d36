/**
 * Predictions as an Arrow IPC stream (`application/vnd.apache.arrow.stream`): numbers travel as
 * doubles, not as text to print and parse, and repeated strings (categories, versions) once per
 * batch in a dictionary. Columns are typed from their values: all numbers → float64, all strings
 * → utf8 (dictionary-encoded when few are distinct), all booleans → bool; a column mixing kinds,
 * or holding objects, has no Arrow type, and such a batch is sent as columnar JSON instead,
 * which the server reads identically.
 */
import {
  Bool,
  type Data,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  tableToIPC,
  Utf8,
} from 'apache-arrow';
import type { RawBody } from './api.js';
import type { Cell } from './cells.js';
import { PredictionColumns } from './columns.js';
import { Doubles, type IpcColumn, writeIpcStream } from './ipc-writer.js';
import type { PredictionInput } from './serialize.js';

export const ARROW_CONTENT_TYPE = 'application/vnd.apache.arrow.stream';

const encoder = new TextEncoder();

/** An empty validity bitmap (bit set = value present) for `n` rows, padded to 8 bytes. */
function bitmapFor(n: number): Uint8Array {
  return new Uint8Array(((n + 63) >> 6) << 3);
}

/** The float64 column of `values[start..end)`, or undefined when a value is not a number or null. */
export function numbers(values: ArrayLike<unknown>, start: number, end: number): Data | undefined {
  const n = end - start;
  const data = new Float64Array(n);
  const bitmap = bitmapFor(n);
  let nulls = 0;
  // One pass: type check, copy and validity together.
  for (let i = 0; i < n; i++) {
    const value = values[start + i];
    if (typeof value === 'number') {
      data[i] = value;
      bitmap[i >> 3]! |= 1 << (i & 7);
    } else if (value === null) {
      nulls++;
    } else {
      return undefined;
    }
  }
  return makeData({
    type: new Float64(),
    length: n,
    nullCount: nulls,
    nullBitmap: nulls ? bitmap : null,
    data,
  });
}

export function booleans(values: ArrayLike<unknown>, start: number, end: number): Data | undefined {
  const n = end - start;
  const data = bitmapFor(n);
  const bitmap = bitmapFor(n);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    const value = values[start + i];
    if (typeof value === 'boolean') {
      if (value) data[i >> 3]! |= 1 << (i & 7);
      bitmap[i >> 3]! |= 1 << (i & 7);
    } else if (value === null) {
      nulls++;
    } else {
      return undefined;
    }
  }
  return makeData({ type: new Bool(), length: n, nullCount: nulls, nullBitmap: nulls ? bitmap : null, data });
}

/** UTF-8 strings laid end to end, with n + 1 offsets. */
function utf8(strings: readonly (string | null)[]): { offsets: Int32Array; bytes: Uint8Array } {
  let capacity = 0;
  for (const s of strings) if (s !== null) capacity += s.length * 3;
  const bytes = new Uint8Array(capacity);
  const offsets = new Int32Array(strings.length + 1);
  let at = 0;
  for (let i = 0; i < strings.length; i++) {
    const s = strings[i];
    if (s !== null && s !== undefined) at += encoder.encodeInto(s, bytes.subarray(at)).written;
    offsets[i + 1] = at;
  }
  return { offsets, bytes: bytes.subarray(0, at) };
}

/**
 * A dictionary-encoded utf8 column: `indices` (one per row) into `entries`; `nullCount` rows are
 * null, as `nullBitmap` says (bit set = value present; null when no row is null).
 */
export function dictionaryColumn(
  entries: readonly string[],
  indices: Int32Array,
  nullCount: number,
  nullBitmap: Uint8Array | null,
): Data {
  const words = utf8(entries);
  return makeData({
    type: new Dictionary(new Utf8(), new Int32()),
    length: indices.length,
    nullCount,
    nullBitmap,
    data: indices,
    dictionary: makeVector(
      makeData({
        type: new Utf8(),
        length: entries.length,
        nullCount: 0,
        valueOffsets: words.offsets,
        data: words.bytes,
      }),
    ),
  });
}

/**
 * The utf8 column of `values[start..end)`, dictionary-encoded when few values are distinct,
 * or undefined when a value is not a string or null. `distinct`: the values are known to be
 * mostly distinct (ids), so no dictionary is tried.
 */
export function strings(
  values: ArrayLike<unknown>,
  start: number,
  end: number,
  distinct = false,
): Data | undefined {
  const n = end - start;
  const bitmap = bitmapFor(n);
  let nulls = 0;
  // Few distinct values (categories, versions): a dictionary and one small index per row.
  const index = new Map<string, number>();
  const indices = new Int32Array(distinct ? 0 : n);
  const most = n >> 2;
  let dictionary = !distinct;
  for (let i = 0; i < n; i++) {
    const value = values[start + i];
    if (typeof value === 'string') {
      bitmap[i >> 3]! |= 1 << (i & 7);
      if (!dictionary) continue;
      let k = index.get(value);
      if (k === undefined) {
        k = index.size;
        if (k >= most) {
          dictionary = false;
          continue;
        }
        index.set(value, k);
      }
      indices[i] = k;
    } else if (value === null) {
      nulls++;
    } else {
      return undefined;
    }
  }
  const nullBitmap = nulls ? bitmap : null;
  if (dictionary) return dictionaryColumn([...index.keys()], indices, nulls, nullBitmap);
  const text = utf8(Array.prototype.slice.call(values, start, end) as (string | null)[]);
  return makeData({
    type: new Utf8(),
    length: n,
    nullCount: nulls,
    nullBitmap,
    valueOffsets: text.offsets,
    data: text.bytes,
  });
}

/**
 * The Arrow column of `values[start..end)`, typed by its first value; null when every value is
 * null, undefined when it has no Arrow type (mixed kinds, objects).
 */
export function column(values: readonly Cell[], start: number, end: number): Data | null | undefined {
  let first = start;
  while (first < end && values[first] === null) first++;
  if (first === end) return null;
  switch (typeof values[first]) {
    case 'number':
      return numbers(values, start, end);
    case 'string':
      return strings(values, start, end);
    case 'boolean':
      return booleans(values, start, end);
    default:
      return undefined;
  }
}

/**
 * Rows `start..end` of named columns as one Arrow IPC stream, or null when a column has no Arrow
 * type. Columns that are null in every row are left out (absent and null mean the same).
 */
export function arrowStream(
  columns: readonly [string, readonly Cell[]][],
  start: number,
  end: number,
): Uint8Array | null {
  const fields: Field[] = [];
  const children: Data[] = [];
  for (const [name, values] of columns) {
    const data = column(values, start, end);
    if (data === undefined) return null;
    if (data === null) continue;
    fields.push(new Field(name, data.type, data.nullCount > 0));
    children.push(data);
  }
  return ipcStream(fields, children, end - start);
}

/** Named Arrow columns of `length` rows as one IPC stream (one record batch). */
export function ipcStream(fields: Field[], children: IpcColumn[], length: number): Uint8Array {
  const direct = writeIpcStream(fields, children, length);
  if (direct !== null) return direct;
  const schema = new Schema(fields);
  const batch = new RecordBatch(
    schema,
    makeData({
      type: new Struct(fields),
      length,
      nullCount: 0,
      children: children.map((child) => (child instanceof Doubles ? child.data() : child)),
    }),
  );
  return tableToIPC(new Table([batch]), 'stream');
}

/**
 * Prediction records as one Arrow body, or null when they have no Arrow form (a column mixing
 * kinds, a value that cannot be sent): then send them as JSON.
 */
export function predictionsAsArrow(records: readonly PredictionInput[]): RawBody | null {
  const columns = new PredictionColumns();
  try {
    for (const record of records) columns.add(record, record.id ?? null);
  } catch {
    return null;
  }
  const stream = columns.arrowStream();
  return stream === null ? null : { body: stream, contentType: ARROW_CONTENT_TYPE };
}

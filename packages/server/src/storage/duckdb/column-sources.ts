/**
 * Columnar batches into DuckDB vectors, a column at a time and without a native call per
 * value where the data allows it:
 * - numbers are copied from their `Float64Array` in one call per chunk, nulls as a bitmask;
 * - timestamps are written as 64-bit microseconds through a typed array;
 * - strings with few distinct values in the batch (categories, versions, class labels,
 *   repeated violation lists) travel as an ENUM of those values and their indices, which
 *   DuckDB casts back to the column's VARCHAR; only strings that are mostly distinct (ids,
 *   free text) take one call per value.
 * The same sources feed the appender (`appendColumns`), the batch scan (`batch-scan.ts`) and,
 * laid out in one body, the extension's scan (`columns-blob.ts`), which reads every string as
 * it is, without the ENUM.
 */
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  ENUM,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { EventColumns, FeatureColumn, ModelColumn, NumberColumn } from '../types.js';
import { FEATURE_TYPES, layoutSlots } from './chunks.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
export const CHUNK_ROWS = 2048;

/**
 * A column of a batch, as the data it holds: what the batch scan and the appender copy into
 * DuckDB's vectors (`fillChunk`), and what `columns-blob.ts` lays out for the extension's scan.
 * `valid` is one byte per row (1 = a value), or null when every row has one.
 */
export type ColumnData =
  | { kind: 'double'; values: Float64Array; valid: Uint8Array | null }
  /** Epoch microseconds (doubles, whole numbers), stored as DuckDB's 64-bit TIMESTAMP. */
  | { kind: 'timestamp'; micros: Float64Array; valid: Uint8Array | null }
  | { kind: 'constant-timestamp'; micros: number }
  | { kind: 'boolean'; values: Uint8Array; valid: Uint8Array | null }
  /** Strings that mostly differ (ids, free text), one per row. */
  | { kind: 'text'; values: readonly (string | null | undefined)[]; valid: Uint8Array | null }
  /** Strings as the batch's distinct values (no NUL) and an index into them per row. */
  | { kind: 'dictionary'; names: string[]; indices: Uint8Array | Uint16Array; valid: Uint8Array | null }
  /** Every row NULL, of the column's type. */
  | { kind: 'null'; type: DuckDBType };

/** A column of a batch and the DuckDB type its vectors have (a dictionary's is an ENUM of its names). */
export interface ColumnSource {
  type: DuckDBType;
  data: ColumnData;
}

/** One bit per row (1 = a value), in DuckDB's layout: 64-bit words, lowest bit first. */
const maskWords = new Uint32Array(CHUNK_ROWS / 32);
const int64Words = new Int32Array(CHUNK_ROWS * 2);

function writeMask(vector: duckdb.Vector, valid: Uint8Array | null, offset: number, count: number) {
  const words = Math.ceil(count / 64) * 2;
  maskWords.fill(0, 0, words);
  if (valid)
    for (let i = 0; i < count; i++) if (valid[offset + i] === 1) maskWords[i >>> 5]! |= 1 << (i & 31);
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, maskWords.buffer, 0, words * 4);
}

/** Epoch microseconds (doubles, whole numbers) as DuckDB's 64-bit TIMESTAMP. */
function putMicros(i: number, micros: number) {
  const high = Math.floor(micros / 4294967296);
  int64Words[2 * i] = micros - high * 4294967296; // wraps to the low 32 bits, as stored
  int64Words[2 * i + 1] = high;
}

function copyTyped(
  vector: duckdb.Vector,
  values: ArrayBufferView,
  offset: number,
  count: number,
  width: number,
) {
  duckdb.copy_data_to_vector(
    vector,
    0,
    values.buffer as ArrayBuffer,
    values.byteOffset + offset * width,
    count * width,
  );
}

/** Writes rows `offset .. offset + count` of `data` into rows `0 .. count` of a vector. */
function fillVector(vector: duckdb.Vector, data: ColumnData, offset: number, count: number) {
  switch (data.kind) {
    case 'double':
      copyTyped(vector, data.values, offset, count, 8);
      break;
    case 'timestamp':
      for (let i = 0; i < count; i++) putMicros(i, Math.round(data.micros[offset + i]!));
      duckdb.copy_data_to_vector(vector, 0, int64Words.buffer, 0, count * 8);
      break;
    case 'constant-timestamp':
      for (let i = 0; i < count; i++) putMicros(i, Math.round(data.micros));
      duckdb.copy_data_to_vector(vector, 0, int64Words.buffer, 0, count * 8);
      return;
    case 'boolean':
      copyTyped(vector, data.values, offset, count, 1);
      break;
    case 'dictionary':
      copyTyped(vector, data.indices, offset, count, data.indices.BYTES_PER_ELEMENT);
      break;
    case 'text':
      for (let i = 0; i < count; i++) {
        const value = data.values[offset + i];
        if (value !== null && value !== undefined) duckdb.vector_assign_string_element(vector, i, value);
      }
      break;
    case 'null':
      writeMask(vector, null, 0, count);
      return;
  }
  if (data.valid) writeMask(vector, data.valid, offset, count);
}

/** One byte per row, 1 where `present`; null when every row is. */
function validity(length: number, present: (i: number) => boolean): Uint8Array | null {
  let valid: Uint8Array | null = null;
  for (let i = 0; i < length; i++) {
    if (present(i)) continue;
    valid ??= new Uint8Array(length).fill(1);
    valid[i] = 0;
  }
  return valid;
}

/** A number column's validity as `ColumnData` holds it: null when every row has a value. */
function missing({ valid }: NumberColumn): Uint8Array | null {
  return valid.includes(0) ? valid : null;
}

function numbers(column: NumberColumn): ColumnData {
  return { kind: 'double', values: column.values, valid: missing(column) };
}

function nullColumn(type: DuckDBType): ColumnSource {
  return { type, data: { kind: 'null', type } };
}

/**
 * Strings are sent as an ENUM when the batch has at most one distinct value in this many
 * rows: the dictionary is then cheap to build and to cast, and the indices save a native
 * call per value. Ids and free text are mostly distinct and give up early.
 */
const ROWS_PER_DISTINCT = 8;
/** ENUMs with up to 65,535 values keep 16-bit indices. */
const MAX_DICTIONARY = 65_535;

/** The batch's distinct strings and each row's index among them, or null when too many differ. */
function dictionary(values: readonly (string | null | undefined)[]) {
  const limit = Math.min(MAX_DICTIONARY, Math.max(16, Math.floor(values.length / ROWS_PER_DISTINCT)));
  const positions = new Map<string, number>();
  const indices = new Uint16Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value === null || value === undefined) continue;
    let position = positions.get(value);
    if (position === undefined) {
      // A NUL cannot be part of an ENUM value's name; such text is written value by value.
      if (positions.size === limit || value.includes('\u0000')) return null;
      position = positions.size;
      positions.set(value, position);
    }
    indices[i] = position;
  }
  return { names: [...positions.keys()], indices };
}

function strings(values: readonly (string | null | undefined)[], mostlyDistinct = false): ColumnSource {
  const valid = validity(values.length, (i) => values[i] !== null && values[i] !== undefined);
  const encoded = mostlyDistinct ? null : dictionary(values);
  if (encoded !== null && encoded.names.length === 0) return nullColumn(VARCHAR);
  if (encoded !== null) {
    const { names, indices } = encoded;
    return {
      type: ENUM(names),
      data: {
        kind: 'dictionary',
        names,
        indices: names.length < 256 ? Uint8Array.from(indices) : indices,
        valid,
      },
    };
  }
  return { type: VARCHAR, data: { kind: 'text', values, valid } };
}

/** Strings already encoded (see `FeatureColumn`'s `codes`): an ENUM of the names and the indices as they are. */
function codes({ names, indices, valid }: Extract<FeatureColumn, { kind: 'codes' }>): ColumnSource {
  return { type: ENUM(names), data: { kind: 'dictionary', names, indices, valid } };
}

function json(values: readonly unknown[]): ColumnSource {
  return strings(values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v))));
}

function booleans(values: readonly (boolean | null)[]): ColumnSource {
  const bits = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bits[i] = values[i] === true ? 1 : 0;
  const valid = validity(values.length, (i) => values[i] !== null && values[i] !== undefined);
  return { type: BOOLEAN, data: { kind: 'boolean', values: bits, valid } };
}

function featureSource(column: ModelColumn, values: FeatureColumn): ColumnSource {
  const type = FEATURE_TYPES[column.type];
  if (values === null) return nullColumn(type);
  if (values.kind === 'number') {
    if (column.type !== 'timestamp') return { type, data: numbers(values) };
    return { type, data: { kind: 'timestamp', micros: values.values, valid: missing(values) } };
  }
  if (values.kind === 'boolean') return booleans(values.values);
  if (values.kind === 'codes') return codes(values);
  return strings(values.values, column.type === 'text');
}

/** id, ts, version, prediction, prediction_num, score, scores, violations, invalid. */
function eventSources(batch: EventColumns): ColumnSource[] {
  return [
    strings(batch.id, true),
    { type: TIMESTAMP, data: { kind: 'timestamp', micros: batch.timestampMicros, valid: null } },
    strings(batch.version),
    strings(batch.prediction),
    { type: DOUBLE, data: numbers(batch.predictionNumber) },
    { type: DOUBLE, data: numbers(batch.score) },
    json(batch.scores),
    json(batch.violations),
    json(batch.invalid),
  ];
}

/** Sources in the column order of a predictions staging table (see `stagingWriters`). */
export function stagingSources(columns: ModelColumn[], batch: EventColumns): ColumnSource[] {
  return [...eventSources(batch), ...columns.map((c, i) => featureSource(c, batch.values[i] ?? null))];
}

/** Sources in the column order of a predictions table: event columns, ingestion time, features by position. */
export function predictionSources(
  layout: ModelColumn[],
  columns: ModelColumn[],
  batch: EventColumns,
  ingestedAtMicros: number,
): ColumnSource[] {
  return [
    ...eventSources(batch),
    { type: TIMESTAMP, data: { kind: 'constant-timestamp', micros: ingestedAtMicros } },
    ...layoutSlots(layout, columns).map((index, i) =>
      index < 0
        ? featureSource(layout[i]!, null)
        : featureSource(columns[index]!, batch.values[index] ?? null),
    ),
  ];
}

/** Fills one chunk with rows `offset .. offset + count` of every source. */
export function fillChunk(chunk: duckdb.DataChunk, sources: ColumnSource[], offset: number, count: number) {
  for (let column = 0; column < sources.length; column++) {
    fillVector(duckdb.data_chunk_get_vector(chunk, column), sources[column]!.data, offset, count);
  }
}

/** Appends `length` rows given by column, in chunks, and flushes; the caller closes the appender. */
export function appendColumns(appender: DuckDBAppender, sources: ColumnSource[], length: number): void {
  const types = sources.map((s) => s.type);
  for (let offset = 0; offset < length; offset += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, length - offset);
    const chunk = DuckDBDataChunk.create(types, count);
    fillChunk(chunk.chunk, sources, offset, count);
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
}

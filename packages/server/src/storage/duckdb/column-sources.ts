/**
 * Columnar batches into DuckDB vectors, a column at a time and without a native call per
 * value where the data allows it:
 * - numbers are copied from their `Float64Array` in one call per chunk, nulls as a bitmask;
 * - timestamps are written as 64-bit microseconds through a typed array;
 * - strings with few distinct values in the batch (categories, versions, class labels,
 *   repeated violation lists) travel as an ENUM of those values and their indices, which
 *   DuckDB casts back to the column's VARCHAR; only strings that are mostly distinct (ids,
 *   free text) take one call per value.
 * The same sources feed the appender (`appendColumns`) and the batch scan (`batch-scan.ts`).
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
 * A column of a batch: `fill` writes rows `offset .. offset + count` of the batch into rows
 * `0 .. count` of a chunk's vector, whose type is `type`.
 */
export interface ColumnSource {
  type: DuckDBType;
  fill: (vector: duckdb.Vector, offset: number, count: number) => void;
}

/** One bit per row (1 = a value), in DuckDB's layout: 64-bit words, lowest bit first. */
const maskWords = new Uint32Array(CHUNK_ROWS / 32);
const int64Words = new Int32Array(CHUNK_ROWS * 2);
const bytes = new Uint8Array(CHUNK_ROWS);

function writeMask(vector: duckdb.Vector, valid: (i: number) => boolean, offset: number, count: number) {
  const words = Math.ceil(count / 64) * 2;
  maskWords.fill(0, 0, words);
  for (let i = 0; i < count; i++) if (valid(offset + i)) maskWords[i >>> 5]! |= 1 << (i & 31);
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, maskWords.buffer, 0, words * 4);
}

function allNull(vector: duckdb.Vector, count: number) {
  writeMask(vector, () => false, 0, count);
}

function numbers({ values, valid }: NumberColumn): ColumnSource['fill'] {
  const nullable = valid.includes(0);
  return (vector, offset, count) => {
    duckdb.copy_data_to_vector(
      vector,
      0,
      values.buffer as ArrayBuffer,
      values.byteOffset + offset * 8,
      count * 8,
    );
    if (nullable) writeMask(vector, (i) => valid[i] === 1, offset, count);
  };
}

/** Epoch microseconds (doubles, whole numbers) as DuckDB's 64-bit TIMESTAMP. */
function putMicros(i: number, micros: number) {
  const high = Math.floor(micros / 4294967296);
  int64Words[2 * i] = micros - high * 4294967296; // wraps to the low 32 bits, as stored
  int64Words[2 * i + 1] = high;
}

function timestamps(values: Float64Array, valid: Uint8Array | null): ColumnSource['fill'] {
  const nullable = valid?.includes(0) ?? false;
  return (vector, offset, count) => {
    for (let i = 0; i < count; i++) putMicros(i, Math.round(values[offset + i]!));
    duckdb.copy_data_to_vector(vector, 0, int64Words.buffer, 0, count * 8);
    if (nullable) writeMask(vector, (i) => valid![i] === 1, offset, count);
  };
}

function constantTimestamp(micros: number): ColumnSource['fill'] {
  return (vector, _offset, count) => {
    for (let i = 0; i < count; i++) putMicros(i, Math.round(micros));
    duckdb.copy_data_to_vector(vector, 0, int64Words.buffer, 0, count * 8);
  };
}

function booleans(values: readonly (boolean | null)[]): ColumnSource['fill'] {
  const nullable = values.includes(null);
  return (vector, offset, count) => {
    for (let i = 0; i < count; i++) bytes[i] = values[offset + i] === true ? 1 : 0;
    duckdb.copy_data_to_vector(vector, 0, bytes.buffer, 0, count);
    if (nullable) writeMask(vector, (i) => values[i] !== null && values[i] !== undefined, offset, count);
  };
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
  const nullable = values.some((v) => v === null || v === undefined);
  const valid = (i: number) => values[i] !== null && values[i] !== undefined;
  const encoded = mostlyDistinct ? null : dictionary(values);
  if (encoded !== null && encoded.names.length === 0) {
    return { type: VARCHAR, fill: (vector, _offset, count) => allNull(vector, count) };
  }
  if (encoded !== null) {
    const { names, indices } = encoded;
    const narrow = names.length < 256 ? Uint8Array.from(indices) : null;
    return {
      type: ENUM(names),
      fill: (vector, offset, count) => {
        if (narrow) duckdb.copy_data_to_vector(vector, 0, narrow.buffer, offset, count);
        else duckdb.copy_data_to_vector(vector, 0, indices.buffer, offset * 2, count * 2);
        if (nullable) writeMask(vector, valid, offset, count);
      },
    };
  }
  return {
    type: VARCHAR,
    fill: (vector, offset, count) => {
      for (let i = 0; i < count; i++) {
        const value = values[offset + i];
        if (value !== null && value !== undefined) duckdb.vector_assign_string_element(vector, i, value);
      }
      if (nullable) writeMask(vector, valid, offset, count);
    },
  };
}

/** Strings already encoded (see `FeatureColumn`'s `codes`): an ENUM of the names and the indices as they are. */
function codes({ names, indices, valid }: Extract<FeatureColumn, { kind: 'codes' }>): ColumnSource {
  const width = indices.BYTES_PER_ELEMENT;
  return {
    type: ENUM(names),
    fill: (vector, offset, count) => {
      duckdb.copy_data_to_vector(
        vector,
        0,
        indices.buffer as ArrayBuffer,
        indices.byteOffset + offset * width,
        count * width,
      );
      if (valid) writeMask(vector, (i) => valid[i] === 1, offset, count);
    },
  };
}

function json(values: readonly unknown[]): ColumnSource {
  return strings(values.map((v) => (v === null || v === undefined ? null : JSON.stringify(v))));
}

function featureSource(column: ModelColumn, values: FeatureColumn): ColumnSource {
  const type = FEATURE_TYPES[column.type];
  if (values === null) return { type, fill: (vector, _offset, count) => allNull(vector, count) };
  if (values.kind === 'number') {
    return {
      type,
      fill: column.type === 'timestamp' ? timestamps(values.values, values.valid) : numbers(values),
    };
  }
  if (values.kind === 'boolean') return { type: BOOLEAN, fill: booleans(values.values) };
  if (values.kind === 'codes') return codes(values);
  return strings(values.values, column.type === 'text');
}

/** id, ts, version, prediction, prediction_num, score, scores, violations, invalid. */
function eventSources(batch: EventColumns): ColumnSource[] {
  return [
    strings(batch.id, true),
    { type: TIMESTAMP, fill: timestamps(batch.timestampMicros, null) },
    strings(batch.version),
    strings(batch.prediction),
    { type: DOUBLE, fill: numbers(batch.predictionNumber) },
    { type: DOUBLE, fill: numbers(batch.score) },
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
    { type: TIMESTAMP, fill: constantTimestamp(ingestedAtMicros) },
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
    sources[column]!.fill(duckdb.data_chunk_get_vector(chunk, column), offset, count);
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

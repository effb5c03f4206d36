/**
 * Row appends (labels, reference data, the staging of re-sent JSON records) through DuckDB's
 * appender, value by value; predictions are written by column (`column-sources.ts`).
 */
import {
  BOOLEAN,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  TIMESTAMP,
  timestampValue,
  VARCHAR,
} from '@duckdb/node-api';
import type { FeatureType } from '../../domain/index.js';
import type { EventRecord, LabelEvent, ModelColumn } from '../types.js';

/** DuckDB's vector size: the most rows one data chunk holds. */
const CHUNK_ROWS = 2048;

export interface ColumnWriter<T> {
  type: DuckDBType;
  value: (row: T) => DuckDBValue;
}

const micros = (value: number) => timestampValue(BigInt(Math.round(value)));
const json = (value: unknown) => (value === null ? null : JSON.stringify(value));

export const FEATURE_TYPES: Record<FeatureType, DuckDBType> = {
  numeric: DOUBLE,
  categorical: VARCHAR,
  boolean: BOOLEAN,
  text: VARCHAR,
  timestamp: TIMESTAMP,
};

function featureWriter(column: ModelColumn, index: number): ColumnWriter<EventRecord> {
  const type = FEATURE_TYPES[column.type];
  if (column.type === 'timestamp') {
    return { type, value: (r) => (r.values[index] === null ? null : micros(r.values[index] as number)) };
  }
  if (column.type === 'categorical' || column.type === 'text') {
    return { type, value: (r) => (r.values[index] === null ? null : String(r.values[index])) };
  }
  return { type, value: (r) => r.values[index] ?? null };
}

/**
 * For each column of a table's layout (the model's columns in position order), the index
 * of its values in `columns`, or -1 where the batch has none (a column the caller did not
 * know of yet): appenders write every column of a table.
 */
export function layoutSlots(layout: readonly ModelColumn[], columns: readonly ModelColumn[]): number[] {
  const byPosition = new Map(columns.map((c, i) => [c.position, i]));
  const slots = layout.map((c) => byPosition.get(c.position) ?? -1);
  if (byPosition.size !== columns.length || slots.filter((i) => i >= 0).length !== columns.length) {
    throw new Error('The batch names columns that are not in the table.');
  }
  return slots;
}

function layoutWriters(layout: readonly ModelColumn[], columns: readonly ModelColumn[]) {
  return layoutSlots(layout, columns).map(
    (index, i): ColumnWriter<EventRecord> =>
      index < 0
        ? { type: FEATURE_TYPES[layout[i]!.type], value: () => null }
        : featureWriter(columns[index]!, index),
  );
}

/** id, ts, version, prediction, prediction_num, score, scores, violations, invalid. */
const EVENT_WRITERS: ColumnWriter<EventRecord>[] = [
  { type: VARCHAR, value: (r) => r.id },
  { type: TIMESTAMP, value: (r) => micros(r.timestampMicros) },
  { type: VARCHAR, value: (r) => r.version },
  { type: VARCHAR, value: (r) => r.prediction },
  { type: DOUBLE, value: (r) => r.predictionNumber },
  { type: DOUBLE, value: (r) => r.score },
  { type: VARCHAR, value: (r) => json(r.scores) },
  { type: VARCHAR, value: (r) => (r.violations.length === 0 ? null : JSON.stringify(r.violations)) },
  { type: VARCHAR, value: (r) => json(r.invalid) },
];

/** Writers in the column order of a predictions staging table. */
export function stagingWriters(columns: ModelColumn[]): ColumnWriter<EventRecord>[] {
  return [...EVENT_WRITERS, ...columns.map(featureWriter)];
}

/** Writers in the column order of a reference table: dataset, event columns, label, features. */
export function referenceWriters(
  datasetId: number,
  layout: ModelColumn[],
  columns: ModelColumn[],
): ColumnWriter<EventRecord>[] {
  return [
    { type: INTEGER, value: () => datasetId },
    ...EVENT_WRITERS,
    { type: VARCHAR, value: (r) => r.label },
    { type: DOUBLE, value: (r) => r.labelNumber },
    ...layoutWriters(layout, columns),
  ];
}

export const LABEL_WRITERS: ColumnWriter<LabelEvent>[] = [
  { type: VARCHAR, value: (l) => l.id },
  { type: VARCHAR, value: (l) => l.label },
  { type: DOUBLE, value: (l) => l.labelNumber },
  { type: TIMESTAMP, value: (l) => micros(l.timestampMicros) },
];

/** Appends `rows` in chunks and flushes; the caller closes the appender. */
export function appendRows<T>(
  appender: DuckDBAppender,
  writers: ColumnWriter<T>[],
  rows: readonly T[],
): void {
  const types = writers.map((w) => w.type);
  for (let offset = 0; offset < rows.length; offset += CHUNK_ROWS) {
    const count = Math.min(CHUNK_ROWS, rows.length - offset);
    const chunk = DuckDBDataChunk.create(types, count);
    const values = new Array<DuckDBValue>(count);
    writers.forEach((writer, column) => {
      for (let i = 0; i < count; i++) values[i] = writer.value(rows[offset + i]!);
      chunk.setColumnValues(column, values);
    });
    appender.appendDataChunk(chunk);
  }
  appender.flushSync();
}

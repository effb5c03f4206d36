/**
 * Flat CSV or Parquet rows held by column, turned into the SDK's columns of predictions
 * (`PredictionColumnsInput`) without an object per row. Each column is read with the same rules
 * as {@link toPrediction} reads a row's cell (see mapping.ts), so a file stores the same rows
 * whichever way it is read; a batch with a column the Arrow body cannot carry (a feature mixing
 * numbers and text, a nested Parquet value) goes through the row path instead.
 */
import type { ColumnValues, FeatureValue, LabelColumnsInput, PredictionColumnsInput } from '@vigil/sdk';
import {
  type ColumnMapping,
  type ColumnNames,
  jsonValue,
  numeric,
  type Row,
  scalar,
  text,
  timestamp,
} from './mapping.js';

/** A column's values for a batch's rows: a typed array (Parquet numbers) or one value per row. */
export type ColumnData = ArrayLike<unknown>;

/** Rows of a flat file by column, with where each row is in the file. */
export interface ColumnChunk {
  names: readonly string[];
  /** One entry per name, each with `length` values. */
  columns: ColumnData[];
  length: number;
  /** Line (CSV) or 1-based row number (Parquet) of each row. */
  positions: number[];
  /** The rows' text as it is in the file (CSV), for ids derived from the content. */
  raws?: string[];
  /** Rows that could not be read (a CSV row with a wrong field count), not part of `columns`. */
  errors: { position: number; error: string }[];
}

function mapped<T>(values: ColumnData, read: (value: unknown) => T | undefined): (T | null)[] {
  const out = new Array<T | null>(values.length);
  for (let i = 0; i < values.length; i++) out[i] = read(values[i]) ?? null;
  return out;
}

function isTypedNumbers(values: ColumnData): boolean {
  return ArrayBuffer.isView(values) && !(values instanceof BigInt64Array || values instanceof BigUint64Array);
}

/** Feature values as JSON carries them: typed numbers as they are, bigints as numbers, dates as ISO text. */
function featureColumn(values: ColumnData, plain: boolean): ColumnValues {
  if (isTypedNumbers(values)) return values as ColumnValues;
  if (plain && Array.isArray(values)) return values as ColumnValues;
  return mapped(values, (v) => jsonValue(v) as FeatureValue) as ColumnValues;
}

/**
 * The chunk's columns as `logColumns` takes them. `plain`: the values are already what a
 * feature holds (CSV cells: null, numbers, booleans, text), so feature columns are passed on
 * without a copy. `ids`: one id per row for rows whose id column is empty or absent.
 */
export function predictionColumns(
  chunk: ColumnChunk,
  mapping: ColumnMapping,
  defaultVersion: string | undefined,
  ids: (row: number) => string,
  plain: boolean,
): PredictionColumnsInput {
  const input: PredictionColumnsInput = {};
  const features: Record<string, ColumnValues> = {};
  let scores: Record<string, ColumnValues> | undefined;
  let segments: Record<string, ColumnValues> | undefined;
  let idColumn: (string | null)[] | undefined;
  let versionColumn: (string | null)[] | undefined;
  for (let c = 0; c < chunk.names.length; c++) {
    const values = chunk.columns[c]!;
    const role = mapping.role(chunk.names[c]!);
    switch (role.role) {
      case 'id':
        idColumn = mapped(values, text);
        break;
      case 'version':
        versionColumn = mapped(values, text);
        break;
      case 'timestamp':
        input.timestamp = mapped(values, timestamp) as ColumnValues;
        break;
      case 'prediction':
        input.prediction = mapped(values, scalar) as ColumnValues;
        break;
      case 'label':
        input.label = mapped(values, scalar) as ColumnValues;
        break;
      case 'score':
        input.score = isTypedNumbers(values) ? (values as ColumnValues) : mapped(values, numeric);
        break;
      case 'scores':
        scores ??= {};
        scores[role.key] = isTypedNumbers(values) ? (values as ColumnValues) : mapped(values, numeric);
        break;
      case 'segments':
        segments ??= {};
        segments[role.key] = mapped(values, text) as ColumnValues;
        break;
      case 'features':
        features[role.key] = featureColumn(values, plain);
        break;
    }
  }
  // Rows without an id get the one derived from their place and content, as the row path gives them.
  const rowIds = idColumn ?? new Array<string | null>(chunk.length).fill(null);
  for (let i = 0; i < chunk.length; i++) rowIds[i] ??= ids(i);
  input.id = rowIds;
  if (versionColumn) {
    if (defaultVersion !== undefined)
      for (let i = 0; i < chunk.length; i++) versionColumn[i] ??= defaultVersion;
    input.version = versionColumn;
  } else if (defaultVersion !== undefined) {
    input.version = defaultVersion;
  }
  input.features = features;
  if (scores) input.scores = scores;
  if (segments) input.segments = segments;
  return input;
}

/**
 * The chunk's labels as `logLabelColumns` takes them, read as {@link toLabel} reads a row: the id,
 * label and timestamp columns; other columns are ignored. Without a timestamp column the labels
 * get the time they are sent.
 */
export function labelColumns(chunk: ColumnChunk, names: ColumnNames): LabelColumnsInput {
  const column = (name: string) => {
    const at = chunk.names.indexOf(name);
    return at < 0 ? undefined : chunk.columns[at]!;
  };
  const ids = column(names.id);
  const labels = column(names.label);
  const stamps = column(names.timestamp);
  const none = new Array<null>(chunk.length).fill(null);
  const input: LabelColumnsInput = {
    id: ids ? mapped(ids, text) : none,
    label: labels ? (mapped(labels, scalar) as ColumnValues) : none,
  };
  if (stamps) input.timestamp = mapped(stamps, timestamp) as ColumnValues;
  return input;
}

/** Row `i` of a chunk as the row reader gives it, for the row path. */
export function chunkRow(chunk: ColumnChunk, i: number): Row {
  const row: Row = {};
  for (let c = 0; c < chunk.names.length; c++) row[chunk.names[c]!] = chunk.columns[c]![i];
  return row;
}

/**
 * Row `i` as `JSON.stringify` writes the object the row reader gives (bigints as text), without
 * building it: the content part of the id of a Parquet row without one.
 */
export function rowJson(chunk: ColumnChunk, i: number): string {
  let out = '{';
  let first = true;
  for (let c = 0; c < chunk.names.length; c++) {
    const value = JSON.stringify(chunk.columns[c]![i], bigintAsText);
    // JSON.stringify leaves out keys whose value has no JSON form (undefined, functions).
    if (value === undefined) continue;
    out += `${first ? '' : ','}${JSON.stringify(chunk.names[c])}:${value}`;
    first = false;
  }
  return `${out}}`;
}

function bigintAsText(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}

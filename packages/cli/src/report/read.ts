/**
 * Reads a CSV, Parquet, NDJSON or JSON file (gzip too) into columns, each value touched once:
 * CSV, NDJSON and Parquet by readers that go straight into columns, a JSON array through the row
 * reader of `vigil ingest`; values mean the same to both.
 */
import { formatFromPath } from '../ingest/config.js';
import { openSource } from '../ingest/sources.js';
import { CliError } from '../io.js';
import { appendValue, type FirstNonNumeric } from './append.js';
import type { ColumnStore } from './column-store.js';
import { ColumnBuilder, type StoredColumn } from './columns.js';
import { readCsvColumns } from './csv-columns.js';
import { readNdjsonColumns } from './ndjson-columns.js';
import { readParquetColumns } from './parquet-columns.js';

export interface Table {
  file: string;
  format: string;
  gzipped: boolean;
  rows: number;
  /** Columns in file order, their values in the store the file was read into. */
  columns: Map<string, StoredColumn>;
  /** For each column that stopped being numeric: where and with what value. */
  firstNonNumeric: Map<string, FirstNonNumeric>;
  /** How a row's position is named in messages (`line` for CSV and NDJSON, `row` otherwise). */
  positionName: 'line' | 'row';
}

export interface ReadOptions {
  /** Called as the file is read, with rows so far and the fraction of the file read. */
  onProgress?: (rows: number, fraction: number) => void;
  /** How messages and the report name the file (the path as given); the path itself when absent. */
  label?: string;
  /** Only these columns are kept (all when absent). */
  keep?: ReadonlySet<string>;
  /** Where the values wait for the analysis (all in memory when absent). */
  store?: ColumnStore;
}

export async function readTable(path: string, options: ReadOptions = {}): Promise<Table> {
  const file = options.label ?? path;
  const detected = formatFromPath(path);
  if (!detected.format) {
    throw new CliError(
      `Cannot tell the format of '${file}' from its extension; use .csv, .parquet, .ndjson/.jsonl or .json (CSV, NDJSON and JSON may end in .gz)`,
    );
  }
  if (detected.format === 'parquet' && detected.gzipped)
    throw new CliError(`${file}: Parquet files are compressed inside; a gzipped Parquet file cannot be read`);
  const along = {
    label: file,
    ...(options.keep ? { keep: options.keep } : {}),
    ...(options.store ? { store: options.store } : {}),
    ...(options.onProgress ? { onProgress: options.onProgress } : {}),
  };
  // CSV, NDJSON and Parquet go straight into columns (csv-, ndjson-, parquet-columns.ts).
  if (detected.format === 'csv' || detected.format === 'ndjson' || detected.format === 'parquet') {
    const read =
      detected.format === 'csv'
        ? await readCsvColumns(path, { ...along, gzipped: detected.gzipped })
        : detected.format === 'ndjson'
          ? await readNdjsonColumns(path, { ...along, gzipped: detected.gzipped })
          : await readParquetColumns(path, along);
    const columns = new Map<string, StoredColumn>();
    for (const [name, builder] of read.builders) columns.set(name, builder.finish());
    return {
      file,
      format: detected.format,
      gzipped: detected.gzipped,
      rows: read.rows,
      columns,
      firstNonNumeric: read.firstNonNumeric,
      positionName: detected.format === 'parquet' ? 'row' : 'line',
    };
  }
  const source = await openSource({ file: path, format: detected.format, gzipped: detected.gzipped });
  const builders = new Map<string, ColumnBuilder>();
  const firstNonNumeric = new Map<string, FirstNonNumeric>();
  const keep = options.keep;
  for (const name of source.columns ?? [])
    if (!keep || keep.has(name)) builders.set(name, new ColumnBuilder(name, options.store));
  let rows = 0;
  // A JSON array, read whole by the row reader; its positions are elements.
  const positionName = 'row';
  for await (const chunk of source.chunks) {
    for (const record of chunk) {
      if (record.error !== undefined)
        throw new CliError(`${file}, ${positionName} ${record.position}: ${record.error}`);
      const row = record.row;
      // Columns first seen in this row (NDJSON, JSON) get missing values for the rows before.
      if (source.columns === undefined) {
        for (const name in row) {
          if (!builders.has(name) && (!keep || keep.has(name))) {
            const builder = new ColumnBuilder(name, options.store);
            for (let r = 0; r < rows; r++) builder.push(null);
            builders.set(name, builder);
          }
        }
      }
      for (const builder of builders.values())
        appendValue(builder, row[builder.name], record.position, firstNonNumeric);
      rows++;
    }
    options.onProgress?.(rows, source.progress());
  }
  const columns = new Map<string, StoredColumn>();
  for (const [name, builder] of builders) columns.set(name, builder.finish());
  return {
    file,
    format: detected.format,
    gzipped: detected.gzipped,
    rows,
    columns,
    firstNonNumeric,
    positionName,
  };
}

/** The column `name` of `table`, or an error naming it and the columns the file has. */
export function requireColumn(table: Table, name: string, role: string): StoredColumn {
  const column = table.columns.get(name);
  if (column) return column;
  const existing = [...table.columns.keys()];
  throw new CliError(
    `${table.file} has no column '${name}' (${role}); its columns are: ${existing.length > 0 ? existing.map((c) => `'${c}'`).join(', ') : '(none)'}`,
  );
}

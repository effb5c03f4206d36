import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { basename } from 'node:path';
import type { Readable } from 'node:stream';
import { createGunzip, gunzipSync } from 'node:zlib';
import { parse as parseCsv } from 'csv-parse';
import {
  asyncBufferFromFile,
  parquetMetadataAsync,
  parquetRead,
  parquetReadObjects,
  parquetSchema,
} from 'hyparquet';
import { CliError } from '../io.js';
import type { ColumnChunk } from './columns.js';
import type { FileFormat } from './config.js';
import { csvValue, type Row } from './mapping.js';

/** One row of a file and where it came from. */
export interface SourceRecord {
  row: Row;
  /** Line where the row starts (CSV, NDJSON; the CSV header is line 1), or 1-based row number (JSON, Parquet). */
  position: number;
  /** The row's text as it is in the file (CSV, NDJSON), line ending included for CSV. */
  raw?: string;
  /** Why the row cannot be read (a CSV row with a wrong field count); such a row is not sent. */
  error?: string;
}

/** A file opened for reading row by row. */
export interface Source {
  format: FileFormat;
  /** Column names when the format declares them (CSV header, Parquet schema). */
  columns: string[] | undefined;
  /** The CSV header line as written, line ending included. */
  rawHeader?: string;
  /** The rows, a few hundred or thousand at a time (one Parquet row group at a time). */
  chunks: AsyncIterable<SourceRecord[]>;
  /** Part of the file read so far, from 0 to 1. */
  progress(): number;
}

export interface SourceOptions {
  file: string;
  format: FileFormat;
  gzipped: boolean;
}

function readError(file: string, error: unknown): CliError {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return new CliError(`File not found: ${file}`);
  if (code === 'EISDIR') return new CliError(`${file} is a directory, not a file`);
  if (code === 'EACCES') return new CliError(`Permission denied reading ${file}`);
  return new CliError(`Cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`);
}

/** A byte stream of the file, decompressed when gzipped, and a counter of the file's bytes read. */
async function openBytes(options: SourceOptions): Promise<{ stream: Readable; progress: () => number }> {
  let size: number;
  try {
    const info = await stat(options.file);
    if (info.isDirectory()) throw Object.assign(new Error('directory'), { code: 'EISDIR' });
    size = info.size;
  } catch (error) {
    throw readError(options.file, error);
  }
  const file = createReadStream(options.file, { highWaterMark: 1 << 20 });
  let read = 0;
  file.on('data', (chunk) => {
    read += chunk.length;
  });
  const stream = options.gzipped ? file.pipe(createGunzip()) : file;
  if (options.gzipped) file.on('error', (error) => stream.destroy(error));
  return { stream, progress: () => (size === 0 ? 1 : read / size) };
}

/** A CSV file's header and its records as parsed, each with the line it starts on. */
interface CsvRecords {
  columns: string[];
  rawHeader: string;
  chunks: AsyncGenerator<{ record: string[]; raw: string; position: number }[]>;
  progress: () => number;
}

async function parseCsvFile(options: SourceOptions): Promise<CsvRecords> {
  const { stream, progress } = await openBytes(options);
  const parser = stream.pipe(
    parseCsv({
      raw: true,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      record_delimiter: ['\r\n', '\n'],
    }),
  );
  stream.on('error', (error) => parser.destroy(error));
  const iterator = chunksOf<{ record: string[]; raw: string; position: number }>(parser);
  let pending: { record: string[]; raw: string; position: number }[] = [];
  try {
    const first = await iterator.next();
    if (!first.done) pending = first.value;
  } catch (error) {
    throw csvError(options.file, error);
  }
  const head = pending.shift();
  if (head === undefined) throw new CliError(`${options.file} is empty: a CSV file needs a header line`);
  const columns = head.record;
  const duplicate = columns.find((column, i) => columns.indexOf(column) !== i);
  if (duplicate !== undefined)
    throw new CliError(`${options.file}: column '${duplicate}' appears twice in the header`);
  const rawHeader = withNewline(head.raw);
  let line = newlines(head.raw);
  const located = (rows: { record: string[]; raw: string; position: number }[]) => {
    for (const row of rows) {
      row.position = line + leadingNewlines(row.raw) + 1;
      line += newlines(row.raw);
    }
    return rows;
  };

  async function* chunks(): AsyncGenerator<{ record: string[]; raw: string; position: number }[]> {
    if (pending.length > 0) yield located(pending);
    try {
      for (;;) {
        const next = await iterator.next();
        if (next.done) return;
        yield located(next.value);
      }
    } catch (error) {
      throw csvError(options.file, error);
    }
  }
  return { columns, rawHeader, chunks: chunks(), progress };
}

function fieldCountError(fields: number, columns: number): string {
  return `${fields} fields where the header has ${columns}`;
}

async function openCsv(options: SourceOptions): Promise<Source> {
  const { columns, rawHeader, chunks: parsed, progress } = await parseCsvFile(options);
  async function* chunks(): AsyncGenerator<SourceRecord[]> {
    for await (const rows of parsed) {
      yield rows.map(({ record, raw, position }) => {
        const row: Row = {};
        if (record.length !== columns.length) {
          const error = fieldCountError(record.length, columns.length);
          return { row, position, raw: withNewline(raw), error };
        }
        for (let i = 0; i < columns.length; i++) row[columns[i] as string] = csvValue(record[i] ?? '');
        return { row, position, raw: withNewline(raw) };
      });
    }
  }
  return { format: 'csv', columns, rawHeader, chunks: chunks(), progress };
}

/**
 * A CSV file read by column: batches of `batchSize` rows, each cell read as {@link csvValue}
 * straight into its column's array, with no object per row.
 */
async function openCsvColumns(options: SourceOptions, batchSize: number): Promise<ColumnSource> {
  const { columns, chunks: parsed, progress } = await parseCsvFile(options);
  const width = columns.length;
  async function* chunks(): AsyncGenerator<ColumnChunk> {
    const start = (): ColumnChunk => ({
      names: columns,
      columns: Array.from({ length: width }, () => [] as unknown[]),
      length: 0,
      positions: [],
      raws: [],
      errors: [],
    });
    let chunk = start();
    for await (const rows of parsed) {
      for (const { record, raw, position } of rows) {
        if (record.length !== width) {
          chunk.errors.push({ position, error: fieldCountError(record.length, width) });
          continue;
        }
        for (let c = 0; c < width; c++) (chunk.columns[c] as unknown[]).push(csvValue(record[c]!));
        chunk.positions.push(position);
        chunk.raws!.push(withNewline(raw));
        chunk.length++;
        if (chunk.length >= batchSize) {
          yield chunk;
          chunk = start();
        }
      }
    }
    if (chunk.length > 0 || chunk.errors.length > 0) yield chunk;
  }
  return { format: 'csv', columns, chunks: chunks(), progress };
}

function withNewline(text: string): string {
  return text.endsWith('\n') ? text : `${text}\n`;
}

function newlines(text: string): number {
  let n = 0;
  for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) n++;
  return n;
}

function leadingNewlines(text: string): number {
  let n = 0;
  for (const char of text) {
    if (char === '\n') n++;
    else if (char !== '\r') break;
  }
  return n;
}

function csvError(file: string, error: unknown): CliError {
  if (error instanceof CliError) return error;
  const code = (error as NodeJS.ErrnoException).code;
  if (code && !code.startsWith('CSV_')) return readError(file, error);
  return new CliError(`${file}: ${error instanceof Error ? error.message : String(error)}`);
}

/** The objects of a readable stream, as many at a time as are buffered. */
async function* chunksOf<T>(stream: Readable): AsyncGenerator<T[]> {
  let failure: unknown;
  let ended = false;
  let wake: (() => void) | undefined;
  const onReadable = () => wake?.();
  const onEnd = () => {
    ended = true;
    wake?.();
  };
  const onError = (error: unknown) => {
    failure ??= error;
    wake?.();
  };
  stream.on('readable', onReadable).on('end', onEnd).on('error', onError);
  try {
    for (;;) {
      if (failure !== undefined) throw failure;
      const chunk: T[] = [];
      for (let item = stream.read(); item !== null; item = stream.read()) chunk.push(item as T);
      if (chunk.length > 0) {
        yield chunk;
        continue;
      }
      if (ended) return;
      await new Promise<void>((resolve) => {
        wake = resolve;
      });
      wake = undefined;
    }
  } finally {
    stream.off('readable', onReadable).off('end', onEnd).off('error', onError);
    stream.destroy();
  }
}

async function openNdjson(options: SourceOptions): Promise<Source> {
  const { stream, progress } = await openBytes(options);
  async function* chunks(): AsyncGenerator<SourceRecord[]> {
    const decoder = new TextDecoder();
    let rest = '';
    let position = 0;
    const parseLines = (text: string, final: boolean): SourceRecord[] => {
      const lines = (rest + text).split('\n');
      rest = final ? '' : (lines.pop() ?? '');
      const records: SourceRecord[] = [];
      for (const raw of lines) {
        position++;
        const line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
        if (line.trim() === '') continue;
        let row: unknown;
        try {
          row = JSON.parse(line);
        } catch (error) {
          throw new CliError(`${options.file}, line ${position}: invalid JSON (${(error as Error).message})`);
        }
        if (typeof row !== 'object' || row === null || Array.isArray(row)) {
          throw new CliError(`${options.file}, line ${position}: expected a JSON object`);
        }
        records.push({ row: row as Row, position, raw: line });
      }
      return records;
    };
    try {
      for await (const bytes of stream) {
        const records = parseLines(decoder.decode(bytes as Uint8Array, { stream: true }), false);
        if (records.length > 0) yield records;
      }
      const records = parseLines(decoder.decode(), true);
      if (records.length > 0) yield records;
    } catch (error) {
      throw error instanceof CliError ? error : readError(options.file, error);
    }
  }
  return { format: 'ndjson', columns: undefined, chunks: chunks(), progress };
}

/** A JSON array file; it is read whole, so large files are better written as NDJSON. */
async function openJson(options: SourceOptions): Promise<Source> {
  let value: unknown;
  try {
    const bytes = await readFile(options.file);
    value = JSON.parse((options.gzipped ? gunzipSync(bytes) : bytes).toString('utf8'));
  } catch (error) {
    if (error instanceof SyntaxError) throw new CliError(`${options.file}: invalid JSON (${error.message})`);
    throw readError(options.file, error);
  }
  if (!Array.isArray(value)) throw new CliError(`${options.file}: expected a JSON array of objects`);
  const rows = value as unknown[];
  let done = 0;
  async function* chunks(): AsyncGenerator<SourceRecord[]> {
    for (let start = 0; start < rows.length; start += 1000) {
      const chunk: SourceRecord[] = [];
      for (let i = start; i < Math.min(rows.length, start + 1000); i++) {
        const row = rows[i];
        if (typeof row !== 'object' || row === null || Array.isArray(row)) {
          throw new CliError(`${options.file}, element ${i + 1}: expected a JSON object`);
        }
        chunk.push({ row: row as Row, position: i + 1 });
      }
      done = start + chunk.length;
      yield chunk;
    }
  }
  return {
    format: 'json',
    columns: undefined,
    chunks: chunks(),
    progress: () => (rows.length ? done / rows.length : 1),
  };
}

/** A Parquet file, read one row group at a time. */
async function openParquetFile(options: SourceOptions) {
  let file: Awaited<ReturnType<typeof asyncBufferFromFile>>;
  let metadata: Awaited<ReturnType<typeof parquetMetadataAsync>>;
  try {
    file = await asyncBufferFromFile(options.file);
  } catch (error) {
    throw readError(options.file, error);
  }
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new CliError(`${options.file} is not a readable Parquet file: ${(error as Error).message}`);
  }
  return { file, metadata };
}

async function openParquet(options: SourceOptions): Promise<Source> {
  const { file, metadata } = await openParquetFile(options);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  const total = Number(metadata.num_rows);
  let done = 0;
  async function* chunks(): AsyncGenerator<SourceRecord[]> {
    let rowStart = 0;
    for (const group of metadata.row_groups) {
      const rowEnd = rowStart + Number(group.num_rows);
      let rows: Row[];
      try {
        rows = (await parquetReadObjects({ file, metadata, rowStart, rowEnd })) as Row[];
      } catch (error) {
        throw new CliError(
          `${options.file}: cannot read rows ${rowStart + 1}-${rowEnd}: ${(error as Error).message}`,
        );
      }
      const first = rowStart;
      done = rowEnd;
      rowStart = rowEnd;
      yield rows.map((row, i) => ({ row, position: first + i + 1 }));
    }
  }
  return { format: 'parquet', columns, chunks: chunks(), progress: () => (total ? done / total : 1) };
}

/**
 * A Parquet file read by column: each row group's column chunks as hyparquet decodes them
 * (typed arrays for numbers), in batches of `batchSize` rows, with no object per row.
 */
async function openParquetColumns(
  options: SourceOptions,
  batchSize: number,
): Promise<ColumnSource | undefined> {
  const { file, metadata } = await openParquetFile(options);
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  // Rows with a `features` column (a struct) are records already: read row by row.
  if (columns.includes('features')) return undefined;
  const total = Number(metadata.num_rows);
  let done = 0;
  async function* chunks(): AsyncGenerator<ColumnChunk> {
    let groupStart = 0;
    for (const group of metadata.row_groups) {
      const groupEnd = groupStart + Number(group.num_rows);
      const parts = new Map<string, { columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number }[]>(
        columns.map((name) => [name, []]),
      );
      try {
        await parquetRead({
          file,
          metadata,
          columns,
          rowStart: groupStart,
          rowEnd: groupEnd,
          onChunk: (part) => parts.get(part.columnName)?.push(part),
        });
      } catch (error) {
        throw new CliError(
          `${options.file}: cannot read rows ${groupStart + 1}-${groupEnd}: ${(error as Error).message}`,
        );
      }
      const data = columns.map((name) =>
        groupColumn(options.file, name, parts.get(name)!, groupStart, groupEnd),
      );
      for (let start = groupStart; start < groupEnd; start += batchSize) {
        const end = Math.min(groupEnd, start + batchSize);
        const positions = new Array<number>(end - start);
        for (let i = 0; i < positions.length; i++) positions[i] = start + i + 1;
        yield {
          names: columns,
          columns: data.map((values) => slice(values, start - groupStart, end - groupStart)),
          length: end - start,
          positions,
          errors: [],
        };
        done = end;
      }
      groupStart = groupEnd;
    }
  }
  return { format: 'parquet', columns, chunks: chunks(), progress: () => (total ? done / total : 1) };
}

/** One column's values for the rows of a row group, from the chunks hyparquet decoded. */
function groupColumn(
  file: string,
  name: string,
  parts: { columnData: ArrayLike<unknown>; rowStart: number; rowEnd: number }[],
  groupStart: number,
  groupEnd: number,
): ArrayLike<unknown> {
  const only = parts.length === 1 ? parts[0]! : undefined;
  if (only && only.rowStart === groupStart && only.rowEnd === groupEnd) return only.columnData;
  parts.sort((a, b) => a.rowStart - b.rowStart);
  const out = new Array<unknown>(groupEnd - groupStart);
  let next = groupStart;
  for (const part of parts) {
    // Chunks may hold rows outside the group asked for; each row is taken once, in order.
    for (let row = Math.max(next, part.rowStart); row < Math.min(groupEnd, part.rowEnd); row++) {
      out[row - groupStart] = part.columnData[row - part.rowStart];
    }
    next = Math.max(next, Math.min(groupEnd, part.rowEnd));
  }
  if (next !== groupEnd)
    throw new CliError(`${file}: cannot read rows ${next + 1}-${groupEnd} of column '${name}'`);
  return out;
}

function slice(values: ArrayLike<unknown>, start: number, end: number): ArrayLike<unknown> {
  if (start === 0 && end === values.length) return values;
  if (ArrayBuffer.isView(values)) return (values as unknown as Float64Array).subarray(start, end);
  return Array.prototype.slice.call(values, start, end);
}

/** A flat file read by column, in batches of at most the given number of rows. */
export interface ColumnSource {
  format: 'csv' | 'parquet';
  columns: string[];
  chunks: AsyncIterable<ColumnChunk>;
  progress(): number;
}

/** The file read by column when its format allows (CSV, Parquet), else undefined. */
export async function openColumnSource(
  options: SourceOptions,
  batchSize: number,
): Promise<ColumnSource | undefined> {
  if (options.format === 'csv') return openCsvColumns(options, batchSize);
  if (options.format === 'parquet') return openParquetColumns(options, batchSize);
  return undefined;
}

export function openSource(options: SourceOptions): Promise<Source> {
  switch (options.format) {
    case 'csv':
      return openCsv(options);
    case 'ndjson':
      return openNdjson(options);
    case 'json':
      return openJson(options);
    case 'parquet':
      return openParquet(options);
  }
}

/**
 * A stable id for a row that has none: derived from the file name, the row's position and its
 * content, so ingesting the same file again does not store its rows twice.
 */
export function rowId(file: string, record: SourceRecord): string {
  const content =
    record.raw ??
    JSON.stringify(record.row, (_key, value) => (typeof value === 'bigint' ? value.toString() : value));
  return contentId(basename(file), record.position, content);
}

/** {@link rowId} from the row's text: as it is in the file (CSV, NDJSON), else as JSON. */
export function contentId(fileName: string, position: number, content: string): string {
  return createHash('sha256')
    .update(fileName)
    .update('\0')
    .update(String(position))
    .update('\0')
    .update(content)
    .digest('hex')
    .slice(0, 32);
}

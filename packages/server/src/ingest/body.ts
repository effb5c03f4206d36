/**
 * Turns a request body into rows: JSON (an array or one object), NDJSON, CSV or
 * Parquet. Structural problems (a body that cannot be read at all) throw a 400 with
 * the position; a bad NDJSON line only rejects that record.
 */
import { parse as parseCsv } from 'csv-parse/sync';
import { parquetMetadata, parquetReadObjects, parquetSchema, type SchemaTree } from 'hyparquet';
import { BadRequestError, UnsupportedMediaTypeError } from '../errors.js';
import { FORBIDDEN_NAME } from './values.js';

/** `columns`: predictions by column, read by `parseColumnarBody` (see `columns.ts`). */
/** Rows one Parquet upload may hold; the body limit alone does not bound a compressed file's rows. */
export const MAX_PARQUET_ROWS = 1_000_000;

export type BodyFormat = 'json' | 'ndjson' | 'csv' | 'parquet' | 'columns' | 'arrow';

export interface ParsedBody {
  rows: unknown[];
  /** Records that could not even be parsed, by position in the body. */
  errors: { index: number; error: string }[];
}

const MEDIA_TYPES: Record<string, BodyFormat> = {
  'application/json': 'json',
  'text/json': 'json',
  'application/x-ndjson': 'ndjson',
  'application/ndjson': 'ndjson',
  'application/jsonl': 'ndjson',
  'application/jsonlines': 'ndjson',
  'application/x-jsonlines': 'ndjson',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/parquet': 'parquet',
  'application/vnd.vigil.columns+json': 'columns',
  'application/vnd.apache.arrow.stream': 'arrow',
  'application/vnd.apache.arrow.file': 'arrow',
};

/** The media types of `formats`, preferred names first, for the OpenAPI document. */
export function mediaTypes(formats: readonly BodyFormat[]): string[] {
  return formats.map((format) => Object.entries(MEDIA_TYPES).find(([, f]) => f === format)![0]);
}

/** Picks the format from the Content-Type; `octet-stream` means Parquet where Parquet is allowed. */
export function detectFormat(contentType: string | undefined, allowed: readonly BodyFormat[]): BodyFormat {
  const media = (contentType ?? 'application/json').split(';')[0]!.trim().toLowerCase();
  const format =
    media === 'application/octet-stream' && allowed.includes('parquet') ? 'parquet' : MEDIA_TYPES[media];
  if (!format || !allowed.includes(format)) {
    const names = Object.entries(MEDIA_TYPES)
      .filter(([, f]) => allowed.includes(f))
      .map(([m]) => m);
    throw new UnsupportedMediaTypeError(
      `Content-Type "${media}" is not accepted here; send one of: ${names.join(', ')}.`,
    );
  }
  return format;
}

export async function parseBody(
  body: Buffer,
  format: Exclude<BodyFormat, 'columns' | 'arrow'>,
): Promise<ParsedBody> {
  switch (format) {
    case 'json':
      return parseJsonBody(body);
    case 'ndjson':
      return parseNdjson(body);
    case 'csv':
      return parseCsvBody(body);
    case 'parquet':
      return parseParquet(body);
  }
}

function parseJsonBody(body: Buffer): ParsedBody {
  const text = body.toString('utf8');
  if (text.trim() === '')
    throw new BadRequestError('The request body is empty; send a JSON array of records.');
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new BadRequestError(`The body is not valid JSON: ${(error as Error).message}.`);
  }
  return { rows: Array.isArray(value) ? value : [value], errors: [] };
}

function parseNdjson(body: Buffer): ParsedBody {
  const lines = body.toString('utf8').split('\n');
  const present: string[] = [];
  const lineNumbers: number[] = [];
  lines.forEach((line, i) => {
    const content = line.trim();
    if (content === '') return;
    present.push(content);
    lineNumbers.push(i + 1);
  });
  // Fast path: one JSON.parse for the whole batch. Only when that fails, parse line by line
  // to find the bad lines; a line holding several values joined by commas cannot slip
  // through, because the fast path must also yield exactly one value per line.
  try {
    const rows = JSON.parse(`[${present.join(',')}]`) as unknown[];
    if (rows.length === present.length) return { rows, errors: [] };
  } catch {
    // fall back to line-by-line parsing below
  }
  const rows: unknown[] = [];
  const errors: ParsedBody['errors'] = [];
  present.forEach((content, i) => {
    try {
      rows.push(JSON.parse(content));
    } catch (error) {
      errors.push({
        index: rows.length,
        error: `line ${lineNumbers[i]} is not valid JSON: ${(error as Error).message}`,
      });
      rows.push(undefined);
    }
  });
  return { rows, errors };
}

/**
 * CSV with a header line. A row with another number of fields than the header is that row's
 * rejection, with its line number; the other rows are read.
 */
function parseCsvBody(body: Buffer): ParsedBody {
  let records: { record: string[]; info: { lines: number } }[];
  try {
    records = parseCsv(body, {
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      info: true,
    }) as unknown as { record: string[]; info: { lines: number } }[];
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    throw new BadRequestError(`The body is not valid CSV: ${(error as Error).message}`);
  }
  const head = records.shift();
  if (head === undefined) return { rows: [], errors: [] };
  const header = head.record.map((h) => h.trim());
  if (header.includes(FORBIDDEN_NAME)) throw new BadRequestError(forbiddenColumn('CSV'));
  const rows: unknown[] = [];
  const errors: ParsedBody['errors'] = [];
  for (const { record, info } of records) {
    if (record.length !== header.length) {
      errors.push({
        index: rows.length,
        error: `line ${info.lines}: ${record.length} fields where the header has ${header.length}`,
      });
      rows.push(undefined);
      continue;
    }
    const row: Record<string, unknown> = {};
    for (let i = 0; i < header.length; i++) row[header[i]!] = record[i] === '' ? null : record[i];
    rows.push(row);
  }
  return { rows, errors };
}

/** A Parquet column's type as its schema says it, e.g. `struct<a: INT64>` or `list<DOUBLE>`. */
function parquetType(node: SchemaTree, depth = 0): string {
  const element = node.element;
  if (node.children.length === 0) {
    if (element.logical_type?.type === 'STRING' || element.converted_type === 'UTF8') return 'STRING';
    return element.type ?? 'unknown';
  }
  if (depth > 8) return '…';
  const kind = element.logical_type?.type ?? element.converted_type;
  const inner = node.children.map((child) => parquetType(child, depth + 1));
  if (kind === 'LIST') return `list<${inner.join(', ')}>`;
  if (kind === 'MAP' || kind === 'MAP_KEY_VALUE') return `map<${inner.join(', ')}>`;
  // A group without a LIST/MAP annotation: a struct, or the repeated group inside a list or map.
  return node.children.length === 1 && element.repetition_type === 'REPEATED'
    ? inner[0]!
    : `struct<${node.children.map((child, i) => `${child.element.name}: ${inner[i]}`).join(', ')}>`;
}

function forbiddenColumn(format: string): string {
  return `The ${format} file has a column named "${FORBIDDEN_NAME}", which Vigil does not accept as a name (it could change objects' prototypes); rename the column.`;
}

async function parseParquet(body: Buffer): Promise<ParsedBody> {
  const file = body.buffer.slice(body.byteOffset, body.byteOffset + body.byteLength) as ArrayBuffer;
  let rows: Record<string, unknown>[];
  try {
    // A small, highly compressed file can hold a huge number of rows: check before reading.
    const metadata = parquetMetadata(file);
    if (metadata.schema.some((element) => element.name === FORBIDDEN_NAME)) {
      throw new BadRequestError(forbiddenColumn('Parquet'));
    }
    // Nested columns (struct, list, map) have no column type here: refuse them by name and type
    // before anything is read or stored.
    const nestedColumns = parquetSchema(metadata).children.filter((column) => column.children.length > 0);
    if (nestedColumns.length > 0) {
      const many = nestedColumns.length > 1;
      const list = nestedColumns.map((c) => `"${c.element.name}" (${parquetType(c)})`).join(', ');
      throw new BadRequestError(
        `Parquet column${many ? 's' : ''} ${list} hold${many ? '' : 's'} nested values, which Vigil does not store; flatten ${many ? 'them' : 'it'} into scalar columns or leave ${many ? 'them' : 'it'} out.`,
      );
    }
    const rowCount = Number(metadata.num_rows);
    if (rowCount > MAX_PARQUET_ROWS) {
      throw new BadRequestError(
        `The Parquet file has ${rowCount} rows; upload at most ${MAX_PARQUET_ROWS} rows per request (split the file, or use vigil ingest, which does).`,
      );
    }
    rows = (await parquetReadObjects({ file })) as Record<string, unknown>[];
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    throw new BadRequestError(`The body is not a readable Parquet file: ${(error as Error).message}`);
  }
  const nested = new Set<string>();
  for (const row of rows) {
    for (const [key, value] of Object.entries(row)) {
      if (typeof value === 'bigint') row[key] = Number(value);
      else if (value instanceof Date) row[key] = value.toISOString();
      else if (value === undefined) row[key] = null;
      else if (typeof value === 'object' && value !== null && !(value instanceof Uint8Array)) nested.add(key);
    }
  }
  // Checked before anything is stored: a reference upload is all-or-nothing.
  if (nested.size > 0) {
    const names = [...nested].map((n) => JSON.stringify(n)).join(', ');
    throw new BadRequestError(
      `Parquet column${nested.size > 1 ? 's' : ''} ${names} hold${nested.size > 1 ? '' : 's'} nested values (struct, list or map), which Vigil does not store; flatten them into scalar columns or leave them out.`,
    );
  }
  return { rows, errors: [] };
}

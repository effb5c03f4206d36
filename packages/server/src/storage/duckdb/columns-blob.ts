/**
 * A batch's columns laid out in one body for the extension's table function `vigil_columns`
 * (packages/server/native/duckdb-bins/vigil_columns.c, where the layout is described): the
 * store binds it as the parameter of `INSERT INTO t SELECT * FROM vigil_columns($1)`, and
 * DuckDB's threads copy the rows from it with no call back into JavaScript. The batch scan
 * (`batch-scan.ts`) asks the event loop for every 2,048-row chunk instead, and under load the
 * event loop is busy with the next requests.
 */
import { type DuckDBType, DuckDBTypeId } from '@duckdb/node-api';
import type { ColumnData, ColumnSource } from './column-sources.js';

const MAGIC = 0x31434756; // "VGC1"
const KIND = { double: 1, timestamp: 2, boolean: 3, text: 4, dictionary: 5, null: 6 } as const;

/** The output type of a column of NULLs, in the body's numbering of kinds. */
function nullType(type: DuckDBType): number {
  switch (type.typeId) {
    case DuckDBTypeId.DOUBLE:
      return KIND.double;
    case DuckDBTypeId.TIMESTAMP:
      return KIND.timestamp;
    case DuckDBTypeId.BOOLEAN:
      return KIND.boolean;
    default:
      return KIND.text;
  }
}

const encoder = new TextEncoder();

/** A body that grows as sections are written, each starting at a multiple of 8 bytes. */
class BodyWriter {
  bytes: Uint8Array;
  view: DataView;
  at = 0;

  constructor(capacity: number) {
    this.bytes = new Uint8Array(capacity);
    this.view = new DataView(this.bytes.buffer);
  }

  private reserve(length: number) {
    const needed = this.at + length + 8;
    if (needed <= this.bytes.length) return;
    const grown = new Uint8Array(Math.max(needed, Math.ceil(this.bytes.length * 1.5)));
    grown.set(this.bytes.subarray(0, this.at));
    this.bytes = grown;
    this.view = new DataView(grown.buffer);
  }

  /** Starts a section of `length` bytes at the next multiple of 8; returns its offset. */
  section(length: number): number {
    this.reserve(length + 8);
    this.at = (this.at + 7) & ~7;
    const start = this.at;
    this.at += length;
    return start;
  }

  copy(source: ArrayBufferView, byteOffset = 0, byteLength = source.byteLength - byteOffset) {
    const start = this.section(byteLength);
    this.bytes.set(new Uint8Array(source.buffer, source.byteOffset + byteOffset, byteLength), start);
  }

  /** u32 offsets (strings.length + 1) and the strings' UTF-8 bytes, as two sections. */
  strings(values: readonly (string | null | undefined)[], count: number, offset = 0) {
    const offsets = this.section((count + 1) * 4);
    let bytes = this.section(0);
    const first = bytes;
    this.view.setUint32(offsets, 0, true);
    for (let i = 0; i < count; i++) {
      const value = values[offset + i];
      if (value !== null && value !== undefined && value.length > 0) {
        // UTF-8 takes at most 3 bytes per UTF-16 unit.
        this.reserve(value.length * 3);
        bytes += encoder.encodeInto(value, this.bytes.subarray(bytes)).written;
        this.at = bytes;
      }
      this.view.setUint32(offsets + 4 * (i + 1), bytes - first, true);
    }
  }

  finish(): Uint8Array {
    this.section(0);
    return this.bytes.subarray(0, this.at);
  }
}

function writeColumn(body: BodyWriter, source: ColumnSource, length: number) {
  const data: ColumnData = source.data;
  const head = body.section(8);
  const valid = 'valid' in data ? data.valid : null;
  body.bytes[head] = KIND[data.kind === 'constant-timestamp' ? 'timestamp' : data.kind];
  body.bytes[head + 1] = valid ? 1 : 0;
  if (data.kind === 'dictionary') {
    body.bytes[head + 2] = data.indices.BYTES_PER_ELEMENT;
    body.view.setUint32(head + 4, data.names.length, true);
  }
  if (data.kind === 'null') body.bytes[head + 3] = nullType(data.type);
  if (valid) body.copy(valid, 0, length);
  switch (data.kind) {
    case 'double':
      body.copy(data.values, 0, length * 8);
      return;
    case 'timestamp':
      body.copy(data.micros, 0, length * 8);
      return;
    case 'constant-timestamp': {
      const start = body.section(length * 8);
      for (let i = 0; i < length; i++) body.view.setFloat64(start + 8 * i, data.micros, true);
      return;
    }
    case 'boolean':
      body.copy(data.values, 0, length);
      return;
    case 'text':
      body.strings(data.values, length);
      return;
    case 'dictionary':
      body.strings(data.names, data.names.length);
      body.copy(data.indices, 0, length * data.indices.BYTES_PER_ELEMENT);
      return;
    case 'null':
      return;
  }
}

/** The bytes a column takes, with text at one byte per UTF-16 unit (more is made room for as it comes). */
function estimatedSize(data: ColumnData, length: number): number {
  const sections = 8 + 8 * 4 + ('valid' in data && data.valid ? length : 0);
  switch (data.kind) {
    case 'double':
    case 'timestamp':
    case 'constant-timestamp':
      return sections + length * 8;
    case 'boolean':
      return sections + length;
    case 'text': {
      let units = 0;
      for (let i = 0; i < length; i++) units += data.values[i]?.length ?? 0;
      return sections + (length + 1) * 4 + units;
    }
    case 'dictionary': {
      let units = 0;
      for (const name of data.names) units += name.length;
      return sections + (data.names.length + 1) * 4 + units + length * data.indices.BYTES_PER_ELEMENT;
    }
    case 'null':
      return sections;
  }
}

/** The body `vigil_columns` reads: `length` rows of every source, in order. */
export function columnsBody(sources: ColumnSource[], length: number): Uint8Array {
  let capacity = 16;
  for (const source of sources) capacity += estimatedSize(source.data, length);
  const body = new BodyWriter(capacity);
  const header = body.section(16);
  body.view.setUint32(header, MAGIC, true);
  body.view.setUint32(header + 4, length, true);
  body.view.setUint32(header + 8, sources.length, true);
  for (const source of sources) writeColumn(body, source, length);
  return body.finish();
}

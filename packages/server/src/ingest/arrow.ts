/**
 * Arrow IPC bodies (`application/vnd.apache.arrow.stream`): the binary columnar format that
 * pyarrow, pandas, polars and apache-arrow write. A body is read into columns of plain values
 * (numbers, strings, booleans, null), checked first for what a crafted or damaged stream could
 * hide: a missing end-of-stream marker (truncated), buffers shorter than the lengths the
 * messages claim, offsets that point outside their data, dictionary indices out of range.
 *
 * The columns then go through the same checks as JSON: predictions as a columnar body
 * (`columns.ts`), labels and reference data as rows (`normalize.ts`). Arrow types map to the
 * values JSON would carry: floats and integers are numbers, (large) utf8 and dictionary-encoded
 * strings are strings, booleans are booleans, timestamps and dates are epoch microseconds.
 * Nested and binary types are refused by name, before anything is stored.
 */
import { type Data, type Field, type Table, Type, tableFromIPC } from 'apache-arrow';
import { BadRequestError } from '../errors.js';
import { FORBIDDEN_NAME } from './values.js';

/** Rows one Arrow body may hold; a compressed body's size alone does not bound its rows. */
export const MAX_ARROW_ROWS = 1_000_000;

/**
 * A dictionary-encoded column as Arrow carries it: each distinct string once, and one index
 * per row. The checks read it this way (a dictionary entry is checked once, a row costs an
 * index), and the store writes it as an ENUM of the entries without a string per row.
 */
export interface DictionaryCodes {
  /** The dictionary's entries; null for a null entry. */
  words: readonly (string | null)[];
  /** Each row's entry, -1 where the row is null. */
  indices: Int32Array;
}

/**
 * One column as plain values: a `Float64Array` when every value is a finite or non-finite
 * double, else an array. A dictionary-encoded column also has its `codes`, and builds its
 * `values` (a string per row) only when something asks for them.
 */
export interface ArrowColumn {
  readonly name: string;
  readonly values: ArrayLike<unknown>;
  readonly codes?: DictionaryCodes;
}

class DictionaryColumn implements ArrowColumn {
  #values: unknown[] | undefined;

  constructor(
    readonly name: string,
    readonly codes: DictionaryCodes,
  ) {}

  get values(): ArrayLike<unknown> {
    if (this.#values === undefined) {
      const { words, indices } = this.codes;
      const values = new Array<unknown>(indices.length);
      for (let i = 0; i < indices.length; i++) {
        const k = indices[i]!;
        values[i] = k < 0 ? null : words[k];
      }
      this.#values = values;
    }
    return this.#values;
  }
}

export interface ArrowBody {
  length: number;
  columns: ArrowColumn[];
}

/** Continuation marker and a zero length: the end of an IPC stream. */
const END_OF_STREAM = Buffer.from([0xff, 0xff, 0xff, 0xff, 0, 0, 0, 0]);
const FILE_MAGIC = Buffer.from('ARROW1');

function problem(message: string): BadRequestError {
  return new BadRequestError(`The body is not a usable Arrow IPC stream: ${message}.`);
}

/** The Arrow type as a reader would name it, for messages. */
function typeName(field: Field): string {
  return String(field.type);
}

const READABLE = new Set<Type>([
  Type.Null,
  Type.Bool,
  Type.Int,
  Type.Float,
  Type.Utf8,
  Type.LargeUtf8,
  Type.Timestamp,
  Type.Date,
  Type.Dictionary,
]);

function readable(field: Field): boolean {
  const type = field.type;
  if (!READABLE.has(type.typeId)) return false;
  if (type.typeId === Type.Dictionary) {
    const values = (type as unknown as { dictionary: { typeId: Type } }).dictionary.typeId;
    return values === Type.Utf8 || values === Type.LargeUtf8;
  }
  return true;
}

/** Reads and checks a body; anything wrong with its structure is a 400 that says what. */
export function readArrowBody(body: Buffer): ArrowBody {
  try {
    return readChecked(body);
  } catch (error) {
    if (error instanceof BadRequestError) throw error;
    // A stream damaged in ways the checks above do not name still gets a 400, never a 500.
    throw problem((error as Error).message.replace(/\.$/, ''));
  }
}

function readChecked(body: Buffer): ArrowBody {
  const isFile = body.subarray(0, FILE_MAGIC.length).equals(FILE_MAGIC);
  if (!isFile && !body.subarray(body.length - END_OF_STREAM.length).equals(END_OF_STREAM)) {
    throw problem(
      'it does not end with the end-of-stream marker (0xFFFFFFFF 0x00000000), so it was cut short or is not Arrow; close the stream writer before sending',
    );
  }
  let table: Table;
  try {
    table = tableFromIPC(body);
  } catch (error) {
    throw problem((error as Error).message.replace(/\.$/, ''));
  }
  const fields = table.schema.fields;
  if (fields.length === 0) throw problem('its schema has no columns');
  const seen = new Set<string>();
  const refused: string[] = [];
  for (const field of fields) {
    if (field.name === FORBIDDEN_NAME) {
      throw new BadRequestError(
        `The Arrow stream has a column named "${FORBIDDEN_NAME}", which Vigil does not accept as a name (it could change objects' prototypes); rename the column.`,
      );
    }
    if (seen.has(field.name)) throw problem(`the column name "${field.name}" appears twice`);
    seen.add(field.name);
    if (!readable(field)) refused.push(`"${field.name}" (${typeName(field)})`);
  }
  if (refused.length > 0) {
    const many = refused.length > 1;
    throw new BadRequestError(
      `Arrow column${many ? 's' : ''} ${refused.join(', ')} ${many ? 'have types' : 'has a type'} that Vigil does not store (nested, binary, decimal, time or interval); ` +
        'send numbers as int or float, text as utf8 (or dictionary-encoded utf8), flags as bool, instants as timestamp or date.',
    );
  }
  const length = table.numRows;
  if (length > MAX_ARROW_ROWS) {
    throw new BadRequestError(
      `The Arrow stream has ${length} rows; send at most ${MAX_ARROW_ROWS} rows per request (split it into several requests).`,
    );
  }
  const columns = fields.map((field, index) => {
    const chunks = table.getChildAt(index)?.data ?? [];
    let total = 0;
    for (const data of chunks) {
      checkData(data, field.name);
      total += data.length;
    }
    if (total !== length)
      throw problem(`column "${field.name}" has ${total} values in a table of ${length} rows`);
    const codes = chunks.length === 1 ? dictionaryCodes(chunks[0]!) : undefined;
    if (codes !== undefined) return new DictionaryColumn(field.name, codes);
    return { name: field.name, values: columnValues(chunks, length) };
  });
  return { length, columns };
}

const lie = (name: string, what: string) =>
  problem(`column "${name}": ${what}; the stream contradicts itself`);

/** Bytes each value takes in a fixed-width buffer, or 0 for types without one. */
function byteWidth(data: Data): number {
  switch (data.typeId) {
    case Type.Int:
    case Type.Float:
    case Type.Date:
    case Type.Timestamp:
      return (
        (data.values as ArrayLike<number> & { BYTES_PER_ELEMENT: number }).BYTES_PER_ELEMENT *
        (data.stride ?? 1)
      );
    default:
      return 0;
  }
}

/**
 * Checks that a chunk's buffers hold what its length claims. The reader takes lengths from the
 * message and views whatever bytes are there, so a body whose messages lie would otherwise be
 * read as zeros or as another column's bytes.
 */
function checkData(data: Data, name: string): void {
  const n = data.length;
  if (data.nullCount > 0 && n > 0) {
    const bitmap = data.nullBitmap;
    if (!bitmap || bitmap.length * 8 < data.offset + n)
      lie(name, `its validity bitmap is shorter than its ${n} rows`);
  }
  if (data.typeId === Type.Null || data.typeId === Type.Bool) {
    if (data.typeId === Type.Bool && (data.values?.length ?? 0) * 8 < data.offset + n) {
      throw lie(name, `its values hold fewer than ${n} booleans`);
    }
    return;
  }
  if (data.typeId === Type.Dictionary) {
    const indices = data.values as unknown as ArrayLike<number | bigint>;
    if ((indices?.length ?? 0) < data.offset + n) throw lie(name, `its indices hold fewer than ${n} values`);
    const dictionary = data.dictionary;
    if (!dictionary) throw lie(name, 'it has no dictionary');
    for (const chunk of dictionary.data) checkData(chunk, name);
    const size = dictionary.length;
    for (let i = 0; i < n; i++) {
      if (data.nullCount > 0 && !isValid(data, i)) continue;
      const index = Number(indices[data.offset + i]);
      if (!(index >= 0 && index < size))
        throw lie(name, `row ${i} points at dictionary entry ${index} of ${size}`);
    }
    return;
  }
  if (data.typeId === Type.Utf8 || data.typeId === Type.LargeUtf8) {
    const offsets = data.valueOffsets as ArrayLike<number | bigint> | undefined;
    const bytes = data.values as Uint8Array | undefined;
    if (n === 0) return;
    if (!offsets || offsets.length < data.offset + n + 1)
      throw lie(name, `its offsets hold fewer than ${n + 1} values`);
    let previous = Number(offsets[data.offset]);
    if (previous < 0) throw lie(name, 'an offset is negative');
    for (let i = 1; i <= n; i++) {
      const next = Number(offsets[data.offset + i]);
      if (next < previous) throw lie(name, `offsets decrease at row ${i - 1}`);
      previous = next;
    }
    if (previous > (bytes?.length ?? 0))
      throw lie(name, `its offsets point past its ${bytes?.length ?? 0} bytes of text`);
    return;
  }
  const width = byteWidth(data);
  const values = data.values as ArrayLike<unknown> & { byteLength: number };
  if (!values || values.byteLength < (data.offset + n) * width) {
    throw lie(name, `its values take ${values?.byteLength ?? 0} bytes, fewer than ${n} values need`);
  }
}

function isValid(data: Data, i: number): boolean {
  if (data.nullCount === 0) return true;
  const bit = data.offset + i;
  return ((data.nullBitmap![bit >> 3]! >> (bit & 7)) & 1) === 1;
}

/**
 * The dictionary and indices of a dictionary-encoded chunk (already checked by `checkData`:
 * every index of a valid row is within the dictionary), or undefined for other types.
 */
function dictionaryCodes(data: Data): DictionaryCodes | undefined {
  if (data.typeId !== Type.Dictionary || !data.dictionary) return undefined;
  const dictionary = data.dictionary;
  const words = new Array<unknown>(dictionary.length);
  let k = 0;
  for (const chunk of dictionary.data) {
    fillValues(chunk, words, k);
    k += chunk.length;
  }
  const n = data.length;
  const source = data.values as unknown as ArrayLike<number | bigint>;
  const nulls = data.nullCount > 0;
  const offset = data.offset;
  // 32-bit indices without nulls (what the SDK sends) are used as they are.
  if (!nulls && source instanceof Int32Array) {
    return { words: words as (string | null)[], indices: source.subarray(offset, offset + n) };
  }
  const indices = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    indices[i] = nulls && !isValid(data, i) ? -1 : Number(source[offset + i]);
  }
  return { words: words as (string | null)[], indices };
}

/** Microseconds per unit of Arrow's TimeUnit (SECOND, MILLISECOND, MICROSECOND, NANOSECOND). */
const MICROS_PER_UNIT = [1e6, 1e3, 1, 1e-3];

/** A column's values: a Float64Array when possible (no nulls, doubles), else plain values with null. */
function columnValues(chunks: readonly Data[], length: number): ArrayLike<unknown> {
  if (chunks.length === 1) {
    const data = chunks[0]!;
    if (data.typeId === Type.Float && data.nullCount === 0 && data.values instanceof Float64Array) {
      return data.values.subarray(data.offset, data.offset + data.length);
    }
  }
  const out = new Array<unknown>(length);
  let at = 0;
  for (const data of chunks) {
    fillValues(data, out, at);
    at += data.length;
  }
  return out;
}

function fillValues(data: Data, out: unknown[], at: number): void {
  const n = data.length;
  const offset = data.offset;
  const nulls = data.nullCount > 0;
  const put = (read: (i: number) => unknown) => {
    for (let i = 0; i < n; i++) out[at + i] = nulls && !isValid(data, i) ? null : read(offset + i);
  };
  switch (data.typeId) {
    case Type.Null:
      for (let i = 0; i < n; i++) out[at + i] = null;
      return;
    case Type.Bool: {
      const bits = data.values as Uint8Array;
      put((i) => ((bits[i >> 3]! >> (i & 7)) & 1) === 1);
      return;
    }
    case Type.Float: {
      const values = data.values as Float32Array | Float64Array | Uint16Array;
      if (values instanceof Uint16Array) {
        put((i) => halfFloat(values[i]!));
        return;
      }
      put((i) => values[i]);
      return;
    }
    case Type.Int: {
      const values = data.values as unknown as ArrayLike<number | bigint>;
      put((i) => integer(values[i]!));
      return;
    }
    case Type.Timestamp:
    case Type.Date: {
      const values = data.values as unknown as ArrayLike<number | bigint>;
      const type = data.type as unknown as { unit: number };
      // Date32 counts days, Date64 milliseconds; timestamps have a unit.
      const micros =
        data.typeId === Type.Timestamp
          ? MICROS_PER_UNIT[type.unit]!
          : type.unit === 0
            ? 86_400_000_000
            : 1_000;
      put((i) => instant(values[i]!, micros));
      return;
    }
    case Type.Utf8:
    case Type.LargeUtf8: {
      const offsets = data.valueOffsets as unknown as ArrayLike<number | bigint>;
      const bytes = data.values as Uint8Array;
      const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      put((i) => text.toString('utf8', Number(offsets[i]), Number(offsets[i + 1])));
      return;
    }
    case Type.Dictionary: {
      const dictionary = data.dictionary!;
      const words = new Array<unknown>(dictionary.length);
      let k = 0;
      for (const chunk of dictionary.data) {
        fillValues(chunk, words, k);
        k += chunk.length;
      }
      const indices = data.values as unknown as ArrayLike<number | bigint>;
      put((i) => words[Number(indices[i])]);
      return;
    }
    default:
      throw problem(`column type ${String(data.type)} cannot be read`);
  }
}

/** An IEEE 754 half-precision float from its 16 bits. */
function halfFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 0x1f) return fraction === 0 ? sign * Number.POSITIVE_INFINITY : Number.NaN;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}

/** A 64-bit integer beyond 2^53 is kept exact as its digits (an id, or text a numeric column parses). */
function integer(value: number | bigint): number | string {
  if (typeof value === 'number') return value;
  const n = Number(value);
  return Number.isSafeInteger(n) ? n : value.toString();
}

/**
 * An instant as the JSON path would carry it: epoch microseconds where the timestamp parser
 * reads them as such (1973 to 2286), else an ISO-8601 string.
 */
function instant(value: number | bigint, microsPerUnit: number): number | string {
  const micros = Number(value) * microsPerUnit;
  if (Math.abs(micros) >= 1e14 && Math.abs(micros) < 1e16) return Math.round(micros);
  const date = new Date(micros / 1000);
  return Number.isNaN(date.getTime()) ? `${value} (out of range)` : date.toISOString();
}

/** Rows as objects, for labels and reference data (read like CSV or Parquet rows). */
export function arrowRows(arrow: ArrowBody): Record<string, unknown>[] {
  const rows = new Array<Record<string, unknown>>(arrow.length);
  for (let i = 0; i < arrow.length; i++) {
    const row: Record<string, unknown> = {};
    for (const column of arrow.columns) row[column.name] = column.values[i] ?? null;
    rows[i] = row;
  }
  return rows;
}

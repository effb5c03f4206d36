/**
 * A query's result read straight from DuckDB's result vectors, for results of many rows of
 * numbers and text (a small window's rows): numbers are copied a vector at a time into a
 * `Float64Array`, text is decoded once per distinct short value of a column (categories
 * repeat). The generic conversion (`getColumnsObjectJS`) makes a JS value per cell through
 * per-type converters and tests each cell's null bit with BigInt arithmetic: for a window of
 * 1,000 rows × 50 columns it cost about as much as running the statement.
 *
 * Numbers: DOUBLE, INTEGER and BIGINT columns (BIGINT beyond 2^53 loses precision, as
 * `Number` does); a null reads as NaN. Text: VARCHAR columns; a null reads as null, and each
 * value decodes as the generic conversion decodes it. Other types are refused: cast them in
 * the SQL. Little-endian layout, as the bindings and `column-sources.ts` assume.
 */
import { type DuckDBMaterializedResult, DuckDBTypeId } from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';

export type TypedColumn = Float64Array | (string | null)[];

/** The columns of a typed read, by name, with the type each was read as checked on access. */
export class TypedColumns {
  constructor(
    readonly rows: number,
    private readonly columns: ReadonlyMap<string, TypedColumn>,
  ) {}

  /** A DOUBLE, INTEGER or BIGINT column (null as NaN). */
  numbers(name: string): Float64Array {
    const column = this.columns.get(name);
    if (!(column instanceof Float64Array)) throw new Error(`No numeric column "${name}" in the result.`);
    return column;
  }

  /** A VARCHAR column. */
  text(name: string): (string | null)[] {
    const column = this.columns.get(name);
    if (!Array.isArray(column)) throw new Error(`No text column "${name}" in the result.`);
    return column;
  }
}

/** The decoder of the generic conversion (a leading byte-order mark is dropped, as there). */
const decoder = new TextDecoder();

/** DuckDB's string_t: 16 bytes, a 32-bit length, then up to 12 bytes inline or a prefix and a pointer. */
const STRING_BYTES = 16;
const INLINE_BYTES = 12;

/**
 * Text decoded once per distinct inlined value (at most 12 bytes: categories, class labels,
 * short ids). The key is the whole string_t (length and inline bytes), so equal keys are equal
 * strings; a hash collision only costs a decode.
 */
class ShortTexts {
  private readonly known = new Map<
    number,
    { length: number; a: number; b: number; c: number; text: string }
  >();

  get(words: Uint32Array, at: number, bytes: Uint8Array): string {
    const length = words[at]!;
    const a = words[at + 1]!;
    const b = words[at + 2]!;
    const c = words[at + 3]!;
    const hash = Math.imul(Math.imul(Math.imul(length ^ a, 0x9e3779b1) ^ b, 0x85ebca6b) ^ c, 0xc2b2ae35);
    const entry = this.known.get(hash);
    if (entry && entry.length === length && entry.a === a && entry.b === b && entry.c === c)
      return entry.text;
    const start = bytes.byteOffset + at * 4 + 4;
    const text = decoder.decode(new Uint8Array(bytes.buffer, start, length));
    if (!entry) this.known.set(hash, { length, a, b, c, text });
    return text;
  }
}

/** Whether row `i` of a vector holds a value (`validity` is null when every row does). */
function valid(validity: Uint8Array | null, i: number): boolean {
  return validity === null || ((validity[i >>> 3]! >>> (i & 7)) & 1) === 1;
}

function readNumbers(
  type: DuckDBTypeId,
  vector: duckdb.Vector,
  size: number,
  target: Float64Array,
  offset: number,
): void {
  const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8) ?? null;
  if (type === DuckDBTypeId.DOUBLE) {
    const data = duckdb.vector_get_data(vector, size * 8);
    target.set(new Float64Array(data.buffer, data.byteOffset, size), offset);
  } else if (type === DuckDBTypeId.INTEGER) {
    const data = duckdb.vector_get_data(vector, size * 4);
    target.set(new Int32Array(data.buffer, data.byteOffset, size), offset);
  } else {
    const data = duckdb.vector_get_data(vector, size * 8);
    const values = new BigInt64Array(data.buffer, data.byteOffset, size);
    for (let i = 0; i < size; i++) target[offset + i] = Number(values[i]!);
  }
  if (validity !== null)
    for (let i = 0; i < size; i++) if (!valid(validity, i)) target[offset + i] = Number.NaN;
}

function readText(
  vector: duckdb.Vector,
  size: number,
  target: (string | null)[],
  offset: number,
  short: ShortTexts,
): void {
  const validity = duckdb.vector_get_validity(vector, Math.ceil(size / 64) * 8) ?? null;
  const bytes = duckdb.vector_get_data(vector, size * STRING_BYTES);
  const words = new Uint32Array(bytes.buffer, bytes.byteOffset, size * 4);
  for (let i = 0; i < size; i++) {
    if (!valid(validity, i)) {
      target[offset + i] = null;
      continue;
    }
    const length = words[4 * i]!;
    target[offset + i] =
      length <= INLINE_BYTES
        ? short.get(words, 4 * i, bytes)
        : decoder.decode(
            duckdb.get_data_from_pointer(
              bytes.buffer as ArrayBuffer,
              bytes.byteOffset + STRING_BYTES * i + 8,
              length,
            ),
          );
  }
}

const NUMBER_TYPES = new Set([DuckDBTypeId.DOUBLE, DuckDBTypeId.INTEGER, DuckDBTypeId.BIGINT]);

/** Every column of a materialized result (see the module's header for the types read). */
export function readTypedColumns(result: DuckDBMaterializedResult): TypedColumns {
  const rows = result.rowCount;
  const types: DuckDBTypeId[] = [];
  const targets: TypedColumn[] = [];
  const columns = new Map<string, TypedColumn>();
  for (let c = 0; c < result.columnCount; c++) {
    const name = result.columnName(c);
    const type = result.columnTypeId(c);
    let target: TypedColumn;
    if (NUMBER_TYPES.has(type)) target = new Float64Array(rows);
    else if (type === DuckDBTypeId.VARCHAR) target = new Array<string | null>(rows);
    else throw new Error(`Column "${name}" is ${DuckDBTypeId[type]}: a typed read takes numbers and text.`);
    types.push(type);
    targets.push(target);
    columns.set(name, target);
  }
  const short = targets.map(() => new ShortTexts());
  let offset = 0;
  for (let k = 0; k < result.chunkCount; k++) {
    const chunk = result.getChunk(k).chunk;
    const size = duckdb.data_chunk_get_size(chunk);
    for (let c = 0; c < targets.length; c++) {
      const vector = duckdb.data_chunk_get_vector(chunk, c);
      const target = targets[c]!;
      if (target instanceof Float64Array) readNumbers(types[c]!, vector, size, target, offset);
      else readText(vector, size, target, offset, short[c]!);
    }
    offset += size;
  }
  return new TypedColumns(rows, columns);
}

/**
 * Predictions logged a whole batch at a time, by column (`client.logColumns`), or as an
 * `apache-arrow` Table (`client.logTable`). The columns are checked and copied once, when they
 * are logged; each request body is then an Arrow IPC stream built from them column by column
 * (numbers straight from their `Float64Array`), with no object or JSON value per record.
 * A server without Arrow gets the same rows as columnar JSON.
 */
import {
  type Data,
  Dictionary,
  Field,
  Float64,
  Int32,
  makeData,
  makeVector,
  type Table,
  tableToIPC,
  Utf8,
} from 'apache-arrow';
import { contentTypes, type RawBody } from './api.js';
import { ARROW_CONTENT_TYPE, booleans, ipcStream, strings } from './arrow.js';
import { COLUMNS_CONTENT_TYPE } from './columns.js';
import { VigilRecordError } from './errors.js';
import { Doubles, type IpcColumn } from './ipc-writer.js';
import { randomId } from './runtime.js';
import type { TimestampInput } from './serialize.js';

/** One value per row: numbers (any typed array, or an array with null where absent), strings or booleans. */
export type ColumnValues =
  | Float64Array
  | Float32Array
  | Int32Array
  | Uint32Array
  | Int16Array
  | Uint16Array
  | Int8Array
  | Uint8Array
  | readonly (number | null | undefined)[]
  | readonly (string | null | undefined)[]
  | readonly (boolean | null | undefined)[];

/** A row field given once for every row, or one value per row. */
export type RowField<T> = T | ColumnValues | readonly (T | null | undefined)[];

/**
 * A batch of predictions by column, every column with one value per row (null or undefined
 * where a row has none). Row fields may instead be one value shared by every row.
 */
export interface PredictionColumnsInput {
  /** One id per row; a row without one gets a random id. The ids are returned by `logColumns`. */
  id?: readonly (string | number | null | undefined)[];
  /** One instant for every row or one per row (`Date`, ISO-8601 string or epoch number). Default: now. */
  timestamp?: TimestampInput | ColumnValues | readonly (TimestampInput | null | undefined)[];
  version?: RowField<string>;
  prediction?: RowField<number | string | boolean>;
  score?: RowField<number>;
  label?: RowField<number | string | boolean>;
  /** Class scores by class name. */
  scores?: Record<string, ColumnValues>;
  /** Feature values by feature name. */
  features?: Record<string, ColumnValues>;
  /** Segment values by segment name. */
  segments?: Record<string, ColumnValues>;
}

/**
 * A column checked and copied: numbers with a validity byte per row, strings or booleans.
 * A batch's numbers are copied into one `Float64Array` (`copyNumbers`), row `i` of a column at
 * `at + i`: one allocation per batch rather than one per column (an array of numbers on V8's
 * heap instead took the client more CPU, in the young generation's collections).
 */
type Source =
  | { kind: 'number'; values: ArrayLike<number | null | undefined>; at: number; valid: Uint8Array | null }
  | { kind: 'string' | 'boolean'; values: readonly (string | boolean | null)[]; distinct?: boolean }
  | { kind: 'constant'; value: string | number | boolean }
  | { kind: 'null' };

const ROW_FIELDS = ['id', 'timestamp', 'version', 'prediction', 'score', 'label'] as const;
const GROUPS = ['scores', 'features', 'segments'] as const;

function invalid(message: string): VigilRecordError {
  return new VigilRecordError('invalid_columns', message);
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (value instanceof Date) return 'a Date';
  switch (typeof value) {
    case 'string':
      return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
    case 'number':
      return `the number ${value}`;
    case 'boolean':
      return `the boolean ${value}`;
    case 'bigint':
      return 'a bigint value';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

const KIND_NAME = { number: 'numbers', string: 'strings', boolean: 'booleans' } as const;

function isColumn(value: unknown): value is ArrayLike<unknown> {
  return Array.isArray(value) || (ArrayBuffer.isView(value) && !(value instanceof DataView));
}

/**
 * Checks and copies one column: every value of one kind (number, string or boolean) or null.
 * `dates` turns `Date`s into ISO strings (timestamps).
 */
function readColumn(name: string, values: ArrayLike<unknown>, dates = false): Source {
  if (ArrayBuffer.isView(values)) {
    if (values instanceof BigInt64Array || values instanceof BigUint64Array) {
      throw invalid(
        `Column "${name}" is a ${values.constructor.name}; send numbers as doubles (Float64Array).`,
      );
    }
    // Copied by `copyNumbers`: the caller may reuse its array once `logColumns` returns.
    return { kind: 'number', values: values as ArrayLike<number>, at: 0, valid: null };
  }
  const n = values.length;
  let first = 0;
  while (first < n && (values[first] === null || values[first] === undefined)) first++;
  if (first === n) return { kind: 'null' };
  const sample = dates && values[first] instanceof Date ? 'string' : typeof values[first];
  if (sample !== 'number' && sample !== 'string' && sample !== 'boolean') {
    throw invalid(
      `Column "${name}", row ${first}: ${describe(values[first])} cannot be sent; a column holds numbers, strings or booleans (null where absent).`,
    );
  }
  const kind = sample as 'number' | 'string' | 'boolean';
  const wrong = (row: number) =>
    invalid(
      `Column "${name}", row ${row}: expected ${kind === 'number' ? 'a number' : `a ${kind}`} like row ${first} (a column holds ${KIND_NAME[kind]}, null where absent), got ${describe(values[row])}.`,
    );
  if (kind === 'number') {
    const valid = new Uint8Array(n);
    let nulls = 0;
    for (let i = 0; i < n; i++) {
      const value = values[i];
      if (typeof value === 'number') valid[i] = 1;
      else if (value === null || value === undefined) nulls++;
      else throw wrong(i);
    }
    // Copied by `copyNumbers`, as typed arrays are.
    return { kind, values: values as ArrayLike<number | null>, at: 0, valid: nulls > 0 ? valid : null };
  }
  const out = new Array<string | boolean | null>(n);
  for (let i = 0; i < n; i++) {
    let value = values[i];
    if (dates && value instanceof Date) value = Number.isNaN(value.getTime()) ? null : value.toISOString();
    if (value === null || value === undefined) out[i] = null;
    else if (typeof value === kind) out[i] = value as string | boolean;
    else throw wrong(i);
  }
  return { kind, values: out };
}

/**
 * Copies the numbers of every number source (the caller's arrays, checked) into one
 * `Float64Array` of `length` values per source, 0 where null, and points the sources at it.
 */
function copyNumbers(sources: readonly [string, Source][], length: number): void {
  let count = 0;
  for (const [, source] of sources) if (source.kind === 'number') count++;
  if (count === 0) return;
  const store = new Float64Array(count * length);
  let at = 0;
  for (const [, source] of sources) {
    if (source.kind !== 'number') continue;
    const { values } = source;
    if (ArrayBuffer.isView(values)) store.set(values as unknown as ArrayLike<number>, at);
    else if (source.valid === null) for (let i = 0; i < length; i++) store[at + i] = values[i] as number;
    else for (let i = 0; i < length; i++) store[at + i] = (values[i] as number | null | undefined) ?? 0;
    source.values = store;
    source.at = at;
    at += length;
  }
}

function readScalar(name: string, value: unknown): Source {
  if (value === null || value === undefined) return { kind: 'null' };
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw invalid(`"${name}" is an invalid Date.`);
    return { kind: 'constant', value: value.toISOString() };
  }
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') {
    return { kind: 'constant', value };
  }
  throw invalid(
    `"${name}" is ${describe(value)}; give one value (number, string or boolean) for every row, or an array with one per row.`,
  );
}

/** Validity bitmap of rows `start..end`, or null when every row has a value. */
function bitmap(
  valid: (i: number) => boolean,
  start: number,
  end: number,
): { bits: Uint8Array | null; nulls: number } {
  const n = end - start;
  const bits = new Uint8Array(((n + 63) >> 6) << 3);
  let nulls = 0;
  for (let i = 0; i < n; i++) {
    if (valid(start + i)) bits[i >> 3]! |= 1 << (i & 7);
    else nulls++;
  }
  return { bits: nulls > 0 ? bits : null, nulls };
}

/** Rows `start..end` of a source as Arrow data, or null when no row has a value. */
function arrowData(source: Source, start: number, end: number): IpcColumn | null {
  const n = end - start;
  switch (source.kind) {
    case 'null':
      return null;
    case 'number': {
      const { values, valid } = source;
      const { bits, nulls } = valid ? bitmap((i) => valid[i] === 1, start, end) : { bits: null, nulls: 0 };
      if (nulls === n) return null;
      return new Doubles(values as ArrayLike<number>, source.at + start, n, nulls, bits);
    }
    case 'constant': {
      const { value } = source;
      if (typeof value === 'number') {
        return makeData({
          type: new Float64(),
          length: n,
          nullCount: 0,
          data: new Float64Array(n).fill(value),
        });
      }
      if (typeof value === 'boolean') {
        return booleans(new Array<boolean>(n).fill(value), 0, n)!;
      }
      // One dictionary entry and an index of 0 per row.
      const bytes = new TextEncoder().encode(value);
      const words = makeData({
        type: new Utf8(),
        length: 1,
        nullCount: 0,
        valueOffsets: Int32Array.of(0, bytes.length),
        data: bytes,
      });
      return makeData({
        type: new Dictionary(new Utf8(), new Int32()),
        length: n,
        nullCount: 0,
        data: new Int32Array(n),
        dictionary: makeVector(words),
      });
    }
    case 'string': {
      const data = strings(source.values, start, end, source.distinct);
      return data && data.nullCount === n ? null : (data ?? null);
    }
    case 'boolean': {
      const data = booleans(source.values, start, end);
      return data && data.nullCount === n ? null : (data ?? null);
    }
  }
}

/** Rows `start..end` of a source as columnar JSON: an array, or one value for every row. */
function jsonColumn(source: Source, start: number, end: number): unknown {
  switch (source.kind) {
    case 'null':
      return undefined;
    case 'constant':
      return source.value;
    case 'number': {
      const out = new Array<number | null>(end - start);
      const { values, at, valid } = source;
      // JSON has no NaN or infinities: null, as a record's JSON.stringify writes them.
      for (let i = start; i < end; i++) {
        const value = values[at + i] as number;
        out[i - start] = (valid && valid[i] === 0) || !Number.isFinite(value) ? null : value;
      }
      return out;
    }
    default:
      return source.values.slice(start, end);
  }
}

/** The object of columns under `name` in a columnar JSON body, created when missing. */
function namedColumns(out: Record<string, unknown>, name: string): Record<string, unknown> {
  let named = out[name] as Record<string, unknown> | undefined;
  if (named === undefined) {
    named = {};
    out[name] = named;
  }
  return named;
}

/** The length every one of `columns` (at least one) has; a clear error names one that differs. */
function commonLength(columns: readonly (readonly [string, ArrayLike<unknown>, boolean])[]): number {
  const [firstName, firstValues] = columns[0]!;
  const length = firstValues.length;
  for (const [name, values] of columns) {
    if (values.length !== length) {
      throw invalid(
        `Column "${name}" has ${values.length} values, but column "${firstName}" has ${length}; give every column one value per row (null where absent).`,
      );
    }
  }
  return length;
}

/** The id in row `row` of an id column as text (numbers are accepted), or null where absent. */
function readId(id: unknown, row: number): string | null {
  if (typeof id === 'string') return id;
  if (typeof id === 'number') return String(id);
  if (id === null || id === undefined) return null;
  throw invalid(`Column "id", row ${row}: expected a string, got ${describe(id)}.`);
}

/** Rows `start..end` of named sources as one Arrow IPC stream; sources null in every row are left out. */
function arrowBody(sources: readonly [string, Source][], start: number, end: number): Uint8Array {
  const fields: Field[] = [];
  const children: IpcColumn[] = [];
  for (const [name, source] of sources) {
    const data = arrowData(source, start, end);
    if (data === null) continue;
    fields.push(new Field(name, data.type, data.nullCount > 0));
    children.push(data);
  }
  return ipcStream(fields, children, end - start);
}

/** A batch of rows by column, ready to send as Arrow or as columnar JSON. */
export interface ColumnBatch {
  readonly length: number;
  /** Upper bound of the body's size, in UTF-16 code units (bytes for Arrow). */
  readonly chars: number;
  body(start: number, end: number, arrow: boolean): RawBody;
}

/** Columns checked and copied from {@link PredictionColumnsInput}, by their Arrow names. */
export class PredictionColumnBatch implements ColumnBatch {
  readonly length: number;
  readonly chars: number;
  readonly ids: string[];
  readonly #sources: [string, Source][];

  constructor(input: PredictionColumnsInput, now = new Date()) {
    if (input === null || typeof input !== 'object' || Array.isArray(input)) {
      throw invalid('logColumns takes an object of columns: { id: [...], features: { name: [...] }, ... }.');
    }
    for (const key of Object.keys(input)) {
      if (!(ROW_FIELDS as readonly string[]).includes(key) && !(GROUPS as readonly string[]).includes(key)) {
        throw invalid(`Unknown field "${key}"; the columns are ${[...ROW_FIELDS, ...GROUPS].join(', ')}.`);
      }
    }
    // Every column first, to learn the length and name the one that disagrees.
    const columns: [string, ArrayLike<unknown>, boolean][] = [];
    const scalars: [string, unknown][] = [];
    for (const field of ROW_FIELDS) {
      const value = input[field];
      if (value === undefined) continue;
      if (isColumn(value)) columns.push([field, value, field === 'timestamp']);
      else if (field === 'id') throw invalid('"id" must be an array with one id per row.');
      else scalars.push([field, value]);
    }
    for (const group of GROUPS) {
      const named = input[group];
      if (named === undefined || named === null) continue;
      if (typeof named !== 'object' || Array.isArray(named) || isColumn(named)) {
        throw invalid(`"${group}" must be an object of columns by name, e.g. { amount: [12.5, null] }.`);
      }
      for (const [name, values] of Object.entries(named)) {
        if (!isColumn(values)) {
          throw invalid(
            `Column "${group}.${name}" is ${describe(values)}; give an array (or typed array) with one value per row.`,
          );
        }
        columns.push([`${group}.${name}`, values, false]);
      }
    }
    if (columns.length === 0) {
      throw invalid(
        'logColumns needs at least one column with one value per row (an array), e.g. "id" or a feature.',
      );
    }
    const length = commonLength(columns);
    this.length = length;
    const sources: [string, Source][] = [];
    const ids = new Array<string>(length);
    const idColumn = input.id;
    for (let i = 0; i < length; i++) ids[i] = readId(idColumn?.[i], i) ?? randomId();
    this.ids = ids;
    sources.push(['id', { kind: 'string', values: ids, distinct: true }]);
    if (input.timestamp === undefined) {
      // Epoch microseconds: a number the server reads without parsing text.
      sources.push(['timestamp', { kind: 'constant', value: now.getTime() * 1000 }]);
    }
    for (const [name, value] of scalars) sources.push([name, readScalar(name, value)]);
    for (const [name, values, dates] of columns) {
      if (name !== 'id') sources.push([name, readColumn(name, values, dates)]);
    }
    copyNumbers(sources, length);
    this.#sources = sources;
    // Arrow bounds it well: 8 bytes a number, strings once per batch in a dictionary or as UTF-8.
    let chars = 256;
    for (const [name, source] of sources) {
      chars += name.length + 64;
      if (source.kind === 'number') chars += length * 9;
      else if (source.kind === 'string')
        for (const s of source.values) chars += s === null ? 5 : (s as string).length * 6 + 3;
      else chars += length * 6;
    }
    this.chars = chars;
  }

  body(start: number, end: number, arrow: boolean): RawBody {
    if (arrow) return { body: arrowBody(this.#sources, start, end), contentType: ARROW_CONTENT_TYPE };
    const out: Record<string, unknown> = { length: end - start };
    for (const [name, source] of this.#sources) {
      const value = jsonColumn(source, start, end);
      if (value === undefined) continue;
      const dot = name.indexOf('.');
      if (dot < 0) {
        out[name] = value;
        continue;
      }
      namedColumns(out, name.slice(0, dot))[name.slice(dot + 1)] = value;
    }
    return { body: JSON.stringify(out), contentType: COLUMNS_CONTENT_TYPE };
  }
}

/**
 * An `apache-arrow` Table of predictions, sent as it is (sliced into batches): the server reads
 * its columns by name (`id`, `timestamp`, `version`, `prediction`, `score`, `label`,
 * `scores.<class>`, `segments.<name>`, and features as `features.<name>` or any other name).
 * A table without an `id` column gets one of random ids, and one without `timestamp` the time
 * of the call, so a batch sent twice (a retry) is still stored once.
 */
export class ArrowTableBatch implements ColumnBatch {
  readonly length: number;
  readonly chars: number;
  readonly #table: Table;

  constructor(table: Table, now = new Date()) {
    if (
      table === null ||
      typeof table !== 'object' ||
      typeof (table as Partial<Table>).numRows !== 'number' ||
      !(table as Partial<Table>).schema
    ) {
      throw invalid('logTable takes an apache-arrow Table.');
    }
    const names = new Set(table.schema.fields.map((f) => f.name));
    const length = table.numRows;
    let out = table;
    const extra: Record<string, ReturnType<typeof makeVector>> = {};
    if (!names.has('id')) {
      const ids = new Array<string>(length);
      for (let i = 0; i < length; i++) ids[i] = randomId();
      extra.id = makeVector(strings(ids, 0, length, true)!);
    }
    if (!names.has('timestamp') && length > 0) {
      extra.timestamp = makeVector(
        arrowData({ kind: 'constant', value: now.getTime() * 1000 }, 0, length) as Data,
      );
    }
    if (Object.keys(extra).length > 0) {
      const columns: Record<string, unknown> = {};
      for (const field of table.schema.fields) columns[field.name] = table.getChild(field.name);
      out = new (table.constructor as new (columns: Record<string, unknown>) => Table)({
        ...columns,
        ...extra,
      });
    }
    this.#table = out;
    this.length = length;
    this.chars = Number.POSITIVE_INFINITY;
  }

  body(start: number, end: number, arrow: boolean): RawBody {
    const slice = start === 0 && end === this.length ? this.#table : this.#table.slice(start, end);
    if (arrow) return { body: tableToIPC(slice, 'stream'), contentType: ARROW_CONTENT_TYPE };
    // A server without Arrow: the same rows as columnar JSON, value by value.
    const out: Record<string, unknown> = { length: end - start };
    for (const field of slice.schema.fields) {
      const values = [...(slice.getChild(field.name) ?? [])].map((v) => jsonValue(v));
      const dot = field.name.indexOf('.');
      const group = dot > 0 ? field.name.slice(0, dot) : '';
      if ((GROUPS as readonly string[]).includes(group)) {
        namedColumns(out, group)[field.name.slice(dot + 1)] = values;
      } else if ((ROW_FIELDS as readonly string[]).includes(field.name)) {
        out[field.name] = values;
      } else {
        namedColumns(out, 'features')[field.name] = values;
      }
    }
    return { body: JSON.stringify(out), contentType: COLUMNS_CONTENT_TYPE };
  }
}

function jsonValue(value: unknown): unknown {
  if (value === undefined || value === null) return null;
  if (typeof value === 'bigint') {
    const n = Number(value);
    return Number.isSafeInteger(n) ? n : value.toString();
  }
  if (typeof value === 'number' && !Number.isFinite(value)) return null;
  return value;
}

/**
 * Late labels by column (`client.logLabelColumns`): the prediction id of each row, its label,
 * and optionally when it was known (default: the time of the call, as `logLabel` gives it).
 */
export interface LabelColumnsInput {
  id: readonly (string | number | null | undefined)[];
  label: RowField<number | string | boolean>;
  timestamp?: TimestampInput | ColumnValues | readonly (TimestampInput | null | undefined)[];
}

/**
 * Named columns checked and copied once; each row range is then an Arrow body, or NDJSON rows
 * for a server without Arrow. Labels and reference rows are sent this way.
 */
class NamedColumnBatch implements ColumnBatch {
  readonly length: number;
  readonly chars: number;
  readonly #sources: [string, Source][];

  constructor(what: string, columns: [string, unknown, boolean][]) {
    const arrays = columns.filter(([, values]) => isColumn(values));
    if (arrays.length === 0) {
      throw invalid(`${what} needs at least one column with one value per row (an array).`);
    }
    this.length = commonLength(arrays as [string, ArrayLike<unknown>, boolean][]);
    this.#sources = columns.map(([name, values, dates]) => [
      name,
      isColumn(values) ? readColumn(name, values, dates) : readScalar(name, values),
    ]);
    copyNumbers(this.#sources, this.length);
    let chars = 256;
    for (const [name, source] of this.#sources) {
      chars += name.length + 64;
      if (source.kind === 'string')
        for (const s of source.values) chars += s === null ? 5 : (s as string).length * 6 + 3;
      else chars += this.length * (name.length + 28);
    }
    this.chars = chars;
  }

  body(start: number, end: number, arrow: boolean): RawBody {
    if (arrow) return { body: arrowBody(this.#sources, start, end), contentType: ARROW_CONTENT_TYPE };
    return { body: this.#ndjson(start, end), contentType: contentTypes.ndjson };
  }

  /** One JSON object per row, as NDJSON lines; a row's null values are left out. */
  #ndjson(start: number, end: number): string {
    let out = '';
    for (let i = start; i < end; i++) {
      const row: Record<string, unknown> = {};
      for (const [name, source] of this.#sources) {
        const value = valueAt(source, i);
        if (value !== null) row[name] = value;
      }
      out += `${JSON.stringify(row)}\n`;
    }
    return out;
  }
}

function valueAt(source: Source, i: number): string | number | boolean | null {
  switch (source.kind) {
    case 'null':
      return null;
    case 'constant':
      return source.value;
    case 'number': {
      const value = source.values[source.at + i] as number;
      return (source.valid && source.valid[i] === 0) || !Number.isFinite(value) ? null : value;
    }
    default:
      return source.values[i] ?? null;
  }
}

/** Labels by column: sent as Arrow, or as NDJSON to a server without Arrow. */
export class LabelColumnBatch extends NamedColumnBatch {
  constructor(input: LabelColumnsInput, now = new Date()) {
    super('logLabelColumns', labelColumns(input, now));
  }
}

function labelColumns(input: LabelColumnsInput, now: Date): [string, unknown, boolean][] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw invalid('logLabelColumns takes an object of columns: { id: [...], label: [...] }.');
  }
  for (const key of Object.keys(input)) {
    if (key !== 'id' && key !== 'label' && key !== 'timestamp') {
      throw invalid(`Unknown field "${key}"; the columns are id, label, timestamp.`);
    }
  }
  if (!isColumn(input.id)) throw invalid('"id" must be an array with the prediction id of each row.');
  const ids = new Array<string | null>(input.id.length);
  for (let i = 0; i < ids.length; i++) ids[i] = readId(input.id[i], i);
  return [
    ['id', ids, false],
    ['label', input.label, false],
    // The time of the call, as logLabel gives a label without one.
    ['timestamp', input.timestamp ?? now, true],
  ];
}

/**
 * Reference rows by column (`client.logReferenceColumns`), named as the reference upload reads
 * flat rows (the model schema's field names, every other column a feature).
 */
export class ReferenceColumnBatch extends NamedColumnBatch {
  constructor(columns: Record<string, ColumnValues>) {
    super('logReferenceColumns', referenceColumns(columns));
  }
}

function referenceColumns(columns: Record<string, ColumnValues>): [string, unknown, boolean][] {
  if (columns === null || typeof columns !== 'object' || Array.isArray(columns) || isColumn(columns)) {
    throw invalid('logReferenceColumns takes an object of columns by name, e.g. { amount: [12.5, null] }.');
  }
  for (const [name, values] of Object.entries(columns)) {
    if (!isColumn(values)) {
      throw invalid(
        `Column "${name}" is ${describe(values)}; give an array (or typed array) with one value per row.`,
      );
    }
  }
  return Object.entries(columns).map(([name, values]) => [name, values, false]);
}

/** An `apache-arrow` Table sent as it is, sliced into bodies of rows (reference data). */
export class TableBatch implements ColumnBatch {
  readonly length: number;
  readonly chars = Number.POSITIVE_INFINITY;
  readonly #table: Table;

  constructor(table: Table) {
    if (!isArrowTable(table)) throw invalid('Expected an apache-arrow Table.');
    this.#table = table;
    this.length = table.numRows;
  }

  body(start: number, end: number, arrow: boolean): RawBody {
    const slice = start === 0 && end === this.length ? this.#table : this.#table.slice(start, end);
    if (arrow) return { body: tableToIPC(slice, 'stream'), contentType: ARROW_CONTENT_TYPE };
    let out = '';
    for (const row of slice) {
      const flat: Record<string, unknown> = {};
      for (const [name, value] of Object.entries(row?.toJSON() ?? {})) flat[name] = jsonValue(value);
      out += `${JSON.stringify(flat)}\n`;
    }
    return { body: out, contentType: contentTypes.ndjson };
  }
}

export function isArrowTable(value: unknown): value is Table {
  return (
    value !== null &&
    typeof value === 'object' &&
    typeof (value as Partial<Table>).numRows === 'number' &&
    (value as Partial<Table>).schema !== undefined &&
    typeof (value as Partial<Table>).slice === 'function'
  );
}

/**
 * A file read into columns, once: numbers as doubles (NaN for missing), everything else as
 * category codes (-1 for missing) with a dictionary, held in chunks by a `ColumnStore` and loaded
 * back one column at a time as a Float64Array or an Int32Array. A column starts numeric
 * and turns categorical at its first value that is not a number, as the server's schema inference
 * decides (a numeric text such as "12" in JSON counts as a number).
 */
import { CHUNK_VALUES, type ChunkArray, ColumnStore, type StoredChunk } from './column-store.js';

/** What a column holds, as the server's schema inference names it. */
export type ColumnType = 'numeric' | 'boolean' | 'categorical' | 'timestamp' | 'text';

export interface NumericColumn {
  name: string;
  storage: 'numeric';
  values: Float64Array;
  length: number;
}

export interface CategoricalColumn {
  name: string;
  storage: 'categorical';
  /** Code of each row's value in `dictionary`; -1 when missing. */
  codes: Int32Array;
  dictionary: string[];
  length: number;
}

export type Column = NumericColumn | CategoricalColumn;

const BOOLEAN_TEXT = new Set(['true', 'false', 't', 'f', 'yes', 'no']);
const TRUE_TEXT = new Set(['true', 't', 'yes']);
const DATE_LIKE = /^\d{4}-\d{2}-\d{2}/;

/** Whether a cell counts as missing (null, undefined, empty text). */
export function isMissingCell(value: unknown): boolean {
  return value === null || value === undefined || value === '';
}

/** The number a cell holds (a number, a bigint, or numeric text), else undefined. */
export function numberOf(value: unknown): number | undefined {
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string') {
    const text = value.trim();
    if (text === '') return undefined;
    const n = Number(text);
    if (Number.isFinite(n)) return n;
    if (/^[-+]?(inf|infinity|nan)$/i.test(text)) return n;
  }
  return undefined;
}

/** A cell as category text: booleans as `true` / `false`, dates as ISO text. */
export function textOf(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

/**
 * A column as read, its values waiting in a `ColumnStore` (in memory or in its temporary file):
 * `load` brings them back as one array, for the analysis of this column alone.
 */
export interface StoredColumn {
  readonly name: string;
  readonly storage: 'numeric' | 'categorical';
  readonly length: number;
  /** Category text by code (categorical columns; empty for numeric ones). */
  readonly dictionary: readonly string[];
  /**
   * The values as one array; into `buffer` when given and large enough (the caller then owns
   * the result only until it loads into that buffer again).
   */
  load(buffer?: ArrayBuffer): Column;
  /** Frees the values (the column cannot be loaded afterwards). */
  discard(): void;
}

/**
 * Grows column storage as rows arrive, one chunk at a time: each full chunk goes to the store,
 * which keeps it in memory within its budget and on disk beyond it.
 */
export class ColumnBuilder {
  readonly name: string;
  readonly #store: ColumnStore;
  #numeric = true;
  #chunks: StoredChunk[] = [];
  #tail: ChunkArray = new Float64Array(CHUNK_VALUES);
  #tailLength = 0;
  #dictionary: string[] = [];
  #index = new Map<string, number>();
  #length = 0;

  /** Without a store, every value stays in memory. */
  constructor(name: string, store: ColumnStore = new ColumnStore(Number.POSITIVE_INFINITY)) {
    this.name = name;
    this.#store = store;
  }

  get length(): number {
    return this.#length;
  }

  get isNumeric(): boolean {
    return this.#numeric;
  }

  push(value: unknown): void {
    if (this.#numeric) {
      if (isMissingCell(value)) {
        this.pushNumber(Number.NaN);
        return;
      }
      const n = numberOf(value);
      if (n !== undefined) {
        this.pushNumber(n);
        return;
      }
      this.#toCategorical();
    }
    if (this.#tailLength === CHUNK_VALUES) this.#flush();
    this.#tail[this.#tailLength++] = isMissingCell(value) ? -1 : this.#code(textOf(value));
    this.#length++;
  }

  /** Appends a value known to be numeric (NaN for missing); only while the column is numeric. */
  pushNumber(value: number): void {
    if (this.#tailLength === CHUNK_VALUES) this.#flush();
    this.#tail[this.#tailLength++] = value;
    this.#length++;
  }

  #flush(): void {
    const chunk = this.#store.place(this.#tail);
    this.#chunks.push(chunk);
    // A chunk written to disk leaves its array free for the next one: no garbage while reading.
    if (chunk.data !== null)
      this.#tail = this.#numeric ? new Float64Array(CHUNK_VALUES) : new Int32Array(CHUNK_VALUES);
    this.#tailLength = 0;
  }

  #code(text: string): number {
    let code = this.#index.get(text);
    if (code === undefined) {
      code = this.#dictionary.length;
      this.#dictionary.push(text);
      this.#index.set(text, code);
    }
    return code;
  }

  /** The numbers so far become category text (their JavaScript spelling), chunk by chunk. */
  #toCategorical(): void {
    this.#numeric = false;
    const numbers = new Float64Array(CHUNK_VALUES);
    const toCodes = (values: Float64Array, length: number): Int32Array => {
      const codes = new Int32Array(CHUNK_VALUES);
      for (let r = 0; r < length; r++) {
        const v = values[r]!;
        codes[r] = Number.isNaN(v) ? -1 : this.#code(String(v));
      }
      return codes;
    };
    const chunks = this.#chunks;
    this.#chunks = [];
    for (const chunk of chunks) {
      this.#store.read(chunk, numbers, 0);
      this.#store.release(chunk);
      this.#chunks.push(this.#store.place(toCodes(numbers, chunk.length)));
    }
    this.#tail = toCodes(this.#tail as Float64Array, this.#tailLength);
  }

  /** The column as read; the builder is done. */
  finish(): StoredColumn {
    if (this.#tailLength > 0) {
      // The partial last chunk, trimmed so it holds no more than its values.
      this.#chunks.push(this.#store.place(this.#tail.slice(0, this.#tailLength)));
    }
    this.#tail = new Float64Array(0);
    this.#tailLength = 0;
    const store = this.#store;
    const chunks = this.#chunks;
    const { name } = this;
    const length = this.#length;
    const numeric = this.#numeric;
    const dictionary = this.#dictionary;
    this.#index = new Map();
    let discarded = false;
    return {
      name,
      storage: numeric ? 'numeric' : 'categorical',
      length,
      dictionary: numeric ? [] : dictionary,
      load(buffer?: ArrayBuffer): Column {
        if (discarded) throw new Error(`column '${name}' was discarded`);
        const type = numeric ? Float64Array : Int32Array;
        const values =
          buffer && buffer.byteLength >= length * type.BYTES_PER_ELEMENT
            ? new type(buffer, 0, length)
            : new type(length);
        let at = 0;
        for (const chunk of chunks) {
          store.read(chunk, values, at);
          at += chunk.length;
        }
        return numeric
          ? { name, storage: 'numeric', values: values as Float64Array, length }
          : { name, storage: 'categorical', codes: values as Int32Array, dictionary, length };
      },
      discard(): void {
        discarded = true;
        for (const chunk of chunks) store.release(chunk);
        chunks.length = 0;
      },
    };
  }

  /** The column as read, in memory; the builder is done. */
  build(): Column {
    return this.finish().load();
  }
}

/**
 * The column's type as the server infers it from reference data: numeric when every present
 * value is a number; boolean when every one is true/false/t/f/yes/no; timestamp when every one is
 * a date; free text when mostly long, mostly unique phrases; categorical otherwise.
 */
export function inferColumnType(column: Column): ColumnType {
  if (column.storage === 'numeric') {
    for (let i = 0; i < column.length; i++) if (!Number.isNaN(column.values[i]!)) return 'numeric';
    return 'categorical';
  }
  const present = new Float64Array(column.dictionary.length);
  let rows = 0;
  for (let i = 0; i < column.length; i++) {
    const code = column.codes[i]!;
    if (code >= 0) {
      present[code]!++;
      rows++;
    }
  }
  if (rows === 0) return 'categorical';
  let boolean = 0;
  let timestamp = 0;
  let longText = 0;
  column.dictionary.forEach((value, code) => {
    const n = present[code]!;
    const text = value.trim();
    if (BOOLEAN_TEXT.has(text.toLowerCase())) boolean += n;
    else if (DATE_LIKE.test(text) && !Number.isNaN(Date.parse(text))) timestamp += n;
    if (text.length > 40 && text.includes(' ')) longText += n;
  });
  if (boolean === rows) return 'boolean';
  if (timestamp === rows) return 'timestamp';
  if (longText > rows / 2 && column.dictionary.length > rows / 2) return 'text';
  return 'categorical';
}

/** A boolean column's dictionary spelled as the server stores booleans (`true` / `false`). */
export function normalizeBoolean(column: CategoricalColumn): CategoricalColumn {
  const spelled = column.dictionary.map((v) => (TRUE_TEXT.has(v.trim().toLowerCase()) ? 'true' : 'false'));
  const dictionary = ['false', 'true'];
  const codes = new Int32Array(column.length);
  for (let i = 0; i < column.length; i++) {
    const code = column.codes[i]!;
    codes[i] = code < 0 ? -1 : spelled[code] === 'true' ? 1 : 0;
  }
  return { ...column, codes, dictionary };
}

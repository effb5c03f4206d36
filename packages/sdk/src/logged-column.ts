/**
 * One column of a batch of logged records, filled a value at a time as records are logged and
 * kept in the form its Arrow column is built from in one pass: numbers in an array of numbers
 * only (which V8 holds unboxed), strings as codes into a dictionary built as they come (a
 * repeated category costs a map lookup, and its size in a JSON body is measured once). A column
 * whose values mix kinds, or holds booleans or objects, keeps the values as they are and goes
 * through the generic encoder (`arrow.ts`), as before.
 */
import type { Data } from 'apache-arrow';
import { column as arrowColumn, dictionaryColumn, strings } from './arrow.js';
import { type Cell, cell, size } from './cells.js';
import { Doubles, type IpcColumn } from './ipc-writer.js';

const EMPTY = 0; // every value so far null
const NUMBERS = 1;
const CODES = 2; // strings as dictionary codes
const CELLS = 3; // anything else, as the values themselves

/** Beyond this many distinct strings, and a quarter of the rows, a column stops keeping a dictionary. */
const FEW = 64;

export class LoggedColumn {
  length: number;
  #kind = EMPTY;
  /**
   * NUMBERS: the values, 0 where null. A plain array of numbers only holds them unboxed, on
   * V8's heap: typed arrays would be memory outside it, and a client holding many batches of
   * them at once (a burst of `log` calls) makes the garbage collector run full collections.
   */
  #numbers: number[] = [];
  /** NUMBERS and CODES: the rows that are null, in order (mostly none). */
  #nulls: number[] = [];
  /** CODES: an index into `#entries` per row, -1 where null. */
  #codes: number[] = [];
  #entries: string[] = [];
  #index = new Map<string, number>();
  /** The size in a JSON body of each entry, so a repeated string is measured once. */
  #sizes: number[] = [];
  /** CELLS: the values, null where absent. */
  #cells: Cell[] = [];

  /** A column of `nulls` rows, all null (a name first seen after them). */
  constructor(nulls = 0) {
    this.length = nulls;
  }

  /**
   * Appends `value` (copied as it will be sent, see `cell`) and returns an upper bound of its
   * size in a JSON body; throws a `VigilRecordError` for a value that cannot be sent.
   */
  push(value: unknown): number {
    if (typeof value === 'number') {
      if (this.#kind === NUMBERS || (this.#kind === EMPTY && this.#become(NUMBERS))) {
        this.#numbers.push(value);
        this.length++;
        return 25;
      }
    } else if (typeof value === 'string') {
      if (this.#kind === CODES || (this.#kind === EMPTY && this.#become(CODES))) {
        let code = this.#index.get(value);
        if (code === undefined) {
          code = this.#entries.length;
          if (code >= FEW && code > this.length >> 2) {
            this.#become(CELLS);
            return this.#pushCell(value);
          }
          this.#index.set(value, code);
          this.#entries.push(value);
          this.#sizes.push(size(value));
        }
        this.#codes.push(code);
        this.length++;
        return this.#sizes[code]!;
      }
    } else if (value === null || value === undefined) {
      return this.#pushNull();
    }
    if (this.#kind !== CELLS) this.#become(CELLS);
    return this.#pushCell(value);
  }

  #pushCell(value: unknown): number {
    const chars = size(value);
    const copy = cell(value);
    if (copy === null) return this.#pushNull();
    this.#cells.push(copy);
    this.length++;
    return chars;
  }

  #pushNull(): number {
    switch (this.#kind) {
      case NUMBERS:
        this.#nulls.push(this.length);
        this.#numbers.push(0);
        break;
      case CODES:
        this.#nulls.push(this.length);
        this.#codes.push(-1);
        break;
      case CELLS:
        this.#cells.push(null);
        break;
    }
    this.length++;
    return 5;
  }

  /** Changes the column's form, keeping its values; returns true for use in conditions. */
  #become(kind: number): boolean {
    const length = this.length;
    if (kind === CELLS) this.#cells = this.cells(0, length);
    else {
      // The leading nulls of a column that was empty.
      for (let i = 0; i < length; i++) this.#nulls.push(i);
      if (kind === NUMBERS) this.#numbers = new Array<number>(length).fill(0);
      else this.#codes = new Array<number>(length).fill(-1);
    }
    this.#kind = kind;
    if (kind === CELLS) {
      this.#numbers = [];
      this.#nulls = [];
      this.#codes = [];
      this.#index = new Map();
      this.#entries = [];
      this.#sizes = [];
    }
    return true;
  }

  /** Drops the rows from `length` on. */
  truncate(length: number): void {
    if (length >= this.length) return;
    this.#cells.length = Math.min(this.#cells.length, length);
    this.#numbers.length = Math.min(this.#numbers.length, length);
    this.#codes.length = Math.min(this.#codes.length, length);
    while (this.#nulls.length > 0 && this.#nulls[this.#nulls.length - 1]! >= length) this.#nulls.pop();
    // Dictionary entries of dropped rows stay: an unused entry is never sent (see `arrow`).
    this.length = length;
  }

  /** Rows `start..end` as the values they were logged as, null where absent. */
  cells(start: number, end: number): Cell[] {
    const out = new Array<Cell>(end - start);
    if (this.#kind === NUMBERS) {
      for (let i = start; i < end; i++) out[i - start] = this.#numbers[i]!;
      for (const row of this.#nulls) if (row >= start && row < end) out[row - start] = null;
      return out;
    }
    for (let i = start; i < end; i++) {
      switch (this.#kind) {
        case CODES: {
          const code = this.#codes[i]!;
          out[i - start] = code < 0 ? null : this.#entries[code]!;
          break;
        }
        case CELLS:
          out[i - start] = this.#cells[i]!;
          break;
        default:
          out[i - start] = null;
      }
    }
    return out;
  }

  /**
   * Rows `start..end` as Arrow data: null when every value is null, undefined when the values
   * have no Arrow type (kinds mixed, objects).
   */
  arrow(start: number, end: number): IpcColumn | null | undefined {
    const n = end - start;
    if (this.#kind === NUMBERS) {
      const bits = this.#validity(start, end);
      if (bits.nulls === n) return null;
      // Written into the body from the array of numbers, with no typed array between.
      return new Doubles(this.#numbers, start, n, bits.nulls, bits.bitmap);
    }
    if (this.#kind === CODES) return this.#dictionary(start, end);
    return this.#kind === EMPTY ? null : arrowColumn(this.#cells, start, end);
  }

  /** Strings as a dictionary of the entries the rows use, or as UTF-8 when few repeat. */
  #dictionary(start: number, end: number): Data | null {
    const n = end - start;
    const codes = this.#codes;
    const used = new Int32Array(this.#entries.length).fill(-1);
    const entries: string[] = [];
    const indices = new Int32Array(n);
    let nulls = 0;
    for (let i = start; i < end; i++) {
      const code = codes[i]!;
      if (code < 0) {
        nulls++;
        continue;
      }
      let k = used[code]!;
      if (k < 0) {
        k = entries.length;
        used[code] = k;
        entries.push(this.#entries[code]!);
      }
      indices[i - start] = k;
    }
    if (nulls === n) return null;
    // As `strings` decides: a dictionary only when it holds at most a quarter of the rows.
    if (entries.length > n >> 2) return strings(this.cells(start, end), 0, n)!;
    return dictionaryColumn(entries, indices, nulls, this.#validity(start, end).bitmap);
  }

  /** The validity bitmap of rows `start..end` (bit set = value present, padded to 8 bytes), or null when none is null. */
  #validity(start: number, end: number): { bitmap: Uint8Array | null; nulls: number } {
    const n = end - start;
    let nulls = 0;
    for (const row of this.#nulls) if (row >= start && row < end) nulls++;
    if (nulls === 0) return { bitmap: null, nulls };
    const bits = new Uint8Array(((n + 63) >> 6) << 3).fill(255);
    for (const row of this.#nulls) {
      if (row >= start && row < end) bits[(row - start) >> 3]! &= ~(1 << ((row - start) & 7));
    }
    return { bitmap: bits, nulls };
  }
}

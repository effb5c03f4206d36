/**
 * A file read into columns, once: numbers into a Float64Array (NaN for missing), everything else
 * into category codes (an Int32Array, -1 for missing) with a dictionary. A column starts numeric
 * and turns categorical at its first value that is not a number, as the server's schema inference
 * decides (a numeric text such as "12" in JSON counts as a number).
 */

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

/** Grows column storage as rows arrive. */
export class ColumnBuilder {
  readonly name: string;
  #numeric: Float64Array | null = new Float64Array(1024);
  #codes: Int32Array | null = null;
  #dictionary: string[] = [];
  #index = new Map<string, number>();
  #length = 0;

  constructor(name: string) {
    this.name = name;
  }

  get length(): number {
    return this.#length;
  }

  get isNumeric(): boolean {
    return this.#numeric !== null;
  }

  push(value: unknown): void {
    const i = this.#length++;
    if (this.#numeric) {
      if (this.#numeric.length === i) this.#numeric = grow(this.#numeric);
      if (isMissingCell(value)) {
        this.#numeric[i] = Number.NaN;
        return;
      }
      const n = numberOf(value);
      if (n !== undefined) {
        this.#numeric[i] = n;
        return;
      }
      this.#toCategorical(i);
    }
    if (this.#codes!.length === i) this.#codes = growInt(this.#codes!);
    this.#codes![i] = isMissingCell(value) ? -1 : this.#code(textOf(value));
  }

  /** Appends a value known to be numeric (NaN for missing); only while the column is numeric. */
  pushNumber(value: number): void {
    const i = this.#length++;
    if (this.#numeric!.length === i) this.#numeric = grow(this.#numeric!);
    this.#numeric![i] = value;
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

  /** The numbers so far become category text (their JavaScript spelling). */
  #toCategorical(rows: number): void {
    const numbers = this.#numeric!;
    this.#numeric = null;
    const codes = new Int32Array(Math.max(1024, numbers.length));
    for (let r = 0; r < rows; r++) {
      const v = numbers[r]!;
      codes[r] = Number.isNaN(v) ? -1 : this.#code(String(v));
    }
    this.#codes = codes;
  }

  build(): Column {
    if (this.#numeric) {
      return {
        name: this.name,
        storage: 'numeric',
        values: this.#numeric.subarray(0, this.#length),
        length: this.#length,
      };
    }
    return {
      name: this.name,
      storage: 'categorical',
      codes: this.#codes!.subarray(0, this.#length),
      dictionary: this.#dictionary,
      length: this.#length,
    };
  }
}

function grow(values: Float64Array): Float64Array {
  const next = new Float64Array(values.length * 2);
  next.set(values);
  return next;
}

function growInt(values: Int32Array): Int32Array {
  const next = new Int32Array(values.length * 2);
  next.set(values);
  return next;
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

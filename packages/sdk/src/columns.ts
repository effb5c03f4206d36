import { VigilRecordError } from './errors.js';
import type { PredictionInput } from './serialize.js';

/** Content type of predictions sent by column. */
export const COLUMNS_CONTENT_TYPE = 'application/vnd.vigil.columns+json';

type Cell = string | number | boolean | null | object;

/** Characters that JSON escapes: such a string may take up to six times its length on the wire. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: JSON escapes control characters.
const ESCAPED = /["\\\u0000-\u001f\ud800-\udfff]/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function notSerialisable(what: string, cause?: unknown): VigilRecordError {
  return new VigilRecordError('invalid_record', `Record cannot be serialised to JSON: ${what}`, { cause });
}

/**
 * A value as it will be sent, copied at call time: primitives as they are, other values
 * through a JSON round trip (as NDJSON would have written them); `undefined`, functions and
 * symbols, which JSON leaves out, become null (absent).
 */
function cell(value: unknown): Cell {
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return value;
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    case 'bigint':
      throw notSerialisable('a bigint value');
    default: {
      if (value === null) return null;
      let text: string | undefined;
      try {
        text = JSON.stringify(value);
      } catch (error) {
        throw notSerialisable(String(error), error);
      }
      return text === undefined ? null : (JSON.parse(text) as Cell);
    }
  }
}

/** Upper bound of a value's size in the body, comma included, in UTF-16 code units. */
function size(value: unknown): number {
  switch (typeof value) {
    case 'string':
      return ESCAPED.test(value) ? value.length * 6 + 3 : value.length + 3;
    case 'number':
      return 25;
    case 'boolean':
      return 6;
    case 'bigint':
      throw notSerialisable('a bigint value');
    case 'object':
      if (value === null) return 5;
      return (JSON.stringify(cell(value)) ?? 'null').length + 1;
    default:
      return 5;
  }
}

function group(value: unknown, field: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new VigilRecordError('invalid_record', `${field}: expected an object`);
  return value;
}

/** Named columns (features, segments or class scores), padded with null where a row has no value. */
class NamedColumns {
  readonly columns = new Map<string, Cell[]>();
  /**
   * The names of the previous row in its order, and their columns: records of one model mostly
   * list the same names in the same order, so a name costs a comparison instead of a lookup.
   */
  readonly #names: string[] = [];
  readonly #ordered: Cell[][] = [];

  /** Adds row `row` (the count of rows so far) and returns an upper bound of the characters added. */
  add(values: Record<string, unknown> | null, row: number): number {
    let chars = 0;
    let touched = 0;
    if (values !== null) {
      for (const name in values) {
        const value = values[name];
        let column = this.#names[touched] === name ? this.#ordered[touched] : undefined;
        if (column === undefined) {
          column = this.columns.get(name);
          if (column === undefined) {
            column = new Array<Cell>(row).fill(null);
            this.columns.set(name, column);
            chars += name.length * 6 + 6 + row * 5;
          }
          this.#names[touched] = name;
          this.#ordered[touched] = column;
        }
        chars += size(value);
        column.push(cell(value));
        touched++;
      }
    }
    if (touched < this.columns.size) {
      for (const column of this.columns.values()) if (column.length === row) column.push(null);
    }
    return chars;
  }

  /** Drops the rows from `length` on. */
  truncate(length: number): void {
    for (const column of this.columns.values()) if (column.length > length) column.length = length;
  }

  slice(start: number, end: number, whole: boolean): Record<string, Cell[]> | undefined {
    if (this.columns.size === 0) return undefined;
    const out: Record<string, Cell[]> = {};
    for (const [name, column] of this.columns) out[name] = whole ? column : column.slice(start, end);
    return out;
  }
}

/**
 * Predictions of one batch, laid out by column as they are logged: each value is appended
 * to its column, and the body is one `JSON.stringify` of a few arrays. A value absent from
 * a row is null there (the server reads null as absent).
 */
export class PredictionColumns {
  length = 0;
  /** Upper bound of the body's length, in UTF-16 code units. */
  chars = 16;
  readonly #id: Cell[] = [];
  readonly #timestamp: Cell[] = [];
  readonly #version: Cell[] = [];
  readonly #prediction: Cell[] = [];
  readonly #score: Cell[] = [];
  readonly #label: Cell[] = [];
  readonly #scores = new NamedColumns();
  readonly #features = new NamedColumns();
  readonly #segments = new NamedColumns();
  /** Size of each row, to take the last one back. */
  readonly #sizes: number[] = [];

  /**
   * Appends a record, copying what it needs now, and returns an upper bound of its size in
   * the body. A record that cannot be sent throws a {@link VigilRecordError} and adds nothing.
   */
  add(record: PredictionInput, id: unknown): number {
    const row = this.length;
    try {
      const timestamp = record.timestamp;
      let chars = size(id) + size(record.version) + size(record.prediction) + size(record.score);
      chars += size(record.label) + 30;
      this.#id.push(cell(id));
      this.#timestamp.push(
        timestamp === undefined
          ? new Date().toISOString()
          : timestamp instanceof Date
            ? timestamp.toISOString()
            : cell(timestamp),
      );
      this.#version.push(cell(record.version));
      this.#prediction.push(cell(record.prediction));
      this.#score.push(cell(record.score));
      this.#label.push(cell(record.label));
      chars += this.#features.add(group(record.features, 'features'), row);
      chars += this.#segments.add(group(record.segments, 'segments'), row);
      chars += this.#scores.add(group(record.scores, 'scores'), row);
      this.chars += chars;
      this.#sizes.push(chars);
      this.length = row + 1;
      return chars;
    } catch (error) {
      this.#truncate(row);
      throw error;
    }
  }

  /** Takes the last record back (to send it in the next batch). */
  removeLast(): void {
    const row = this.length - 1;
    this.chars -= this.#sizes[row] ?? 0;
    this.#truncate(row);
    this.length = row;
  }

  #truncate(length: number): void {
    for (const column of [
      this.#id,
      this.#timestamp,
      this.#version,
      this.#prediction,
      this.#score,
      this.#label,
    ])
      column.length = Math.min(column.length, length);
    this.#features.truncate(length);
    this.#segments.truncate(length);
    this.#scores.truncate(length);
    this.#sizes.length = Math.min(this.#sizes.length, length);
  }

  /**
   * Every column under its Arrow name: the row fields, then `scores.<class>`, `features.<name>`
   * and `segments.<name>` (see the server's Arrow format).
   */
  flatColumns(): [string, Cell[]][] {
    const out: [string, Cell[]][] = [
      ['id', this.#id],
      ['timestamp', this.#timestamp],
      ['version', this.#version],
      ['prediction', this.#prediction],
      ['score', this.#score],
      ['label', this.#label],
    ];
    for (const [group, named] of [
      ['scores', this.#scores],
      ['features', this.#features],
      ['segments', this.#segments],
    ] as const) {
      for (const [name, column] of named.columns) out.push([`${group}.${name}`, column]);
    }
    return out;
  }

  /** The body of rows `start` to `end` (exclusive). */
  body(start = 0, end = this.length): string {
    const whole = start === 0 && end === this.length;
    const out: Record<string, unknown> = { length: end - start };
    const put = (name: string, column: Cell[]) => {
      const first = column[start] ?? null;
      let same = typeof first !== 'object' || first === null;
      for (let i = start + 1; same && i < end; i++) same = column[i] === first;
      if (!same) out[name] = whole ? column : column.slice(start, end);
      else if (first !== null) out[name] = first;
    };
    put('id', this.#id);
    put('timestamp', this.#timestamp);
    put('version', this.#version);
    put('prediction', this.#prediction);
    put('score', this.#score);
    put('label', this.#label);
    const scores = this.#scores.slice(start, end, whole);
    if (scores) out.scores = scores;
    const features = this.#features.slice(start, end, whole);
    if (features) out.features = features;
    const segments = this.#segments.slice(start, end, whole);
    if (segments) out.segments = segments;
    return JSON.stringify(out);
  }
}

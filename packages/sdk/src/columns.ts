import type { Field as ArrowField } from 'apache-arrow';
import { Field } from 'apache-arrow';
import { ipcStream } from './arrow.js';
import { type Cell, isObject } from './cells.js';
import { VigilRecordError } from './errors.js';
import type { IpcColumn } from './ipc-writer.js';
import { LoggedColumn } from './logged-column.js';
import type { PredictionInput } from './serialize.js';

/** Content type of predictions sent by column. */
export const COLUMNS_CONTENT_TYPE = 'application/vnd.vigil.columns+json';

function group(value: unknown, field: string): Record<string, unknown> | null {
  if (value === undefined || value === null) return null;
  if (!isObject(value)) throw new VigilRecordError('invalid_record', `${field}: expected an object`);
  return value;
}

/** Named columns (features, segments or class scores), padded with null where a row has no value. */
class NamedColumns {
  readonly columns = new Map<string, LoggedColumn>();
  /**
   * The names of the previous row in its order, and their columns: records of one model mostly
   * list the same names in the same order, so a name costs a comparison instead of a lookup.
   */
  readonly #names: string[] = [];
  readonly #ordered: LoggedColumn[] = [];

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
            column = new LoggedColumn(row);
            this.columns.set(name, column);
            chars += name.length * 6 + 6 + row * 5;
          }
          this.#names[touched] = name;
          this.#ordered[touched] = column;
        }
        chars += column.push(value);
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
    for (const column of this.columns.values()) column.truncate(length);
  }

  slice(start: number, end: number): Record<string, Cell[]> | undefined {
    if (this.columns.size === 0) return undefined;
    const out: Record<string, Cell[]> = {};
    for (const [name, column] of this.columns) out[name] = column.cells(start, end);
    return out;
  }
}

/**
 * Predictions of one batch, laid out by column as they are logged: each value is appended
 * to its column (numbers unboxed, strings as dictionary codes, see `LoggedColumn`), and the
 * body is an Arrow stream of those columns, or one `JSON.stringify` of a few arrays. A value
 * absent from a row is null there (the server reads null as absent).
 */
export class PredictionColumns {
  length = 0;
  /** Upper bound of the body's length as JSON, in UTF-16 code units. */
  chars = 16;
  readonly #id = new LoggedColumn();
  readonly #timestamp = new LoggedColumn();
  readonly #version = new LoggedColumn();
  readonly #prediction = new LoggedColumn();
  readonly #score = new LoggedColumn();
  readonly #label = new LoggedColumn();
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
      let chars = this.#id.push(id) + this.#version.push(record.version);
      chars += this.#prediction.push(record.prediction) + this.#score.push(record.score);
      chars += this.#label.push(record.label) + 30;
      if (timestamp === undefined) this.#timestamp.push(new Date().toISOString());
      else if (timestamp instanceof Date) this.#timestamp.push(timestamp.toISOString());
      else this.#timestamp.push(timestamp);
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
    for (const [, column] of this.#rowColumns()) column.truncate(length);
    this.#features.truncate(length);
    this.#segments.truncate(length);
    this.#scores.truncate(length);
    this.#sizes.length = Math.min(this.#sizes.length, length);
  }

  #rowColumns(): [string, LoggedColumn][] {
    return [
      ['id', this.#id],
      ['timestamp', this.#timestamp],
      ['version', this.#version],
      ['prediction', this.#prediction],
      ['score', this.#score],
      ['label', this.#label],
    ];
  }

  /**
   * Every column under its Arrow name: the row fields, then `scores.<class>`, `features.<name>`
   * and `segments.<name>` (see the server's Arrow format).
   */
  #named(): [string, LoggedColumn][] {
    const out = this.#rowColumns();
    for (const [group, named] of [
      ['scores', this.#scores],
      ['features', this.#features],
      ['segments', this.#segments],
    ] as const) {
      for (const [name, column] of named.columns) out.push([`${group}.${name}`, column]);
    }
    return out;
  }

  /** Every column under its Arrow name, as the values logged (null where absent). */
  flatColumns(): [string, Cell[]][] {
    return this.#named().map(([name, column]) => [name, column.cells(0, this.length)]);
  }

  /**
   * Rows `start` to `end` (exclusive) as one Arrow IPC stream, or null when a column has no
   * Arrow type. Columns that are null in every row are left out (absent and null mean the same).
   */
  arrowStream(start = 0, end = this.length): Uint8Array | null {
    const fields: ArrowField[] = [];
    const children: IpcColumn[] = [];
    for (const [name, column] of this.#named()) {
      const data = column.arrow(start, end);
      if (data === undefined) return null;
      if (data === null) continue;
      fields.push(new Field(name, data.type, data.nullCount > 0));
      children.push(data);
    }
    return ipcStream(fields, children, end - start);
  }

  /** The body of rows `start` to `end` (exclusive), as columnar JSON. */
  body(start = 0, end = this.length): string {
    const out: Record<string, unknown> = { length: end - start };
    const put = (name: string, logged: LoggedColumn) => {
      const column = logged.cells(start, end);
      const first = column[0] ?? null;
      let same = typeof first !== 'object' || first === null;
      for (let i = 1; same && i < column.length; i++) same = column[i] === first;
      if (!same) out[name] = column;
      else if (first !== null) out[name] = first;
    };
    put('id', this.#id);
    put('timestamp', this.#timestamp);
    put('version', this.#version);
    put('prediction', this.#prediction);
    put('score', this.#score);
    put('label', this.#label);
    const scores = this.#scores.slice(start, end);
    if (scores) out.scores = scores;
    const features = this.#features.slice(start, end);
    if (features) out.features = features;
    const segments = this.#segments.slice(start, end);
    if (segments) out.segments = segments;
    return JSON.stringify(out);
  }
}

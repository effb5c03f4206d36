/**
 * NDJSON straight from the file's bytes into columns. A line that is a flat object with the same
 * keys in the same order as the line before it (the usual shape of a log or an export), whose
 * values are JSON numbers, strings without escapes, true, false or null, is read from its bytes:
 * numbers by the decimal reader (the double `JSON.parse` gives), repeated strings found by their
 * bytes. Every other line (another shape, escapes, nested values, anything invalid) goes through
 * `JSON.parse`, as `vigil ingest` reads it, with the same messages.
 */
import { CliError } from '../io.js';
import { appendValue, type ColumnsRead, type FirstNonNumeric, type TextColumnReadOptions } from './append.js';
import { ByteInterner } from './byte-interner.js';
import { ColumnBuilder } from './columns.js';
import { scanDecimal } from './decimal.js';
import { parseFileBytes } from './file-bytes.js';

const NEWLINE = 10;
const RETURN = 13;
const SPACE = 32;
const TAB = 9;
const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const COLON = 58;
const OPEN = 123;
const CLOSE = 125;
const MINUS = 45;
const PLUS = 43;
const POINT = 46;
const ZERO = 48;
const NINE = 57;

const NUMBER = 0;
const STRING = 1;
const TRUE = 2;
const FALSE = 3;
const NULL = 4;

const TRUE_BYTES = [116, 114, 117, 101];
const FALSE_BYTES = [102, 97, 108, 115, 101];
const NULL_BYTES = [110, 117, 108, 108];

export async function readNdjsonColumns(path: string, options: TextColumnReadOptions): Promise<ColumnsRead> {
  const file = options.label;
  const keep = options.keep;
  const builders = new Map<string, ColumnBuilder>();
  const firstNonNumeric = new Map<string, FirstNonNumeric>();
  let rows = 0;
  let position = 0;

  // The keys of the last line read through JSON.parse, in order: the shape the fast path expects.
  let shapeKeys: Buffer[] = [];
  let shapeSlots: (ColumnBuilder | null)[] = [];
  let shapeInterners: ByteInterner<string>[] = [];
  /** Whether the shape names every column, so a line of that shape gives each column a value. */
  let shapeComplete = false;

  // The values of the line being read, by key index.
  let kinds = new Uint8Array(16);
  let starts = new Int32Array(16);
  let ends = new Int32Array(16);
  let numbers = new Float64Array(16);

  const builderFor = (name: string): ColumnBuilder | null => {
    if (keep && !keep.has(name)) return null;
    let builder = builders.get(name);
    if (!builder) {
      // A column first seen on this line is missing on the lines before.
      builder = new ColumnBuilder(name, options.store);
      for (let r = 0; r < rows; r++) builder.push(null);
      builders.set(name, builder);
    }
    return builder;
  };

  /** A line through JSON.parse, as the row reader reads it. */
  const readParsed = (bytes: Buffer, start: number, end: number) => {
    const text = bytes.toString('utf8', start, end);
    if (text.trim() === '') return;
    let row: unknown;
    try {
      row = JSON.parse(text);
    } catch (error) {
      throw new CliError(`${file}, line ${position}: invalid JSON (${(error as Error).message})`);
    }
    if (typeof row !== 'object' || row === null || Array.isArray(row))
      throw new CliError(`${file}, line ${position}: expected a JSON object`);
    const record = row as Record<string, unknown>;
    const keys = Object.keys(record);
    const slots = keys.map(builderFor);
    for (const builder of builders.values())
      appendValue(builder, record[builder.name], position, firstNonNumeric);
    rows++;
    shapeKeys = keys.map((key) => Buffer.from(key, 'utf8'));
    shapeSlots = slots;
    shapeInterners = keys.map(() => new ByteInterner<string>());
    shapeComplete = slots.filter((slot) => slot !== null).length === builders.size;
    if (keys.length > kinds.length) {
      kinds = new Uint8Array(keys.length);
      starts = new Int32Array(keys.length);
      ends = new Int32Array(keys.length);
      numbers = new Float64Array(keys.length);
    }
  };

  /** Reads a line of the expected shape from its bytes; false (having appended nothing) otherwise. */
  const readFast = (bytes: Buffer, start: number, end: number): boolean => {
    const count = shapeKeys.length;
    let p = skipSpace(bytes, start, end);
    if (p >= end || bytes[p] !== OPEN || count === 0) return false;
    p = skipSpace(bytes, p + 1, end);
    for (let k = 0; ; k++) {
      // "key"
      if (k >= count || p >= end || bytes[p] !== QUOTE) return false;
      const key = shapeKeys[k]!;
      const keyEnd = p + 1 + key.length;
      if (keyEnd >= end || bytes[keyEnd] !== QUOTE) return false;
      for (let i = 0; i < key.length; i++) if (bytes[p + 1 + i] !== key[i]) return false;
      p = skipSpace(bytes, keyEnd + 1, end);
      if (p >= end || bytes[p] !== COLON) return false;
      p = skipSpace(bytes, p + 1, end);
      if (p >= end) return false;
      // value
      const c = bytes[p]!;
      if (c === QUOTE) {
        let q = p + 1;
        while (q < end) {
          const b = bytes[q]!;
          if (b === QUOTE) break;
          // Escapes and raw control characters are left to JSON.parse.
          if (b === BACKSLASH || b < SPACE) return false;
          q++;
        }
        if (q >= end) return false;
        kinds[k] = STRING;
        starts[k] = p + 1;
        ends[k] = q;
        p = q + 1;
      } else if (c === MINUS || (c >= ZERO && c <= NINE)) {
        const q = jsonNumberEnd(bytes, p, end);
        if (q < 0) return false;
        // Longer numbers than the decimal reader takes: the same double through Number().
        if (scanDecimal(bytes, p, q, numbers, k) !== q) numbers[k] = Number(bytes.toString('latin1', p, q));
        kinds[k] = NUMBER;
        p = q;
      } else if (matches(bytes, p, end, TRUE_BYTES)) {
        kinds[k] = TRUE;
        p += 4;
      } else if (matches(bytes, p, end, FALSE_BYTES)) {
        kinds[k] = FALSE;
        p += 5;
      } else if (matches(bytes, p, end, NULL_BYTES)) {
        kinds[k] = NULL;
        p += 4;
      } else {
        return false;
      }
      p = skipSpace(bytes, p, end);
      if (p >= end) return false;
      if (bytes[p] === COMMA) {
        p = skipSpace(bytes, p + 1, end);
        continue;
      }
      if (bytes[p] !== CLOSE || k !== count - 1) return false;
      if (skipSpace(bytes, p + 1, end) !== end) return false;
      break;
    }
    for (let k = 0; k < count; k++) {
      const builder = shapeSlots[k];
      if (!builder) continue;
      switch (kinds[k]) {
        case NUMBER:
          if (builder.isNumeric) builder.pushNumber(numbers[k]!);
          else builder.push(numbers[k]!);
          break;
        case STRING: {
          if (builder.isNumeric || starts[k] === ends[k]) {
            appendValue(builder, bytes.toString('utf8', starts[k], ends[k]), position, firstNonNumeric);
            break;
          }
          const interner = shapeInterners[k]!;
          let text = interner.lookup(bytes, starts[k]!, ends[k]!);
          if (text === undefined) {
            text = bytes.toString('utf8', starts[k], ends[k]);
            interner.remember(bytes, starts[k]!, ends[k]!, text);
          }
          builder.push(text);
          break;
        }
        case TRUE:
          appendValue(builder, true, position, firstNonNumeric);
          break;
        case FALSE:
          appendValue(builder, false, position, firstNonNumeric);
          break;
        default:
          appendValue(builder, null, position, firstNonNumeric);
      }
    }
    rows++;
    return true;
  };

  const parse = (bytes: Buffer, final: boolean): number => {
    let start = 0;
    const n = bytes.length;
    while (start < n) {
      let newline = bytes.indexOf(NEWLINE, start);
      if (newline === -1) {
        if (!final) break;
        newline = n;
      }
      position++;
      let end = newline;
      if (end > start && bytes[end - 1] === RETURN) end--;
      if (!(shapeComplete && readFast(bytes, start, end))) readParsed(bytes, start, end);
      start = newline + 1;
    }
    return Math.min(start, n);
  };

  await parseFileBytes(
    path,
    {
      label: file,
      gzipped: options.gzipped,
      ...(options.chunkBytes ? { chunkBytes: options.chunkBytes } : {}),
      onChunk: (fraction) => options.onProgress?.(rows, fraction),
    },
    parse,
  );
  return { rows, builders, firstNonNumeric };
}

function skipSpace(bytes: Uint8Array, p: number, end: number): number {
  while (p < end) {
    const c = bytes[p]!;
    if (c !== SPACE && c !== TAB && c !== RETURN) break;
    p++;
  }
  return p;
}

function matches(bytes: Uint8Array, p: number, end: number, word: number[]): boolean {
  if (p + word.length > end) return false;
  for (let i = 0; i < word.length; i++) if (bytes[p + i] !== word[i]) return false;
  return true;
}

/** Where a JSON number starting at `p` ends, by JSON's grammar (no `+`, `.5`, `1.` or leading zeros); -1 if it is not one. */
function jsonNumberEnd(bytes: Uint8Array, p: number, end: number): number {
  if (p < end && bytes[p] === MINUS) p++;
  if (p >= end) return -1;
  if (bytes[p] === ZERO) p++;
  else if (bytes[p]! > ZERO && bytes[p]! <= NINE)
    while (p < end && bytes[p]! >= ZERO && bytes[p]! <= NINE) p++;
  else return -1;
  if (p < end && bytes[p] === POINT) {
    p++;
    const first = p;
    while (p < end && bytes[p]! >= ZERO && bytes[p]! <= NINE) p++;
    if (p === first) return -1;
  }
  if (p < end && (bytes[p] === 101 || bytes[p] === 69)) {
    p++;
    if (p < end && (bytes[p] === PLUS || bytes[p] === MINUS)) p++;
    const first = p;
    while (p < end && bytes[p]! >= ZERO && bytes[p]! <= NINE) p++;
    if (p === first) return -1;
  }
  // A number runs into the next token only through a separator or space.
  if (p < end && bytes[p]! >= ZERO && bytes[p]! <= NINE) return -1;
  return p;
}

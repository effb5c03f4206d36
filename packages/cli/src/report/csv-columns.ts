/**
 * CSV straight from the file's bytes into columns: a streaming RFC 4180 tokenizer (quotes, doubled
 * quotes, separators and line breaks inside quotes, CRLF, a BOM, empty lines skipped) that finds
 * each cell as a byte range and hands it to its column without a row object or, for the usual
 * cells, a string: numbers are parsed from the bytes (decimal.ts, bit-identical to `Number()`),
 * repeated categories are found by their bytes (byte-interner.ts). Cells mean what they mean to
 * `vigil ingest`'s reader (`csvValue`); anything unusual is read through the same text path.
 */
import { csvValue } from '../ingest/mapping.js';
import { CliError } from '../io.js';
import type { ColumnsRead, FirstNonNumeric, TextColumnReadOptions } from './append.js';
import { ByteInterner } from './byte-interner.js';
import { ColumnBuilder, numberOf, textOf } from './columns.js';
import { scanDecimal } from './decimal.js';
import { parseFileBytes } from './file-bytes.js';

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

/** A cell's bytes as they are in the file. */
const PLAIN = 0;
/** A quoted cell without doubled quotes: the bytes between the quotes. */
const QUOTED = 1;
/** A quoted cell with doubled quotes, which become one quote in its text. */
const ESCAPED = 2;
/** A plain decimal in a numeric column, already read into `cellValues` as the cell was found. */
const NUMBER = 3;

export async function readCsvColumns(path: string, options: TextColumnReadOptions): Promise<ColumnsRead> {
  const file = options.label;
  let header: string[] | null = null;
  let slots: (ColumnBuilder | null)[] = [];
  /** 1 where the column is kept and still numeric: its plain cells are read as numbers while found. */
  let numericSlots = new Uint8Array(0);
  let interners: ByteInterner<string>[] = [];
  const builders = new Map<string, ColumnBuilder>();
  const firstNonNumeric = new Map<string, FirstNonNumeric>();
  let rows = 0;
  let line = 1;

  // The current record's cells as byte ranges of the buffer being parsed.
  let cellCount = 0;
  let cellStarts = new Int32Array(64);
  let cellEnds = new Int32Array(64);
  let cellKinds = new Uint8Array(64);
  let cellValues = new Float64Array(64);
  const ensureCell = () => {
    if (cellCount === cellStarts.length) {
      cellStarts = grownInt(cellStarts);
      cellEnds = grownInt(cellEnds);
      const kinds = new Uint8Array(cellKinds.length * 2);
      kinds.set(cellKinds);
      cellKinds = kinds;
      const values = new Float64Array(cellValues.length * 2);
      values.set(cellValues);
      cellValues = values;
    }
  };
  const addCell = (start: number, end: number, kind: number) => {
    cellStarts[cellCount] = start;
    cellEnds[cellCount] = end;
    cellKinds[cellCount] = kind;
    cellCount++;
  };
  const textOfCell = (bytes: Buffer, j: number): string => {
    const text = bytes.toString('utf8', cellStarts[j]!, cellEnds[j]!);
    return cellKinds[j] === ESCAPED ? text.replaceAll('""', '"') : text;
  };

  /** A cell read as text, as the row reader reads it. */
  const pushText = (builder: ColumnBuilder, text: string, position: number) => {
    if (builder.isNumeric) {
      if (text === '') {
        builder.pushNumber(Number.NaN);
        return;
      }
      const n = numberOf(text);
      if (n !== undefined) {
        builder.pushNumber(n);
        return;
      }
      firstNonNumeric.set(builder.name, { position, value: text });
    }
    builder.push(csvValue(text));
  };

  const onRecord = (bytes: Buffer, position: number) => {
    if (header === null) {
      const names: string[] = [];
      for (let j = 0; j < cellCount; j++) names.push(textOfCell(bytes, j));
      header = names;
      const duplicate = names.find((c, i) => names.indexOf(c) !== i);
      if (duplicate !== undefined)
        throw new CliError(`${file}: column '${duplicate}' appears twice in the header`);
      slots = names.map((name) => {
        if (options.keep && !options.keep.has(name)) return null;
        const builder = new ColumnBuilder(name, options.store);
        builders.set(name, builder);
        return builder;
      });
      interners = names.map(() => new ByteInterner<string>());
      numericSlots = Uint8Array.from(slots, (builder) => (builder ? 1 : 0));
      return;
    }
    if (cellCount !== slots.length) {
      throw new CliError(
        `${file}, line ${position}: ${cellCount} fields where the header has ${slots.length}`,
      );
    }
    for (let j = 0; j < cellCount; j++) {
      const builder = slots[j];
      if (!builder) continue;
      if (cellKinds[j] === ESCAPED) {
        pushText(builder, textOfCell(bytes, j), position);
        continue;
      }
      const start = cellStarts[j]!;
      const end = cellEnds[j]!;
      if (builder.isNumeric) {
        if (cellKinds[j] === NUMBER) builder.pushNumber(cellValues[j]!);
        else if (start === end) builder.pushNumber(Number.NaN);
        else {
          // Not a plain short decimal: the text decides.
          pushText(builder, bytes.toString('utf8', start, end), position);
          if (!builder.isNumeric) numericSlots[j] = 0;
        }
        continue;
      }
      if (start === end) {
        builder.push(null);
        continue;
      }
      const interner = interners[j]!;
      let category = interner.lookup(bytes, start, end);
      if (category === undefined) {
        category = textOf(csvValue(bytes.toString('utf8', start, end)));
        interner.remember(bytes, start, end, category);
      }
      builder.push(category);
    }
    rows++;
  };

  /** Parses the complete records of `bytes`; returns where the first incomplete one starts. */
  const parse = (bytes: Buffer, final: boolean): number => {
    let p = 0;
    const n = bytes.length;
    while (p < n) {
      const start = p;
      const startLine = line;
      // Empty lines are skipped.
      if (bytes[p] === NEWLINE) {
        p++;
        line++;
        continue;
      }
      if (bytes[p] === RETURN && p + 1 < n && bytes[p + 1] === NEWLINE) {
        p += 2;
        line++;
        continue;
      }
      cellCount = 0;
      let complete = false;
      let lines = 0;
      for (;;) {
        // One cell from p.
        ensureCell();
        // A numeric column's cell is read as a number while it is found, when it is a plain one:
        // `after` is then where the plain scan below would stop.
        let after = -1;
        if (numericSlots[cellCount] === 1) {
          const stop = scanDecimal(bytes, p, n, cellValues, cellCount);
          if (stop > p) {
            const c = stop < n ? bytes[stop]! : COMMA;
            if (c === COMMA || c === NEWLINE) after = stop;
            else if (c === RETURN && (stop + 1 === n || bytes[stop + 1] === NEWLINE)) after = stop + 1;
            if (after >= 0) addCell(p, stop, NUMBER);
          }
        }
        if (after >= 0) {
          p = after;
        } else if (p < n && bytes[p] === QUOTE) {
          let q = p + 1;
          let closed = false;
          let escaped = false;
          for (;;) {
            const next = bytes.indexOf(QUOTE, q);
            if (next === -1) break;
            if (next + 1 < n && bytes[next + 1] === QUOTE) {
              escaped = true;
              q = next + 2;
              continue;
            }
            if (next + 1 >= n && !final) break;
            q = next + 1;
            closed = true;
            break;
          }
          if (!closed) {
            if (final) throw new CliError(`${file}, line ${startLine}: a quoted field is not closed`);
            line = startLine;
            return start;
          }
          for (let k = bytes.indexOf(NEWLINE, p); k !== -1 && k < q; k = bytes.indexOf(NEWLINE, k + 1))
            lines++;
          addCell(p + 1, q - 1, escaped ? ESCAPED : QUOTED);
          p = q;
        } else {
          let q = p;
          while (q < n) {
            const c = bytes[q]!;
            if (c === COMMA || c === NEWLINE) break;
            q++;
          }
          let end = q;
          if (end > p && bytes[end - 1] === RETURN && (q === n || bytes[q] === NEWLINE)) end--;
          addCell(p, end, PLAIN);
          p = q;
        }
        if (p >= n) {
          if (!final) {
            line = startLine;
            return start;
          }
          complete = true;
          break;
        }
        const c = bytes[p]!;
        if (c === COMMA) {
          p++;
          continue;
        }
        if (c === RETURN && p + 1 < n && bytes[p + 1] === NEWLINE) p++;
        if (bytes[p] === NEWLINE) {
          p++;
          lines++;
          complete = true;
          break;
        }
        if (c === RETURN && p + 1 >= n && !final) {
          line = startLine;
          return start;
        }
        if (c === RETURN) {
          p++;
          complete = true;
          break;
        }
        throw new CliError(`${file}, line ${startLine}: unexpected character after a quoted field`);
      }
      if (complete) {
        onRecord(bytes, startLine);
        line = startLine + lines;
      }
    }
    return p;
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
  if (header === null) throw new CliError(`${file} is empty: a CSV file needs a header line`);
  return { rows, builders, firstNonNumeric };
}

function grownInt(values: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const next = new Int32Array(values.length * 2);
  next.set(values);
  return next;
}

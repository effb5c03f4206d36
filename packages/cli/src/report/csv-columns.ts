/**
 * CSV straight into columns: a streaming RFC 4180 parser (quotes, doubled quotes, separators and
 * line breaks inside quotes, CRLF, a BOM, empty lines skipped) that hands each cell to its column
 * builder, without a row object per record. Cells mean what they mean to `vigil ingest`'s reader
 * (`csvValue`); this path only avoids its per-row allocations, which dominate a report's time.
 */
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createGunzip } from 'node:zlib';
import { csvValue } from '../ingest/mapping.js';
import { CliError } from '../io.js';
import { ColumnBuilder, numberOf } from './columns.js';

export interface CsvColumns {
  rows: number;
  builders: Map<string, ColumnBuilder>;
  firstNonNumeric: Map<string, { position: number; value: string }>;
}

const COMMA = 44;
const QUOTE = 34;
const NEWLINE = 10;
const RETURN = 13;

export async function readCsvColumns(
  path: string,
  options: {
    label: string;
    gzipped: boolean;
    keep?: ReadonlySet<string>;
    onProgress?: (rows: number, fraction: number) => void;
    /** Bytes read at a time (tests use small ones to cut records at every place). */
    chunkBytes?: number;
  },
): Promise<CsvColumns> {
  const file = options.label;
  let size: number;
  try {
    const info = await stat(path);
    if (info.isDirectory()) throw new CliError(`${file} is a directory, not a file`);
    size = info.size;
  } catch (error) {
    if (error instanceof CliError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    throw new CliError(
      code === 'ENOENT' ? `File not found: ${file}` : `Cannot read ${file}: ${(error as Error).message}`,
    );
  }
  const raw = createReadStream(path, { highWaterMark: options.chunkBytes ?? 1 << 20 });
  let bytesRead = 0;
  raw.on('data', (chunk) => {
    bytesRead += chunk.length;
  });
  const stream = options.gzipped ? raw.pipe(createGunzip()) : raw;
  if (options.gzipped) raw.on('error', (error) => stream.destroy(error));

  let header: string[] | null = null;
  let slots: (ColumnBuilder | null)[] = [];
  const builders = new Map<string, ColumnBuilder>();
  const firstNonNumeric = new Map<string, { position: number; value: string }>();
  let rows = 0;
  let line = 1;
  const fields: string[] = [];

  const onRecord = (position: number) => {
    if (header === null) {
      header = fields.slice();
      if (header.length > 0 && header[0]!.charCodeAt(0) === 0xfeff) header[0] = header[0]!.slice(1);
      const duplicate = header.find((c, i) => header!.indexOf(c) !== i);
      if (duplicate !== undefined)
        throw new CliError(`${file}: column '${duplicate}' appears twice in the header`);
      slots = header.map((name) => {
        if (options.keep && !options.keep.has(name)) return null;
        const builder = new ColumnBuilder(name);
        builders.set(name, builder);
        return builder;
      });
      return;
    }
    if (fields.length !== slots.length) {
      throw new CliError(
        `${file}, line ${position}: ${fields.length} fields where the header has ${slots.length}`,
      );
    }
    for (let j = 0; j < slots.length; j++) {
      const builder = slots[j];
      if (!builder) continue;
      const text = fields[j]!;
      if (builder.isNumeric) {
        if (text === '') {
          builder.pushNumber(Number.NaN);
          continue;
        }
        const n = numberOf(text);
        if (n !== undefined) {
          builder.pushNumber(n);
          continue;
        }
        firstNonNumeric.set(builder.name, { position, value: text });
      }
      builder.push(csvValue(text));
    }
    rows++;
  };

  let carry = '';
  const decoder = new TextDecoder('utf-8');
  /** Parses the complete records of `text`; returns where the first incomplete one starts. */
  const parse = (text: string, final: boolean): number => {
    let p = 0;
    const n = text.length;
    while (p < n) {
      const start = p;
      const startLine = line;
      // Empty lines are skipped.
      if (text.charCodeAt(p) === NEWLINE) {
        p++;
        line++;
        continue;
      }
      if (text.charCodeAt(p) === RETURN && p + 1 < n && text.charCodeAt(p + 1) === NEWLINE) {
        p += 2;
        line++;
        continue;
      }
      fields.length = 0;
      let complete = false;
      let lines = 0;
      for (;;) {
        // One field from p.
        if (p < n && text.charCodeAt(p) === QUOTE) {
          let value = '';
          let q = p + 1;
          let closed = false;
          for (;;) {
            const next = text.indexOf('"', q);
            if (next === -1) break;
            value += text.slice(q, next);
            if (next + 1 < n && text.charCodeAt(next + 1) === QUOTE) {
              value += '"';
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
          for (let k = p; k < q; k++) if (text.charCodeAt(k) === NEWLINE) lines++;
          fields.push(value);
          p = q;
        } else {
          let q = p;
          while (q < n) {
            const c = text.charCodeAt(q);
            if (c === COMMA || c === NEWLINE) break;
            q++;
          }
          let end = q;
          if (q < n && text.charCodeAt(q) === NEWLINE && end > p && text.charCodeAt(end - 1) === RETURN)
            end--;
          else if (q === n && end > p && text.charCodeAt(end - 1) === RETURN) end--;
          fields.push(text.slice(p, end));
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
        const c = text.charCodeAt(p);
        if (c === COMMA) {
          p++;
          continue;
        }
        if (c === RETURN && p + 1 < n && text.charCodeAt(p + 1) === NEWLINE) p++;
        if (text.charCodeAt(p) === NEWLINE) {
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
        onRecord(startLine);
        line = startLine + lines;
      }
    }
    return p;
  };

  try {
    for await (const chunk of stream) {
      const text = carry + decoder.decode(chunk as Uint8Array, { stream: true });
      const used = parse(text, false);
      carry = text.slice(used);
      options.onProgress?.(rows, size === 0 ? 1 : bytesRead / size);
    }
    const rest = carry + decoder.decode();
    if (rest.length > 0) parse(rest, true);
  } catch (error) {
    if (error instanceof CliError) throw error;
    throw new CliError(`Cannot read ${file}: ${(error as Error).message}`);
  }
  if (header === null) throw new CliError(`${file} is empty: a CSV file needs a header line`);
  return { rows, builders, firstNonNumeric };
}

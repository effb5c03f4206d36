import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../ingest/sources.js';
import { CliError } from '../io.js';
import { appendValue, type FirstNonNumeric } from './append.js';
import { ColumnBuilder } from './columns.js';
import { readCsvColumns } from './csv-columns.js';
import { readNdjsonColumns } from './ndjson-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-ndjson-columns-'));
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The same file through `vigil ingest`'s row reader (JSON.parse per line), as the report read it before. */
async function viaRowReader(path: string) {
  const source = await openSource({ file: path, format: 'ndjson', gzipped: false });
  const builders = new Map<string, ColumnBuilder>();
  const firstNonNumeric = new Map<string, FirstNonNumeric>();
  let rows = 0;
  for await (const chunk of source.chunks) {
    for (const record of chunk) {
      for (const name in record.row) {
        if (!builders.has(name)) {
          const builder = new ColumnBuilder(name);
          for (let r = 0; r < rows; r++) builder.push(null);
          builders.set(name, builder);
        }
      }
      for (const b of builders.values()) appendValue(b, record.row[b.name], record.position, firstNonNumeric);
      rows++;
    }
  }
  return { rows, columns: [...builders.values()].map((b) => b.build()), firstNonNumeric };
}

async function outcome<T>(read: () => Promise<T>): Promise<T | { error: string }> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof CliError) return { error: error.message };
    throw error;
  }
}

const value = fc.oneof(
  fc.double({ noNaN: true, noDefaultInfinity: true }).map((x) => JSON.stringify(x)),
  fc.integer({ min: -1000, max: 1000 }).map(String),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toExponential()),
  fc.constantFrom('-0', '0.5', '1E3', '1e-7', '12345678901234567890', '1e400', '3.0'),
  fc.constantFrom(
    '"red"',
    '"green"',
    '""',
    '"12"',
    '" 7"',
    '"true"',
    '"a\\"b"',
    '"é"',
    '"\\u00e9"',
    '"x\\ny"',
  ),
  fc.string({ maxLength: 5 }).map((s) => JSON.stringify(s)),
  fc.constantFrom('true', 'false', 'null', '{"x":1}', '[1,2]', '[]'),
  // Not JSON: the row reader's message must come out the same.
  fc.constantFrom('01', '+1', '.5', '1.', '-', 'tru', 'NaN', "'a'"),
);

const line = fc.oneof(
  { weight: 12, arbitrary: fc.constant('shape') },
  {
    weight: 1,
    arbitrary: fc.constantFrom('', '   ', '\t', '[1]', '42', '"text"', 'null', '{', '{"a":1,"a":2}', '{ }'),
  },
);

describe('NDJSON straight into columns', () => {
  it('reads every file as the row reader does, or fails with its message, wherever chunks cut it', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.tuple(
            line,
            fc.shuffledSubarray(['a', 'b', 'c', 'd'], { minLength: 1 }),
            fc.array(value, { minLength: 4, maxLength: 4 }),
            fc.constantFrom(' ', ''),
          ),
          { maxLength: 12 },
        ),
        fc.constantFrom('\n', '\r\n'),
        fc.integer({ min: 1, max: 48 }),
        fc.boolean(),
        async (lines, eol, chunkBytes, stable) => {
          const text = lines
            .map(([kind, keys, values, space], i) => {
              if (kind !== 'shape') return kind;
              // Mostly the same keys in the same order (the fast path), sometimes another shape.
              const shown = stable && i > 0 ? ['a', 'b', 'c', 'd'] : keys;
              return `{${shown.map((k, j) => `"${k}":${space}${values[j]}`).join(`,${space}`)}}`;
            })
            .join(eol);
          const path = join(dir, `f${file++}.ndjson`);
          await writeFile(path, `${text}${eol}`);
          const expected = await outcome(() => viaRowReader(path));
          const actual = await outcome(async () => {
            const read = await readNdjsonColumns(path, { label: path, gzipped: false, chunkBytes });
            return {
              rows: read.rows,
              columns: [...read.builders.values()].map((b) => b.build()),
              firstNonNumeric: read.firstNonNumeric,
            };
          });
          expect(actual).toEqual(expected);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('reads gzip, a byte-order mark, and keeps only the columns asked for', async () => {
    const path = join(dir, 'kept.ndjson.gz');
    await writeFile(
      path,
      gzipSync('\ufeff{"x": 1.5, "y": "a"}\n{"x": 2, "y": "b"}\n\n{"x": null, "y": "a"}\n'),
    );
    const read = await readNdjsonColumns(path, {
      label: 'kept.ndjson.gz',
      gzipped: true,
      keep: new Set(['x']),
      chunkBytes: 5,
    });
    expect(read.rows).toBe(3);
    expect([...read.builders.keys()]).toEqual(['x']);
    const x = read.builders.get('x')!.build();
    expect(x.storage === 'numeric' && [...x.values]).toEqual([1.5, 2, Number.NaN]);
    const bad = join(dir, 'bad.ndjson');
    await writeFile(bad, '{"x": 1}\n{"x": 01}\n');
    await expect(readNdjsonColumns(bad, { label: 'bad.ndjson', gzipped: false })).rejects.toThrow(
      'bad.ndjson, line 2: invalid JSON',
    );
  });
});

describe('NDJSON and CSV files that cannot be read', () => {
  it('say why, as the ingest reader says it', async () => {
    for (const read of [readNdjsonColumns, readCsvColumns]) {
      await expect(read(join(dir, 'nowhere'), { label: 'nowhere', gzipped: false })).rejects.toThrow(
        'File not found: nowhere',
      );
      await expect(read(dir, { label: 'folder', gzipped: false })).rejects.toThrow(
        'folder is a directory, not a file',
      );
      const notGzip = join(dir, 'plain.txt');
      await writeFile(notGzip, 'a\n1\n');
      await expect(read(notGzip, { label: 'plain.gz', gzipped: true })).rejects.toThrow(
        'Cannot read plain.gz:',
      );
    }
  });
});

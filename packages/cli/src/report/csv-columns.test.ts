import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../ingest/sources.js';
import type { Column } from './columns.js';
import { ColumnBuilder } from './columns.js';
import { readCsvColumns } from './csv-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-csv-columns-'));
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The same file through `vigil ingest`'s reader (csv-parse), into columns. */
async function viaIngestReader(path: string): Promise<{ rows: number; columns: Column[] }> {
  const source = await openSource({ file: path, format: 'csv', gzipped: false });
  const builders = (source.columns ?? []).map((name) => new ColumnBuilder(name));
  let rows = 0;
  for await (const chunk of source.chunks) {
    for (const record of chunk) {
      if (record.error) throw new Error(record.error);
      for (const b of builders) b.push(record.row[b.name]);
      rows++;
    }
  }
  return { rows, columns: builders.map((b) => b.build()) };
}

/** A cell as CSV writes it: quoted when it must be, or when the writer quotes everything. */
function quote([cell, always]: [string, boolean]): string {
  return always || /[",\r\n]/.test(cell) || cell.startsWith(' ') ? `"${cell.replaceAll('"', '""')}"` : cell;
}

const cellText = fc.oneof(
  fc.constantFrom(
    '',
    '1',
    '-2.5',
    '1e3',
    '007',
    'true',
    'FALSE',
    'a,b',
    'say "hi"',
    'two\nlines',
    'x\r\ny',
    ' 12',
    '"',
    '""',
    'a\rb',
    'é',
    '日本',
    '1.50',
    '-0',
    '+3',
    '.5',
    '5.',
    '0.000',
    '1e400',
    'Infinity',
    'inf',
    'NaN',
    '123456789012345678',
    'red',
    'green',
    'Red',
  ),
  fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
  fc.string({ maxLength: 6 }),
  fc.double().map((x) => x.toExponential()),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(3)),
);
const cell = fc.tuple(cellText, fc.boolean());

describe('CSV straight into columns', () => {
  it('reads every file as the ingest reader does, wherever the chunks cut it', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc
          .integer({ min: 1, max: 4 })
          .chain((width) =>
            fc.tuple(
              fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 12 }),
              fc.constant(width),
              fc.constantFrom('\n', '\r\n'),
              fc.integer({ min: 1, max: 64 }),
              fc.boolean(),
            ),
          ),
        async ([rows, width, eol, chunkBytes, bom]) => {
          const header = Array.from({ length: width }, (_, j) => `c${j}`);
          const lines = [header.join(','), ...rows.map((r) => r.map(quote).join(','))];
          const text = `${bom ? '\ufeff' : ''}${lines.join(eol)}${eol}`;
          const path = join(dir, `f${file++}.csv`);
          await writeFile(path, text);
          const expected = await viaIngestReader(path);
          const actual = await readCsvColumns(path, { label: 'f.csv', gzipped: false, chunkBytes });
          expect(actual.rows).toBe(expected.rows);
          expect([...actual.builders.values()].map((b) => b.build())).toEqual(expected.columns);
        },
      ),
      { numRuns: 150 },
    );
  });

  it('skips empty lines, counts lines across quoted line breaks, and names a short row by its line', async () => {
    const path = join(dir, 'short.csv');
    await writeFile(path, 'a,b\n1,"x\ny"\n\n2,z\n3\n');
    await expect(readCsvColumns(path, { label: 'short.csv', gzipped: false, chunkBytes: 3 })).rejects.toThrow(
      'short.csv, line 6: 1 fields where the header has 2',
    );
    const empty = join(dir, 'empty.csv');
    await writeFile(empty, '');
    await expect(readCsvColumns(empty, { label: 'empty.csv', gzipped: false })).rejects.toThrow(
      'empty.csv is empty: a CSV file needs a header line',
    );
    const open = join(dir, 'open.csv');
    await writeFile(open, 'a\n"never closed\n');
    await expect(readCsvColumns(open, { label: 'open.csv', gzipped: false })).rejects.toThrow(
      'open.csv, line 2: a quoted field is not closed',
    );
  });

  it('reads gzip streams, and turns a column categorical at its first non-number, naming where', async () => {
    const text = '\ufeffx,y\r\n1.5,a\r\n"2",b\r\n"3,5",a\r\n,"a""b"\r\n4e1,b\r\n';
    const path = join(dir, 'mixed.csv.gz');
    await writeFile(path, gzipSync(text));
    const read = await readCsvColumns(path, { label: 'mixed.csv.gz', gzipped: true, chunkBytes: 7 });
    expect(read.rows).toBe(5);
    expect(read.firstNonNumeric.get('x')).toEqual({ position: 4, value: '3,5' });
    expect(read.firstNonNumeric.has('y')).toBe(true);
    const x = read.builders.get('x')!.build();
    const y = read.builders.get('y')!.build();
    expect(x.storage === 'categorical' && [...x.codes].map((c) => (c < 0 ? null : x.dictionary[c]))).toEqual([
      '1.5',
      '2',
      '3,5',
      null,
      '40',
    ]);
    expect(y.storage === 'categorical' && [...y.codes].map((c) => y.dictionary[c])).toEqual([
      'a',
      'b',
      'a',
      'a"b',
      'b',
    ]);
  });
});

import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { openSource } from '../ingest/sources.js';
import { appendValue, type FirstNonNumeric } from './append.js';
import { type Column, ColumnBuilder } from './columns.js';
import { readParquetColumns } from './parquet-columns.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-parquet-columns-'));
afterAll(async () => rm(dir, { recursive: true, force: true }));

/** The same file through `vigil ingest`'s row reader, a row object at a time. */
async function viaRowReader(path: string) {
  const source = await openSource({ file: path, format: 'parquet', gzipped: false });
  const builders = (source.columns ?? []).map((name) => new ColumnBuilder(name));
  const firstNonNumeric = new Map<string, FirstNonNumeric>();
  let rows = 0;
  for await (const chunk of source.chunks) {
    for (const record of chunk) {
      for (const b of builders) appendValue(b, record.row[b.name], record.position, firstNonNumeric);
      rows++;
    }
  }
  return { rows, columns: builders.map((b) => b.build()), firstNonNumeric };
}

/** Writes `select` (a DuckDB query) to a Parquet file with row groups of `groupRows` rows. */
async function parquetOf(select: string, groupRows: number, name: string): Promise<string> {
  const path = join(dir, name);
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(
    `COPY (${select}) TO '${path.replaceAll("'", "''")}' (FORMAT parquet, ROW_GROUP_SIZE ${groupRows})`,
  );
  connection.closeSync();
  instance.closeSync();
  return path;
}

const sqlText = (text: string) => `'${text.replaceAll("'", "''")}'`;

describe('Parquet straight into columns', () => {
  it('reads every column as the row reader does, across row groups and types', async () => {
    let file = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 1, max: 4500 }),
        fc.integer({ min: 0, max: 4500 }),
        fc.array(fc.option(fc.constantFrom('a', 'b', '7', '1.5', 'true', '', ' 3'), { nil: null }), {
          minLength: 1,
          maxLength: 8,
        }),
        async (rows, turn, texts) => {
          const labels = `[${texts.map((t) => (t === null ? 'NULL' : sqlText(t))).join(', ')}]`;
          // Row groups of 2,048 rows (DuckDB's smallest), so larger files have several.
          const path = await parquetOf(
            `SELECT range AS id,
                    CASE WHEN range % 3 = 0 THEN NULL ELSE range * 0.25 - 3 END AS x,
                    (range * 1000000007)::BIGINT AS big,
                    range % 2 = 0 AS flag,
                    ${labels}[range % ${texts.length} + 1] AS label,
                    CASE WHEN range < ${turn} THEN (range / 4)::VARCHAR ELSE 'late' END AS turns,
                    DATE '2026-01-01' + range::INTEGER AS day,
                    range::REAL / 3 AS ratio
             FROM range(${rows})`,
            2048,
            `f${file++}.parquet`,
          );
          const expected = await viaRowReader(path);
          const actual = await readParquetColumns(path, { label: 'f.parquet' });
          expect(actual.rows).toBe(expected.rows);
          const built: Column[] = [...actual.builders.values()].map((b) => b.build());
          expect(built).toEqual(expected.columns);
          expect(actual.firstNonNumeric).toEqual(expected.firstNonNumeric);
        },
      ),
      { numRuns: 6 },
    );
  });

  it('reads only the columns asked for, and names an unreadable file', async () => {
    const path = await parquetOf('SELECT range AS a, range * 2 AS b FROM range(10)', 4, 'keep.parquet');
    const read = await readParquetColumns(path, { label: 'keep.parquet', keep: new Set(['b']) });
    expect([...read.builders.keys()]).toEqual(['b']);
    const b = read.builders.get('b')!.build();
    expect(b.storage === 'numeric' && [...b.values]).toEqual([0, 2, 4, 6, 8, 10, 12, 14, 16, 18]);
    const csv = join(dir, 'not.parquet');
    await writeFile(csv, 'a,b\n1,2\n');
    await expect(readParquetColumns(csv, { label: 'not.parquet' })).rejects.toThrow(
      'not.parquet is not a readable Parquet file',
    );
    await expect(
      readParquetColumns(join(dir, 'missing.parquet'), { label: 'missing.parquet' }),
    ).rejects.toThrow('File not found: missing.parquet');
  });
});

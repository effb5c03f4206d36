import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { csvValue } from './mapping.js';
import { openSource, rowId, type SourceRecord } from './sources.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-sources-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function collect(chunks: AsyncIterable<SourceRecord[]>): Promise<SourceRecord[]> {
  const out: SourceRecord[] = [];
  for await (const chunk of chunks) out.push(...chunk);
  return out;
}

function csvField(value: string): string {
  return /[",\r\n]/.test(value) || value === '' ? `"${value.replaceAll('"', '""')}"` : value;
}

let fileNumber = 0;
async function write(name: string, content: string | Buffer): Promise<string> {
  const file = join(dir, `${fileNumber++}-${name}`);
  await writeFile(file, content);
  return file;
}

describe('CSV source', () => {
  it('reads back any table written with standard quoting, and its raw lines', async () => {
    const cell = fc.string({
      unit: fc.constantFrom('a', 'b', '1', '0', '.', ',', '"', '\n', '\r\n', ' ', 'é'),
    });
    const table = fc
      .uniqueArray(fc.stringMatching(/^[a-z][a-z0-9_]{0,6}$/), { minLength: 1, maxLength: 5 })
      .chain((columns) =>
        fc.tuple(
          fc.constant(columns),
          fc.array(fc.array(cell, { minLength: columns.length, maxLength: columns.length }), {
            maxLength: 8,
          }),
        ),
      );
    await fc.assert(
      fc.asyncProperty(table, fc.boolean(), async ([columns, rows], crlf) => {
        const eol = crlf ? '\r\n' : '\n';
        // A row of one empty cell would be an empty line, which CSV readers skip.
        const kept = rows.filter((row) => !(row.length === 1 && row[0] === ''));
        const body = [columns, ...kept].map((row) => row.map(csvField).join(',')).join(eol) + eol;
        const file = await write('t.csv', body);
        const source = await openSource({ file, format: 'csv', gzipped: false });
        expect(source.columns).toEqual(columns);
        const records = await collect(source.chunks);
        expect(records.map((r) => r.row)).toEqual(
          kept.map((row) => Object.fromEntries(columns.map((c, i) => [c, csvValue(row[i] ?? '')]))),
        );
        expect((source.rawHeader ?? '') + records.map((r) => r.raw).join('')).toBe(body);
        expect(source.progress()).toBe(1);
      }),
      { numRuns: 60 },
    );
  });

  it('reads gzip files, strips a BOM and gives line numbers', async () => {
    const file = await write('t.csv.gz', gzipSync('\uFEFFa,b\n1,"x\ny"\n\n3,4\n'));
    const source = await openSource({ file, format: 'csv', gzipped: true });
    expect(source.columns).toEqual(['a', 'b']);
    const records = await collect(source.chunks);
    expect(records.map((r) => [r.position, r.row])).toEqual([
      [2, { a: 1, b: 'x\ny' }],
      [5, { a: 3, b: 4 }],
    ]);
  });

  it('fails clearly on a missing file and an empty file, and marks a ragged row', async () => {
    await expect(openSource({ file: join(dir, 'nope.csv'), format: 'csv', gzipped: false })).rejects.toThrow(
      /File not found/,
    );
    await expect(
      openSource({ file: await write('e.csv', ''), format: 'csv', gzipped: false }),
    ).rejects.toThrow(/empty/);
    const source = await openSource({
      file: await write('r.csv', 'a,b\n1,2\n3\n'),
      format: 'csv',
      gzipped: false,
    });
    const records = await collect(source.chunks);
    expect(records.map((r) => [r.position, r.error])).toEqual([
      [2, undefined],
      [3, '1 fields where the header has 2'],
    ]);
  });
});

describe('NDJSON, JSON and Parquet sources', () => {
  it('reads NDJSON lines and reports a bad one with its line number', async () => {
    const good = await openSource({
      file: await write('a.ndjson', '{"a":1}\n\n{"a":2}\r\n'),
      format: 'ndjson',
      gzipped: false,
    });
    expect((await collect(good.chunks)).map((r) => [r.position, r.row])).toEqual([
      [1, { a: 1 }],
      [3, { a: 2 }],
    ]);
    const bad = await openSource({
      file: await write('b.ndjson', '{"a":1}\n{oops\n'),
      format: 'ndjson',
      gzipped: false,
    });
    await expect(collect(bad.chunks)).rejects.toThrow(/line 2: invalid JSON/);
  });

  it('reads a JSON array', async () => {
    const source = await openSource({
      file: await write('a.json', '[{"a":1},{"a":2}]'),
      format: 'json',
      gzipped: false,
    });
    expect((await collect(source.chunks)).map((r) => r.row)).toEqual([{ a: 1 }, { a: 2 }]);
    await expect(
      openSource({ file: await write('b.json', '{"a":1}'), format: 'json', gzipped: false }),
    ).rejects.toThrow(/JSON array/);
  });

  it('reads Parquet row groups with their types', async () => {
    const file = new URL('../../test/fixtures/predictions.parquet', import.meta.url).pathname;
    const source = await openSource({ file, format: 'parquet', gzipped: false });
    expect(source.columns).toEqual([
      'id',
      'timestamp',
      'amount',
      'ratio',
      'country',
      'prediction',
      'score',
      'segment_region',
    ]);
    const records = await collect(source.chunks);
    expect(records).toHaveLength(7);
    expect(records[2]?.position).toBe(3);
    expect(records[2]?.row).toMatchObject({
      id: 'p2',
      amount: 20n,
      ratio: 0.5,
      country: null,
      prediction: true,
    });
    expect(records[2]?.row.timestamp).toEqual(new Date('2025-01-01T00:00:02Z'));
    expect(source.progress()).toBe(1);
  });
});

describe('rowId', () => {
  it('is stable for the same file row and differs between rows', () => {
    const a = { row: { x: 1 }, position: 2, raw: 'x\n' };
    expect(rowId('/tmp/a.csv', a)).toBe(rowId('/other/a.csv', { ...a }));
    expect(rowId('/tmp/a.csv', a)).not.toBe(rowId('/tmp/a.csv', { ...a, position: 3 }));
    expect(rowId('/tmp/a.csv', a)).not.toBe(rowId('/tmp/b.csv', a));
    expect(rowId('/tmp/a.parquet', { row: { x: 1n }, position: 1 })).toMatch(/^[0-9a-f]{32}$/);
  });
});

import { DOUBLE, INTEGER, VARCHAR } from '@duckdb/node-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbDatabase, toNumber } from './database.js';
import type { TypedColumns } from './typed-read.js';

let db: DuckDbDatabase;

beforeAll(async () => {
  db = await DuckDbDatabase.open({ path: ':memory:' });
});
afterAll(() => {
  db.close();
});

/** What the generic conversion reads, with nulls of numbers as NaN (as a typed read gives them). */
async function generic(sql: string, names: { numbers: string[]; text: string[] }) {
  const columns = await db.readColumns(sql);
  return {
    numbers: names.numbers.map((name) =>
      (columns[name] ?? []).map((v) => (v === null ? Number.NaN : toNumber(v))),
    ),
    text: names.text.map((name) => columns[name] ?? []),
  };
}

function typed(read: TypedColumns, names: { numbers: string[]; text: string[] }) {
  return {
    numbers: names.numbers.map((name) => [...read.numbers(name)]),
    text: names.text.map((name) => read.text(name)),
  };
}

describe('typed reads', () => {
  it('reads DOUBLE, INTEGER and BIGINT as numbers and VARCHAR as text, nulls as NaN and null', async () => {
    await db.write('CREATE TABLE kinds (d DOUBLE, i INTEGER, b BIGINT, s VARCHAR, n INTEGER)');
    // Text inlined (up to 12 bytes) and not, multi-byte characters, the empty string.
    await db.write(`INSERT INTO kinds VALUES
      (1.5, -7, 9007199254740993, 'a', 1),
      (NULL, NULL, NULL, NULL, 2),
      (-2.25, 2147483647, -9007199254740992, '', 3),
      ('NaN'::DOUBLE, -2147483648, 0, 'abcdefghijkl', 4),
      ('Infinity'::DOUBLE, 0, 42, 'abcdefghijklm', 5),
      (1e-300, 1, 1, 'é😀ｚ', 6),
      (2.5, 2, 2, 'a', 7),
      (3.5, 3, 3, 'a long text that is not inlined: ok', 8)`);
    const read = await db.readTyped('SELECT d, i, b, s FROM kinds ORDER BY n');
    expect(read.rows).toBe(8);
    expect([...read.numbers('d')]).toEqual([1.5, Number.NaN, -2.25, Number.NaN, Infinity, 1e-300, 2.5, 3.5]);
    expect([...read.numbers('i')]).toEqual([-7, Number.NaN, 2147483647, -2147483648, 0, 1, 2, 3]);
    // BIGINT beyond 2^53 rounds as Number() does.
    expect([...read.numbers('b')]).toEqual([9007199254740992, Number.NaN, -9007199254740992, 0, 42, 1, 2, 3]);
    expect(read.text('s')).toEqual([
      'a',
      null,
      '',
      'abcdefghijkl',
      'abcdefghijklm',
      'é😀ｚ',
      'a',
      'a long text that is not inlined: ok',
    ]);
  });

  it('reads results of several chunks in order', async () => {
    const sql = `SELECT range::DOUBLE / 3 AS x,
        CASE WHEN range % 7 = 0 THEN NULL ELSE range END AS k,
        CASE WHEN range % 3 = 0 THEN NULL ELSE 'v' || (range % 5) END AS category,
        'an id long enough ' || range AS id
      FROM range(5000)`;
    const names = { numbers: ['x', 'k'], text: ['category', 'id'] };
    const read = await db.readTyped(sql);
    expect(read.rows).toBe(5000);
    expect(typed(read, names)).toEqual(await generic(sql, names));
  });

  it('reads an empty result as empty columns', async () => {
    const read = await db.readTyped("SELECT 1.5::DOUBLE AS x, 'a' AS s WHERE false");
    expect(read.rows).toBe(0);
    expect(read.numbers('x')).toEqual(new Float64Array(0));
    expect(read.text('s')).toEqual([]);
  });

  it('refuses other types, and columns asked for as what they are not', async () => {
    await expect(db.readTyped('SELECT true AS flag')).rejects.toThrow(/"flag" is BOOLEAN/);
    await expect(db.readTyped("SELECT TIMESTAMP '2026-01-01' AS ts")).rejects.toThrow(/"ts" is TIMESTAMP/);
    const read = await db.readTyped("SELECT 1.5::DOUBLE AS x, 'a' AS s");
    expect(() => read.numbers('s')).toThrow(/No numeric column "s"/);
    expect(() => read.text('x')).toThrow(/No text column "x"/);
    expect(() => read.numbers('missing')).toThrow(/No numeric column "missing"/);
  });

  it('reads any numbers and text as the generic conversion does', async () => {
    await db.write('CREATE TABLE drawn (n INTEGER, d DOUBLE, s VARCHAR)');
    const names = { numbers: ['d'], text: ['s'] };
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.record({
            d: fc.option(fc.double()),
            // Few distinct short values (as categories) and any text.
            s: fc.option(
              fc.oneof(fc.constantFrom('a', 'b', 'é', 'twelve bytes'), fc.string({ unit: 'grapheme' })),
            ),
          }),
          { maxLength: 40 },
        ),
        async (rows) => {
          await db.write('DELETE FROM drawn');
          for (const [n, { d, s }] of rows.entries())
            await db.write('INSERT INTO drawn VALUES ($1, $2, $3)', [n, d, s], [INTEGER, DOUBLE, VARCHAR]);
          const sql = 'SELECT d, s FROM drawn ORDER BY n';
          expect(typed(await db.readTyped(sql), names)).toEqual(await generic(sql, names));
        },
      ),
      { numRuns: 40 },
    );
  });
});

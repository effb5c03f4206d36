/**
 * The extension's `vigil_columns` against the batch scan it replaces (`batch-scan.ts`, the
 * store's path without the extension): random batches of every kind of column, with NULLs,
 * NaN, ±inf, -0, timestamps before 1970 and on half microseconds, empty and multi-byte strings,
 * strings with a NUL inside, dictionaries of one- and two-byte codes and columns of NULLs, over
 * several chunks, give the same rows both ways. And a body that does not add up (cut short anywhere, a code past its
 * dictionary, offsets that shrink, bytes after the last column) is refused with a reason,
 * never read past its end.
 */
import { existsSync } from 'node:fs';
import {
  BOOLEAN,
  blobValueFromBytes,
  DOUBLE,
  type DuckDBConnection,
  DuckDBInstance,
  type DuckDBType,
  ENUM,
  TIMESTAMP,
  VARCHAR,
} from '@duckdb/node-api';
import { createSeededRandom } from '@vigil/stats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BatchScan } from './batch-scan.js';
import type { ColumnData, ColumnSource } from './column-sources.js';
import { columnsBody } from './columns-blob.js';
import { loadNativeBins, NATIVE_BINS_FILE } from './native-bins.js';

const KINDS = ['double', 'timestamp', 'boolean', 'text', 'dictionary', 'null'] as const;
type Kind = (typeof KINDS)[number];

/** A column of `length` random rows of `kind`, and its type in the table. */
function randomSource(
  kind: Kind,
  length: number,
  random: () => number,
): { source: ColumnSource; sql: string } {
  const pick = <T>(xs: readonly T[]) => xs[Math.floor(random() * xs.length)]!;
  const valid = random() < 0.5 ? null : Uint8Array.from({ length }, () => (random() < 0.8 ? 1 : 0));
  switch (kind) {
    case 'double': {
      const special = [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0, 5e-324];
      const values = Float64Array.from({ length }, () =>
        random() < 0.1 ? pick(special) : (random() - 0.5) * 10 ** Math.floor(random() * 30 - 10),
      );
      return { source: { type: DOUBLE, data: { kind, values, valid } }, sql: 'DOUBLE' };
    }
    case 'timestamp': {
      // Whole microseconds from before 1970 to 2100, some on half microseconds (rounded up).
      const micros = Float64Array.from({ length }, () => {
        const whole = Math.floor((random() - 0.3) * 4.1e15);
        return random() < 0.1 ? whole + 0.5 : whole;
      });
      return { source: { type: TIMESTAMP, data: { kind, micros, valid } }, sql: 'TIMESTAMP' };
    }
    case 'boolean': {
      const values = Uint8Array.from({ length }, () => (random() < 0.5 ? 1 : 0));
      return { source: { type: BOOLEAN, data: { kind, values, valid } }, sql: 'BOOLEAN' };
    }
    case 'text': {
      const pieces = [
        '',
        'a',
        'é',
        '日本',
        '🙂',
        'a\u0000b',
        'a much longer string than twelve bytes',
        'x'.repeat(300),
      ];
      const values = Array.from({ length }, (_, i) =>
        valid && valid[i] === 0 ? null : `${pick(pieces)}${Math.floor(random() * 1000)}${pick(pieces)}`,
      );
      return { source: { type: VARCHAR, data: { kind, values, valid } }, sql: 'VARCHAR' };
    }
    case 'dictionary': {
      const size = random() < 0.5 ? 1 + Math.floor(random() * 5) : 300 + Math.floor(random() * 100);
      const names = Array.from({ length: size }, (_, k) =>
        k % 7 === 0 ? `long name number ${k} é` : `n${k}`,
      );
      const wide = size > 255;
      const indices = wide ? new Uint16Array(length) : new Uint8Array(length);
      for (let i = 0; i < length; i++) indices[i] = Math.floor(random() * size);
      return { source: { type: ENUM(names), data: { kind, names, indices, valid } }, sql: 'VARCHAR' };
    }
    case 'null': {
      const [type, sql] = pick<[DuckDBType, string]>([
        [DOUBLE, 'DOUBLE'],
        [TIMESTAMP, 'TIMESTAMP'],
        [BOOLEAN, 'BOOLEAN'],
        [VARCHAR, 'VARCHAR'],
      ]);
      return { source: { type, data: { kind, type } }, sql };
    }
  }
}

/** Every row of `table` as text, in insertion order (NaN, ±inf and -0 kept apart). */
async function rowsOf(connection: DuckDBConnection, table: string): Promise<string[]> {
  const reader = await connection.runAndReadAll(`SELECT * FROM ${table}`);
  return reader.getRows().map((row) =>
    JSON.stringify(row, (_key, value: unknown) => {
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'number' && !Number.isFinite(value)) return String(value);
      if (Object.is(value, -0)) return '-0';
      return value;
    }),
  );
}

describe.skipIf(!existsSync(NATIVE_BINS_FILE))(
  'the extension scan of a laid-out batch (vigil_columns)',
  () => {
    let instance: DuckDBInstance;
    let connection: DuckDBConnection;
    const scan = new BatchScan();
    beforeAll(async () => {
      instance = await DuckDBInstance.create(':memory:', { allow_unsigned_extensions: 'true', threads: '2' });
      connection = await instance.connect();
      expect(await loadNativeBins(connection, true)).toEqual({ loaded: true });
      scan.register(connection);
    });
    afterAll(() => {
      connection?.closeSync();
      instance?.closeSync();
    });

    const readBody = (body: Uint8Array) =>
      connection.runAndReadAll('SELECT count(*) FROM vigil_columns($1)', [blobValueFromBytes(body)]);

    it('stores the same rows as the batch scan, for every kind of column', async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.array(fc.constantFrom(...KINDS), { minLength: 1, maxLength: 8 }),
          fc.oneof(fc.integer({ min: 0, max: 5 }), fc.integer({ min: 2040, max: 4200 })),
          fc.integer(),
          async (kinds, length, seed) => {
            const random = createSeededRandom(seed);
            const columns = kinds.map((kind) => randomSource(kind, length, () => random.uniform()));
            const definition = columns.map((c, i) => `c${i} ${c.sql}`).join(', ');
            await connection.run(`CREATE OR REPLACE TABLE by_scan (${definition})`);
            await connection.run(`CREATE OR REPLACE TABLE by_body (${definition})`);
            const sources = columns.map((c) => c.source);
            await scan.insert(connection, 'by_scan', sources, length);
            await connection.run('INSERT INTO by_body SELECT * FROM vigil_columns($1)', [
              blobValueFromBytes(columnsBody(sources, length)),
            ]);
            expect(await rowsOf(connection, 'by_body')).toEqual(await rowsOf(connection, 'by_scan'));
          },
        ),
        { numRuns: 40 },
      );
    });

    it('refuses a body cut short anywhere, with a reason', async () => {
      const data: ColumnData[] = [
        { kind: 'double', values: new Float64Array([1, 2, 3]), valid: new Uint8Array([1, 0, 1]) },
        { kind: 'text', values: ['x', 'yy', 'zzz'], valid: null },
        { kind: 'dictionary', names: ['a', 'b'], indices: new Uint8Array([0, 1, 1]), valid: null },
      ];
      const body = columnsBody(
        data.map((d) => ({ type: VARCHAR, data: d })),
        3,
      );
      expect((await readBody(body)).getRows()).toEqual([[3n]]);
      // Every cut that loses a byte of data (the last up to 7 bytes are padding to a multiple of 8).
      for (let cut = 0; cut <= body.length - 8; cut += 1) {
        await expect(readBody(body.subarray(0, cut))).rejects.toThrow(/vigil_columns: /);
      }
    });

    it('refuses codes past the dictionary, shrinking offsets, extra bytes and a wrong header', async () => {
      const dictionary = (indices: Uint8Array): ColumnSource => ({
        type: VARCHAR,
        data: { kind: 'dictionary', names: ['a', 'b'], indices, valid: null },
      });
      await expect(readBody(columnsBody([dictionary(new Uint8Array([0, 2]))], 2))).rejects.toThrow(
        /column 0: row 1 has code 2 of a dictionary of 2/,
      );
      // A code past the dictionary on a NULL row is never read.
      const nullRow: ColumnSource = {
        type: VARCHAR,
        data: {
          kind: 'dictionary',
          names: ['a'],
          indices: new Uint8Array([0, 9]),
          valid: new Uint8Array([1, 0]),
        },
      };
      expect((await readBody(columnsBody([nullRow], 2))).getRows()).toEqual([[2n]]);

      const text = columnsBody(
        [{ type: VARCHAR, data: { kind: 'text', values: ['ab', 'c'], valid: null } }],
        2,
      );
      const shrinking = text.slice();
      // Column header at 16, offsets at 24: [0, 2, 3] becomes [0, 4, 3].
      new DataView(shrinking.buffer).setUint32(28, 4, true);
      await expect(readBody(shrinking)).rejects.toThrow(
        /column 0: its string offsets do not start at 0 and grow/,
      );

      const longer = new Uint8Array(text.length + 16);
      longer.set(text);
      await expect(readBody(longer)).rejects.toThrow(/goes on after its last column/);

      const wrongMagic = text.slice();
      wrongMagic[0] = 0;
      await expect(readBody(wrongMagic)).rejects.toThrow(/not a column batch/);
      await expect(readBody(new Uint8Array(0))).rejects.toThrow(/not a column batch/);

      const unknownKind = text.slice();
      unknownKind[16] = 9;
      await expect(readBody(unknownKind)).rejects.toThrow(/column 0: unknown kind 9/);
    });
  },
);

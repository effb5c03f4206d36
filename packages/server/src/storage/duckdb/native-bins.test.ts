/**
 * The binning extension's `vigil_bin_counts` against DuckDB's own `histogram` (what the store
 * falls back to) and a count in JavaScript: the same bins on random data with values on the
 * edges and next to them, NULLs, NaN, ±inf, -0 and values beyond the outer edges, in one group
 * and in many, over several vectors (partial states combined). The store's profiles are compared
 * both ways in store.test.ts (the profile contract run without the extension).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createSeededRandom } from '@vigil/stats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbDatabase } from './database.js';
import { NATIVE_BINS_FILE } from './native-bins.js';
import { nextDown } from './profiles.js';

function hasCompiler(): boolean {
  try {
    execFileSync('cc', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** DuckDB's text for a double, NaN and infinities included (JSON has neither). */
function text(x: number | null): string | null {
  if (x === null) return null;
  if (Number.isNaN(x)) return 'nan';
  if (x === Number.POSITIVE_INFINITY) return 'inf';
  if (x === Number.NEGATIVE_INFINITY) return '-inf';
  return Object.is(x, -0) ? '-0.0' : String(x);
}

/** The bin of each value: how many edges are at or below it (NaN: none). */
function expectedCounts(values: (number | null)[], edges: number[]): number[] {
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const x of values) if (x !== null) counts[edges.filter((e) => e <= x).length]!++;
  return counts;
}

/** DuckDB's histogram map on bounds just below the edges, as the bins of the edges. */
function histogramCounts(map: { key: unknown; value: unknown }[] | null, edges: number[]): number[] {
  const bin = new Map(edges.map((e, k) => [nextDown(e), k]));
  const counts = new Array<number>(edges.length + 1).fill(0);
  for (const { key, value } of map ?? []) {
    const k = key === null || !Number.isFinite(Number(key)) ? edges.length : bin.get(Number(key))!;
    counts[k] = Number(value);
  }
  return counts;
}

describe('DuckDB binning extension (vigil_bin_counts)', () => {
  let db: DuckDbDatabase;
  beforeAll(async () => {
    db = await DuckDbDatabase.open({ path: ':memory:', threads: 2 });
  });
  afterAll(() => db?.close());

  it('is loaded wherever a C compiler exists (scripts/ensure-deps.sh builds it)', () => {
    if (hasCompiler()) expect(db.nativeBins).toEqual({ loaded: true });
    else expect(db.nativeBins.loaded).toBe(false);
  });

  it.skipIf(!existsSync(NATIVE_BINS_FILE))(
    'counts exactly as DuckDB histogram on bounds below the edges, in one group and in many',
    async () => {
      const edgeValue = fc.oneof(
        fc.integer({ min: -5, max: 5 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(edgeValue, { minLength: 1, maxLength: 20, comparator: (a, b) => a === b }),
          fc.integer({ min: 0, max: 6000 }),
          fc.integer(),
          async (unsorted, size, seed) => {
            const edges = [...unsorted].sort((a, b) => a - b);
            const random = createSeededRandom(seed);
            const pick = <T>(xs: T[]) => xs[Math.floor(random.uniform() * xs.length)]!;
            const special = [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];
            const values = Array.from({ length: size }, () => {
              const e = pick(edges);
              switch (Math.floor(random.uniform() * 6)) {
                case 0:
                  return e;
                case 1:
                  return nextDown(e);
                case 2:
                  return -nextDown(-e);
                case 3:
                  return pick(special);
                case 4:
                  return (random.uniform() - 0.5) * 1e9;
                default:
                  return edges[0]! + random.uniform() * (edges.at(-1)! - edges[0]! + 1);
              }
            });
            const groups = values.map(() => Math.floor(random.uniform() * 3));
            await db.write(
              `CREATE OR REPLACE TABLE bins_test AS SELECT unnest(CAST($1 AS VARCHAR[]))::DOUBLE AS x,
                 unnest(CAST($2 AS INTEGER[])) AS g`,
              [JSON.stringify(values.map(text)), JSON.stringify(groups)],
            );
            const params = [JSON.stringify(edges), JSON.stringify(edges.map(nextDown))];
            const counts = `vigil_bin_counts(x, CAST($1 AS DOUBLE[])) AS c, histogram(x, CAST($2 AS DOUBLE[])) AS h`;
            const [all] = await db.read(`SELECT ${counts} FROM bins_test`, params);
            const expected = expectedCounts(values, edges);
            expect(histogramCounts(all!.h as never, edges)).toEqual(expected);
            // No rows at all: NULL, as `histogram` (read as no counts).
            if (size === 0) expect(all!.c).toBeNull();
            else expect((all!.c as unknown[]).map(Number)).toEqual(expected);

            const grouped = await db.read(`SELECT g, ${counts} FROM bins_test GROUP BY g ORDER BY g`, params);
            for (const row of grouped) {
              const own = values.filter((_, i) => groups[i] === row.g);
              const expectedOwn = expectedCounts(own, edges);
              expect(histogramCounts(row.h as never, edges)).toEqual(expectedOwn);
              expect((row.c as unknown[]).map(Number)).toEqual(expectedOwn);
            }
          },
        ),
        { numRuns: 40 },
      );
    },
    120_000,
  );

  it.skipIf(!existsSync(NATIVE_BINS_FILE))('refuses edges that differ between rows', async () => {
    await expect(db.read(`SELECT vigil_bin_counts(x, [x]) FROM (VALUES (1.0), (2.0)) t(x)`)).rejects.toThrow(
      /the same on every row/,
    );
  });
});

/**
 * The extension's `vigil_profile` against DuckDB's own `count`, `sum` and `histogram` (what the
 * store falls back to) and a count in JavaScript: the same count, sum and bins on random data
 * with values on the edges and next to them, NULLs, NaN, ±inf, -0 and values beyond the outer
 * edges, without edges too, in one group and in many, over several vectors (partial states
 * combined), with and without NULLs in a vector. The store's profiles are compared both ways in
 * store.test.ts (the profile contract run without the extension).
 */
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { DuckDBInstance } from '@duckdb/node-api';
import { createSeededRandom } from '@vigil/stats';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbDatabase } from './database.js';
import { NATIVE_BINS_FILE, probeNativeBins } from './native-bins.js';
import { nextDown } from './profiles.js';

/** The sum of `vigil_profile` adds in another order than `sum`: equal to within that rounding. */
function expectSameSum(actual: number, expected: number, values: (number | null)[]): void {
  if (!Number.isFinite(expected)) {
    expect(actual).toBe(expected);
    return;
  }
  const magnitude = values.reduce<number>((total, x) => total + (x === null ? 0 : Math.abs(x)), 0);
  expect(Math.abs(actual - expected)).toBeLessThanOrEqual(magnitude * 1e-13);
}

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

/** NULL, NaN, ±inf and both zeros, in this order (a prefix of them gives fewer kinds). */
const SPECIAL_VALUES = [null, Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, 0];

/** An edge itself (0), the double just below it (1) or just above it (2): where bins split. */
function onOrBeside(edge: number, which: number): number {
  if (which === 0) return edge;
  return which === 1 ? nextDown(edge) : -nextDown(-edge);
}

type Profile = { count: bigint; sum: number; bin_counts: bigint[] } | null;

describe('DuckDB profile extension (vigil_profile)', () => {
  let db: DuckDbDatabase;
  beforeAll(async () => {
    db = await DuckDbDatabase.open({ path: ':memory:', threads: 2 });
  });
  afterAll(() => db?.close());

  it('is loaded wherever a C compiler exists (scripts/ensure-deps.sh builds it)', () => {
    if (hasCompiler()) expect(db.nativeBins).toEqual({ loaded: true });
    else expect(db.nativeBins.loaded).toBe(false);
  });

  it('is not used when the loaded build lacks what this version calls (an out-of-date build)', async () => {
    // An instance without the extension stands for a build without these functions.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    try {
      const probed = await probeNativeBins(connection);
      expect(probed.loaded).toBe(false);
      expect(probed.loaded ? '' : probed.reason).toMatch(/lacks what this version calls.*ensure-deps/);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it.skipIf(!existsSync(NATIVE_BINS_FILE))(
    'counts and sums as DuckDB count, sum and histogram on bounds below the edges, in one group and in many',
    async () => {
      const edgeValue = fc.oneof(
        fc.integer({ min: -5, max: 5 }),
        fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true }),
      );
      await fc.assert(
        fc.asyncProperty(
          fc.uniqueArray(edgeValue, { minLength: 0, maxLength: 20, comparator: (a, b) => a === b }),
          fc.integer({ min: 0, max: 6000 }),
          fc.integer(),
          fc.constantFrom(0, 1, 6),
          async (unsorted, size, seed, specialKinds) => {
            const edges = [...unsorted].sort((a, b) => a - b);
            const random = createSeededRandom(seed);
            const pick = <T>(xs: T[]) => xs[Math.floor(random.uniform() * xs.length)]!;
            // Vectors without NULLs (none), with NULLs only, or with every special value.
            const values = Array.from({ length: size }, () => {
              const e = edges.length > 0 ? pick(edges) : random.uniform() - 0.5;
              const kind = Math.floor(random.uniform() * (specialKinds > 0 ? 6 : 5));
              switch (kind) {
                case 0:
                case 1:
                case 2:
                  return onOrBeside(e, kind);
                case 3:
                  return (random.uniform() - 0.5) * 1e9;
                case 4:
                  return (edges[0] ?? 0) + random.uniform() * ((edges.at(-1) ?? 0) - (edges[0] ?? 0) + 1);
                default:
                  return pick(SPECIAL_VALUES.slice(0, specialKinds));
              }
            });
            // Groups in runs of a row to a few dozen (rows of one group counted one at a time
            // and by whole runs, in the same group).
            let group = 0;
            const groups = values.map(() => {
              if (random.uniform() < 0.15) group = Math.floor(random.uniform() * 3);
              return group;
            });
            await db.write(
              `CREATE OR REPLACE TABLE bins_test AS SELECT unnest(CAST($1 AS VARCHAR[]))::DOUBLE AS x,
                 unnest(CAST($2 AS INTEGER[])) AS g`,
              [JSON.stringify(values.map(text)), JSON.stringify(groups)],
            );
            const params = [JSON.stringify(edges), JSON.stringify(edges.map(nextDown))];
            const aggregates = `vigil_profile(x, CAST($1 AS DOUBLE[])) AS p, count(x) AS n, sum(x) AS s,
              histogram(x, CAST($2 AS DOUBLE[])) AS h`;
            const check = (row: Record<string, unknown>, own: (number | null)[]) => {
              const expected = expectedCounts(own, edges);
              if (edges.length > 0) expect(histogramCounts(row.h as never, edges)).toEqual(expected);
              const profile = row.p as Profile;
              // No rows at all: NULL, as `sum` and `histogram`.
              if (own.length === 0) return expect(profile).toBeNull();
              expect(Number(profile!.count)).toBe(Number(row.n));
              expect(profile!.bin_counts.map(Number)).toEqual(expected);
              // No values (all NULL): a sum of 0 where `sum` is NULL (the mean is NULL either way).
              if (row.s === null) expect(profile!.sum).toBe(0);
              else expectSameSum(profile!.sum, row.s as number, own);
            };
            const [all] = await db.read(`SELECT ${aggregates} FROM bins_test`, params);
            check(all!, values);
            const grouped = await db.read(
              `SELECT g, ${aggregates} FROM bins_test GROUP BY g ORDER BY g`,
              params,
            );
            for (const row of grouped)
              check(
                row,
                values.filter((_, i) => groups[i] === row.g),
              );
          },
        ),
        { numRuns: 40 },
      );
    },
    120_000,
  );

  it.skipIf(!existsSync(NATIVE_BINS_FILE))(
    'vigil_fine_bins counts and sums the bins of many edges exactly, evenly spaced or not, filtered and grouped',
    async () => {
      await fc.assert(
        fc.asyncProperty(
          fc.integer({ min: 1, max: 1024 }),
          fc.oneof(fc.constant(0), fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })),
          fc.oneof(fc.constant(0.001), fc.double({ min: 1e-9, max: 1e3, noNaN: true })),
          fc.boolean(),
          fc.integer({ min: 0, max: 6000 }),
          fc.integer(),
          async (edgeCount, first, step, even, size, seed) => {
            const random = createSeededRandom(seed);
            // Evenly spaced (the bin found by arithmetic) or not (then found by steps from the guess).
            const edges = even
              ? Array.from({ length: edgeCount }, (_, k) => first + k * step)
              : Array.from({ length: edgeCount }, () => first + random.uniform() * step * edgeCount).sort(
                  (a, b) => a - b,
                );
            const pick = <T>(xs: T[]) => xs[Math.floor(random.uniform() * xs.length)]!;
            const values = Array.from({ length: size }, () => {
              const e = pick(edges);
              const kind = Math.floor(random.uniform() * 7);
              switch (kind) {
                case 0:
                case 1:
                case 2:
                  return onOrBeside(e, kind);
                case 3:
                  return pick(SPECIAL_VALUES);
                case 4:
                  return (random.uniform() - 0.5) * 1e300;
                default:
                  return edges[0]! + (random.uniform() * 1.2 - 0.1) * (edges.at(-1)! - edges[0]! + 1);
              }
            });
            const groups = values.map(() => Math.floor(random.uniform() * 3));
            const kept = values.map(() => random.uniform() < 0.7);
            await db.write(
              `CREATE OR REPLACE TABLE fine_test AS SELECT unnest(CAST($1 AS VARCHAR[]))::DOUBLE AS x,
                 unnest(CAST($2 AS INTEGER[])) AS g, unnest(CAST($3 AS BOOLEAN[])) AS kept`,
              [JSON.stringify(values.map(text)), JSON.stringify(groups), JSON.stringify(kept)],
            );
            const aggregates = `vigil_fine_bins(x, CAST($1 AS DOUBLE[])) AS h,
              vigil_fine_bins(x, CAST($1 AS DOUBLE[])) FILTER (WHERE kept) AS f`;
            type Fine = { bin_counts: bigint[]; bin_sums: number[] } | null;
            const check = (fine: Fine, own: (number | null)[]) => {
              if (own.length === 0) return expect(fine).toBeNull();
              expect(fine!.bin_counts.map(Number)).toEqual(expectedCounts(own, edges));
              // Each bin's sum, added in the order of the rows (one thread on these few rows).
              const sums = new Array<number>(edges.length + 1).fill(0);
              for (const x of own) if (x !== null) sums[edges.filter((e) => e <= x).length]! += x;
              expect(fine!.bin_sums).toEqual(sums);
            };
            const params = [JSON.stringify(edges)];
            const [all] = await db.read(`SELECT ${aggregates} FROM fine_test`, params);
            check(all!.h as Fine, values);
            check(
              all!.f as Fine,
              values.filter((_, i) => kept[i]),
            );
            const grouped = await db.read(
              `SELECT g, ${aggregates} FROM fine_test GROUP BY g ORDER BY g`,
              params,
            );
            for (const row of grouped) {
              check(
                row.h as Fine,
                values.filter((_, i) => groups[i] === row.g),
              );
              check(
                row.f as Fine,
                values.filter((_, i) => groups[i] === row.g && kept[i]),
              );
            }
          },
        ),
        { numRuns: 40 },
      );
    },
    120_000,
  );

  it.skipIf(!existsSync(NATIVE_BINS_FILE))(
    'refuses edges that differ between rows, unsorted or NULL',
    async () => {
      await expect(db.read(`SELECT vigil_profile(x, [x]) FROM (VALUES (1.0), (2.0)) t(x)`)).rejects.toThrow(
        /the same on every row/,
      );
      await expect(db.read(`SELECT vigil_profile(x, [2.0, 1.0]) FROM (VALUES (1.0)) t(x)`)).rejects.toThrow(
        /sorted/,
      );
      await expect(
        db.read(`SELECT vigil_profile(x, ['nan'::DOUBLE]) FROM (VALUES (1.0)) t(x)`),
      ).rejects.toThrow(/sorted/);
      await expect(db.read(`SELECT vigil_profile(x, NULL) FROM (VALUES (1.0)) t(x)`)).rejects.toThrow(/NULL/);
      await expect(db.read(`SELECT vigil_fine_bins(x, [x]) FROM (VALUES (1.0), (2.0)) t(x)`)).rejects.toThrow(
        /the same on every row/,
      );
      await expect(db.read(`SELECT vigil_fine_bins(x, [2.0, 1.0]) FROM (VALUES (1.0)) t(x)`)).rejects.toThrow(
        /sorted/,
      );
      await expect(db.read(`SELECT vigil_fine_bins(x, NULL) FROM (VALUES (1.0)) t(x)`)).rejects.toThrow(
        /NULL/,
      );
    },
  );
});

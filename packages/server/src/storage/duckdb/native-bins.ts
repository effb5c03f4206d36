/**
 * The aggregate `vigil_profile(x, edges)` of our DuckDB extension (packages/server/native/
 * duckdb-bins, built by scripts/ensure-deps.sh with the system C compiler): a value's non-NULL
 * count, its sum (for the mean) and the counts of a histogram on sorted edges, in one pass and
 * without a branch per value. It replaces, in a window profile's first pass, `count`, `avg` and
 * DuckDB's `histogram(x, bounds)`, which searches each value's bin with a branch; on a million
 * rows of 40 values that statement costs about a third of the CPU (docs/benchmarks.md). Without it
 * (no compiler, a failed build, a refused load, or `VIGIL_DUCKDB_NATIVE_BINS=off`) the profiles
 * use those three: the same counts, and the same means to within the rounding of the additions.
 * Its `vigil_fine_bins(x, edges)` counts and sums the bins of a fine histogram (up to 1,024 evenly
 * spaced edges) where the profiles would otherwise GROUP BY the bin found in SQL. Its table
 * function `vigil_columns(body)` reads a batch laid out by `columns-blob.ts`, so that inserting
 * a batch needs no call back into JavaScript (without it, the batch scan of `batch-scan.ts`).
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { blobValueFromBytes, DOUBLE, type DuckDBConnection, TIMESTAMP, VARCHAR } from '@duckdb/node-api';
import { columnsBody } from './columns-blob.js';

/** The built extension (the same path from `src/` and from `dist/`). */
export const NATIVE_BINS_FILE = fileURLToPath(
  new URL('../../../native/duckdb-bins/build/vigil_bins.duckdb_extension', import.meta.url),
);

/** The most edges `vigil_profile` takes (MAX_EDGES in vigil_bins.c). */
export const NATIVE_BINS_MAX_EDGES = 64;

/** The most edges `vigil_fine_bins` takes (FINE_MAX_EDGES in vigil_bins.c). */
export const NATIVE_FINE_BINS_MAX_EDGES = 1024;

export type NativeBins = { loaded: true } | { loaded: false; reason: string };

/** Whether to ask DuckDB for unsigned extensions: only when ours is wanted and built. */
export function nativeBinsAvailable(wanted: boolean): boolean {
  return wanted && existsSync(NATIVE_BINS_FILE);
}

/**
 * Loads the extension into the instance of `connection` (an extension is loaded per instance,
 * so every connection has the function), or says why not.
 */
export async function loadNativeBins(connection: DuckDBConnection, wanted: boolean): Promise<NativeBins> {
  if (!wanted) return { loaded: false, reason: 'VIGIL_DUCKDB_NATIVE_BINS=off' };
  if (!existsSync(NATIVE_BINS_FILE)) {
    return {
      loaded: false,
      reason: `the profile extension is not built (${NATIVE_BINS_FILE}: scripts/ensure-deps.sh builds it with a C compiler)`,
    };
  }
  try {
    // A path cannot be a bound parameter of LOAD; ours is a constant of this module.
    await connection.run(`LOAD '${NATIVE_BINS_FILE.replaceAll("'", "''")}'`);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      loaded: false,
      reason: `DuckDB refused to load the profile extension: ${message.split('\n')[0]}`,
    };
  }
  return probeNativeBins(connection);
}

/**
 * A build from an older source (code updated without `scripts/ensure-deps.sh`, which rebuilds
 * it) loads, but lacks a function or answers another shape: every window profile would then
 * fail. Each function is called once on known values; on any difference, DuckDB's own
 * aggregates are used.
 */
export async function probeNativeBins(connection: DuckDBConnection): Promise<NativeBins> {
  try {
    const reader = await connection.runAndReadAll(
      `SELECT to_json(vigil_profile(x, [0.5, 1.5])) AS p, to_json(vigil_fine_bins(x, [0.5, 1.5])) AS f
       FROM (VALUES (0.0), (1.0), (1.0), (2.0)) t(x)`,
    );
    const [profile, fine] = reader.getRows()[0] ?? [];
    const columns = await probeColumnsScan(connection);
    const expected = [
      '{"count":4,"sum":4.0,"bin_counts":[1,2,1]}',
      '{"bin_counts":[1,2,1],"bin_sums":[0.0,2.0,2.0]}',
      PROBE_COLUMNS_EXPECTED,
    ];
    if (String(profile) === expected[0] && String(fine) === expected[1] && columns === expected[2]) {
      return { loaded: true };
    }
    return {
      loaded: false,
      reason: `the built profile extension answers differently than this version expects (out of date? scripts/ensure-deps.sh rebuilds it): ${profile} ${fine} ${columns}`,
    };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      loaded: false,
      reason: `the built profile extension lacks what this version calls (out of date? scripts/ensure-deps.sh rebuilds it): ${message.split('\n')[0]}`,
    };
  }
}

const PROBE_COLUMNS_EXPECTED =
  '[{"c0":1.5,"c1":"2026-01-01 00:00:00.000001","c2":"é","c3":"b","c4":null},{"c0":null,"c1":"1970-01-01 00:00:00","c2":null,"c3":"a","c4":null}]';

/** Two rows of each kind of column through `vigil_columns`, as JSON. */
async function probeColumnsScan(connection: DuckDBConnection): Promise<string> {
  const body = columnsBody(
    [
      {
        type: DOUBLE,
        data: { kind: 'double', values: new Float64Array([1.5, 9]), valid: new Uint8Array([1, 0]) },
      },
      {
        type: TIMESTAMP,
        data: { kind: 'timestamp', micros: new Float64Array([1767225600000001, 0]), valid: null },
      },
      { type: VARCHAR, data: { kind: 'text', values: ['é', null], valid: new Uint8Array([1, 0]) } },
      {
        type: VARCHAR,
        data: { kind: 'dictionary', names: ['a', 'b'], indices: new Uint8Array([1, 0]), valid: null },
      },
      { type: DOUBLE, data: { kind: 'null', type: DOUBLE } },
    ],
    2,
  );
  const reader = await connection.runAndReadAll(
    'SELECT to_json(list(t ORDER BY c3 DESC)) FROM vigil_columns($1) t',
    [blobValueFromBytes(body)],
  );
  return String(reader.getRows()[0]?.[0]);
}

/**
 * Window profiles in DuckDB (see `storage/profiles.ts`): one pass for all numeric columns
 * (bin index computed with vectorised comparisons, then per-bin counts and sums), one pass for
 * all categorical columns (unpivoted, then ranked per window), and small passes for confusion
 * counts, regression sums and violation counts.
 */
import type { DuckDBValue } from '@duckdb/node-api';
import {
  emptyWindowProfile,
  evenlySpacedEdges,
  type NumericProfile,
  type ProfileRequest,
  type ProfileTarget,
  profileUsesLabels,
  strictlyIncreasing,
  type WindowProfile,
} from '../profiles.js';
import { physicalColumn, predictionsTable, referenceTable } from '../sql.js';
import type { ModelColumn } from '../types.js';
import { type DuckDbDatabase, type Row, toNullableNumber, toNumber } from './database.js';
import { labelJoin } from './labels.js';
import { NATIVE_BINS_MAX_EDGES, NATIVE_FINE_BINS_MAX_EDGES } from './native-bins.js';

const DEFAULT_CATEGORY_LIMIT = 1000;
/** Histograms with more inner edges are counted by their own GROUP BY (a sum of comparisons gets too deep). */
const MAX_INLINE_EDGES = 64;
/** Counts-only histograms with up to this many inner edges count the values below each edge. */
const MAX_COUNTED_EDGES = 2;

export class Params {
  readonly values: DuckDBValue[] = [];
  add(value: DuckDBValue): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
  /** A timestamp parameter given in epoch microseconds. */
  timestamp(micros: number): string {
    return `make_timestamp(CAST(${this.add(micros)} AS BIGINT))`;
  }
}

export function resolveColumn(columns: ModelColumn[], name: string): ModelColumn {
  // The newest column of a name is the current one: a retyped feature gets a new column.
  const column =
    columns.findLast((c) => c.name === name && c.role === 'feature') ??
    columns.findLast((c) => c.name === name);
  if (!column) throw new Error(`Unknown column "${name}".`);
  return column;
}

export function targetSql(columns: ModelColumn[], target: ProfileTarget): string {
  if ('column' in target) return `e.${physicalColumn(resolveColumn(columns, target.column).position)}`;
  switch (target.field) {
    case 'prediction':
      return 'e.prediction';
    case 'prediction_num':
      return 'e.prediction_num';
    case 'score':
      return 'e.score';
    case 'label':
      return 'e.__label';
    case 'label_num':
      return 'e.__label_num';
    case 'version':
      return 'e.version';
  }
}

/** The selected rows with their window (`__w`) and, for traffic, their label (`__label`, `__label_num`). */
export function sourceSql(
  modelId: number,
  columns: ModelColumn[],
  request: ProfileRequest,
  params: Params,
  joinLabels: boolean,
): string {
  const source = request.source;
  if (source.kind === 'reference') {
    const chunks = source.chunks;
    const window =
      chunks !== undefined
        ? `CAST(floor((row_number() OVER (ORDER BY r.ts, r.rowid) - 1) * ${params.add(chunks)} / count(*) OVER ()) AS DOUBLE)`
        : 'NULL::DOUBLE';
    return `SELECT r.*, r.label AS __label, r.label_num AS __label_num, ${window} AS __w
      FROM ${referenceTable(modelId)} r WHERE r.dataset_id = ${params.add(source.datasetId)}`;
  }
  const ts = (value: number) => params.timestamp(value);
  const conditions = ['true'];
  const sourceRange = {
    from: source.fromMicros !== undefined ? ts(source.fromMicros) : undefined,
    to: source.toMicros !== undefined ? ts(source.toMicros) : undefined,
  };
  if (sourceRange.from !== undefined) conditions.push(`p.ts >= ${sourceRange.from}`);
  if (sourceRange.to !== undefined) conditions.push(`p.ts < ${sourceRange.to}`);
  if (source.version !== undefined) conditions.push(`p.version = ${params.add(source.version)}`);
  if (source.ingestedAfterMicros !== undefined)
    conditions.push(`p.ingested_at >= ${ts(source.ingestedAfterMicros)}`);
  if (source.segment !== undefined) {
    const { name, value } = source.segment;
    // A segment, or any categorical column (fairness splits traffic by sensitive attributes).
    const column =
      columns.findLast((c) => c.name === name && c.role === 'segment') ??
      columns.findLast((c) => c.name === name);
    if (!column) throw new Error(`Unknown segment "${name}".`);
    conditions.push(`CAST(p.${physicalColumn(column.position)} AS VARCHAR) = ${params.add(value)}`);
  }
  let window = 'NULL';
  if (request.bucketMicros !== undefined) {
    const width = params.add(request.bucketMicros);
    window = `floor(epoch_us(p.ts) / ${width}) * ${width}`;
  }
  const labels = joinLabels
    ? 'l.label AS __label, l.label_num AS __label_num'
    : 'NULL::VARCHAR AS __label, NULL::DOUBLE AS __label_num';
  // The labels of the rows' time range only (labels.ts): the others cannot join.
  const join = (range: { from?: string; to?: string }) => (joinLabels ? labelJoin(modelId, 'p', range) : '');
  const limit = source.lastN !== undefined ? `ORDER BY p.ts DESC LIMIT ${Math.trunc(source.lastN)}` : '';
  const select = (where: string[], range: { from?: string; to?: string } = sourceRange) =>
    `SELECT p.*, p.rowid AS __rowid, ${labels}, CAST(${window} AS DOUBLE) AS __w FROM ${predictionsTable(modelId)} p ${join(range)}
    WHERE ${where.join(' AND ')}`;
  if (source.windowStarts !== undefined && request.bucketMicros !== undefined) {
    // One time range per window, each pruned by itself (an OR of ranges reads every row between them).
    const size = request.bucketMicros;
    if (source.windowStarts.length === 0) return select([...conditions, 'false']);
    const ranges = source.windowStarts.map((start) => {
      const range = { from: ts(start), to: ts(start + size) };
      return select([...conditions, `p.ts >= ${range.from}`, `p.ts < ${range.to}`], range);
    });
    return `SELECT * FROM (${ranges.join(' UNION ALL ')}) ${limit.replaceAll('p.ts', 'ts')}`;
  }
  return `${select(conditions)} ${limit}`;
}

/** The result of our extension's `vigil_profile(value, edges)` (native-bins.ts). */
interface VigilProfile {
  count: bigint | number;
  sum: number;
  bin_counts: (bigint | number)[];
}

/** Bin keys are `position in the pass × BIN_KEY + bin`, so one integer names a column's bin. */
const BIN_KEY = 1024;

/** The largest double below `x`: `v > nextDown(e)` holds exactly when `v >= e`. */
export function nextDown(x: number): number {
  if (x === 0) return -Number.MIN_VALUE;
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const bits = view.getBigInt64(0);
  view.setBigInt64(0, x > 0 ? bits - 1n : bits + 1n);
  return view.getFloat64(0);
}

/**
 * The bin of `value` on sorted inner edges (how many edges are at or below it; NULL stays NULL),
 * as a binary search of nested CASEs. Unsorted edges fall back to a sum of comparisons.
 */
function binSql(value: string, inner: number[], params: Params): string {
  const edge = (k: number) => `CAST(${params.add(inner[k]!)} AS DOUBLE)`;
  const sorted = inner.every((e, k) => k === 0 || inner[k - 1]! <= e);
  if (!sorted) {
    const sum = inner.map((_, k) => `(${value} >= ${edge(k)})::INTEGER`).join(' + ');
    return `(CASE WHEN ${value} IS NULL THEN NULL ELSE ${sum} END)`;
  }
  // Bins lo..hi remain; the edge between bins mid-1 and mid is inner[mid-1].
  const search = (lo: number, hi: number): string => {
    if (lo === hi) return String(lo);
    const mid = (lo + hi + 1) >> 1;
    return `CASE WHEN ${value} < ${edge(mid - 1)} THEN ${search(lo, mid - 1)} ELSE ${search(mid, hi)} END`;
  };
  return `(CASE WHEN ${value} IS NULL THEN NULL ELSE ${search(0, inner.length)} END)`;
}

export interface ProfileOptions {
  /** Categorical columns of windows of at least this many rows (in all) are counted by `GROUPING SETS`. */
  groupingSetsFromRows: number;
}

export const DEFAULT_PROFILE_OPTIONS: ProfileOptions = { groupingSetsFromRows: 100_000 };

/** Runs one read statement (on the reader, or batched with other profiles' statements). */
export type StatementRunner = (sql: string, params: DuckDBValue[]) => Promise<Row[]>;

export async function duckDbProfile(
  db: DuckDbDatabase,
  modelId: number,
  columns: ModelColumn[],
  request: ProfileRequest,
  query: StatementRunner = (sql, params) => db.read(sql, params),
  options: ProfileOptions = DEFAULT_PROFILE_OPTIONS,
): Promise<WindowProfile[]> {
  const joinLabels = request.source.kind === 'predictions' && profileUsesLabels(request);
  const byWindow = new Map<number | null, WindowProfile>();
  const profileOf = (w: unknown) => {
    const key = toNullableNumber(w);
    let profile = byWindow.get(key);
    if (!profile) {
      profile = emptyWindowProfile(key);
      byWindow.set(key, profile);
    }
    return profile;
  };
  const run = async (build: (params: Params, src: string) => string) => {
    const params = new Params();
    const src = sourceSql(
      modelId,
      columns,
      request,
      params,
      joinLabels || request.source.kind === 'reference',
    );
    return query(build(params, src), params.values);
  };

  // Pass 1: row counts and each numeric column's moments (and its sum, for single-bin histograms).
  const numeric = request.numeric ?? [];
  /** Specs with the same key read the same values (the key does not depend on parameter numbering). */
  const valueKey = (spec: (typeof numeric)[number]) => JSON.stringify([spec.target, spec.where ?? null]);
  const valueSql = (params: Params, spec: (typeof numeric)[number]) => {
    const value = targetSql(columns, spec.target);
    return spec.where
      ? `(CASE WHEN ${targetSql(columns, { field: spec.where.field })} = ${params.add(spec.where.equals)} THEN ${value} END)`
      : value;
  };
  const binned: { spec: (typeof numeric)[number]; index: number }[] = [];
  const wide: { spec: (typeof numeric)[number]; index: number }[] = [];
  /** Counts-only histograms counted in the first pass by DuckDB's `histogram(value, bounds)`. */
  const counted = new Set<number>();
  numeric.forEach((spec, index) => {
    const innerEdges = spec.edges.slice(1, -1);
    for (const e of innerEdges) if (!Number.isFinite(e)) throw new Error(`Inner bin edges must be finite.`);
    // Fine histograms (e.g. scores for performance estimation) are counted by a GROUP BY of their own.
    if (innerEdges.length > MAX_INLINE_EDGES) wide.push({ spec, index });
    else if (innerEdges.length > 0 && spec.countsOnly && strictlyIncreasing(innerEdges)) counted.add(index);
    else if (innerEdges.length > 0) binned.push({ spec, index });
  });
  /** Per numeric spec, the output names of its aggregates (shared when two specs read the same). */
  const names: Record<string, string>[] = [];
  // Read once: the statement and the reading of its rows must agree.
  const nativeBins = db.nativeBins.loaded;
  const native = (edges: number[]) => nativeBins && edges.length <= NATIVE_BINS_MAX_EDGES;
  /**
   * Counts-only histograms of one value share one count on the union of their edges (drift's
   * deciles and data quality's range of the same feature). Keyed by the value's target.
   * With our extension, each value's count, sum (for the mean) and shared histogram are one
   * `vigil_profile` aggregate: one pass over the value where `count`, `avg` and a histogram
   * took three (each a call per vector and a pass; the histogram compares each value with every
   * edge, no branch on the data), so every counted edge joins the shared ones.
   * Without it, DuckDB's `histogram` on the union: one binary search per value instead of a
   * search plus a comparison per range edge; the histograms are then most of a large window's
   * first pass (each value's bin is a branch the processor cannot predict), but every other
   * exact form in SQL measured costs 2-4x more: a `count_if` per edge, the bin by nested CASEs
   * or a sum of comparisons then counted, or two histograms split at the median
   * (docs/benchmarks.md, bench:monitor (a)); narrow ranges alone keep a `count_if` per edge.
   */
  const sharedEdges = new Map<string, number[]>();
  numeric.forEach((spec, i) => {
    if (!counted.has(i)) return;
    const key = valueKey(spec);
    sharedEdges.set(key, [...(sharedEdges.get(key) ?? []), ...spec.edges.slice(1, -1)]);
  });
  for (const [key, edges] of sharedEdges) {
    const union = [...new Set(edges)].sort((a, b) => a - b);
    const needsHistogram = numeric.some(
      (spec, i) => counted.has(i) && valueKey(spec) === key && spec.edges.length - 2 > MAX_COUNTED_EDGES,
    );
    if (needsHistogram || native(union)) sharedEdges.set(key, union);
    else sharedEdges.delete(key);
  }
  /** Whether a value's count, sum and shared histogram come from one `vigil_profile`. */
  const fused = (key: string) => native(sharedEdges.get(key) ?? []);
  // One window (no buckets, no chunks) is one ungrouped aggregate: grouping by the constant
  // window cost about a quarter more on a million rows (a hash-table update per row and
  // aggregate). HAVING keeps a source without rows without a row, as the grouping did.
  const oneWindow =
    request.bucketMicros === undefined &&
    (request.source.kind === 'predictions' || request.source.chunks === undefined);
  const rows = await run((params, src) => {
    const inner: string[] = ['__w', '__label', 'ts'];
    const outer: string[] = [
      oneWindow ? 'NULL::DOUBLE AS w' : '__w AS w',
      'count(*) AS n',
      'count(__label) AS labeled',
      'epoch_us(min(ts))::DOUBLE AS first_us',
      'epoch_us(max(ts))::DOUBLE AS last_us',
    ];
    // Monitors often read the same column (drift and data quality): one value, one count, one mean.
    const values = new Map<string, string>();
    const aggregates = new Map<string, string>();
    const aggregate = (sql: string) => {
      let name = aggregates.get(sql);
      if (!name) {
        name = `a${aggregates.size}`;
        aggregates.set(sql, name);
        outer.push(`${sql} AS ${name}`);
      }
      return name;
    };
    /** Per value, its `vigil_profile` or its `histogram` (the SQL differs by parameter numbers). */
    const histograms = new Map<string, string>();
    numeric.forEach((spec, i) => {
      const key = valueKey(spec);
      let v = values.get(key);
      if (!v) {
        v = `v${values.size}`;
        values.set(key, v);
        inner.push(`CAST(${valueSql(params, spec)} AS DOUBLE) AS ${v}`);
      }
      const shared = sharedEdges.get(key);
      const own: Record<string, string> = {};
      names[i] = own;
      if (fused(key) || (counted.has(i) && shared)) {
        let h = histograms.get(key);
        if (!h) {
          // Both count each value in the bin of the edges at or below it: `vigil_profile` by
          // definition, DuckDB's (lower, upper] bins on bounds just below the edges. NaN is
          // never stored (ingestion stores non-finite values as absent); both count it in the
          // first bin.
          h = aggregate(
            fused(key)
              ? `vigil_profile(${v}, CAST(${params.add(JSON.stringify(shared ?? []))} AS DOUBLE[]))`
              : `histogram(${v}, CAST(${params.add(JSON.stringify(shared!.map(nextDown)))} AS DOUBLE[]))`,
          );
          histograms.set(key, h);
        }
        own.h = h;
      }
      if (fused(key)) own.p = own.h!;
      else {
        own.nn = aggregate(`count(${v})`);
        own.mu = aggregate(`avg(${v})`);
      }
      // min, max and std cost several times count and mean: only for callers that read them.
      if (!spec.countsOnly) {
        own.lo = aggregate(`min(${v})`);
        own.hi = aggregate(`max(${v})`);
        own.sd = aggregate(`stddev_samp(${v})`);
        if (spec.edges.length <= 2 && !own.p) own.s = aggregate(`sum(${v})`);
      }
      if (counted.has(i) && !shared) {
        // Values below each edge; bins are the differences.
        spec.edges.slice(1, -1).forEach((e, k) => {
          own[`below${k}`] = aggregate(`count_if(${v} < CAST(${params.add(e)} AS DOUBLE))`);
        });
      }
      if (spec.quantiles && spec.quantiles.length > 0) {
        own.q = aggregate(
          `quantile_cont(${v}, CAST(${params.add(JSON.stringify(spec.quantiles))} AS DOUBLE[]))`,
        );
      }
    });
    return `WITH e AS (${src}), b AS (SELECT ${inner.join(', ')} FROM e)
      SELECT ${outer.join(', ')} FROM b ${oneWindow ? 'HAVING count(*) > 0' : 'GROUP BY __w ORDER BY __w'}`;
  });
  for (const row of rows) {
    const profile = profileOf(row.w);
    profile.rows = toNumber(row.n);
    profile.labeled = toNumber(row.labeled);
    profile.firstMicros = toNullableNumber(row.first_us);
    profile.lastMicros = toNullableNumber(row.last_us);
    numeric.forEach((spec, i) => {
      const own = names[i]!;
      const bins = spec.edges.length - 1;
      // `vigil_profile`: NULL only for a window without rows (which has no row here).
      const fusedProfile = own.p ? (row[own.p] as VigilProfile | null) : undefined;
      const present =
        fusedProfile !== undefined ? toNumber(fusedProfile?.count ?? 0) : toNumber(row[own.nn!]);
      const sum = fusedProfile !== undefined ? toNumber(fusedProfile?.sum ?? 0) : undefined;
      const result: NumericProfile = {
        counts: new Array<number>(bins).fill(0),
        sums: new Array<number>(bins).fill(spec.countsOnly ? Number.NaN : 0),
        nulls: profile.rows - present,
        min: own.lo ? toNullableNumber(row[own.lo]) : null,
        max: own.hi ? toNullableNumber(row[own.hi]) : null,
        // `avg(DOUBLE)` is the plain sum over the count too: the same to within the rounding
        // of the order of the additions.
        mean: sum !== undefined ? (present > 0 ? sum / present : null) : toNullableNumber(row[own.mu!]),
        std: own.sd ? toNullableNumber(row[own.sd]) : null,
      };
      if (bins === 1) {
        result.counts[0] = present;
        if (own.s) result.sums[0] = toNullableNumber(row[own.s]) ?? 0;
        else if (sum !== undefined && !spec.countsOnly) result.sums[0] = sum;
      }
      if (own.below0) {
        let below = 0;
        for (let k = 0; k < bins - 1; k++) {
          const next = toNumber(row[own[`below${k}`]!]);
          result.counts[k] = next - below;
          below = next;
        }
        result.counts[bins - 1] = present - below;
      } else if (own.h && counted.has(i)) {
        // This spec's bins are runs of the shared bins (NULL when the window has no value).
        const shared = sharedEdges.get(valueKey(spec))!;
        const sharedCounts = new Array<number>(shared.length + 1).fill(0);
        if (fusedProfile !== undefined) {
          (fusedProfile?.bin_counts ?? []).forEach((count, k) => {
            sharedCounts[k] = toNumber(count);
          });
        } else {
          // Entries are (upper bound, count); the values above every bound come under a key of
          // NULL (read as +Infinity).
          const sharedBin = new Map(shared.map((e, k) => [nextDown(e), k]));
          for (const entry of (row[own.h] ?? []) as { key: unknown; value: unknown }[]) {
            const bound = toNullableNumber(entry.key);
            const k = bound === null || !Number.isFinite(bound) ? shared.length : sharedBin.get(bound);
            if (k !== undefined) sharedCounts[k] = toNumber(entry.value);
          }
        }
        const ownEdges = spec.edges.slice(1, -1);
        let k = 0;
        sharedCounts.forEach((count, j) => {
          // Shared bin j holds the values below shared[j]: it belongs to the first own bin whose
          // upper edge is at or above that.
          while (k < ownEdges.length && j < shared.length && ownEdges[k]! < shared[j]!) k++;
          if (j === shared.length) k = ownEdges.length;
          result.counts[k]! += count;
        });
      }
      if (own.q) {
        const q = row[own.q] as unknown[] | null | undefined;
        result.quantiles = (spec.quantiles ?? []).map((_, k) => toNullableNumber(q?.[k]));
      }
      profile.numeric[spec.key] = result;
    });
  }

  // Pass 1b: per-bin counts and sums of every histogram of up to 65 bins, in one GROUP BY over
  // (column, bin) pairs: each value's bin is found by a binary search (a nested CASE on the
  // edges), then the pairs are unpivoted. Hundreds of per-bin aggregates in one row (a CASE per
  // bin and column) cost several times more.
  if (binned.length > 0 && rows.length > 0) {
    const binRows = await run((params, src) => {
      const values = binned.map(({ spec }, j) => `CAST(${valueSql(params, spec)} AS DOUBLE) AS v${j}`);
      const keys = binned.map(
        ({ spec }, j) => `${binSql(`v${j}`, spec.edges.slice(1, -1), params)} + ${j * BIN_KEY}`,
      );
      return `WITH e AS (${src}), v AS (SELECT __w, ${values.join(', ')} FROM e),
        u AS (SELECT __w, unnest([${keys.join(', ')}]) AS k, unnest([${binned.map((_, j) => `v${j}`).join(', ')}]) AS v FROM v)
        SELECT __w AS w, k, count(*) AS n, sum(v) AS s FROM u WHERE k IS NOT NULL GROUP BY ALL`;
    });
    for (const row of binRows) {
      const k = toNumber(row.k);
      const { spec } = binned[Math.floor(k / BIN_KEY)]!;
      const target = profileOf(row.w).numeric[spec.key];
      if (!target) continue;
      target.counts[k % BIN_KEY] = toNumber(row.n);
      target.sums[k % BIN_KEY] = toNullableNumber(row.s) ?? 0;
    }
  }

  // Fine histograms: uniform inner edges give the bin by arithmetic; one statement for all of
  // them. With our extension, each histogram is one `vigil_fine_bins` aggregate (filtered to
  // its own rows), which finds a value's bin that way and adds it to its bin's count and sum.
  // Without it, histograms of one value on the same edges (the score, and the score where the
  // prediction is positive, for performance estimation) share one GROUP BY: the bin is found
  // once, and each histogram counts and sums its own rows of the bin.
  {
    const groups = new Map<string, { inner: number[]; first: number; step: number; specs: typeof numeric }>();
    for (const { spec } of wide) {
      const inner = spec.edges.slice(1, -1);
      const first = inner[0]!;
      const step = (inner.at(-1)! - first) / Math.max(1, inner.length - 1);
      if (!evenlySpacedEdges(inner))
        throw new Error(`Histograms of more than ${MAX_INLINE_EDGES + 1} bins need evenly spaced edges.`);
      const key = JSON.stringify([spec.target, inner]);
      const group = groups.get(key) ?? { inner, first, step, specs: [] };
      group.specs.push(spec);
      groups.set(key, group);
    }
    const shapes = [...groups.values()];
    const members = Math.max(0, ...shapes.map((g) => g.specs.length));
    const nativeFine = nativeBins && shapes.every((g) => g.inner.length <= NATIVE_FINE_BINS_MAX_EDGES);
    const whereSql = (params: Params, spec: (typeof numeric)[number]) =>
      spec.where
        ? `${targetSql(columns, { field: spec.where.field })} = ${params.add(spec.where.equals)}`
        : 'true';
    const fine =
      shapes.length === 0 || rows.length === 0
        ? []
        : nativeFine
          ? await run((params, src) => {
              const values: string[] = [];
              const histograms: string[] = [];
              shapes.forEach(({ specs, inner }, j) => {
                values.push(`CAST(${targetSql(columns, specs[0]!.target)} AS DOUBLE) AS v${j}`);
                const edges = params.add(JSON.stringify(inner));
                specs.forEach((spec, m) => {
                  values.push(`(${whereSql(params, spec)}) AS c${j}_${m}`);
                  histograms.push(
                    `vigil_fine_bins(v${j}, CAST(${edges} AS DOUBLE[])) FILTER (WHERE c${j}_${m}) AS h${j}_${m}`,
                  );
                });
              });
              return `WITH e AS (${src}) SELECT ${oneWindow ? 'NULL::DOUBLE' : '__w'} AS w, ${histograms.join(', ')}
                FROM (SELECT __w, ${values.join(', ')} FROM e) ${oneWindow ? '' : 'GROUP BY __w'}`;
            })
          : await run((params, src) => {
              const parts = shapes.map(({ specs, inner, first, step }, j) => {
                const t = targetSql(columns, specs[0]!.target);
                const conditions = specs.map((spec, m) => `(${whereSql(params, spec)}) AS c${m}`);
                const sums = Array.from({ length: members }, (_, m) =>
                  m < specs.length
                    ? `count(*) FILTER (WHERE c${m}) AS n${m}, sum(v) FILTER (WHERE c${m}) AS s${m}`
                    : `NULL AS n${m}, NULL AS s${m}`,
                );
                // The arithmetic bin can be off by one next to an edge (rounding): checked against the edges.
                const edges = `CAST(${params.add(JSON.stringify(inner))} AS DOUBLE[])`;
                const guess = `CAST(least(greatest(floor((v - ${params.add(first)}) / ${params.add(step)}) + 1, 0), ${params.add(inner.length)}) AS INTEGER)`;
                return `SELECT ${j} AS j, __w AS w, b, ${sums.join(', ')} FROM (
          SELECT *, k + CASE WHEN k < ${inner.length} AND v >= ${edges}[k + 1] THEN 1
                             WHEN k > 0 AND v < ${edges}[k] THEN -1 ELSE 0 END AS b
          FROM (SELECT *, ${guess} AS k FROM (
            SELECT __w, CAST(${t} AS DOUBLE) AS v, ${conditions.join(', ')} FROM e) WHERE v IS NOT NULL))
          GROUP BY __w, b`;
              });
              return `WITH e AS (${src}) ${parts.join(' UNION ALL ')}`;
            });
    // One row per window, a histogram per (shape, member); or one row per (shape, window, bin).
    if (nativeFine) {
      for (const row of fine) {
        shapes.forEach(({ specs }, j) => {
          specs.forEach((spec, m) => {
            const target = profileOf(row.w).numeric[spec.key];
            const histogram = row[`h${j}_${m}`] as { bin_counts: bigint[]; bin_sums: number[] } | null;
            if (!target || !histogram) return;
            histogram.bin_counts.forEach((count, b) => {
              // Empty bins keep the sums of no rows (as the GROUP BY, which has no row for them).
              if (toNumber(count) === 0) return;
              target.counts[b] = toNumber(count);
              target.sums[b] = histogram.bin_sums[b]!;
            });
          });
        });
      }
    } else {
      for (const row of fine) {
        const { specs } = shapes[toNumber(row.j)]!;
        const b = toNumber(row.b);
        specs.forEach((spec, m) => {
          const target = profileOf(row.w).numeric[spec.key];
          const n = toNumber(row[`n${m}`]);
          if (!target || n === 0) return;
          target.counts[b] = n;
          target.sums[b] = toNullableNumber(row[`s${m}`]) ?? 0;
        });
      }
    }
  }

  // Pass 2: every categorical column counted in one scan, then ranked in the engine: only each
  // column's most frequent categories, one row for the rest and one for the nulls come back.
  // Large windows count by `GROUPING SETS`, one set per column (a small hash table each), about
  // twice as fast as a `histogram` map per column on a million rows; small windows keep the
  // maps, whose fixed cost per statement is about half (unpivoting every column into (key,
  // value) pairs first cost more than either).
  const categorical = request.categorical ?? [];
  const readCategorical = (catRows: Row[]): void => {
    for (const row of catRows) {
      const profile = profileOf(row.w);
      const key = categorical[toNumber(row.j)]!.key;
      profile.categorical[key] ??= { counts: {}, nulls: 0, otherCount: 0 };
      const target = profile.categorical[key]!;
      const n = toNumber(row.n);
      const kind = toNumber(row.t);
      if (kind === 0) target.counts[row.v as string] = n;
      else if (kind === 1) target.otherCount += n;
      else target.nulls += n;
    }
    for (const profile of byWindow.values()) {
      for (const c of categorical) profile.categorical[c.key] ??= { counts: {}, nulls: 0, otherCount: 0 };
    }
  };

  const scanned = rows.reduce((sum, row) => sum + toNumber(row.n), 0);
  if (categorical.length > 0 && scanned >= options.groupingSetsFromRows) {
    const catRows = await run((params, src) => {
      const keys = categorical.map((_, j) => `k${j}`);
      const values = categorical.map(
        (c, j) => `CAST(${targetSql(columns, c.target)} AS VARCHAR) AS ${keys[j]}`,
      );
      const limits = params.add(JSON.stringify(categorical.map((c) => c.limit ?? DEFAULT_CATEGORY_LIMIT)));
      // In the set of column j every other key is grouped out: GROUPING tells which set a row is of.
      const column = `CASE ${keys.map((k, j) => `WHEN GROUPING(${k}) = 0 THEN ${j}`).join(' ')} END`;
      const value = `CASE ${keys.map((k) => `WHEN GROUPING(${k}) = 0 THEN ${k}`).join(' ')} END`;
      return `WITH e AS (${src}), x AS (SELECT __w, ${values.join(', ')} FROM e),
        g AS (SELECT __w, ${column} AS j, ${value} AS v, count(*) AS n FROM x
              GROUP BY GROUPING SETS (${keys.map((k) => `(__w, ${k})`).join(', ')})),
        r AS (SELECT __w, j, v, n,
                row_number() OVER (PARTITION BY __w, j ORDER BY n DESC, v) > CAST(${limits} AS BIGINT[])[j + 1] AS other
              FROM g WHERE v IS NOT NULL)
        SELECT __w AS w, j, v, n, 0 AS t FROM r WHERE NOT other
        UNION ALL SELECT __w, j, NULL, sum(n), 1 FROM r WHERE other GROUP BY __w, j
        UNION ALL SELECT __w, j, NULL, n, 2 FROM g WHERE v IS NULL`;
    });
    readCategorical(catRows);
  } else if (categorical.length > 0) {
    const catRows = await run((params, src) => {
      const values = categorical.map((c) => `CAST(${targetSql(columns, c.target)} AS VARCHAR)`);
      const limits = params.add(JSON.stringify(categorical.map((c) => c.limit ?? DEFAULT_CATEGORY_LIMIT)));
      const counts = values.map((v, j) => `histogram(${v}) AS h${j}, count(${v}) AS n${j}`);
      const columnsOfWindow = values.map((_, j) => `{'j': ${j}, 'h': h${j}, 'nulls': __n - n${j}}`);
      return `WITH e AS (${src}),
        h AS (SELECT __w, count(*) AS __n, ${counts.join(', ')} FROM e GROUP BY __w),
        c AS (SELECT __w, unnest([${columnsOfWindow.join(', ')}]) AS x FROM h),
        g AS (SELECT __w, x.j AS j, unnest(map_entries(x.h)) AS kv FROM c),
        r AS (SELECT __w, j, kv.key AS v, kv.value AS n,
                row_number() OVER (PARTITION BY __w, j ORDER BY kv.value DESC, kv.key) > CAST(${limits} AS BIGINT[])[j + 1] AS other
              FROM g)
        SELECT __w AS w, j, v, n, 0 AS t FROM r WHERE NOT other
        UNION ALL SELECT __w, j, NULL, sum(n), 1 FROM r WHERE other GROUP BY __w, j
        UNION ALL SELECT __w, x.j, NULL, x.nulls, 2 FROM c WHERE x.nulls > 0`;
    });
    readCategorical(catRows);
  }
  if (request.confusion) {
    const confusion = await run(
      (_params, src) => `WITH e AS (${src}) SELECT __w AS w, prediction, __label AS label, count(*) AS n
        FROM e WHERE __label IS NOT NULL GROUP BY ALL ORDER BY ALL`,
    );
    for (const row of confusion) {
      profileOf(row.w).confusion.push({
        prediction: (row.prediction as string | null) ?? null,
        label: row.label as string,
        count: toNumber(row.n),
      });
    }
  }

  if (request.regression) {
    const sums = await run(
      (_params, src) => `WITH e AS (${src}) SELECT __w AS w, count(*) AS n, sum(d) AS se, sum(abs(d)) AS sae,
          sum(d * d) AS sse, sum(__label_num) AS sl, sum(__label_num * __label_num) AS ssl,
          count(*) FILTER (WHERE __label_num <> 0) AS nz, sum(abs(d) / abs(__label_num)) FILTER (WHERE __label_num <> 0) AS sape
        FROM (SELECT __w, __label_num, prediction_num - __label_num AS d FROM e
              WHERE prediction_num IS NOT NULL AND __label_num IS NOT NULL) GROUP BY __w`,
    );
    for (const row of sums) {
      profileOf(row.w).regression = {
        count: toNumber(row.n),
        sumError: toNullableNumber(row.se) ?? 0,
        sumAbsError: toNullableNumber(row.sae) ?? 0,
        sumSquaredError: toNullableNumber(row.sse) ?? 0,
        sumLabel: toNullableNumber(row.sl) ?? 0,
        sumSquaredLabel: toNullableNumber(row.ssl) ?? 0,
        nonZeroLabels: toNumber(row.nz),
        sumAbsPercentageError: toNullableNumber(row.sape) ?? 0,
      };
    }
  }

  if (request.violations) {
    const violations = await run(
      (_params, src) => `WITH e AS (${src}) SELECT __w AS w, v, count(*) AS n
        FROM (SELECT __w, unnest(CAST(json_extract_string(violations, '$[*]') AS VARCHAR[])) AS v FROM e
              WHERE violations IS NOT NULL) GROUP BY ALL`,
    );
    for (const row of violations) profileOf(row.w).violations[row.v as string] = toNumber(row.n);
  }

  return [...byWindow.values()].sort((a, b) => (a.window ?? 0) - (b.window ?? 0));
}

/** Row counts of time ranges of a model's predictions in DuckDB (see `storage/prediction-counts.ts`). */
import type { PredictionCountRequest, PredictionCounts } from '../prediction-counts.js';
import { physicalColumn, predictionsTable } from '../sql.js';
import type { ModelColumn } from '../types.js';
import { type DuckDbDatabase, toNumber } from './database.js';
import type { FirstPredictionBounds } from './first-predictions.js';
import { Params } from './profiles.js';

/**
 * One statement: a `UNION ALL` of one count per range, each pruned to its own range (an `OR` of
 * the ranges would read every row between them), and a count of at most one row for `anyIn`.
 * The branches read the table itself: wrapped in the profiles' row source (every column, the
 * labels, the window) or as scalar subqueries, the same counts took 5–20 times longer to plan.
 *
 * What `first` (the model's first prediction) already answers is not read: ranges that end by
 * it are empty, and so is `anyIn` if it does; `anyIn` holds a row if the first prediction
 * certainly lies inside it (counting every row, with neither version nor segment).
 */
export async function duckDbCountPredictions(
  db: DuckDbDatabase,
  modelId: number,
  columns: ModelColumn[],
  request: PredictionCountRequest,
  first: FirstPredictionBounds,
): Promise<PredictionCounts> {
  const { ranges, anyIn, version, segment } = request;
  if (ranges.length === 0 && anyIn === undefined) return { counts: [], any: false };
  const params = new Params();
  const scope: string[] = [];
  if (version !== undefined) scope.push(`p.version = ${params.add(version)}`);
  if (segment !== undefined) {
    // A segment, or any categorical column, as window profiles select it.
    const column =
      columns.findLast((c) => c.name === segment.name && c.role === 'segment') ??
      columns.findLast((c) => c.name === segment.name);
    if (!column) throw new Error(`Unknown segment "${segment.name}".`);
    scope.push(`CAST(p.${physicalColumn(column.position)} AS VARCHAR) = ${params.add(segment.value)}`);
  }
  const ts = (micros: number) => `make_timestamp(CAST(${params.add(micros)} AS BIGINT))`;
  const rowsIn = (range: { fromMicros: number; toMicros: number }) =>
    `FROM ${predictionsTable(modelId)} p WHERE ${[
      `p.ts >= ${ts(range.fromMicros)}`,
      `p.ts < ${ts(range.toMicros)}`,
      ...scope,
    ].join(' AND ')}`;
  const branches: string[] = [];
  for (const [i, range] of ranges.entries())
    if (range.toMicros > first.notBefore) branches.push(`SELECT ${i} AS k, count(*) AS n ${rowsIn(range)}`);
  let anyKnown: boolean | null = null;
  if (anyIn === undefined || anyIn.toMicros <= first.notBefore) anyKnown = false;
  else if (
    scope.length === 0 &&
    first.storedAt !== null &&
    anyIn.fromMicros <= first.notBefore &&
    first.storedAt < anyIn.toMicros
  )
    anyKnown = true;
  else branches.push(`SELECT -1 AS k, count(*) AS n FROM (SELECT 1 ${rowsIn(anyIn)} LIMIT 1)`);
  const counts = new Map<number, number>();
  if (branches.length > 0)
    for (const row of await db.read(branches.join(' UNION ALL '), params.values))
      counts.set(toNumber(row.k), toNumber(row.n));
  return { counts: ranges.map((_, i) => counts.get(i) ?? 0), any: anyKnown ?? (counts.get(-1) ?? 0) > 0 };
}

/** Bounded row samples in DuckDB (see `storage/samples.ts`). */

import { compareText } from '../../util/text-order.js';
import type { RowSample, SampleRequest, WindowRows, WindowRowsRequest } from '../samples.js';
import { physicalColumn, predictionsTable, referenceTable } from '../sql.js';
import type { ModelColumn } from '../types.js';
import { type DuckDbDatabase, toNumber } from './database.js';
import { Params, resolveColumn, sourceSql, targetSql } from './profiles.js';

export async function duckDbSampleRows(
  db: DuckDbDatabase,
  modelId: number,
  columns: ModelColumn[],
  request: SampleRequest,
): Promise<RowSample> {
  const limit = Math.trunc(request.limit);
  if (!Number.isSafeInteger(limit) || limit < 1) throw new Error(`Bad sample limit ${request.limit}.`);
  const params = new Params();
  const source = request.source;
  // Recorded order: timestamp, then insertion order for reference rows (their ids may be random),
  // the id for traffic. Reference rows are drawn by a hash of their position in the dataset (the
  // n-th row stored), not of their id: ids are generated per upload when the data has none, and
  // two uploads of the same rows must give the same sample (and so the same PCA fit).
  const reference = source.kind === 'reference';
  if (reference && request.ranked) throw new Error('Ranked samples are drawn from predictions only.');
  if (request.rankAtMost !== undefined && !request.ranked)
    throw new Error('A rank bound needs a ranked sample.');
  const src = reference
    ? `SELECT r.*, r.rowid AS __pos, r.rowid AS __rowid, row_number() OVER (ORDER BY r.rowid) AS __key
       FROM ${referenceTable(modelId)} r WHERE r.dataset_id = ${params.add(source.datasetId)}`
    : `SELECT p.*, p.id AS __pos, p.id AS __key FROM (${sourceSql(modelId, columns, { source }, params, false)}) p`;
  const sourceParams = params.values.length;
  const column = (name: string) => `e.${physicalColumn(resolveColumn(columns, name).position)}`;
  const selected = [
    ...request.numeric.map((name, i) => `CAST(${column(name)} AS DOUBLE) AS n${i}`),
    ...request.categorical.map((name, i) => `CAST(${column(name)} AS VARCHAR) AS k${i}`),
  ];
  // hash(__key) is a pseudo-random order that depends only on the row: the same rows, the same sample.
  // The top-N orders only row ids, and the sampled rows' columns are read afterwards by row id
  // (carrying every sampled column through the top-N cost about twice as much on a million rows);
  // the count is an aggregate of its own (a window count over every row materialized the window).
  // Reading the rows back is most of the cost, in any form (a hash threshold in the WHERE, a list
  // of row ids): the sampled rows lie in every vector, so every vector of every column is read.
  const table = reference ? referenceTable(modelId) : predictionsTable(modelId);
  // The window's time range, again where its rows are read back: the engine then skips the
  // table's other row groups instead of reading every row of the model to find the sampled ones.
  const bounds: string[] = [];
  if (source.kind === 'predictions') {
    if (source.fromMicros !== undefined) bounds.push(`e.ts >= ${params.timestamp(source.fromMicros)}`);
    if (source.toMicros !== undefined) bounds.push(`e.ts < ${params.timestamp(source.toMicros)}`);
  }
  const found = await db.readColumns(
    `WITH e AS NOT MATERIALIZED (${src}),
      t AS (SELECT e.__rowid FROM e${
        request.rankAtMost !== undefined
          ? ` WHERE hash(e.__key) <= CAST(${params.add(request.rankAtMost.toString())} AS UBIGINT)`
          : ''
      } ORDER BY hash(e.__key), e.__pos LIMIT ${limit}),
      s AS (SELECT ${[
        ...selected,
        'e.ts',
        `${reference ? 'e.rowid' : 'e.id'} AS __pos`,
        ...(request.ranked ? ['hash(e.id) AS __rank', 'epoch_us(e.ts)::DOUBLE AS __micros'] : []),
      ].join(', ')}
            FROM ${table} e SEMI JOIN t ON e.rowid = t.__rowid${bounds.length > 0 ? ` WHERE ${bounds.join(' AND ')}` : ''})
     SELECT (SELECT count(*) FROM e) AS __total, s.* FROM s ORDER BY s.ts, s.__pos`,
    params.values,
  );
  const total = found.__total ?? [];
  let totalRows = total.length > 0 ? toNumber(total[0]) : 0;
  // No row drawn under a rank bound says nothing of the rows there are: count them.
  if (total.length === 0 && request.rankAtMost !== undefined) {
    const counted = await db.readColumns(
      `WITH e AS NOT MATERIALIZED (${src}) SELECT count(*) AS n FROM e`,
      params.values.slice(0, sourceParams),
    );
    totalRows = toNumber(counted.n?.[0] ?? 0);
  }
  const sample: RowSample = {
    totalRows,
    rows: total.length,
    numeric: {},
    categorical: {},
  };
  request.numeric.forEach((name, i) => {
    const column = found[`n${i}`] ?? [];
    const values = new Float64Array(column.length);
    for (let r = 0; r < column.length; r++) {
      const v = column[r];
      values[r] = v === null || v === undefined ? Number.NaN : toNumber(v);
    }
    sample.numeric[name] = values;
  });
  request.categorical.forEach((name, i) => {
    sample.categorical[name] = (found[`k${i}`] ?? []) as (string | null)[];
  });
  if (request.ranked) {
    sample.ranks = {
      rank: (found.__rank ?? []).map((v) => BigInt(v as bigint)),
      id: (found.__pos ?? []) as string[],
      micros: (found.__micros ?? []).map(toNumber),
    };
  }
  return sample;
}

/**
 * Every row of a small window (see `WindowRowsRequest`): one statement, read by column straight
 * from the result's vectors, with the casts profiles make done here too, so the text of a number
 * or a boolean is the engine's own. `limit + 1` rows at most: one more than the limit says the
 * window is not small.
 *
 * The statement does not sort: sorting carried every column through the engine's sort, about a
 * fifth of the statement's cost, and rows mostly arrive in order. They are put in recorded order
 * (timestamp, then id: the ids of a model's predictions are unique) here, where rows already in
 * order cost one pass.
 */
export async function duckDbWindowRows(
  db: DuckDbDatabase,
  modelId: number,
  columns: ModelColumn[],
  request: WindowRowsRequest,
): Promise<WindowRows> {
  const limit = Math.trunc(request.limit);
  if (!Number.isSafeInteger(limit) || limit < 0) throw new Error(`Bad row limit ${request.limit}.`);
  const { source } = request;
  if (source.kind !== 'predictions' || source.windowStarts !== undefined)
    throw new Error('Window rows are read from a predictions source without window starts.');
  const params = new Params();
  const src = sourceSql(modelId, columns, { source }, params, request.labels);
  const selected = [
    'epoch_us(e.ts)::DOUBLE AS __t',
    'e.id AS __id',
    ...request.numeric.map((target, i) => `CAST(${targetSql(columns, target)} AS DOUBLE) AS n${i}`),
    ...request.text.map((target, i) => `CAST(${targetSql(columns, target)} AS VARCHAR) AS k${i}`),
    // The stored JSON text: most rows have none, and extracting a list per row costs more.
    ...(request.violations ? ['e.violations AS __violations'] : []),
  ];
  const found = await db.readTyped(
    `SELECT ${selected.join(', ')} FROM (${src}) e LIMIT ${limit + 1}`,
    params.values,
  );
  if (found.rows > limit) {
    return { withinLimit: false, rows: 0, timestamps: new Float64Array(0), numeric: [], text: [] };
  }
  const times = found.numbers('__t');
  const order = recordedOrder(times, found.text('__id'));
  // Plain loops: Float64Array.from with a map function costs ten times more.
  const numbers = (column: Float64Array) => {
    if (order === null) return column;
    const moved = new Float64Array(order.length);
    for (let k = 0; k < order.length; k++) moved[k] = column[order[k]!]!;
    return moved;
  };
  const texts = <T>(column: T[]) => {
    if (order === null) return column;
    const moved = new Array<T>(order.length);
    for (let k = 0; k < order.length; k++) moved[k] = column[order[k]!]!;
    return moved;
  };
  return {
    withinLimit: true,
    rows: found.rows,
    timestamps: numbers(times),
    numeric: request.numeric.map((_, i) => numbers(found.numbers(`n${i}`))),
    text: request.text.map((_, i) => texts(found.text(`k${i}`))),
    ...(request.violations ? { violations: violationLists(texts(found.text('__violations'))) } : {}),
  };
}

/**
 * The rows' positions in recorded order (by timestamp, then id in the engine's order of text),
 * or null when they are in that order already.
 */
export function recordedOrder(times: Float64Array, ids: (string | null)[]): number[] | null {
  const before = (a: number, b: number) => times[a]! - times[b]! || compareText(ids[a]!, ids[b]!);
  let sorted = true;
  for (let r = 1; r < times.length && sorted; r++) sorted = before(r - 1, r) < 0;
  if (sorted) return null;
  const order = new Array<number>(times.length);
  for (let r = 0; r < times.length; r++) order[r] = r;
  return order.sort(before);
}

/** Each row's violations; rows that stored the same text share one parsed list. */
function violationLists(stored: (string | null)[]): string[][] {
  const parsed = new Map<string, string[]>();
  return stored.map((text) => {
    if (text === null) return [];
    let list = parsed.get(text);
    if (!list) {
      list = violationList(text);
      parsed.set(text, list);
    }
    return list;
  });
}

/** A row's stored violations (a JSON array of strings), each as `json_extract_string` gives it. */
function violationList(stored: string | null): string[] {
  if (stored === null || stored === '[]') return [];
  const parsed = JSON.parse(stored) as unknown;
  if (!Array.isArray(parsed)) return [];
  return parsed.map((v) => (typeof v === 'string' ? v : JSON.stringify(v)));
}

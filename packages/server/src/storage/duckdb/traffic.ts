/**
 * The traffic rollup: predictions per model and hour (with the newest prediction time and the
 * version on the newest prediction that has one), and per model the total and the newest
 * prediction time. Written in the transaction that stores the predictions, so it never
 * disagrees with them, even after a crash; the overview and the health summary read it instead
 * of every model's prediction table.
 */
import type { DuckDBConnection, DuckDBValue } from '@duckdb/node-api';
import { predictionsTable } from '../sql.js';
import { runPrepared } from './prepared.js';

export const TRAFFIC_HOUR_MICROS = 3_600_000_000;

/** One hour's share of a batch of predictions. */
export interface HourTraffic {
  hourMicros: number;
  predictions: number;
  /** The earliest and the newest prediction of the hour. */
  firstMicros: number;
  lastMicros: number;
  /** The version on the newest prediction of the hour that has one, and that prediction's time. */
  version: string | null;
  versionMicros: number | null;
}

/** A batch's predictions per hour, from their times and versions (row `i` of each). */
export function hourlyTraffic(
  length: number,
  timestampMicros: (i: number) => number,
  version: (i: number) => string | null,
): HourTraffic[] {
  const hours = new Map<number, HourTraffic>();
  for (let i = 0; i < length; i++) {
    const micros = timestampMicros(i);
    const hourMicros = Math.floor(micros / TRAFFIC_HOUR_MICROS) * TRAFFIC_HOUR_MICROS;
    let hour = hours.get(hourMicros);
    if (!hour) {
      hour = {
        hourMicros,
        predictions: 0,
        firstMicros: micros,
        lastMicros: micros,
        version: null,
        versionMicros: null,
      };
      hours.set(hourMicros, hour);
    }
    hour.predictions++;
    if (micros < hour.firstMicros) hour.firstMicros = micros;
    if (micros > hour.lastMicros) hour.lastMicros = micros;
    const v = version(i);
    if (v !== null && (hour.versionMicros === null || micros >= hour.versionMicros)) {
      hour.version = v;
      hour.versionMicros = micros;
    }
  }
  return [...hours.values()];
}

/** Adds `hours` (of a later batch) to `into`, by hour, as the rollup's upserts would. */
export function mergeHourTraffic(into: Map<number, HourTraffic>, hours: HourTraffic[]): void {
  for (const h of hours) {
    const hour = into.get(h.hourMicros);
    if (!hour) {
      into.set(h.hourMicros, { ...h });
      continue;
    }
    hour.predictions += h.predictions;
    hour.firstMicros = Math.min(hour.firstMicros, h.firstMicros);
    hour.lastMicros = Math.max(hour.lastMicros, h.lastMicros);
    if (h.versionMicros !== null && (hour.versionMicros === null || h.versionMicros >= hour.versionMicros)) {
      hour.version = h.version;
      hour.versionMicros = h.versionMicros;
    }
  }
}

const UPSERT_HOURS = `ON CONFLICT (model_id, hour_us) DO UPDATE SET
    predictions = prediction_traffic.predictions + excluded.predictions,
    last_us = greatest(prediction_traffic.last_us, excluded.last_us),
    version = CASE WHEN excluded.version_us IS NOT NULL AND (prediction_traffic.version_us IS NULL
      OR excluded.version_us >= prediction_traffic.version_us) THEN excluded.version ELSE prediction_traffic.version END,
    version_us = CASE WHEN excluded.version_us IS NOT NULL AND (prediction_traffic.version_us IS NULL
      OR excluded.version_us >= prediction_traffic.version_us) THEN excluded.version_us ELSE prediction_traffic.version_us END`;

const UPSERT_MODEL = `ON CONFLICT (model_id) DO UPDATE SET
    predictions = model_traffic.predictions + excluded.predictions,
    last_us = greatest(model_traffic.last_us, excluded.last_us)`;

const HOUR_COLUMNS = 'model_id, hour_us, predictions, last_us, version, version_us';

const VERSION_IS_NEWER = (table: string, versionUs: string) =>
  `${versionUs} IS NOT NULL AND (${table}.version_us IS NULL OR ${versionUs} >= ${table}.version_us)`;

const UPDATE_HOUR = `UPDATE prediction_traffic SET
    predictions = predictions + $3::BIGINT,
    last_us = greatest(last_us, $4::BIGINT),
    version = CASE WHEN ${VERSION_IS_NEWER('prediction_traffic', '$6::BIGINT')} THEN $5::VARCHAR ELSE version END,
    version_us = CASE WHEN ${VERSION_IS_NEWER('prediction_traffic', '$6::BIGINT')} THEN $6::BIGINT ELSE version_us END
  WHERE model_id = $1 AND hour_us = $2::BIGINT`;

const UPDATE_MODEL = `UPDATE model_traffic SET
    predictions = predictions + $2::BIGINT, last_us = greatest(last_us, $3::BIGINT)
  WHERE model_id = $1`;

/**
 * Hours of one batch that are updated one statement each; a batch spread over more (a backfill)
 * takes one upsert for all of them.
 */
const HOURS_UPDATED_ONE_BY_ONE = 4;

/**
 * Adds a batch's hours to the rollup. The caller holds the write lock and is inside the
 * transaction that stores the batch. A model's current hour and its total are nearly always
 * there already, and DuckDB updates a row for about a fifth of the CPU of an `INSERT … ON
 * CONFLICT DO UPDATE` (0.6 against 3.3 ms each, measured): so an UPDATE first, and an INSERT
 * only of what it did not find. Nothing else writes between the two (one writer, under its lock).
 */
export async function addTraffic(writer: DuckDBConnection, modelId: number, hours: HourTraffic[]) {
  if (hours.length === 0) return;
  let missing = hours;
  if (hours.length <= HOURS_UPDATED_ONE_BY_ONE) {
    missing = [];
    for (const h of hours) {
      const updated = await runPrepared(writer, UPDATE_HOUR, [
        modelId,
        h.hourMicros,
        h.predictions,
        h.lastMicros,
        h.version,
        h.versionMicros,
      ]);
      if (updated.rowsChanged === 0) missing.push(h);
    }
  }
  if (missing.length > 0) {
    const params: DuckDBValue[] = [modelId];
    const rows = missing.map((h) => {
      const at = params.length;
      params.push(h.hourMicros, h.predictions, h.lastMicros, h.version, h.versionMicros);
      return `($1, $${at + 1}::BIGINT, $${at + 2}::BIGINT, $${at + 3}::BIGINT, $${at + 4}::VARCHAR, $${at + 5}::BIGINT)`;
    });
    await writer.run(
      `INSERT INTO prediction_traffic (${HOUR_COLUMNS}) VALUES ${rows.join(', ')} ${UPSERT_HOURS}`,
      params,
    );
  }
  let predictions = 0;
  let last = Number.NEGATIVE_INFINITY;
  for (const h of hours) {
    predictions += h.predictions;
    last = Math.max(last, h.lastMicros);
  }
  const updated = await runPrepared(writer, UPDATE_MODEL, [modelId, predictions, last]);
  if (updated.rowsChanged === 0) {
    await writer.run(
      `INSERT INTO model_traffic (model_id, predictions, last_us) VALUES ($1, $2::BIGINT, $3::BIGINT) ${UPSERT_MODEL}`,
      [modelId, predictions, last],
    );
  }
}

/**
 * The same for predictions already in the model's table, chosen by `where` (a condition on
 * `p`, the table): the staged path of re-sent batches, and the migration that fills the rollup
 * from the tables that existed before it.
 */
export function addTrafficOfStoredStatements(modelId: number, where = 'true'): string[] {
  const id = Math.trunc(modelId);
  const hours = `SELECT ${id} AS model_id, (floor(us / ${TRAFFIC_HOUR_MICROS}) * ${TRAFFIC_HOUR_MICROS})::BIGINT AS hour_us,
      count(*) AS predictions, max(us) AS last_us,
      arg_max(version, us) FILTER (WHERE version IS NOT NULL) AS version,
      max(us) FILTER (WHERE version IS NOT NULL) AS version_us
    FROM (SELECT epoch_us(p.ts) AS us, p.version FROM ${predictionsTable(id)} p WHERE ${where})
    GROUP BY hour_us`;
  return [
    `INSERT INTO model_traffic (model_id, predictions, last_us)
       SELECT ${id}, count(*), max(epoch_us(p.ts)) FROM ${predictionsTable(id)} p WHERE ${where}
       HAVING count(*) > 0 ${UPSERT_MODEL}`,
    `INSERT INTO prediction_traffic (${HOUR_COLUMNS}) ${hours} ${UPSERT_HOURS}`,
  ];
}

/** Forgets a deleted model's traffic. */
export const DELETE_TRAFFIC_STATEMENTS = [
  'DELETE FROM prediction_traffic WHERE model_id = $1',
  'DELETE FROM model_traffic WHERE model_id = $1',
];

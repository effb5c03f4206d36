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

/**
 * A group commit's traffic is appended to `traffic_deltas` as it is, a row per model and hour:
 * one INSERT of a few rows, where updating the rollup's rows in place took two UPDATEs (about
 * 3 ms of DuckDB's time per group commit, and their share of the COMMIT) on the writer that
 * every acknowledgement waits for. Readers sum the deltas with the rollup (`TRAFFIC_HOURS`,
 * `TRAFFIC_TOTALS`), and the deltas are folded into it once enough have gathered
 * (`COMPACT_TRAFFIC_STATEMENTS`), in a transaction of its own after the commit that passes the mark.
 */
export const TRAFFIC_DELTAS_BEFORE_COMPACTION = 512;

/** Every hour's traffic, the rollup's rows and the deltas not yet folded in (several rows per hour). */
export const TRAFFIC_HOURS = `(SELECT model_id, hour_us, predictions, last_us, version, version_us FROM prediction_traffic
    UNION ALL SELECT model_id, hour_us, predictions, last_us, version, version_us FROM traffic_deltas)`;

/** Each model's total and newest prediction time, from the rollup and the deltas (several rows per model). */
export const TRAFFIC_TOTALS = `(SELECT model_id, predictions, last_us FROM model_traffic
    UNION ALL SELECT model_id, predictions, last_us FROM traffic_deltas)`;

/** Folds the deltas into the rollup (per hour, then per model) and empties them, in one transaction. */
export const COMPACT_TRAFFIC_STATEMENTS = [
  `INSERT INTO prediction_traffic (${HOUR_COLUMNS})
     SELECT model_id, hour_us, sum(predictions), max(last_us),
       arg_max(version, version_us) FILTER (WHERE version_us IS NOT NULL), max(version_us)
     FROM traffic_deltas GROUP BY model_id, hour_us ${UPSERT_HOURS}`,
  `INSERT INTO model_traffic (model_id, predictions, last_us)
     SELECT model_id, sum(predictions), max(last_us) FROM traffic_deltas GROUP BY model_id ${UPSERT_MODEL}`,
  'DELETE FROM traffic_deltas',
];

/**
 * Adds a group commit's hours to the traffic: appended as deltas. The caller holds the write
 * lock and is inside the transaction that stores the predictions.
 */
export async function addTraffic(writer: DuckDBConnection, modelId: number, hours: HourTraffic[]) {
  if (hours.length === 0) return;
  const params: DuckDBValue[] = [Math.trunc(modelId)];
  const rows = hours.map((h) => {
    const at = params.length;
    params.push(h.hourMicros, h.predictions, h.lastMicros, h.version, h.versionMicros);
    return `($1, $${at + 1}::BIGINT, $${at + 2}::BIGINT, $${at + 3}::BIGINT, $${at + 4}::VARCHAR, $${at + 5}::BIGINT)`;
  });
  const sql = `INSERT INTO traffic_deltas (${HOUR_COLUMNS}) VALUES ${rows.join(', ')}`;
  // A group's usual one or two hours take a statement prepared once; a backfill's many, one of its own.
  if (hours.length <= HOURS_PREPARED) await runPrepared(writer, sql, params);
  else await writer.run(sql, params);
}

/** Groups spanning up to this many hours insert their deltas through a prepared statement. */
const HOURS_PREPARED = 4;

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
  'DELETE FROM traffic_deltas WHERE model_id = $1',
];

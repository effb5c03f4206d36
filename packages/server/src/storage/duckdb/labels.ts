/**
 * Where labels are stored, and how a window joins them.
 *
 * A model's labels whose prediction is stored live in its own table (`m<id>_labels`), each
 * with the timestamp of the prediction it labels (`prediction_ts`). A window joins only the
 * labels of its own time range, and the table's zone maps prune that to the row groups
 * written since the range began (a label is written after its prediction, so older row groups
 * hold older prediction times only): the join's cost follows the window, not the label
 * history, nor other models' labels.
 *
 * Labels that arrive before their prediction wait in `pending_labels` (all models; usually
 * empty); the prediction's insert moves them over, in its transaction. So an id's label is
 * in exactly one of the two tables, and in `m<id>_labels` exactly when its prediction is
 * stored, with that prediction's timestamp (a stored prediction is never changed; it goes
 * only with its model).
 */
import type { DuckDBConnection } from '@duckdb/node-api';
import { labelsTable, predictionsTable } from '../sql.js';
import { TS_PARAM } from './database.js';

export function labelsTableStatement(modelId: number): string {
  return `CREATE TABLE ${labelsTable(modelId)} (
    id VARCHAR NOT NULL PRIMARY KEY,
    label VARCHAR NOT NULL,
    label_num DOUBLE,
    ts TIMESTAMP NOT NULL,
    received_at TIMESTAMP NOT NULL,
    prediction_ts TIMESTAMP NOT NULL
  )`;
}

/**
 * Moves a model's labels out of the single `labels` table of before (renamed `pending_labels`
 * by the migration): those whose prediction is stored into the model's table, in the
 * order of their predictions' timestamps (so that its zone maps prune from the start).
 */
export function migrateModelLabelsStatements(modelId: number): string[] {
  const table = labelsTable(modelId);
  const predictions = predictionsTable(modelId);
  return [
    labelsTableStatement(modelId),
    `INSERT INTO ${table} (id, label, label_num, ts, received_at, prediction_ts)
       SELECT q.id, q.label, q.label_num, q.ts, q.received_at, p.ts
       FROM pending_labels q JOIN ${predictions} p ON p.id = q.id
       WHERE q.model_id = ${modelId} ORDER BY p.ts, q.id`,
    `DELETE FROM pending_labels WHERE model_id = ${modelId} AND id IN (SELECT id FROM ${table})`,
  ];
}

/** The columns of the staging table that `upsertLabelStatements` reads. */
export const LABEL_STAGE_COLUMNS = '(id VARCHAR, label VARCHAR, label_num DOUBLE, ts TIMESTAMP)';
export const LABEL_TARGET_COLUMNS = '(id VARCHAR, prediction_ts TIMESTAMP)';

/**
 * Upserts the staged labels (one per id; the latest wins) of a model:
 * first the prediction timestamp of each (`temp.<targets>`), then those with one into the
 * model's table and the others into `pending_labels`. `predictionsFresh`: the stage's ids
 * are predictions just stored with the stage's timestamps (labels sent with their
 * predictions), which spares the look-up. The last statement's `rowsChanged` counts the
 * labels left waiting. (The model id is spliced, as in the table names: an integer.)
 */
export function upsertLabelStatements(
  modelId: number,
  stage: string,
  targets: string,
  predictionsFresh: boolean,
): string[] {
  const excluded =
    'label = excluded.label, label_num = excluded.label_num, ts = excluded.ts, received_at = excluded.received_at';
  return [
    predictionsFresh
      ? `INSERT INTO temp.${targets} SELECT id, ts FROM temp.${stage}`
      : `INSERT INTO temp.${targets} SELECT s.id, p.ts FROM temp.${stage} s JOIN ${predictionsTable(modelId)} p ON p.id = s.id`,
    `INSERT INTO ${labelsTable(modelId)} (id, label, label_num, ts, received_at, prediction_ts)
       SELECT s.id, s.label, s.label_num, s.ts, now(), t.prediction_ts FROM temp.${stage} s JOIN temp.${targets} t ON t.id = s.id
       ON CONFLICT (id) DO UPDATE SET ${excluded}`,
    `INSERT INTO pending_labels (model_id, id, label, label_num, ts, received_at)
       SELECT ${modelId}, s.id, s.label, s.label_num, s.ts, now() FROM temp.${stage} s ANTI JOIN temp.${targets} t ON t.id = s.id
       ON CONFLICT (model_id, id) DO UPDATE SET ${excluded}`,
  ];
}

/** The distinct clock minutes (microseconds, ascending) of the predictions in `temp.<targets>`. */
export function labelledMinutesSql(targets: string): string {
  return `SELECT DISTINCT (floor(epoch_us(prediction_ts) / 60000000) * 60000000)::DOUBLE AS minute
    FROM temp.${targets} ORDER BY minute`;
}

/**
 * After predictions with timestamps in [`$2`, `$3`] (microseconds) were stored for model
 * `$1`: the waiting labels of those that are now stored move to the model's table. The
 * range prunes the look-up to the new predictions' row groups (any other prediction in it
 * whose label waits would be moved as rightly).
 */
export function resolvePendingStatements(modelId: number): string[] {
  const stored = `${predictionsTable(modelId)} p ON p.id = q.id AND p.ts >= ${TS_PARAM(2)} AND p.ts <= ${TS_PARAM(3)}`;
  return [
    `INSERT INTO ${labelsTable(modelId)} (id, label, label_num, ts, received_at, prediction_ts)
       SELECT q.id, q.label, q.label_num, q.ts, q.received_at, p.ts FROM pending_labels q JOIN ${stored}
       WHERE q.model_id = $1`,
    `DELETE FROM pending_labels WHERE model_id = $1 AND id IN (SELECT q.id FROM pending_labels q JOIN ${stored} WHERE q.model_id = $1)`,
  ];
}

/**
 * `LEFT JOIN` (or `JOIN`) of a model's labels as `l` to its predictions as `alias`, restricted
 * to the labels of predictions in [from, to) when the query reads such a range (`from` and
 * `to`: SQL expressions of timestamps). The restriction changes no result (a label's
 * `prediction_ts` is its prediction's `ts`); it is what lets the engine skip the labels of
 * other times.
 */
export function labelJoin(
  modelId: number,
  alias: string,
  range: { from?: string; to?: string },
  kind: 'LEFT JOIN' | 'JOIN' = 'LEFT JOIN',
): string {
  const conditions = [`l.id = ${alias}.id`];
  if (range.from !== undefined) conditions.push(`l.prediction_ts >= ${range.from}`);
  if (range.to !== undefined) conditions.push(`l.prediction_ts < ${range.to}`);
  return `${kind} ${labelsTable(modelId)} l ON ${conditions.join(' AND ')}`;
}

/** Every label of a model (stored predictions' and waiting ones), as `id, label, label_num`. */
export function allLabelsSql(modelId: number, modelParam: string): string {
  return `(SELECT id, label, label_num FROM ${labelsTable(modelId)}
    UNION ALL SELECT id, label, label_num FROM pending_labels WHERE model_id = ${modelParam})`;
}

/**
 * Which models may have labels waiting for their prediction, so that a prediction insert of
 * any other model skips the move. Read once from the table; a model is added before its
 * labels are written, and stays (a rolled-back write leaves it listed, which costs only a
 * look-up).
 */
export class PendingLabelModels {
  private models: Set<number> | null = null;

  async has(connection: DuckDBConnection, modelId: number): Promise<boolean> {
    if (this.models === null) {
      const reader = await connection.runAndReadAll('SELECT DISTINCT model_id FROM pending_labels');
      this.models = new Set(reader.getRows().map((row) => Number(row[0])));
    }
    return this.models.has(modelId);
  }

  add(modelId: number): void {
    this.models?.add(modelId);
  }

  forget(modelId: number): void {
    this.models?.delete(modelId);
  }

  /** After a reopen (another file, e.g. a restored backup), read the table again. */
  reset(): void {
    this.models = null;
  }
}

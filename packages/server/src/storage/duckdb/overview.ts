import type { ResultStatus } from '../../domain/monitoring.js';
import type {
  ModelTraffic,
  MonitorStatusRow,
  OpenAlertCounts,
  OverviewRepository,
  TrafficRange,
} from '../overview.js';
import { predictionsTable } from '../sql.js';
import { type DuckDbDatabase, TS_PARAM, toNumber } from './database.js';

const STATUS_RANK_SQL = `CASE r.status WHEN 'alert' THEN 5 WHEN 'error' THEN 4 WHEN 'warning' THEN 3
  WHEN 'insufficient_data' THEN 2 ELSE 1 END`;

/** Models per statement: the per-model tables are read in one UNION ALL per batch. */
const TRAFFIC_BATCH = 250;

export class DuckDbOverviewRepository implements OverviewRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async monitorStatuses(projectId: number): Promise<MonitorStatusRow[]> {
    const rows = await this.db.read(
      `WITH enabled AS (
         SELECT mo.id, mo.model_id, mo.name FROM monitors mo JOIN models m ON m.id = mo.model_id
         WHERE m.project_id = $1 AND mo.enabled
       ),
       latest AS (
         SELECT r.monitor_id, max(r.window_start) AS window_start FROM monitor_results r
         WHERE r.monitor_id IN (SELECT id FROM enabled) GROUP BY r.monitor_id
       )
       SELECT e.model_id, e.name, epoch_us(max(r.window_end))::DOUBLE AS we,
         arg_max(r.status, ${STATUS_RANK_SQL}) AS status
       FROM monitor_results r
       JOIN latest l ON l.monitor_id = r.monitor_id AND l.window_start = r.window_start
       JOIN enabled e ON e.id = r.monitor_id
       GROUP BY e.model_id, e.name ORDER BY e.model_id, e.name`,
      [projectId],
    );
    return rows.map((r) => ({
      modelId: toNumber(r.model_id),
      monitorName: String(r.name),
      status: r.status as ResultStatus,
      windowEndMicros: toNumber(r.we),
    }));
  }

  async openAlertCounts(projectId: number): Promise<Map<number, OpenAlertCounts>> {
    const rows = await this.db.read(
      `SELECT model_id, count(*) AS firing, count(*) FILTER (WHERE acknowledged_ms IS NULL) AS unacknowledged
       FROM alerts WHERE project_id = $1 AND state = 'firing' GROUP BY model_id`,
      [projectId],
    );
    return new Map(
      rows.map((r) => [
        toNumber(r.model_id),
        { firing: toNumber(r.firing), unacknowledged: toNumber(r.unacknowledged) },
      ]),
    );
  }

  async newestRegisteredVersions(projectId: number): Promise<Map<number, string>> {
    const rows = await this.db.read(
      `SELECT v.model_id, arg_max(v.name, v.id) AS name FROM model_versions v
       JOIN models m ON m.id = v.model_id WHERE m.project_id = $1 GROUP BY v.model_id`,
      [projectId],
    );
    return new Map(rows.map((r) => [toNumber(r.model_id), String(r.name)]));
  }

  async traffic(modelIds: number[], range: TrafficRange): Promise<ModelTraffic[]> {
    const width = Math.max(1, Math.ceil((range.toMicros - range.fromMicros) / range.buckets));
    const byModel = new Map<number, ModelTraffic>(
      modelIds.map((id) => [
        id,
        {
          modelId: id,
          latestVersion: null,
          traffic: new Array<number>(range.buckets).fill(0),
        },
      ]),
    );
    for (let i = 0; i < modelIds.length; i += TRAFFIC_BATCH) {
      const batch = modelIds.slice(i, i + TRAFFIC_BATCH);
      // One aggregate over the batch's rows in range, not one per table: planning many small
      // GROUP BYs costs more than the scans.
      const inRange = batch
        .map(
          (id) =>
            `SELECT ${id} AS model_id, ts, version FROM ${predictionsTable(id)} WHERE ts >= ${TS_PARAM(1)} AND ts < ${TS_PARAM(2)}`,
        )
        .join(' UNION ALL ');
      const sql = `SELECT model_id, floor((epoch_us(ts) - $1) / $3)::INTEGER AS b, count(*)::DOUBLE AS n,
          arg_max(version, ts) AS version FROM (${inRange}) GROUP BY ALL`;
      const rows = await this.db.read(sql, [range.fromMicros, range.toMicros, width]);
      const newestBucket = new Map<number, number>();
      for (const row of rows) {
        const activity = byModel.get(toNumber(row.model_id));
        if (!activity || row.n === null || row.n === undefined) continue;
        const bucket = toNumber(row.b);
        if (bucket >= 0 && bucket < range.buckets) {
          activity.traffic[bucket] = toNumber(row.n);
          if (row.version !== null && bucket >= (newestBucket.get(activity.modelId) ?? -1)) {
            newestBucket.set(activity.modelId, bucket);
            activity.latestVersion = String(row.version);
          }
        }
      }
    }
    return modelIds.map((id) => byModel.get(id)!);
  }
}

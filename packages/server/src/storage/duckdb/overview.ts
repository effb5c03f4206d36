import type { ResultStatus } from '../../domain/monitoring.js';
import type {
  ModelTraffic,
  MonitorStatusRow,
  OpenAlertCounts,
  OverviewRepository,
  TrafficRange,
} from '../overview.js';
import { type DuckDbDatabase, toNumber } from './database.js';
import { TRAFFIC_HOUR_MICROS, TRAFFIC_HOURS } from './traffic.js';

const STATUS_RANK_SQL = `CASE r.status WHEN 'alert' THEN 5 WHEN 'error' THEN 4 WHEN 'warning' THEN 3
  WHEN 'insufficient_data' THEN 2 ELSE 1 END`;

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
    const width = (range.toMicros - range.fromMicros) / range.buckets;
    if (
      !Number.isInteger(width / TRAFFIC_HOUR_MICROS) ||
      width <= 0 ||
      range.fromMicros % TRAFFIC_HOUR_MICROS !== 0
    ) {
      throw new Error(
        `Traffic buckets must be whole hours from a whole hour; got ${width} µs from ${range.fromMicros}.`,
      );
    }
    const byModel = new Map<number, ModelTraffic>(
      modelIds.map((id) => [
        id,
        { modelId: id, latestVersion: null, traffic: new Array<number>(range.buckets).fill(0) },
      ]),
    );
    if (modelIds.length === 0) return [];
    // The hourly rollup kept by ingestion (traffic.ts): one table, whatever the number of models.
    const rows = await this.db.read(
      `SELECT model_id, ((hour_us - $2::BIGINT) // $4::BIGINT)::INTEGER AS b, sum(predictions)::DOUBLE AS n,
         arg_max(version, version_us) FILTER (WHERE version IS NOT NULL) AS version,
         max(version_us)::DOUBLE AS version_us
       FROM ${TRAFFIC_HOURS} t
       WHERE model_id IN (SELECT unnest(CAST($1 AS INTEGER[]))) AND hour_us >= $2::BIGINT AND hour_us < $3::BIGINT
       GROUP BY ALL`,
      [JSON.stringify(modelIds.map((id) => Math.trunc(id))), range.fromMicros, range.toMicros, width],
    );
    const newestVersion = new Map<number, number>();
    for (const row of rows) {
      const activity = byModel.get(toNumber(row.model_id));
      const bucket = toNumber(row.b);
      if (!activity || bucket < 0 || bucket >= range.buckets) continue;
      activity.traffic[bucket] = toNumber(row.n);
      if (row.version !== null && row.version !== undefined) {
        const at = toNumber(row.version_us);
        if (at >= (newestVersion.get(activity.modelId) ?? Number.NEGATIVE_INFINITY)) {
          newestVersion.set(activity.modelId, at);
          activity.latestVersion = String(row.version);
        }
      }
    }
    return modelIds.map((id) => byModel.get(id)!);
  }
}

import { inhibitions } from '../../alerts/index.js';
import type { AppContext } from '../../app.js';
import { type Alert, type HealthStatus, modelHealth } from '../../domain/index.js';
import type { ResultStatus } from '../../domain/monitoring.js';
import { formatTimestamp } from '../../ingest/timestamps.js';
import type { MonitorStatusRow } from '../../storage/overview.js';
import { errorResponses } from '../schemas/common.js';
import { OVERVIEW_BUCKETS, Overview, OverviewQuery } from '../schemas/overview.js';
import type { TypedApp } from '../typed-app.js';

const HOUR_MICROS = 3_600_000_000;

interface AlertCounts {
  open: number;
  unacknowledged: number;
  inhibited: number;
}

/**
 * Firing alerts per model, as Alertmanager counts them: an inhibited alert (a warning while the
 * critical of the same series fires, drift while there is no traffic) is not an open alert.
 */
function alertCountsByModel(firing: Alert[]): Map<number, AlertCounts> {
  const inhibited = inhibitions(firing);
  const byModel = new Map<number, AlertCounts>();
  for (const alert of firing) {
    const counts = byModel.get(alert.modelId) ?? { open: 0, unacknowledged: 0, inhibited: 0 };
    if (inhibited.has(alert.id)) counts.inhibited++;
    else {
      counts.open++;
      if (alert.acknowledgedAtMs === null) counts.unacknowledged++;
    }
    byModel.set(alert.modelId, counts);
  }
  return byModel;
}

export function registerOverviewRoutes(app: TypedApp, context: AppContext): void {
  const { store } = context;
  app.get(
    '/api/v1/overview',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['monitors'],
        summary: 'Every model at a glance, for the dashboard',
        description:
          'Per model: health, monitors by status, alerts firing, the last prediction time, the current version and a traffic sparkline. One call, aggregated in the store, for any number of models.',
        querystring: OverviewQuery,
        response: { 200: Overview, ...errorResponses },
      },
    },
    async (request) => {
      const { projectId } = request.auth;
      // Buckets are whole hours (traffic is kept per hour at ingestion) and end on the next
      // boundary, so a reload shows the same buckets.
      const nowMicros = context.now() * 1000;
      const width = Math.ceil(request.query.hours / OVERVIEW_BUCKETS) * HOUR_MICROS;
      const toMicros = Math.ceil(nowMicros / width) * width;
      const range = { fromMicros: toMicros - width * OVERVIEW_BUCKETS, toMicros, buckets: OVERVIEW_BUCKETS };
      const models = await store.listModels(projectId);
      const ids = models.map((m) => m.id);
      const [statuses, firing, versions, traffic, lastPredictions] = await Promise.all([
        store.overview.monitorStatuses(projectId),
        store.alerts.firingAlerts(),
        store.overview.newestRegisteredVersions(projectId),
        store.overview.traffic(ids, range),
        context.monitors.lastPredictionTimes(ids),
      ]);
      const alerts = alertCountsByModel(firing.filter((a) => a.projectId === projectId));
      const statusesByModel = new Map<number, MonitorStatusRow[]>();
      for (const row of statuses) {
        statusesByModel.set(row.modelId, [...(statusesByModel.get(row.modelId) ?? []), row]);
      }
      const byStatus: Partial<Record<HealthStatus, number>> = {};
      let openAlerts = 0;
      const data = models.map((model, index) => {
        const rows = statusesByModel.get(model.id) ?? [];
        const seen = traffic[index]!;
        const lastPrediction = lastPredictions.get(model.id) ?? null;
        const counts: Partial<Record<ResultStatus, number>> = {};
        for (const row of rows) counts[row.status] = (counts[row.status] ?? 0) + 1;
        const status = modelHealth(
          rows.map((r) => r.status),
          lastPrediction !== null,
        );
        const alertCounts = alerts.get(model.id) ?? { open: 0, unacknowledged: 0, inhibited: 0 };
        byStatus[status] = (byStatus[status] ?? 0) + 1;
        openAlerts += alertCounts.open;
        return {
          model: model.name,
          task: model.task,
          description: model.description,
          tags: model.tags,
          status,
          monitors: counts,
          alerting_monitors: rows.filter((r) => r.status === 'alert').map((r) => r.monitorName),
          open_alerts: alertCounts.open,
          unacknowledged_alerts: alertCounts.unacknowledged,
          inhibited_alerts: alertCounts.inhibited,
          last_prediction_at: lastPrediction === null ? null : formatTimestamp(lastPrediction),
          current_version: seen.latestVersion ?? versions.get(model.id) ?? null,
          traffic: seen.traffic,
          created_at: model.createdAt.toISOString(),
        };
      });
      return {
        generated_at: new Date(nowMicros / 1000).toISOString(),
        traffic_range: {
          from: formatTimestamp(range.fromMicros),
          to: formatTimestamp(range.toMicros),
          bucket_seconds: width / 1_000_000,
        },
        totals: { models: models.length, by_status: byStatus, open_alerts: openAlerts },
        data,
      };
    },
  );
}

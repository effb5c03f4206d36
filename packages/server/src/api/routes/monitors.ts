import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { type MonitorResult, modelHealth } from '../../domain/index.js';
import type { MonitorConfig } from '../../domain/monitor-config.js';
import { NotFoundError } from '../../errors.js';
import { formatTimestamp } from '../../ingest/timestamps.js';
import type { MonitorRow } from '../../storage/monitoring.js';
import type { ModelRow } from '../../storage/types.js';
import { loadModel } from '../load-model.js';
import { decodeCursor, encodeCursor, timeParam } from '../query-params.js';
import { errorResponses } from '../schemas/common.js';
import { ModelParams } from '../schemas/models.js';
import {
  CreateMonitorBody,
  HealthSummary,
  Monitor,
  MonitorList,
  MonitorParams,
  ResultPage,
  ResultQuery,
  UpdateMonitorBody,
} from '../schemas/monitoring.js';
import type { TypedApp } from '../typed-app.js';

function resultCursor(cursor: string): { windowStartMicros: number; seq: number } {
  const [windowStartMicros, seq] = decodeCursor(cursor, ['number', 'number']) as [number, number];
  return { windowStartMicros, seq };
}

export function registerMonitorRoutes(app: TypedApp, context: AppContext): void {
  const { store, monitors } = context;

  async function present(monitor: MonitorRow) {
    return {
      name: monitor.name,
      kind: monitor.kind,
      enabled: monitor.enabled,
      is_default: monitor.isDefault,
      // Stored as validated on its way in; the answer's schema checks it again on its way out.
      config: monitor.config as MonitorConfig,
      pending_windows: await monitors.pendingWindows(monitor),
      created_at: monitor.createdAt.toISOString(),
      updated_at: monitor.updatedAt.toISOString(),
    };
  }

  async function loadMonitor(model: ModelRow, name: string): Promise<MonitorRow> {
    const monitor = await store.monitors.get(model.id, name);
    if (!monitor) {
      throw new NotFoundError(
        `Model "${model.name}" has no monitor "${name}"; list them with GET /api/v1/models/${model.name}/monitors.`,
      );
    }
    return monitor;
  }

  app.get(
    '/api/v1/models/:model/monitors',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['monitors'],
        summary: "List a model's monitors",
        params: ModelParams,
        response: { 200: MonitorList, ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return { data: await Promise.all((await store.monitors.list(model.id)).map(present)) };
    },
  );

  app.post(
    '/api/v1/models/:model/monitors',
    {
      config: { scope: 'write', audit: { entity: 'monitor', action: 'create' } },
      schema: {
        tags: ['monitors'],
        summary: 'Create a monitor',
        description:
          'Creating a monitor evaluates its history: every window of stored predictions is queued (see `pending_windows`).',
        params: ModelParams,
        body: CreateMonitorBody,
        response: { 201: Monitor, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request, reply) => {
      const model = await loadModel(context, request, request.params.model);
      let monitor = await monitors.create(model, request.body.name, request.body.config);
      if (request.body.enabled === false) monitor = await monitors.update(model, monitor, { enabled: false });
      reply.status(201);
      return present(monitor);
    },
  );

  app.get(
    '/api/v1/models/:model/monitors/:monitor',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['monitors'],
        summary: 'Get a monitor',
        params: MonitorParams,
        response: { 200: Monitor, ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return present(await loadMonitor(model, request.params.monitor));
    },
  );

  app.patch(
    '/api/v1/models/:model/monitors/:monitor',
    {
      config: { scope: 'write', audit: { entity: 'monitor', action: 'update' } },
      schema: {
        tags: ['monitors'],
        summary: 'Enable, disable or redefine a monitor',
        description: "A new definition replaces the monitor's results: its history is evaluated again.",
        params: MonitorParams,
        body: UpdateMonitorBody,
        response: { 200: Monitor, 409: errorResponses[400], ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const monitor = await loadMonitor(model, request.params.monitor);
      return present(
        await monitors.update(model, monitor, {
          ...(request.body.enabled !== undefined ? { enabled: request.body.enabled } : {}),
          ...(request.body.config !== undefined ? { config: request.body.config } : {}),
        }),
      );
    },
  );

  app.delete(
    '/api/v1/models/:model/monitors/:monitor',
    {
      config: { scope: 'write', audit: { entity: 'monitor', action: 'delete' } },
      schema: {
        tags: ['monitors'],
        summary: 'Delete a monitor and its results',
        params: MonitorParams,
        response: { 204: z.null(), ...errorResponses },
      },
    },
    async (request, reply) => {
      const model = await loadModel(context, request, request.params.model);
      await monitors.delete(model, await loadMonitor(model, request.params.monitor));
      reply.status(204);
    },
  );

  app.get(
    '/api/v1/models/:model/results',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['monitors'],
        summary: 'Monitor results over time',
        description:
          'One row per monitor, window, feature and metric, ordered by window. Filter by monitor, feature, metric, status, version, segment and window start (`from` inclusive, `to` exclusive); page with `next_cursor`.',
        params: ModelParams,
        querystring: ResultQuery,
        response: { 200: ResultPage, ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const q = request.query;
      const names = new Map((await store.monitors.list(model.id)).map((m) => [m.id, m.name]));
      let monitorId: number | undefined;
      if (q.monitor !== undefined) monitorId = (await loadMonitor(model, q.monitor)).id;
      const fromMicros = timeParam('from', q.from);
      const toMicros = timeParam('to', q.to);
      const rows = await store.results.query({
        modelId: model.id,
        limit: q.limit,
        ...(monitorId !== undefined ? { monitorId } : {}),
        ...(q.feature !== undefined ? { feature: q.feature } : {}),
        ...(q.metric !== undefined ? { metric: q.metric } : {}),
        ...(q.status !== undefined ? { status: q.status } : {}),
        ...(q.version !== undefined ? { version: q.version } : {}),
        ...(q.segment !== undefined ? { segment: q.segment } : {}),
        ...(fromMicros !== undefined ? { fromMicros } : {}),
        ...(toMicros !== undefined ? { toMicros } : {}),
        ...(q.cursor ? { after: resultCursor(q.cursor) } : {}),
      });
      const last = rows.at(-1);
      return {
        data: rows.map((r: MonitorResult) => ({
          monitor: names.get(r.monitorId) ?? String(r.monitorId),
          kind: r.monitorKind,
          version: r.version,
          segment: r.segment,
          window_start: formatTimestamp(r.windowStartMicros),
          window_end: formatTimestamp(r.windowEndMicros),
          feature: r.feature,
          metric: r.metric,
          value: r.value,
          threshold_lower: r.thresholdLower,
          threshold_upper: r.thresholdUpper,
          band_lower: r.bandLower,
          band_upper: r.bandUpper,
          sample_size: r.sampleSize,
          status: r.status,
          reason: r.reason,
          details: r.details,
          evaluated_at: formatTimestamp(r.evaluatedAtMicros),
        })),
        next_cursor:
          rows.length === q.limit && last ? encodeCursor([last.windowStartMicros, last.seq]) : null,
      };
    },
  );

  app.get(
    '/api/v1/health',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['monitors'],
        summary: 'Health of every model at a glance',
        description:
          "Per model: the worst status of its monitors' newest windows, how many monitors are in each status, and when it last received a prediction. One call serves the overview of every model.",
        response: { 200: HealthSummary, ...errorResponses },
      },
    },
    async (request) => {
      const { projectId } = request.auth;
      const models = await store.listModels(projectId);
      // Two reads whatever the number of models: the newest-window status of every enabled
      // monitor in one aggregate, the last predictions from the traffic rollup (or memory).
      const [statuses, lastData] = await Promise.all([
        store.overview.monitorStatuses(projectId),
        monitors.lastPredictionTimes(models.map((m) => m.id)),
      ]);
      const byModel = new Map<number, typeof statuses>();
      for (const s of statuses) byModel.set(s.modelId, [...(byModel.get(s.modelId) ?? []), s]);
      return {
        data: models.map((model) => {
          const rows = byModel.get(model.id) ?? [];
          const counts: Record<string, number> = {};
          let newest: number | null = null;
          for (const r of rows) {
            counts[r.status] = (counts[r.status] ?? 0) + 1;
            newest = Math.max(newest ?? r.windowEndMicros, r.windowEndMicros);
          }
          const last = lastData.get(model.id);
          return {
            model: model.name,
            status: modelHealth(
              rows.map((r) => r.status),
              last !== undefined,
            ),
            monitors: counts,
            alerting_monitors: rows.filter((r) => r.status === 'alert').map((r) => r.monitorName),
            last_prediction_at: last === undefined ? null : formatTimestamp(last),
            last_evaluated_window: newest === null ? null : formatTimestamp(newest),
          };
        }),
      };
    },
  );
}

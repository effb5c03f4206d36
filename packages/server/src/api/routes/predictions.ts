import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { NotFoundError } from '../../errors.js';
import { formatTimestamp } from '../../ingest/timestamps.js';
import { loadModel } from '../load-model.js';
import { presentEvent } from '../presenters.js';
import { decodeCursor, encodeCursor, timeParam } from '../query-params.js';
import { ModelParams } from '../schemas/models.js';
import {
  CountQuery,
  PredictionPage,
  PredictionQuery,
  StoredPrediction,
  WindowCountList,
} from '../schemas/records.js';
import type { TypedApp } from '../typed-app.js';

/** The (timestamp, id) of the last prediction served. */
function eventCursor(cursor: string): { timestampMicros: number; id: string } {
  const [timestampMicros, id] = decodeCursor(cursor, ['number', 'string']) as [number, string];
  return { timestampMicros, id };
}

export function registerPredictionRoutes(app: TypedApp, context: AppContext): void {
  const { store, columns } = context;

  app.get(
    '/api/v1/models/:model/predictions',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['predictions'],
        summary: 'List predictions in time order, with their labels once known',
        params: ModelParams,
        querystring: PredictionQuery,
        response: { 200: PredictionPage },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const q = request.query;
      const fromMicros = timeParam('from', q.from);
      const toMicros = timeParam('to', q.to);
      const events = await store.listPredictions(model.id, await columns.get(model.id), {
        limit: q.limit,
        ...(fromMicros !== undefined ? { fromMicros } : {}),
        ...(toMicros !== undefined ? { toMicros } : {}),
        ...(q.version !== undefined ? { version: q.version } : {}),
        ...(q.cursor ? { after: eventCursor(q.cursor) } : {}),
      });
      const last = events[events.length - 1];
      return {
        data: events.map(presentEvent),
        next_cursor: events.length === q.limit && last ? encodeCursor([last.timestampMicros, last.id]) : null,
      };
    },
  );

  app.get(
    '/api/v1/models/:model/predictions/:id',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['predictions'],
        summary: 'Get one prediction with its label once known',
        params: ModelParams.extend({ id: z.string().min(1) }),
        response: { 200: StoredPrediction },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const event = await store.getPrediction(model.id, await columns.get(model.id), request.params.id);
      if (!event)
        throw new NotFoundError(`Model "${model.name}" has no prediction with id "${request.params.id}".`);
      return presentEvent(event);
    },
  );

  app.get(
    '/api/v1/models/:model/traffic',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['predictions'],
        summary: 'Prediction and label counts per time window',
        params: ModelParams,
        querystring: CountQuery,
        response: { 200: WindowCountList },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const q = request.query;
      const fromMicros = timeParam('from', q.from);
      const toMicros = timeParam('to', q.to);
      const rows = await store.windowCounts(model.id, {
        bucket: q.bucket,
        source: {
          kind: 'predictions',
          ...(fromMicros !== undefined ? { fromMicros } : {}),
          ...(toMicros !== undefined ? { toMicros } : {}),
          ...(q.version !== undefined ? { version: q.version } : {}),
        },
      });
      return {
        data: rows.map((r) => ({
          window_start: formatTimestamp(r.windowStartMicros),
          predictions: r.predictions,
          labeled: r.labeled,
        })),
      };
    },
  );
}

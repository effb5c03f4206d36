import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { BadRequestError, NotFoundError } from '../../errors.js';
import { formatTimestamp, parseTimestamp } from '../../ingest/timestamps.js';
import { loadModel } from '../load-model.js';
import { presentEvent } from '../presenters.js';
import { ModelParams } from '../schemas/models.js';
import {
  CountQuery,
  PredictionPage,
  PredictionQuery,
  StoredPrediction,
  WindowCountList,
} from '../schemas/records.js';
import type { TypedApp } from '../typed-app.js';

function timeParam(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined || raw === '') return undefined;
  // Digits are an epoch number, with the unit read from its size, as in records.
  const parsed = parseTimestamp(raw);
  if (!parsed.ok) throw new BadRequestError(`Query parameter "${name}": ${parsed.error}.`);
  return parsed.micros;
}

/** Cursors are opaque to clients: the (timestamp, id) of the last row served. */
function encodeCursor(timestampMicros: number, id: string): string {
  return Buffer.from(JSON.stringify([timestampMicros, id])).toString('base64url');
}

function decodeCursor(cursor: string): { timestampMicros: number; id: string } {
  try {
    const value: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2) {
      const [timestampMicros, id] = value as unknown[];
      // A forged cursor may hold any JSON: only an exact instant and an id are a position.
      if (
        Number.isInteger(timestampMicros) &&
        Math.abs(timestampMicros as number) < 1e18 &&
        typeof id === 'string' &&
        id.length <= 1000
      ) {
        return { timestampMicros: timestampMicros as number, id };
      }
    }
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError(
    'Query parameter "cursor" is not a cursor this server issued; use next_cursor as given.',
  );
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
        ...(q.cursor ? { after: decodeCursor(q.cursor) } : {}),
      });
      const last = events[events.length - 1];
      return {
        data: events.map(presentEvent),
        next_cursor: events.length === q.limit && last ? encodeCursor(last.timestampMicros, last.id) : null,
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

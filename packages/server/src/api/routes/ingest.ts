import { createHash } from 'node:crypto';
import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { auditorFor } from '../../audit/index.js';
import { BadRequestError, OverloadedError } from '../../errors.js';
import { arrowRows, readArrowBody } from '../../ingest/arrow.js';
import { ArrowGuard } from '../../ingest/arrow-guard.js';
import { type BodyFormat, detectFormat, mediaTypes, parseBody } from '../../ingest/body.js';
import { arrowColumnarBody, parseColumnarBody } from '../../ingest/columns.js';
import type { ReferenceColumns } from '../../ingest/reference-columns.js';
import { IngestAdmission, IngestMemory } from '../admission.js';
import { documentationOnly } from '../documentation-only.js';
import { loadModel } from '../load-model.js';
import { ErrorBody } from '../schemas/common.js';
import { ModelParams } from '../schemas/models.js';
import {
  IngestResult,
  LabelRecord,
  PredictionColumns,
  PredictionRecord,
  ReferenceQuery,
  ReferenceResult,
} from '../schemas/records.js';
import type { TypedApp } from '../typed-app.js';

const RECORD_FORMATS: BodyFormat[] = ['json', 'ndjson', 'arrow'];
const PREDICTION_FORMATS: BodyFormat[] = ['json', 'ndjson', 'columns', 'arrow'];
const REFERENCE_FORMATS: BodyFormat[] = ['json', 'ndjson', 'csv', 'parquet', 'arrow'];

/** What ingest routes answer beyond the standard errors (see api/conventions.ts). */
const ingestErrors = {
  408: ErrorBody.describe('The body arrived too slowly (below the minimum rate) or not in time.'),
  429: ErrorBody.describe(
    'This API key has its share of ingest requests in progress: retry after Retry-After seconds.',
  ),
};

const FORMAT_NOTE =
  'Send a JSON array (`application/json`) or NDJSON (`application/x-ndjson`), optionally with `Content-Encoding: gzip`. ' +
  'Records are checked one by one: a bad record is listed in `rejected` with its position, id and reason, and never fails the batch. ' +
  'A 200 means every accepted record is durably stored. Re-sending records with the same ids stores them once.';

const ARROW_NOTE =
  'Arrow IPC (`application/vnd.apache.arrow.stream`, as pyarrow, pandas, polars and apache-arrow write it) carries the same rows by column: ' +
  'one column per field (`id`, `timestamp`, `version`, `prediction`, `score`, `label`), `scores.<class>` and `segments.<name>` columns, ' +
  'and every other column (or `features.<name>`) a feature; each row is checked exactly as a JSON record. See docs/api.md.';

const COLUMNS_NOTE =
  'Predictions may also be sent by column (`application/vnd.vigil.columns+json`, the SDK default): one object whose ' +
  'per-row fields are arrays of `length` values (null where absent) or one scalar for every row. ' +
  'A malformed structure (a wrong `length`, an array of another length) is a 400; each row is then checked exactly as a record.';

export function registerIngestRoutes(app: TypedApp, context: AppContext): void {
  // Bodies are read raw and parsed here, so that one bad record cannot fail the batch.
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (_request, body, done) => done(null, body));

  // Admission control: past the limits (all slots, or this key's share), shed load before
  // reading the body. The slot is freed when the response is finished or the connection
  // closes, whichever comes first.
  const admission = new IngestAdmission(
    context.config.maxConcurrentIngests,
    context.config.maxConcurrentIngestsPerKey,
  );
  const memory = new IngestMemory(context.config.maxIngestBytes);
  const reservations = new WeakMap<object, ReturnType<IngestMemory['reserve']>>();
  app.addHook('onRequest', async (request, reply) => {
    let release: () => void;
    try {
      release = admission.acquire(request.auth.actor);
    } catch (error) {
      const reason = error instanceof OverloadedError ? 'server' : 'key';
      context.metrics.ingestsRefused.inc({ reason });
      throw error;
    }
    let reservation: ReturnType<IngestMemory['reserve']>;
    try {
      // A body's declared length (chunked bodies declare none) is reserved before it is read.
      reservation = memory.reserve(Number(request.headers['content-length'] ?? 0) || 0);
    } catch (error) {
      release();
      context.metrics.ingestsRefused.inc({ reason: 'memory' });
      throw error;
    }
    reservations.set(request.raw, reservation);
    context.metrics.ingestsInProgress.inc();
    reply.raw.once('close', () => {
      release();
      reservation.release();
      context.metrics.ingestsInProgress.set(admission.active);
    });
  });
  // Once read, a body holds its bytes as received and decompressed: the reservation grows to both.
  app.addHook('preHandler', async (request) => {
    const body = request.body;
    if (!Buffer.isBuffer(body)) return;
    const declared = Number(request.headers['content-length'] ?? 0) || 0;
    const wire = request.headers['content-encoding'] === undefined ? 0 : declared;
    try {
      reservations.get(request.raw)?.grow(body.length + wire);
    } catch (error) {
      context.metrics.ingestsRefused.inc({ reason: 'memory' });
      throw error;
    }
  });

  function rawBody(request: { body: unknown }): Buffer {
    const body = request.body;
    if (!Buffer.isBuffer(body) || body.length === 0) {
      throw new BadRequestError('The request body is empty; send the records to ingest.');
    }
    return body;
  }

  // Arrow bodies are decoded in a guarded worker first (see ingest/arrow-guard.ts).
  const arrowGuard = new ArrowGuard();
  app.addHook('onClose', () => arrowGuard.close());

  /** The guard hands the body's memory to its worker and back: the request keeps what came back. */
  async function readArrow(request: { body: unknown }) {
    const body = await arrowGuard.check(rawBody(request));
    request.body = body;
    return readArrowBody(body);
  }

  async function readBody(
    request: { body: unknown; headers: Record<string, unknown> },
    formats: BodyFormat[],
  ) {
    const format = detectFormat(request.headers['content-type'] as string | undefined, formats);
    const body = rawBody(request);
    if (format === 'columns') throw new Error('columnar bodies are read by parseColumnarBody');
    if (format === 'arrow') return { rows: arrowRows(await readArrow(request)), errors: [] };
    return parseBody(body, format);
  }

  app.post(
    '/api/v1/models/:model/predictions',
    {
      config: { scope: 'write', audit: { exempt: 'ingestion of predictions: data, not configuration' } },
      schema: {
        tags: ['ingestion'],
        summary: 'Log predictions',
        description: `${FORMAT_NOTE} ${COLUMNS_NOTE} ${ARROW_NOTE}`,
        params: ModelParams,
        consumes: mediaTypes(PREDICTION_FORMATS),
        body: documentationOnly(z.union([z.array(PredictionRecord), PredictionColumns])),
        response: { 200: IngestResult, ...ingestErrors },
      },
    },
    async (request, reply) => {
      const stages = context.metrics.ingestStages;
      stages.observe({ stage: 'receive' }, reply.elapsedTime / 1000);
      const decoding = stages.startTimer({ stage: 'decode' });
      const model = await loadModel(context, request, request.params.model);
      const format = detectFormat(request.headers['content-type'], PREDICTION_FORMATS);
      if (format === 'columns' || format === 'arrow') {
        const body =
          format === 'columns'
            ? parseColumnarBody(rawBody(request))
            : arrowColumnarBody(await readArrow(request));
        decoding();
        return context.ingest.predictionColumns(model, body);
      }
      const body = await readBody(request, RECORD_FORMATS);
      decoding();
      return context.ingest.predictions(model, body);
    },
  );

  app.post(
    '/api/v1/models/:model/labels',
    {
      config: { scope: 'write', audit: { exempt: 'ingestion of labels: data, not configuration' } },
      schema: {
        tags: ['ingestion'],
        summary: 'Log labels (true outcomes) that arrive after their predictions',
        description: `${FORMAT_NOTE} Arrow IPC streams (\`application/vnd.apache.arrow.stream\`) with \`id\`, \`label\` and \`timestamp\` columns are read as the same records. Each label joins its prediction by id; a label whose prediction has not arrived yet waits for it. A later label for the same id replaces the earlier one.`,
        params: ModelParams,
        consumes: mediaTypes(RECORD_FORMATS),
        body: documentationOnly(z.array(LabelRecord)),
        response: { 200: IngestResult, ...ingestErrors },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      return context.ingest.labels(model, await readBody(request, RECORD_FORMATS));
    },
  );

  app.post(
    '/api/v1/models/:model/reference',
    {
      config: {
        scope: 'write',
        audit: {
          exempt:
            'ingestion of reference data: data, recorded by its upload key; the default monitors it creates are recorded as monitor creates',
        },
      },
      schema: {
        tags: ['reference data'],
        summary: 'Upload reference data (training or validation set)',
        description:
          'JSON array, NDJSON, CSV (`text/csv`), Parquet (`application/vnd.apache.parquet`) or Arrow IPC (`application/vnd.apache.arrow.stream`), optionally gzip-compressed. ' +
          "Flat rows map columns by the model schema's field names (`prediction`, `score`, `label`, `id`, `timestamp` by default; every other column is a feature). " +
          'A model without a schema gets one inferred from its first reference upload (`schema_source: "inferred"`), which can be edited with PATCH; ' +
          'the `*_column` parameters name the id, timestamp, prediction, score and label columns, and without them common names (y_pred, y_pred_proba, target, …) are recognised. ' +
          'Safe to retry: an upload with the same body (or the same `Idempotency-Key` header) as one already applied to the dataset stores nothing and answers as the first time, with `replayed: true`.',
        params: ModelParams,
        querystring: ReferenceQuery,
        // Loose: the other headers (content-type…) stay as they are.
        headers: z.looseObject({
          'idempotency-key': z
            .string()
            .min(1)
            .max(200)
            .optional()
            .describe(
              'Identifies the upload instead of its body: an upload with a key already applied to the dataset stores nothing.',
            ),
        }),
        consumes: mediaTypes(REFERENCE_FORMATS),
        body: documentationOnly(z.array(z.record(z.string(), z.unknown()))),
        response: { ...ingestErrors, 200: ReferenceResult },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const query = request.query;
      const format = detectFormat(request.headers['content-type'], REFERENCE_FORMATS);
      const parsed = await readBody(request, REFERENCE_FORMATS);
      // After reading: an Arrow body's memory went through the guard's worker and back.
      const raw = rawBody(request);
      // The upload's identity: its key, or its bytes, with the options that change what it means.
      const uploadKey = createHash('sha256')
        .update(request.headers['idempotency-key'] === undefined ? 'body\0' : 'key\0')
        .update(request.headers['idempotency-key'] ?? raw)
        .update(
          JSON.stringify([
            format,
            query.version ?? null,
            query.id_column ?? null,
            query.timestamp_column ?? null,
            query.prediction_column ?? null,
            query.score_column ?? null,
            query.label_column ?? null,
          ]),
        )
        .digest('hex');
      const columns: ReferenceColumns = {};
      if (query.id_column !== undefined) columns.id = query.id_column;
      if (query.timestamp_column !== undefined) columns.timestamp = query.timestamp_column;
      if (query.prediction_column !== undefined) columns.prediction = query.prediction_column;
      if (query.score_column !== undefined) columns.score = query.score_column;
      if (query.label_column !== undefined) columns.label = query.label_column;
      return context.ingest.reference(model, parsed, {
        dataset: query.dataset ?? 'default',
        version: query.version,
        replace: query.replace,
        columns,
        uploadKey,
        audit: auditorFor({ store: context.store, now: context.now }, request),
      });
    },
  );
}

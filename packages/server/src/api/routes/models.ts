import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { BadRequestError, ConflictError, NotFoundError } from '../../errors.js';
import { loadModel } from '../load-model.js';
import { presentEvent, presentModel, presentVersion } from '../presenters.js';
import { ErrorBody, errorResponses } from '../schemas/common.js';
import {
  CreateModelBody,
  CreateVersionBody,
  Model,
  ModelList,
  ModelParams,
  ModelVersion,
  ModelVersionList,
  UpdateModelBody,
} from '../schemas/models.js';
import { ReferenceRowPage, ReferenceRowsQuery } from '../schemas/records.js';
import type { TypedApp } from '../typed-app.js';

const ReferenceDataset = z
  .object({
    name: z.string(),
    version: z.string().nullable(),
    rows: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: 'ReferenceDataset' });

/** Reference row cursors: the position of the last row served. */
function decodePositionCursor(cursor: string): number {
  try {
    const [position] = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as [unknown];
    if (typeof position === 'number' && Number.isSafeInteger(position) && position >= 0) return position;
  } catch {
    // fall through to the error below
  }
  throw new BadRequestError(
    'Query parameter "cursor" is not a cursor this server issued; use next_cursor as given.',
  );
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /duplicate key|unique constraint|violates unique/i.test(error.message);
}

export function registerModelRoutes(app: TypedApp, context: AppContext): void {
  const { store, columns } = context;

  app.post(
    '/api/v1/models',
    {
      // A write key registers the model it sends data to, as MLflow's client registers models
      // with one; changing or deleting a model stays with admins.
      config: { scope: 'write', audit: { entity: 'model', action: 'create' } },
      schema: {
        tags: ['models'],
        summary: 'Register a model',
        body: CreateModelBody,
        response: { 201: Model, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const body = request.body;
      if (body.schema) await columns.checkSchema(body.name, null, body.schema);
      let model: Awaited<ReturnType<typeof store.createModel>>;
      try {
        model = await store.createModel({
          projectId: request.auth.projectId,
          name: body.name,
          task: body.task,
          description: body.description ?? null,
          tags: body.tags ?? {},
          schema: body.schema ?? null,
          schemaSource: body.schema ? 'declared' : null,
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw new ConflictError(`A model named "${body.name}" already exists.`);
        throw error;
      }
      reply.status(201);
      return presentModel(model);
    },
  );

  app.get(
    '/api/v1/models',
    {
      config: { scope: 'read' },
      schema: { tags: ['models'], summary: 'List models', response: { 200: ModelList } },
    },
    async (request) => ({ data: (await store.listModels(request.auth.projectId)).map(presentModel) }),
  );

  app.get(
    '/api/v1/models/:model',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['models'],
        summary: 'Get a model',
        params: ModelParams,
        response: { 200: Model },
      },
    },
    async (request) => presentModel(await loadModel(context, request, request.params.model)),
  );

  app.patch(
    '/api/v1/models/:model',
    {
      config: { scope: 'admin', audit: { entity: 'model', action: 'update' } },
      schema: {
        tags: ['models'],
        summary: 'Update a model: description, tags, or its (reviewed) schema',
        params: ModelParams,
        body: UpdateModelBody,
        response: { 200: Model },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const body = request.body;
      if (body.schema) await columns.checkSchema(model.name, model.id, body.schema);
      // The schema, its columns and the other fields commit together or not at all.
      const updated = await store.updateModel(model.id, {
        ...(body.description !== undefined ? { description: body.description } : {}),
        ...(body.tags !== undefined ? { tags: body.tags } : {}),
        ...(body.schema !== undefined ? { schema: body.schema, schemaSource: 'declared' as const } : {}),
      });
      if (body.schema) columns.forget(model.id);
      return presentModel(updated);
    },
  );

  app.delete(
    '/api/v1/models/:model',
    {
      config: { scope: 'admin', audit: { entity: 'model', action: 'delete' } },
      schema: {
        tags: ['models'],
        summary: 'Delete a model and all its data',
        description:
          'Removes the model with its predictions, labels, columns, versions, reference datasets, monitors and results, for good. ' +
          'Confirm by repeating the model name: `?confirm=<model name>`.',
        params: ModelParams,
        querystring: z.object({
          confirm: z.string().optional().describe('The model name, repeated to confirm the deletion.'),
        }),
        response: { 200: z.object({ deleted: z.string() }), ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      if (request.query.confirm !== model.name) {
        throw new BadRequestError(
          `Deleting model "${model.name}" removes all its data for good; confirm with ?confirm=${model.name}` +
            (request.query.confirm === undefined ? '.' : ` (confirm was "${request.query.confirm}").`),
        );
      }
      await store.deleteModel(model.id);
      request.log.warn({ model: model.name }, 'model deleted');
      return { deleted: model.name };
    },
  );

  app.post(
    '/api/v1/models/:model/versions',
    {
      config: { scope: 'admin', audit: { entity: 'model_version', action: 'create' } },
      schema: {
        tags: ['models'],
        summary: 'Register a model version',
        params: ModelParams,
        body: CreateVersionBody,
        response: { 201: ModelVersion, 409: ErrorBody },
      },
    },
    async (request, reply) => {
      const model = await loadModel(context, request, request.params.model);
      const body = request.body;
      try {
        const version = await store.createModelVersion({
          modelId: model.id,
          name: body.name,
          artifactUri: body.artifact_uri ?? null,
          params: body.params ?? {},
          metrics: body.metrics ?? {},
          tags: body.tags ?? {},
          description: body.description ?? null,
        });
        reply.status(201);
        return presentVersion(model, version);
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw new ConflictError(`Model "${model.name}" already has a version "${body.name}".`);
        }
        throw error;
      }
    },
  );

  app.get(
    '/api/v1/models/:model/versions',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['models'],
        summary: 'List model versions',
        params: ModelParams,
        response: { 200: ModelVersionList },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const versions = await store.listModelVersions(model.id);
      const details = await store.registry.versionDetails(versions.map((v) => v.id));
      const aliases = await store.registry.currentAliases(model.id);
      return {
        data: versions.map((v) =>
          presentVersion(model, v, {
            runId: details.get(v.id)?.runId ?? null,
            dataDigest: details.get(v.id)?.dataDigest ?? null,
            aliases: aliases.filter((a) => a.versionId === v.id).map((a) => a.alias),
          }),
        ),
      };
    },
  );

  app.get(
    '/api/v1/models/:model/reference',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['reference data'],
        summary: 'List reference datasets',
        params: ModelParams,
        response: { 200: z.object({ data: z.array(ReferenceDataset) }) },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const versions = new Map((await store.listModelVersions(model.id)).map((v) => [v.id, v.name]));
      const datasets = await store.listReferenceDatasets(model.id);
      return {
        data: datasets.map((d) => ({
          name: d.name,
          version: d.versionId === null ? null : (versions.get(d.versionId) ?? null),
          rows: d.rowCount,
          created_at: d.createdAt.toISOString(),
        })),
      };
    },
  );

  app.get(
    '/api/v1/models/:model/reference/:dataset/rows',
    {
      config: { scope: 'read' },
      schema: {
        tags: ['reference data'],
        summary: 'Read the rows of a reference dataset',
        description:
          'Rows in the order they were stored, at most `limit` (≤ 1,000) a page; pass `next_cursor` back as `cursor` for the next page.',
        params: ModelParams.extend({ dataset: z.string().min(1) }),
        querystring: ReferenceRowsQuery,
        response: { 200: ReferenceRowPage, ...errorResponses },
      },
    },
    async (request) => {
      const model = await loadModel(context, request, request.params.model);
      const dataset = await store.getReferenceDataset(model.id, request.params.dataset);
      if (!dataset) {
        throw new NotFoundError(
          `Model "${model.name}" has no reference dataset "${request.params.dataset}".`,
        );
      }
      const { limit, cursor } = request.query;
      const rows = await store.listReferenceRows(model.id, await columns.get(model.id), dataset.id, {
        limit,
        ...(cursor ? { afterPosition: decodePositionCursor(cursor) } : {}),
      });
      const last = rows[rows.length - 1];
      return {
        data: rows.map((row) => {
          const { label_timestamp: _, ...rest } = presentEvent(row);
          return rest;
        }),
        next_cursor:
          rows.length === limit && last
            ? Buffer.from(JSON.stringify([last.position])).toString('base64url')
            : null,
      };
    },
  );
}

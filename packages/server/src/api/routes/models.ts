import { z } from 'zod';
import type { AppContext } from '../../app.js';
import { ConflictError } from '../../errors.js';
import { loadModel } from '../load-model.js';
import { presentModel, presentVersion } from '../presenters.js';
import { ErrorBody } from '../schemas/common.js';
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
import type { TypedApp } from '../typed-app.js';

const ReferenceDataset = z
  .object({
    name: z.string(),
    version: z.string().nullable(),
    rows: z.number().int(),
    created_at: z.string(),
  })
  .meta({ id: 'ReferenceDataset' });

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /duplicate key|unique constraint|violates unique/i.test(error.message);
}

export function registerModelRoutes(app: TypedApp, context: AppContext): void {
  const { store, columns } = context;

  app.post(
    '/api/v1/models',
    {
      config: { scope: 'admin' },
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
      config: { scope: 'admin' },
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

  app.post(
    '/api/v1/models/:model/versions',
    {
      config: { scope: 'admin' },
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
      return { data: (await store.listModelVersions(model.id)).map((v) => presentVersion(model, v)) };
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
}

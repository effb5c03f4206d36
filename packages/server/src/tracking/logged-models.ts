/** MLflow 3's logged models, as far as `mlflow.<flavor>.log_model` and `models:/<id>` need them. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  decodePageToken,
  encodePageToken,
  keyValueList,
  maxResults,
  optionalList,
  optionalString,
  requiredString,
} from './fields.js';
import { LIMITS } from './limits.js';
import { doesNotExist, invalidParameter } from './mlflow-errors.js';
import { presentLoggedModel } from './present.js';
import { type MlflowContext, mlflowRoute } from './route.js';
import { experimentId, loadExperiment } from './runs.js';

const STATUSES = new Set(['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED']);

function modelIdFrom(request: FastifyRequest): string {
  const id = (request.params as { model_id?: string }).model_id ?? '';
  return id;
}

export function registerLoggedModelRoutes(app: FastifyInstance, context: MlflowContext): void {
  const { store } = context;
  const load = async (request: FastifyRequest) => {
    const id = modelIdFrom(request);
    const model = await store.tracking.getLoggedModel(request.auth.projectId, id);
    if (model === null || model.lifecycleStage === 'deleted') {
      throw doesNotExist(`Logged model with ID '${id}' not found.`);
    }
    return model;
  };

  mlflowRoute(app, 'POST', 'logged-models', 'write', async (fields, request) => {
    const experiment = await loadExperiment(context, request, experimentId(fields));
    const sourceRunId = optionalString(fields, 'source_run_id') ?? null;
    if (sourceRunId !== null && !(await store.tracking.getRun(request.auth.projectId, sourceRunId))) {
      throw doesNotExist(`Run with id=${sourceRunId.slice(0, 260)} not found`);
    }
    const id = `m-${randomUUID().replaceAll('-', '')}`;
    const now = context.now();
    const row = {
      id,
      projectId: request.auth.projectId,
      experimentId: experiment.id,
      name: optionalString(fields, 'name', LIMITS.experimentName) || `model-${id.slice(2, 10)}`,
      sourceRunId,
      status: 'LOGGED_MODEL_PENDING',
      modelType: optionalString(fields, 'model_type', LIMITS.entityKey) ?? null,
      artifactUri: `mlflow-artifacts:/${experiment.id}/models/${id}/artifacts`,
      params: keyValueList(fields, 'params', { key: LIMITS.entityKey, value: LIMITS.paramValue }),
      tags: keyValueList(fields, 'tags', { key: LIMITS.entityKey, value: LIMITS.tagValue }),
      lifecycleStage: 'active' as const,
      createdMs: now,
      updatedMs: now,
    };
    await store.tracking.createLoggedModel(row);
    return { model: presentLoggedModel(row) };
  });

  mlflowRoute(app, 'GET', 'logged-models/:model_id', 'read', async (_fields, request) => ({
    model: presentLoggedModel(await load(request)),
  }));

  mlflowRoute(app, 'PATCH', 'logged-models/:model_id', 'write', async (fields, request) => {
    const model = await load(request);
    const status = requiredString(fields, 'status');
    if (!STATUSES.has(status)) {
      throw invalidParameter(
        `Invalid logged model status '${status.slice(0, 40)}': use ${[...STATUSES].join(', ')}.`,
      );
    }
    await store.tracking.updateLoggedModel(model.id, { status }, context.now());
    return { model: presentLoggedModel(await load(request)) };
  });

  mlflowRoute(app, 'DELETE', 'logged-models/:model_id', 'write', async (_fields, request) => {
    const model = await load(request);
    await store.tracking.updateLoggedModel(model.id, { lifecycleStage: 'deleted' }, context.now());
  });

  mlflowRoute(app, 'PATCH', 'logged-models/:model_id/tags', 'write', async (fields, request) => {
    const model = await load(request);
    const tags = keyValueList(fields, 'tags', { key: LIMITS.entityKey, value: LIMITS.tagValue });
    await store.tracking.updateLoggedModel(model.id, { tags: { ...model.tags, ...tags } }, context.now());
  });

  mlflowRoute(app, 'DELETE', 'logged-models/:model_id/tags/:tag_key', 'write', async (_fields, request) => {
    const model = await load(request);
    const key = (request.params as { tag_key: string }).tag_key;
    if (model.tags[key] === undefined)
      throw doesNotExist(`No tag with key '${key}' on logged model '${model.id}'.`);
    const { [key]: _, ...rest } = model.tags;
    await store.tracking.updateLoggedModel(model.id, { tags: rest }, context.now());
  });

  mlflowRoute(app, 'POST', 'logged-models/search', 'read', async (fields, request) => {
    const ids = optionalList(fields, 'experiment_ids').map((id) => experimentId({ id }, 'id'));
    // The filters MLflow's client itself sends: by name and by source run, ANDed.
    const filter = optionalString(fields, 'filter') ?? '';
    const wanted: { name?: string; sourceRunId?: string } = {};
    for (const condition of filter.trim() === '' ? [] : filter.split(/\s+and\s+/i)) {
      const parsed = /^\s*(name|source_run_id)\s*=\s*(['"])(.*)\2\s*$/.exec(condition);
      if (!parsed) {
        throw invalidParameter(
          `Invalid logged model filter '${filter.slice(0, 200)}': use name = '...' and/or source_run_id = '...'.`,
        );
      }
      if (parsed[1] === 'name') wanted.name = parsed[3]!;
      else wanted.sourceRunId = parsed[3]!;
    }
    const limit = maxResults(fields, 100, 1000);
    const offset = decodePageToken(fields);
    const rows = await store.tracking.searchLoggedModels(request.auth.projectId, {
      experimentIds: ids,
      ...wanted,
      limit: limit + 1,
      offset,
    });
    return {
      models: rows.slice(0, limit).map((m) => presentLoggedModel(m)),
      ...(rows.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
    };
  });
}

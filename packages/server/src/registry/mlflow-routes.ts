/** MLflow's model registry endpoints over Vigil's models and versions (see service.ts). */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditSpec } from '../audit/index.js';
import type { ModelRow } from '../storage/types.js';
import { type Fields, keyValueList, maxResults, optionalString, requiredString } from '../tracking/fields.js';
import { LIMITS } from '../tracking/limits.js';
import { alreadyExists, doesNotExist, invalidParameter } from '../tracking/mlflow-errors.js';
import { keyValues } from '../tracking/present.js';
import { type MlflowContext, mlflowRoute } from '../tracking/route.js';
import {
  aliasProblem,
  modelNameProblem,
  RegistryService,
  TASK_TAG,
  taskFromTags,
  type VersionView,
} from './service.js';

function versionJson(model: ModelRow, view: VersionView) {
  const { version, details } = view;
  return {
    name: model.name,
    version: version.name,
    creation_timestamp: version.createdAt.getTime(),
    last_updated_timestamp: details?.updatedMs ?? version.createdAt.getTime(),
    ...(details?.userId ? { user_id: details.userId } : {}),
    current_stage: 'None',
    description: version.description ?? '',
    source: details?.source ?? version.artifactUri ?? '',
    ...(details?.runId ? { run_id: details.runId } : {}),
    status: details?.status ?? 'READY',
    tags: keyValues(version.tags),
    aliases: view.aliases,
    ...(details?.loggedModelId ? { model_id: details.loggedModelId } : {}),
  };
}

/** What the audit trail records of each registry endpoint that changes something. */
const REGISTRY_CHANGES: Record<string, AuditSpec> = {
  'POST registered-models/create': { entity: 'model', action: 'create' },
  'PATCH registered-models/update': { entity: 'model', action: 'update' },
  'POST registered-models/rename': { entity: 'model', action: 'rename' },
  'DELETE registered-models/delete': { entity: 'model', action: 'delete' },
  'POST registered-models/set-tag': { entity: 'model', action: 'set_tag' },
  'DELETE registered-models/delete-tag': { entity: 'model', action: 'delete_tag' },
  'POST model-versions/create': { entity: 'model_version', action: 'create' },
  'PATCH model-versions/update': { entity: 'model_version', action: 'update' },
  'DELETE model-versions/delete': { entity: 'model_version', action: 'delete' },
  'POST model-versions/transition-stage': { entity: 'model_version', action: 'transition_stage' },
  'POST model-versions/set-tag': { entity: 'model_version', action: 'set_tag' },
  'DELETE model-versions/delete-tag': { entity: 'model_version', action: 'delete_tag' },
  'POST registered-models/alias': { entity: 'alias', action: 'set' },
  'DELETE registered-models/alias': { entity: 'alias', action: 'delete' },
};

/** `mlflowRoute` with the registry's audit: an endpoint that changes something and is not in the table above is refused. */
const route: typeof mlflowRoute = (app, method, path, scope, handler) => {
  const audit = REGISTRY_CHANGES[`${method} ${path}`];
  if (!audit && scope !== 'read')
    throw new Error(`MLflow registry endpoint ${method} ${path} is missing from REGISTRY_CHANGES.`);
  mlflowRoute(app, method, path, scope, handler, audit);
};

function byName(fields: Fields, field = 'name'): string {
  return requiredString(fields, field, 256);
}

export function registerRegistryMlflowRoutes(app: FastifyInstance, context: MlflowContext): void {
  const { store } = context;
  const registry = new RegistryService(store, context.now);
  const who = (request: FastifyRequest) => request.auth.actor;

  const loadModel = async (request: FastifyRequest, name: string) => {
    const model = await store.getModel(request.auth.projectId, name);
    if (!model) throw doesNotExist(`Registered Model with name=${name.slice(0, 256)} not found`);
    return model;
  };
  const loadVersion = async (request: FastifyRequest, fields: Fields) => {
    const model = await loadModel(request, byName(fields));
    const raw = fields.version;
    const name = typeof raw === 'number' ? String(raw) : raw;
    if (typeof name !== 'string' || name === '')
      throw invalidParameter("Missing value for required parameter 'version'.");
    const version = await registry.findVersion(model, name);
    if (!version) {
      throw doesNotExist(`Model Version (name=${model.name}, version=${name.slice(0, 200)}) not found`);
    }
    return { model, version };
  };
  const versionView = async (model: ModelRow, versionName: string) => {
    const version = (await registry.findVersion(model, versionName))!;
    return (await registry.versionViews(model, [version]))[0]!;
  };
  const registeredJson = async (model: ModelRow) => {
    const versions = await registry.liveVersions(model);
    const aliases = await store.registry.currentAliases(model.id);
    const latest = versions[versions.length - 1];
    const latestViews = latest ? await registry.versionViews(model, [latest]) : [];
    return {
      name: model.name,
      creation_timestamp: model.createdAt.getTime(),
      last_updated_timestamp: model.updatedAt.getTime(),
      description: model.description ?? '',
      latest_versions: latestViews.map((v) => versionJson(model, v)),
      tags: keyValues(model.tags),
      aliases: aliases.map((a) => ({ alias: a.alias, version: a.versionName })),
    };
  };

  route(app, 'POST', 'registered-models/create', 'write', async (fields, request) => {
    const name = byName(fields);
    const problem = modelNameProblem(name);
    if (problem)
      throw invalidParameter(
        `Invalid registered model name '${name}': ${problem} (it is also the Vigil model name).`,
      );
    const tags = keyValueList(fields, 'tags', { key: LIMITS.registryTagKey, value: LIMITS.registryTagValue });
    const task = taskFromTags(tags);
    if (!task)
      throw invalidParameter(
        `Tag '${TASK_TAG}' must be binary_classification, multiclass_classification or regression.`,
      );
    if (await store.getModel(request.auth.projectId, name)) {
      throw alreadyExists(`Registered Model (name=${name}) already exists.`);
    }
    let model: ModelRow;
    try {
      model = await store.createModel({
        projectId: request.auth.projectId,
        name,
        task,
        description: optionalString(fields, 'description', LIMITS.description) ?? null,
        tags,
        schema: null,
        schemaSource: null,
      });
    } catch (error) {
      if (error instanceof Error && /duplicate key|unique constraint/i.test(error.message)) {
        throw alreadyExists(`Registered Model (name=${name}) already exists.`);
      }
      throw error;
    }
    return { registered_model: await registeredJson(model) };
  });

  route(app, 'GET', 'registered-models/get', 'read', async (fields, request) => ({
    registered_model: await registeredJson(await loadModel(request, byName(fields))),
  }));

  route(app, 'GET', 'registered-models/search', 'read', async (fields, request) => {
    const limit = maxResults(fields, 100, 1000);
    const filter = optionalString(fields, 'filter');
    let match: (name: string) => boolean = () => true;
    if (filter && filter.trim() !== '') {
      const parsed = /^\s*name\s*(=|LIKE|ILIKE)\s*(['"])(.*)\2\s*$/i.exec(filter);
      if (!parsed)
        throw invalidParameter(
          `Invalid registered model filter '${filter.slice(0, 200)}': use name = '...' or name LIKE '...'.`,
        );
      const [, op, , value] = parsed;
      if (op === '=') match = (name) => name === value;
      else {
        const pattern = new RegExp(
          `^${value!
            .replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
            .replaceAll('%', '.*')
            .replaceAll('_', '.')}$`,
          op!.toUpperCase() === 'ILIKE' ? 'i' : '',
        );
        match = (name) => pattern.test(name);
      }
    }
    const models = (await store.listModels(request.auth.projectId))
      .filter((m) => match(m.name))
      .slice(0, limit);
    return { registered_models: await Promise.all(models.map(registeredJson)) };
  });

  route(app, 'PATCH', 'registered-models/update', 'write', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const description = optionalString(fields, 'description', LIMITS.description);
    const updated = description === undefined ? model : await store.updateModel(model.id, { description });
    return { registered_model: await registeredJson(updated) };
  });

  route(app, 'POST', 'registered-models/rename', 'write', async (fields, request) => {
    await loadModel(request, byName(fields));
    throw invalidParameter(
      'Renaming is not supported: predictions and monitors refer to the model by its name.',
    );
  });

  route(app, 'DELETE', 'registered-models/delete', 'write', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    throw invalidParameter(
      `Deleting registered model '${model.name}' would delete its predictions and monitors too; use Vigil's DELETE /api/v1/models/${model.name}?confirm=${model.name} (admin key).`,
    );
  });

  route(app, 'POST', 'registered-models/set-tag', 'write', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const key = requiredString(fields, 'key', LIMITS.registryTagKey);
    const value = optionalString(fields, 'value', LIMITS.registryTagValue) ?? '';
    await store.updateModel(model.id, { tags: { ...model.tags, [key]: value } });
  });

  route(app, 'DELETE', 'registered-models/delete-tag', 'write', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const key = requiredString(fields, 'key', LIMITS.registryTagKey);
    const { [key]: _, ...rest } = model.tags;
    await store.updateModel(model.id, { tags: rest });
  });

  route(app, 'POST', 'registered-models/get-latest-versions', 'read', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const versions = await registry.liveVersions(model);
    const latest = versions.slice(-1);
    return { model_versions: (await registry.versionViews(model, latest)).map((v) => versionJson(model, v)) };
  });

  route(app, 'POST', 'model-versions/create', 'write', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const source = requiredString(fields, 'source', 10_000);
    const loggedModelId = optionalString(fields, 'model_id') || null;
    const logged = loggedModelId
      ? await store.tracking.getLoggedModel(request.auth.projectId, loggedModelId)
      : null;
    if (loggedModelId && !logged)
      throw doesNotExist(`Logged model with ID '${loggedModelId.slice(0, 100)}' not found.`);
    // MLflow 3 registers `models:/<id>` without a run: the version's run is the model's source run.
    const runId = optionalString(fields, 'run_id') || logged?.sourceRunId || null;
    if (runId && !(await store.tracking.getRun(request.auth.projectId, runId))) {
      throw doesNotExist(`Run with id=${runId.slice(0, 260)} not found`);
    }
    const version = await registry.createVersion(model, request.auth.projectId, {
      source,
      runId,
      loggedModelId,
      tags: keyValueList(fields, 'tags', { key: LIMITS.registryTagKey, value: LIMITS.registryTagValue }),
      description: optionalString(fields, 'description', LIMITS.description) ?? null,
      userId: null,
    });
    return { model_version: versionJson(model, await versionView(model, version.name)) };
  });

  route(app, 'GET', 'model-versions/get', 'read', async (fields, request) => {
    const { model, version } = await loadVersion(request, fields);
    return { model_version: versionJson(model, await versionView(model, version.name)) };
  });

  route(app, 'PATCH', 'model-versions/update', 'write', async (fields, request) => {
    const { model, version } = await loadVersion(request, fields);
    const description = optionalString(fields, 'description', LIMITS.description);
    if (description !== undefined) await store.registry.updateVersion(version.id, { description });
    return { model_version: versionJson(model, await versionView(model, version.name)) };
  });

  route(app, 'DELETE', 'model-versions/delete', 'write', async (fields, request) => {
    const { version } = await loadVersion(request, fields);
    await store.registry.deleteVersion(version.id, who(request), context.now());
  });

  route(app, 'POST', 'model-versions/transition-stage', 'write', async () => {
    throw invalidParameter(
      'Model stages are deprecated in MLflow and not supported; use aliases (set_registered_model_alias).',
    );
  });

  route(app, 'GET', 'model-versions/search', 'read', async (fields, request) => {
    const filter = optionalString(fields, 'filter') ?? '';
    const conditions = filter.trim() === '' ? [] : filter.split(/\s+and\s+/i);
    let name: string | undefined;
    let runId: string | undefined;
    for (const condition of conditions) {
      const parsed = /^\s*(name|run_id)\s*=\s*(['"])(.*)\2\s*$/.exec(condition);
      if (!parsed) {
        throw invalidParameter(
          `Invalid model version filter '${filter.slice(0, 200)}': use name = '...' and/or run_id = '...'.`,
        );
      }
      if (parsed[1] === 'name') name = parsed[3];
      else runId = parsed[3];
    }
    const limit = maxResults(fields, 10_000, 200_000);
    const models =
      name !== undefined
        ? [await store.getModel(request.auth.projectId, name)].filter((m): m is ModelRow => m !== null)
        : await store.listModels(request.auth.projectId);
    const found = [];
    for (const model of models) {
      const views = await registry.versionViews(model, await registry.liveVersions(model));
      for (const view of views) {
        if (runId !== undefined && view.details?.runId !== runId) continue;
        found.push(versionJson(model, view));
      }
      if (found.length >= limit) break;
    }
    return { model_versions: found.slice(0, limit) };
  });

  route(app, 'GET', 'model-versions/get-download-uri', 'read', async (fields, request) => {
    const { model, version } = await loadVersion(request, fields);
    const view = await versionView(model, version.name);
    const source = view.details?.source ?? version.artifactUri ?? '';
    const loggedModel = /^models:\/(m-[0-9a-f]+)$/.exec(source);
    if (loggedModel) {
      const logged = await store.tracking.getLoggedModel(request.auth.projectId, loggedModel[1]!);
      if (logged) return { artifact_uri: logged.artifactUri };
    }
    return { artifact_uri: source };
  });

  route(app, 'POST', 'model-versions/set-tag', 'write', async (fields, request) => {
    const { version } = await loadVersion(request, fields);
    const key = requiredString(fields, 'key', LIMITS.registryTagKey);
    const value = optionalString(fields, 'value', LIMITS.registryTagValue) ?? '';
    await store.registry.updateVersion(version.id, { tags: { ...version.tags, [key]: value } });
  });

  route(app, 'DELETE', 'model-versions/delete-tag', 'write', async (fields, request) => {
    const { version } = await loadVersion(request, fields);
    const key = requiredString(fields, 'key', LIMITS.registryTagKey);
    const { [key]: _, ...rest } = version.tags;
    await store.registry.updateVersion(version.id, { tags: rest });
  });

  const aliasName = (fields: Fields) => {
    const alias = requiredString(fields, 'alias', LIMITS.aliasLength);
    const problem = aliasProblem(alias);
    if (problem) throw invalidParameter(`Invalid alias name '${alias}': ${problem}.`);
    return alias;
  };

  route(app, 'POST', 'registered-models/alias', 'write', async (fields, request) => {
    const alias = aliasName(fields);
    const { model, version } = await loadVersion(request, fields);
    await registry.setAlias(model, alias, version, who(request));
  });

  route(app, 'DELETE', 'registered-models/alias', 'write', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const alias = requiredString(fields, 'alias', LIMITS.aliasLength);
    await store.registry.deleteAlias(model.id, alias, context.now());
  });

  route(app, 'GET', 'registered-models/alias', 'read', async (fields, request) => {
    const model = await loadModel(request, byName(fields));
    const alias = requiredString(fields, 'alias', LIMITS.aliasLength);
    const current = (await store.registry.currentAliases(model.id)).find((a) => a.alias === alias);
    if (!current) throw doesNotExist(`Registered model alias ${alias} not found.`);
    return { model_version: versionJson(model, await versionView(model, current.versionName)) };
  });
}

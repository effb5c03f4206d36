/** MLflow's experiments, runs, metrics, params, tags and inputs endpoints. */
import { randomUUID } from 'node:crypto';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import {
  ExperimentNameTakenError,
  type MetricPoint,
  ParamChangedError,
  type RunDetails,
  type RunStatus,
} from '../storage/tracking.js';
import {
  decodePageToken,
  encodePageToken,
  type Fields,
  keyValueList,
  maxResults,
  objectList,
  optionalInteger,
  optionalList,
  optionalString,
  requiredDouble,
  requiredString,
  viewType,
} from './fields.js';
import { parseRunFilter, parseRunOrder } from './filter.js';
import { checkEntityKey, LIMITS } from './limits.js';
import { alreadyExists, doesNotExist, invalidParameter } from './mlflow-errors.js';
import { presentExperiment, presentMetric, presentRun } from './present.js';
import { type MlflowContext, mlflowRoute } from './route.js';

const RUN_STATUSES = new Set<RunStatus>(['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED']);

export function experimentId(fields: Fields, name = 'experiment_id'): number {
  const raw = fields[name];
  const text = typeof raw === 'number' ? String(raw) : raw;
  if (text === undefined || text === null || text === '') {
    throw invalidParameter(`Missing value for required parameter '${name}'.`);
  }
  if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) {
    throw doesNotExist(`No Experiment with id=${String(text).slice(0, 80)} exists`);
  }
  return Number(text);
}

export async function loadExperiment(context: MlflowContext, request: FastifyRequest, id: number) {
  const experiment = await context.store.tracking.getExperiment(request.auth.projectId, id);
  if (!experiment) throw doesNotExist(`No Experiment with id=${id} exists`);
  return experiment;
}

export async function loadRun(
  context: MlflowContext,
  request: FastifyRequest,
  fields: Fields,
): Promise<RunDetails> {
  const runId = optionalString(fields, 'run_id') ?? optionalString(fields, 'run_uuid');
  if (!runId) throw invalidParameter("Missing value for required parameter 'run_id'.");
  const run = /^[A-Za-z0-9][\w-]{0,255}$/.test(runId)
    ? await context.store.tracking.getRun(request.auth.projectId, runId)
    : null;
  if (!run) throw doesNotExist(`Run with id=${runId.slice(0, 260)} not found`);
  return run;
}

/** A run that may still be written to. */
async function activeRun(context: MlflowContext, request: FastifyRequest, fields: Fields) {
  const run = await loadRun(context, request, fields);
  if (run.lifecycleStage !== 'active') {
    throw invalidParameter(
      `The run ${run.id} must be in the 'active' state. Current state is ${run.lifecycleStage}.`,
    );
  }
  return run;
}

function metricFrom(item: Fields, path: string): MetricPoint {
  const key = requiredString(item, 'key');
  checkEntityKey(key, `${path}key`, 'Metric name');
  const timestamp = optionalInteger(item, 'timestamp');
  if (timestamp === undefined)
    throw invalidParameter(`Missing value for required parameter '${path}timestamp'.`);
  return {
    key,
    value: requiredDouble(item.value, `${path}value`),
    timestampMs: timestamp,
    step: optionalInteger(item, 'step') ?? 0,
    modelId: optionalString(item, 'model_id') ?? null,
    datasetName: optionalString(item, 'dataset_name', LIMITS.datasetName) ?? null,
    datasetDigest: optionalString(item, 'dataset_digest', LIMITS.datasetDigest) ?? null,
  };
}

function paramsFrom(items: Fields[], path: string): Record<string, string> {
  const params: Record<string, string> = {};
  items.forEach((item, index) => {
    const key = requiredString(item, 'key');
    checkEntityKey(key, `${path}[${index}].key`, 'Param key');
    const value = optionalString(item, 'value') ?? '';
    if (value.length > LIMITS.paramValue) {
      throw invalidParameter(
        `Param value '${value.slice(0, 40)}…' had length ${value.length}, which exceeded length limit of ${LIMITS.paramValue}`,
      );
    }
    if (params[key] !== undefined && params[key] !== value) {
      throw invalidParameter(
        `Duplicate parameter keys have been submitted: '${key}' with the values '${params[key]}' and '${value}'.`,
      );
    }
    params[key] = value;
  });
  return params;
}

function tagsFrom(items: Fields[], path: string): Record<string, string> {
  const tags: Record<string, string> = {};
  items.forEach((item, index) => {
    const key = requiredString(item, 'key');
    checkEntityKey(key, `${path}[${index}].key`, 'Tag key');
    const value = optionalString(item, 'value') ?? '';
    if (value.length > LIMITS.tagValue) {
      throw invalidParameter(
        `Tag value '${value.slice(0, 40)}…' had length ${value.length}, which exceeded length limit of ${LIMITS.tagValue}`,
      );
    }
    tags[key] = value;
  });
  return tags;
}

async function logBatch(
  context: MlflowContext,
  runId: string,
  batch: { metrics: MetricPoint[]; params: Record<string, string>; tags: Record<string, string> },
) {
  try {
    await context.store.tracking.logBatch(runId, batch);
  } catch (error) {
    if (error instanceof ParamChangedError) throw invalidParameter(error.message);
    throw error;
  }
}

export function registerRunRoutes(app: FastifyInstance, context: MlflowContext): void {
  const { store } = context;

  // ------------------------------------------------------------ experiments

  mlflowRoute(app, 'POST', 'experiments/create', 'write', async (fields, request) => {
    const name = requiredString(fields, 'name', LIMITS.experimentName);
    if (optionalString(fields, 'artifact_location')) {
      throw invalidParameter(
        "'artifact_location' is not supported: this server stores artifacts itself (mlflow-artifacts:/); leave it unset.",
      );
    }
    const tags = keyValueList(fields, 'tags', { key: LIMITS.entityKey, value: LIMITS.experimentTagValue });
    try {
      const experiment = await store.tracking.createExperiment({
        projectId: request.auth.projectId,
        name,
        artifactLocation: '',
        lifecycleStage: 'active',
        tags,
        createdMs: context.now(),
      });
      await store.tracking.setArtifactLocation(experiment.id, `mlflow-artifacts:/${experiment.id}`);
      return { experiment_id: String(experiment.id) };
    } catch (error) {
      if (error instanceof ExperimentNameTakenError) {
        throw alreadyExists(`Experiment '${name}' already exists.`);
      }
      throw error;
    }
  });

  mlflowRoute(app, 'GET', 'experiments/get', 'read', async (fields, request) => ({
    experiment: presentExperiment(await loadExperiment(context, request, experimentId(fields))),
  }));

  mlflowRoute(app, 'GET', 'experiments/get-by-name', 'read', async (fields, request) => {
    const name = requiredString(fields, 'experiment_name');
    const experiment = await store.tracking.getExperimentByName(request.auth.projectId, name);
    if (!experiment) throw doesNotExist(`Could not find experiment with name '${name.slice(0, 500)}'`);
    return { experiment: presentExperiment(experiment) };
  });

  mlflowRoute(app, 'POST', 'experiments/search', 'read', async (fields, request) => {
    const limit = maxResults(fields, 1000, 50_000);
    const offset = decodePageToken(fields);
    const filter = optionalString(fields, 'filter');
    let nameLike: string | undefined;
    if (filter && filter.trim() !== '') {
      // The one filter MLflow's UI and client use: on the name.
      const match = /^\s*(?:attributes?\.)?name\s*(=|LIKE|ILIKE)\s*(['"])(.*)\2\s*$/i.exec(filter);
      if (!match) {
        throw invalidParameter(
          `Invalid experiment filter '${filter.slice(0, 200)}': only name = '...', name LIKE '...' and name ILIKE '...' are supported.`,
        );
      }
      nameLike = match[1] === '=' ? match[3]!.replace(/[%_\\]/g, '\\$&') : match[3]!;
    }
    const rows = await store.tracking.searchExperiments(request.auth.projectId, {
      view: viewType(fields),
      ...(nameLike !== undefined ? { nameLike } : {}),
      limit: limit + 1,
      offset,
    });
    return {
      experiments: rows.slice(0, limit).map(presentExperiment),
      ...(rows.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
    };
  });

  mlflowRoute(app, 'POST', 'experiments/update', 'write', async (fields, request) => {
    const experiment = await loadExperiment(context, request, experimentId(fields));
    const name = requiredString(fields, 'new_name', LIMITS.experimentName);
    try {
      await store.tracking.updateExperiment(experiment.id, { name }, context.now());
    } catch (error) {
      if (error instanceof ExperimentNameTakenError)
        throw alreadyExists(`Experiment '${name}' already exists.`);
      throw error;
    }
  });

  for (const [path, stage] of [
    ['experiments/delete', 'deleted'],
    ['experiments/restore', 'active'],
  ] as const) {
    mlflowRoute(app, 'POST', path, 'write', async (fields, request) => {
      const experiment = await loadExperiment(context, request, experimentId(fields));
      await store.tracking.updateExperiment(experiment.id, { lifecycleStage: stage }, context.now());
    });
  }

  mlflowRoute(app, 'POST', 'experiments/set-experiment-tag', 'write', async (fields, request) => {
    const experiment = await loadExperiment(context, request, experimentId(fields));
    const key = requiredString(fields, 'key', LIMITS.entityKey);
    const value = optionalString(fields, 'value', LIMITS.experimentTagValue) ?? '';
    await store.tracking.setExperimentTag(experiment.id, key, value);
  });

  mlflowRoute(app, 'POST', 'experiments/delete-experiment-tag', 'write', async (fields, request) => {
    const experiment = await loadExperiment(context, request, experimentId(fields));
    await store.tracking.deleteExperimentTag(experiment.id, requiredString(fields, 'key', LIMITS.entityKey));
  });

  // ------------------------------------------------------------------- runs

  mlflowRoute(app, 'POST', 'runs/create', 'write', async (fields, request) => {
    const experiment = await loadExperiment(context, request, experimentId(fields));
    if (experiment.lifecycleStage !== 'active') {
      throw invalidParameter(
        `The experiment ${experiment.id} must be in the 'active' state to create runs in it.`,
      );
    }
    const tags = tagsFrom(objectList(fields, 'tags'), 'tags');
    const id = randomUUID().replaceAll('-', '');
    const name =
      optionalString(fields, 'run_name', LIMITS.tagValue) ||
      tags['mlflow.runName'] ||
      `run-${id.slice(0, 8)}`;
    tags['mlflow.runName'] = name;
    await store.tracking.createRun(
      {
        id,
        projectId: request.auth.projectId,
        experimentId: experiment.id,
        name,
        userId: optionalString(fields, 'user_id', LIMITS.entityKey) ?? tags['mlflow.user'] ?? '',
        status: 'RUNNING',
        startMs: optionalInteger(fields, 'start_time') ?? context.now(),
        endMs: null,
        lifecycleStage: 'active',
        artifactUri: `mlflow-artifacts:/${experiment.id}/${id}/artifacts`,
      },
      tags,
    );
    return { run: presentRun((await store.tracking.getRun(request.auth.projectId, id))!) };
  });

  mlflowRoute(app, 'GET', 'runs/get', 'read', async (fields, request) => ({
    run: presentRun(await loadRun(context, request, fields)),
  }));

  mlflowRoute(app, 'POST', 'runs/update', 'write', async (fields, request) => {
    const run = await loadRun(context, request, fields);
    const status = optionalString(fields, 'status');
    if (status !== undefined && !RUN_STATUSES.has(status as RunStatus)) {
      throw invalidParameter(
        `Invalid run status '${status.slice(0, 40)}': use ${[...RUN_STATUSES].join(', ')}.`,
      );
    }
    const endMs = optionalInteger(fields, 'end_time');
    const name = optionalString(fields, 'run_name', LIMITS.tagValue);
    await store.tracking.updateRun(run.id, {
      ...(status !== undefined ? { status: status as RunStatus } : {}),
      ...(endMs !== undefined ? { endMs } : {}),
      ...(name ? { name } : {}),
    });
    const updated = (await store.tracking.getRun(request.auth.projectId, run.id))!;
    return { run_info: presentRun(updated).info };
  });

  for (const [path, stage] of [
    ['runs/delete', 'deleted'],
    ['runs/restore', 'active'],
  ] as const) {
    mlflowRoute(app, 'POST', path, 'write', async (fields, request) => {
      const run = await loadRun(context, request, fields);
      await store.tracking.updateRun(run.id, { lifecycleStage: stage });
    });
  }

  mlflowRoute(app, 'POST', 'runs/log-metric', 'write', async (fields, request) => {
    const run = await activeRun(context, request, fields);
    await logBatch(context, run.id, { metrics: [metricFrom(fields, '')], params: {}, tags: {} });
  });

  mlflowRoute(app, 'POST', 'runs/log-parameter', 'write', async (fields, request) => {
    const run = await activeRun(context, request, fields);
    await logBatch(context, run.id, { metrics: [], params: paramsFrom([fields], 'params'), tags: {} });
  });

  mlflowRoute(app, 'POST', 'runs/set-tag', 'write', async (fields, request) => {
    const run = await activeRun(context, request, fields);
    await logBatch(context, run.id, { metrics: [], params: {}, tags: tagsFrom([fields], 'tags') });
  });

  mlflowRoute(app, 'POST', 'runs/delete-tag', 'write', async (fields, request) => {
    const run = await activeRun(context, request, fields);
    const key = requiredString(fields, 'key', LIMITS.entityKey);
    if (!(await store.tracking.deleteRunTag(run.id, key))) {
      throw doesNotExist(`No tag with name: ${key} in run with id ${run.id}`);
    }
  });

  mlflowRoute(app, 'POST', 'runs/log-batch', 'write', async (fields, request) => {
    const metrics = objectList(fields, 'metrics');
    const params = objectList(fields, 'params');
    const tags = objectList(fields, 'tags');
    if (metrics.length > LIMITS.metricsPerBatch) {
      throw invalidParameter(
        `A batch logging request can contain at most ${LIMITS.metricsPerBatch} metrics. Got ${metrics.length} metrics. Please split up metrics across multiple requests and try again.`,
      );
    }
    if (params.length > LIMITS.paramsTagsPerBatch || tags.length > LIMITS.paramsTagsPerBatch) {
      throw invalidParameter(
        `A batch logging request can contain at most ${LIMITS.paramsTagsPerBatch} params and ${LIMITS.paramsTagsPerBatch} tags. Got ${params.length} params and ${tags.length} tags. Please split up params and tags across multiple requests and try again.`,
      );
    }
    if (metrics.length + params.length + tags.length > LIMITS.entitiesPerBatch) {
      throw invalidParameter(
        `A batch logging request can contain at most ${LIMITS.entitiesPerBatch} metrics, params and tags in total.`,
      );
    }
    const run = await activeRun(context, request, fields);
    await logBatch(context, run.id, {
      metrics: metrics.map((m, i) => metricFrom(m, `metrics[${i}].`)),
      params: paramsFrom(params, 'params'),
      tags: tagsFrom(tags, 'tags'),
    });
  });

  mlflowRoute(app, 'POST', 'runs/log-inputs', 'write', async (fields, request) => {
    const datasets = objectList(fields, 'datasets');
    if (datasets.length > LIMITS.datasetsPerBatch) {
      throw invalidParameter(
        `At most ${LIMITS.datasetsPerBatch} datasets can be logged at once; got ${datasets.length}.`,
      );
    }
    const run = await activeRun(context, request, fields);
    const inputs = datasets.map((input, index) => {
      const dataset = input.dataset;
      if (typeof dataset !== 'object' || dataset === null || Array.isArray(dataset)) {
        throw invalidParameter(`'datasets[${index}].dataset' is required.`);
      }
      const d = dataset as Fields;
      return {
        name: requiredString(d, 'name', LIMITS.datasetName),
        digest: requiredString(d, 'digest', LIMITS.datasetDigest),
        sourceType: requiredString(d, 'source_type'),
        source: requiredString(d, 'source', LIMITS.datasetSource),
        schema: optionalString(d, 'schema', LIMITS.datasetSchema) ?? null,
        profile: optionalString(d, 'profile', LIMITS.datasetProfile) ?? null,
        tags: keyValueList(input, 'tags', { key: LIMITS.inputTagKey, value: LIMITS.inputTagValue }),
      };
    });
    await store.tracking.logInputs(run.id, inputs);
  });

  mlflowRoute(app, 'POST', 'runs/outputs', 'write', async (fields, request) => {
    const run = await activeRun(context, request, fields);
    const models = objectList(fields, 'models').map((m) => ({
      modelId: requiredString(m, 'model_id', LIMITS.entityKey),
      step: optionalInteger(m, 'step') ?? 0,
    }));
    await store.tracking.logOutputs(run.id, models);
  });

  // MLflow 2's record of a model logged to a run, kept as the `mlflow.log-model.history` tag.
  mlflowRoute(app, 'POST', 'runs/log-model', 'write', async (fields, request) => {
    const run = await activeRun(context, request, fields);
    const modelJson = requiredString(fields, 'model_json', 1_000_000);
    let model: unknown;
    try {
      model = JSON.parse(modelJson);
    } catch {
      throw invalidParameter("'model_json' is not valid JSON.");
    }
    const key = 'mlflow.log-model.history';
    let history: unknown[] = [];
    try {
      history = JSON.parse(run.tags[key] ?? '[]') as unknown[];
    } catch {
      history = [];
    }
    const value = JSON.stringify([...(Array.isArray(history) ? history : []), model]);
    if (value.length <= LIMITS.tagValue)
      await logBatch(context, run.id, { metrics: [], params: {}, tags: { [key]: value } });
  });

  mlflowRoute(app, 'GET', 'metrics/get-history', 'read', async (fields, request) => {
    const run = await loadRun(context, request, fields);
    const key = requiredString(fields, 'metric_key', LIMITS.entityKey);
    const limit = maxResults(fields, 25_000, 25_000);
    const offset = decodePageToken(fields);
    const points = await store.tracking.metricHistory(run.id, key, { limit: limit + 1, offset });
    return {
      metrics: points.slice(0, limit).map((p) => presentMetric(p, run.id)),
      ...(points.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
    };
  });

  mlflowRoute(app, 'POST', 'runs/search', 'read', async (fields, request) => {
    const ids = optionalList(fields, 'experiment_ids').map((id, index) => {
      const text = typeof id === 'number' ? String(id) : id;
      if (typeof text !== 'string' || !/^\d{1,9}$/.test(text)) {
        throw invalidParameter(`'experiment_ids[${index}]' is not an experiment id.`);
      }
      return Number(text);
    });
    const limit = maxResults(fields, 1000, 50_000);
    const offset = decodePageToken(fields);
    const orderBy = optionalList(fields, 'order_by').map((clause, index) => {
      if (typeof clause !== 'string') throw invalidParameter(`'order_by[${index}]' must be a string.`);
      return clause;
    });
    const runs = await store.tracking.searchRuns(request.auth.projectId, {
      experimentIds: ids,
      conditions: parseRunFilter(optionalString(fields, 'filter')),
      orderBy: parseRunOrder(orderBy),
      view: viewType(fields, 'run_view_type'),
      limit: limit + 1,
      offset,
    });
    return {
      runs: runs.slice(0, limit).map(presentRun),
      ...(runs.length > limit ? { next_page_token: encodePageToken(offset + limit) } : {}),
    };
  });
}

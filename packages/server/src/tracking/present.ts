/** Stored tracking rows in MLflow's JSON shapes (protobuf JSON: int64 times as numbers, ids as strings). */
import type {
  DatasetInput,
  ExperimentRow,
  LoggedModelRow,
  MetricPoint,
  RunDetails,
} from '../storage/tracking.js';

export const keyValues = (record: Record<string, string>) =>
  Object.entries(record).map(([key, value]) => ({ key, value }));

/** Protobuf JSON writes NaN and the infinities as strings; JSON numbers cannot hold them. */
export function jsonDouble(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

export function presentExperiment(experiment: ExperimentRow) {
  return {
    experiment_id: String(experiment.id),
    name: experiment.name,
    artifact_location: experiment.artifactLocation,
    lifecycle_stage: experiment.lifecycleStage,
    creation_time: experiment.createdMs,
    last_update_time: experiment.updatedMs,
    tags: keyValues(experiment.tags),
  };
}

export function presentMetric(metric: MetricPoint, runId?: string) {
  return {
    key: metric.key,
    value: jsonDouble(metric.value),
    timestamp: metric.timestampMs,
    step: metric.step,
    ...(metric.modelId ? { model_id: metric.modelId } : {}),
    ...(metric.datasetName ? { dataset_name: metric.datasetName } : {}),
    ...(metric.datasetDigest ? { dataset_digest: metric.datasetDigest } : {}),
    ...(runId ? { run_id: runId } : {}),
  };
}

function presentDataset(input: DatasetInput) {
  return {
    tags: keyValues(input.tags),
    dataset: {
      name: input.name,
      digest: input.digest,
      source_type: input.sourceType,
      source: input.source,
      ...(input.schema !== null ? { schema: input.schema } : {}),
      ...(input.profile !== null ? { profile: input.profile } : {}),
    },
  };
}

export function presentRun(run: RunDetails) {
  return {
    info: {
      run_id: run.id,
      run_uuid: run.id,
      run_name: run.name,
      experiment_id: String(run.experimentId),
      user_id: run.userId,
      status: run.status,
      ...(run.startMs !== null ? { start_time: run.startMs } : {}),
      ...(run.endMs !== null ? { end_time: run.endMs } : {}),
      artifact_uri: run.artifactUri,
      lifecycle_stage: run.lifecycleStage,
    },
    data: {
      metrics: run.metrics.map((m) => presentMetric(m)),
      params: keyValues(run.params),
      tags: keyValues(run.tags),
    },
    inputs: { dataset_inputs: run.inputs.map(presentDataset), model_inputs: [] },
    outputs: { model_outputs: run.modelOutputs.map((m) => ({ model_id: m.modelId, step: m.step })) },
  };
}

export function presentLoggedModel(
  model: LoggedModelRow,
  registrations: { name: string; version: string }[] = [],
) {
  return {
    info: {
      model_id: model.id,
      experiment_id: String(model.experimentId),
      name: model.name,
      creation_timestamp_ms: model.createdMs,
      last_updated_timestamp_ms: model.updatedMs,
      artifact_uri: model.artifactUri,
      status: model.status,
      ...(model.modelType ? { model_type: model.modelType } : {}),
      ...(model.sourceRunId ? { source_run_id: model.sourceRunId } : {}),
      tags: keyValues(model.tags),
      registrations,
    },
    data: { params: keyValues(model.params), metrics: [] },
  };
}

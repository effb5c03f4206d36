/**
 * Experiment tracking: experiments, runs with their params, metrics, tags and dataset inputs,
 * logged models, and the index of artifact files (their bytes live in the artifact store).
 * Times are epoch milliseconds, as MLflow's API gives them.
 */

export type LifecycleStage = 'active' | 'deleted';
export type RunStatus = 'RUNNING' | 'SCHEDULED' | 'FINISHED' | 'FAILED' | 'KILLED';
/** Which runs or experiments a search sees, as MLflow's `view_type`. */
export type ViewType = 'ACTIVE_ONLY' | 'DELETED_ONLY' | 'ALL';

export interface ExperimentRow {
  id: number;
  projectId: number;
  name: string;
  artifactLocation: string;
  lifecycleStage: LifecycleStage;
  tags: Record<string, string>;
  createdMs: number;
  updatedMs: number;
}

export interface RunRow {
  id: string;
  projectId: number;
  experimentId: number;
  name: string;
  userId: string;
  status: RunStatus;
  startMs: number | null;
  endMs: number | null;
  lifecycleStage: LifecycleStage;
  artifactUri: string;
}

export interface MetricPoint {
  key: string;
  value: number;
  timestampMs: number;
  step: number;
  modelId?: string | null;
  datasetName?: string | null;
  datasetDigest?: string | null;
}

export interface DatasetInput {
  name: string;
  digest: string;
  sourceType: string;
  source: string;
  schema: string | null;
  profile: string | null;
  tags: Record<string, string>;
}

/** A run with everything MLflow answers about it: params, tags, latest metrics, inputs, outputs. */
export interface RunDetails extends RunRow {
  params: Record<string, string>;
  tags: Record<string, string>;
  /** The latest value of each metric: highest step, then newest timestamp, then largest value. */
  metrics: MetricPoint[];
  inputs: DatasetInput[];
  modelOutputs: { modelId: string; step: number }[];
}

/** One condition of a run search: `<kind>.<key> <op> <value>`; conditions are ANDed. */
export type RunCondition =
  | { kind: 'metric'; key: string; op: ComparisonOp; value: number }
  | { kind: 'param' | 'tag'; key: string; op: StringOp; value: string }
  | { kind: 'param' | 'tag'; key: string; op: 'IS NULL' | 'IS NOT NULL' }
  | { kind: 'attribute'; key: RunStringAttribute; op: StringOp; value: string }
  | { kind: 'attribute'; key: RunStringAttribute; op: 'IN' | 'NOT IN'; value: string[] }
  | { kind: 'attribute'; key: RunTimeAttribute; op: ComparisonOp; value: number }
  | { kind: 'dataset'; key: 'name' | 'digest'; op: StringOp; value: string }
  | { kind: 'dataset'; key: 'name' | 'digest'; op: 'IN' | 'NOT IN'; value: string[] };

export type ComparisonOp = '=' | '!=' | '>' | '>=' | '<' | '<=';
export type StringOp = '=' | '!=' | 'LIKE' | 'ILIKE';
export type RunStringAttribute = 'run_id' | 'run_name' | 'status' | 'user_id' | 'artifact_uri';
export type RunTimeAttribute = 'start_time' | 'end_time';

export interface RunOrder {
  kind: 'metric' | 'param' | 'tag' | 'attribute';
  key: string;
  ascending: boolean;
}

export interface RunSearch {
  experimentIds: number[];
  conditions: RunCondition[];
  orderBy: RunOrder[];
  view: ViewType;
  limit: number;
  offset: number;
}

export interface LoggedModelRow {
  id: string;
  projectId: number;
  experimentId: number;
  name: string;
  sourceRunId: string | null;
  status: string;
  modelType: string | null;
  artifactUri: string;
  params: Record<string, string>;
  tags: Record<string, string>;
  lifecycleStage: LifecycleStage;
  createdMs: number;
  updatedMs: number;
}

export interface ArtifactFile {
  path: string;
  digest: string;
  size: number;
}

/** An entry directly under a listed folder. */
export interface ArtifactEntry {
  name: string;
  isDir: boolean;
  size: number | null;
}

/** The name is taken by another experiment of the project (MLflow: RESOURCE_ALREADY_EXISTS). */
export class ExperimentNameTakenError extends Error {
  constructor(readonly experimentName: string) {
    super(`An experiment named "${experimentName}" already exists.`);
  }
}

/** A param logged again with a different value (MLflow refuses to change a param). */
export class ParamChangedError extends Error {
  constructor(
    readonly runId: string,
    readonly key: string,
    readonly oldValue: string,
    readonly newValue: string,
  ) {
    super(
      `Changing param values is not allowed. Param with key='${key}' was already logged with value='${oldValue}' for run ID='${runId}'. Attempted logging new value '${newValue}'.`,
    );
  }
}

export interface TrackingRepository {
  createExperiment(input: Omit<ExperimentRow, 'id' | 'updatedMs'>): Promise<ExperimentRow>;
  /** Sets the experiment's artifact location once its id is known. */
  setArtifactLocation(experimentId: number, location: string): Promise<void>;
  getExperiment(projectId: number, id: number): Promise<ExperimentRow | null>;
  getExperimentByName(projectId: number, name: string): Promise<ExperimentRow | null>;
  searchExperiments(
    projectId: number,
    query: { view: ViewType; nameLike?: string; limit: number; offset: number },
  ): Promise<ExperimentRow[]>;
  updateExperiment(
    id: number,
    patch: { name?: string; lifecycleStage?: LifecycleStage },
    nowMs: number,
  ): Promise<void>;
  /**
   * Deletes the experiment for good, with its tags, runs (their params, tags, metrics, inputs
   * and outputs), logged models and the index of its artifact files (MLflow's `gc`). The
   * artifact bytes stay in the content-addressed store, which other files may share.
   */
  deleteExperimentPermanently(id: number): Promise<void>;
  setExperimentTag(id: number, key: string, value: string): Promise<void>;
  deleteExperimentTag(id: number, key: string): Promise<void>;

  createRun(input: RunRow, tags: Record<string, string>): Promise<void>;
  getRun(projectId: number, id: string): Promise<RunDetails | null>;
  updateRun(
    id: string,
    patch: { status?: RunStatus; endMs?: number | null; name?: string; lifecycleStage?: LifecycleStage },
  ): Promise<void>;
  /**
   * Params, metrics and tags in one all-or-nothing change. A param already logged with another
   * value fails the whole batch with `ParamChangedError`; the same value again is a no-op.
   */
  logBatch(
    runId: string,
    batch: { metrics: MetricPoint[]; params: Record<string, string>; tags: Record<string, string> },
  ): Promise<void>;
  deleteRunTag(runId: string, key: string): Promise<boolean>;
  /** Dataset inputs; logging the same (name, digest) again replaces its tags. */
  logInputs(runId: string, datasets: DatasetInput[]): Promise<void>;
  logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void>;
  /** Every logged value of a metric, by step then time. */
  metricHistory(runId: string, key: string, page: { limit: number; offset: number }): Promise<MetricPoint[]>;
  searchRuns(projectId: number, search: RunSearch): Promise<RunDetails[]>;

  createLoggedModel(input: LoggedModelRow): Promise<void>;
  getLoggedModel(projectId: number, id: string): Promise<LoggedModelRow | null>;
  updateLoggedModel(
    id: string,
    patch: { status?: string; lifecycleStage?: LifecycleStage; tags?: Record<string, string> },
    nowMs: number,
  ): Promise<void>;
  searchLoggedModels(
    projectId: number,
    query: { experimentIds: number[]; name?: string; sourceRunId?: string; limit: number; offset: number },
  ): Promise<LoggedModelRow[]>;

  /** Records (or replaces) the file at `path`. */
  putArtifactFile(projectId: number, file: ArtifactFile, nowMs: number): Promise<void>;
  getArtifactFile(projectId: number, path: string): Promise<ArtifactFile | null>;
  /** The entries directly under `folder` (no trailing slash; "" for the root), sorted by name. */
  listArtifactEntries(projectId: number, folder: string, limit: number): Promise<ArtifactEntry[]>;
}

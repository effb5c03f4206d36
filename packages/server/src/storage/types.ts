/**
 * The storage contract. Every engine (embedded DuckDB now; PostgreSQL for metadata
 * and ClickHouse for events later) implements `Store`; the shared test suite in
 * `store.suite.ts` runs against each. Heavy aggregation happens inside the engine:
 * the aggregate methods return per-window counts, histograms, summaries and
 * confusion counts, never raw rows.
 */

import type { ApiKeyScope, FeatureType, ModelSchema, Task } from '../domain/index.js';
import type { AlertRepository } from './alerts.js';
import type { AuditRepository } from './audit.js';
import type { ChannelRepository } from './channels.js';
import type { ComparisonRepository } from './comparison.js';
import type { StoreHealthSource } from './health.js';
import type { EvaluationTaskRepository, MonitorRepository, ResultRepository } from './monitoring.js';
import type { OutboxRepository } from './outbox.js';
import type { OverviewRepository } from './overview.js';
import type { PredictionCountRequest, PredictionCounts } from './prediction-counts.js';
import type { ProfilePartialRepository } from './profile-partials.js';
import type { ProfileBatchItem, ProfileRequest, WindowProfile } from './profiles.js';
import type { ReferenceBaselineRepository } from './reference-baselines.js';
import type { ReferenceUploadRepository } from './reference-uploads.js';
import type { RegistryRepository } from './registry.js';
import type { RowSample, SampleRequest, WindowRows, WindowRowsRequest } from './samples.js';
import type { TrackingRepository } from './tracking.js';
import type { SessionRepository, UserRepository } from './users.js';

export type { ApiKeyScope } from '../domain/index.js';

export interface ProjectRow {
  id: number;
  name: string;
  createdAt: Date;
}

export interface ApiKeyRow {
  id: number;
  projectId: number;
  name: string;
  scope: ApiKeyScope;
  /** First characters of the key, shown in listings so people can tell keys apart. */
  prefix: string;
  createdAt: Date;
  revokedAt: Date | null;
  /** Last request made with the key, to the minute (see `recordApiKeyUse`); null if never used since. */
  lastUsedAt: Date | null;
  /** Who created the key: `user:<name>`, `api-key:<id>`, `first-start`, `vigil keys create`; null for keys made before it was recorded. */
  createdBy: string | null;
}

export type RevokeOutcome = 'revoked' | 'not_found' | 'last_admin';

export interface ModelRow {
  id: number;
  projectId: number;
  name: string;
  task: Task;
  description: string | null;
  tags: Record<string, string>;
  schema: ModelSchema | null;
  schemaSource: 'declared' | 'inferred' | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface ModelVersionRow {
  id: number;
  modelId: number;
  name: string;
  artifactUri: string | null;
  params: Record<string, unknown>;
  metrics: Record<string, number>;
  tags: Record<string, string>;
  description: string | null;
  createdAt: Date;
}

export type ColumnRole = 'feature' | 'segment';

/**
 * A physical column of a model's event tables. Positions only grow, so a column's
 * storage never moves when the schema changes; `declared` is false for columns that
 * appeared in traffic without being in the schema (a data-quality violation).
 */
export interface ModelColumn {
  name: string;
  role: ColumnRole;
  type: FeatureType;
  position: number;
  declared: boolean;
}

/** A column to add: the store assigns its position. */
export type NewColumn = Omit<ModelColumn, 'position'>;

/**
 * A whole reference upload, stored all-or-nothing: the schema inferred from it (if any)
 * with its columns, columns for new features, the dataset (created, or emptied with
 * `replace`) and its rows.
 */
export interface ReferenceUpload {
  modelId: number;
  /** A schema to set with the upload (e.g. inferred from it); its columns are added and declared. */
  schema?: { schema: ModelSchema; source: 'declared' | 'inferred' };
  dataset: { name: string; versionId: number | null };
  /** Replace the dataset's rows instead of appending to them. */
  replace: boolean;
  /**
   * The columns the records' `values` are laid out in, in order. The store finds each
   * (role, name, type) among the model's columns or adds it.
   */
  columns: NewColumn[];
  records: EventRecord[];
  /**
   * Records the upload under this key with its answer, in the same transaction (see
   * `ReferenceUploadRepository`). A replacement forgets the dataset's earlier uploads.
   */
  upload?: { key: string; answer: unknown };
}

/** A value ready for a typed column (already converted to the column's type). */
export type ColumnValue = number | string | boolean | null;

/** What a stored event says about its prediction. Times are epoch microseconds. */
export interface EventFields {
  id: string;
  timestampMicros: number;
  version: string | null;
  prediction: string | null;
  predictionNumber: number | null;
  score: number | null;
  scores: Record<string, number> | null;
  label: string | null;
  labelNumber: number | null;
  /** Raw values that did not fit their column's type, kept so nothing is lost. */
  invalid: Record<string, unknown> | null;
  /** Data-quality violations, e.g. `missing_feature:age`, `type_mismatch:income`. */
  violations: string[];
}

/** A validated record, ready to store. */
export interface EventRecord extends EventFields {
  /** One entry per model column, in `columns` order. */
  values: ColumnValue[];
}

/** A nullable numeric column: `valid[i]` is 0 where row `i` holds null. */
export interface NumberColumn {
  values: Float64Array;
  valid: Uint8Array;
}

/**
 * One model column's values for a batch, already converted to the column's type:
 * numbers (numeric features; timestamps as epoch microseconds), strings (categorical and
 * text features, segments) or booleans. `null` stands for a column with no value in the batch.
 */
export type FeatureColumn =
  | ({ kind: 'number' } & NumberColumn)
  | { kind: 'string'; values: (string | null)[] }
  | { kind: 'boolean'; values: (boolean | null)[] }
  /**
   * Strings as the distinct values of the batch (`names`, no NUL) and an index into them per
   * row; `valid` is 1 where a row has a value (null: every row has one). From Arrow dictionary
   * columns, without a string per row.
   */
  | { kind: 'codes'; names: string[]; indices: Uint8Array | Uint16Array; valid: Uint8Array | null }
  | null;

/**
 * Validated predictions laid out by column, the columnar twin of `EventRecord[]`: row `i`
 * of every array belongs to the same prediction. Ids are unique within the batch.
 */
export interface EventColumns {
  length: number;
  id: string[];
  timestampMicros: Float64Array;
  version: (string | null)[];
  prediction: (string | null)[];
  predictionNumber: NumberColumn;
  score: NumberColumn;
  scores: (Record<string, number> | null)[];
  label: (string | null)[];
  labelNumber: NumberColumn;
  invalid: (Record<string, unknown> | null)[];
  /** Violations per row; `null` for a row without any. */
  violations: (string[] | null)[];
  /** One entry per model column, in `columns` order. */
  values: FeatureColumn[];
}

export interface LabelEvent {
  id: string;
  label: string;
  labelNumber: number | null;
  timestampMicros: number;
}

/** A stored prediction as read back, with its label once known. */
export interface StoredEvent extends EventFields {
  labelTimestampMicros: number | null;
  features: Record<string, ColumnValue>;
  segments: Record<string, string>;
}

export interface EventQuery {
  fromMicros?: number;
  toMicros?: number;
  version?: string;
  limit: number;
  /** Resume after this (timestamp, id) position (before it, when `newestFirst`). */
  after?: { timestampMicros: number; id: string };
  /** Newest first instead of oldest first. */
  newestFirst?: boolean;
}

/** A page of a reference dataset's rows, in the order they were stored. */
export interface ReferenceRowQuery {
  limit: number;
  /** Resume after the row at this position. */
  afterPosition?: number;
}

/** A stored reference row; `position` orders the rows of a dataset and resumes a listing. */
export interface StoredReferenceRow extends StoredEvent {
  position: number;
}

export interface ReferenceDatasetRow {
  id: number;
  modelId: number;
  name: string;
  versionId: number | null;
  rowCount: number;
  createdAt: Date;
  /** Changes whenever the dataset's rows change (0 before any); baselines are computed on one revision. */
  revision: number;
}

/** Where an aggregate reads from: a time range of production traffic, or a reference dataset. */
export type EventSource =
  | { kind: 'predictions'; fromMicros?: number; toMicros?: number; version?: string }
  | { kind: 'reference'; datasetId: number };

export type Bucket = 'minute' | 'hour' | 'day' | 'week';

export interface AggregateOptions {
  source: EventSource;
  /** Split the source into clock-aligned windows; absent means one window over everything. */
  bucket?: Bucket;
}

export interface WindowCountRow {
  windowStartMicros: number;
  predictions: number;
  labeled: number;
}

/** Histogram on shared edges: `counts[i]` counts values in [edges[i], edges[i+1]); outer edges may be ±Infinity. */
export interface HistogramRow {
  windowStartMicros: number | null;
  column: string;
  counts: number[];
  nulls: number;
}

export interface NumericSummaryRow {
  windowStartMicros: number | null;
  column: string;
  count: number;
  nulls: number;
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** Exact quantiles at the requested probabilities (linear interpolation, as numpy). */
  quantiles: (number | null)[];
}

export interface CategoryCountRow {
  windowStartMicros: number | null;
  column: string;
  value: string | null;
  count: number;
}

export interface ConfusionCountRow {
  windowStartMicros: number | null;
  prediction: string | null;
  label: string;
  count: number;
}

/**
 * Where the store's single writer spent its time since it opened, in cumulative totals (for the
 * metrics: the difference of two readings covers the time between them).
 */
export interface WriterActivity {
  /** Time the write lock was held, by any task (ingestion, evaluation, checkpoints…). */
  writerHeldSeconds: number;
  /** Group commits of ingestion batches, and the batches (works) they held. */
  groupCommits: number;
  groupedWorks: number;
  /** Summed over the works: from being handed to the group commit until their group began. */
  groupWaitSeconds: number;
  /** The groups' transactions begun and their works run (the appends). */
  groupWorkSeconds: number;
  /** The writes gathered for the commit (the traffic rollup), after the works. */
  gatheredWriteSeconds: number;
  /** The COMMIT statements: the rows merged into their tables, the write-ahead log written and flushed (and any checkpoint it ran). */
  commitSeconds: number;
}

export interface Store extends StoreHealthSource {
  readonly engine: string;
  /**
   * True when only one server process can use the store at a time (an embedded engine): work
   * leased when it starts was leased by a process that died, and can be taken over at once.
   */
  readonly exclusive: boolean;
  readonly monitors: MonitorRepository;
  readonly results: ResultRepository;
  /** Notification channels. */
  readonly channels: ChannelRepository;
  /** Notifications waiting to be delivered, and the record of each delivery. */
  readonly outbox: OutboxRepository;
  readonly alerts: AlertRepository;
  /** The aggregates of the overview of every model. */
  readonly overview: OverviewRepository;
  readonly evaluationTasks: EvaluationTaskRepository;
  /** Additive profiles of the sub-windows of open windows, merged instead of rescanned. */
  readonly profilePartials: ProfilePartialRepository;
  /** Reference uploads already applied, so that a re-sent upload is not stored twice. */
  readonly referenceUploads: ReferenceUploadRepository;
  /** Reference-side statistics kept per reference dataset, so that a restart does not recompute them. */
  readonly referenceBaselines: ReferenceBaselineRepository;
  /** People who sign in, with their roles. */
  readonly users: UserRepository;
  /** Signed-in browsers. */
  readonly sessions: SessionRepository;
  /** Experiments, runs, logged models and the index of artifact files (MLflow tracking). */
  readonly tracking: TrackingRepository;
  /** Registry details of model versions, and aliases with their history. */
  readonly registry: RegistryRepository;
  /** Shadow predictions and the paired aggregates of two versions (champion / challenger). */
  readonly comparison: ComparisonRepository;
  /** Who changed what, when: appended in the transaction of each change, never edited. */
  readonly audit: AuditRepository;
  /** Applies pending migrations; safe to call at every start. */
  migrate(): Promise<void>;
  /** Where the writer's time went (absent for an engine that does not keep it). */
  writerActivity?(): WriterActivity;
  close(): Promise<void>;

  // Projects and keys
  ensureProject(name: string): Promise<ProjectRow>;
  createApiKey(input: {
    projectId: number;
    name: string;
    scope: ApiKeyScope;
    keyHash: string;
    prefix: string;
    createdBy?: string;
  }): Promise<ApiKeyRow>;
  /** Records that a key was used at `atMs` (callers throttle this; it is a write). */
  recordApiKeyUse(id: number, atMs: number): Promise<void>;
  findApiKeyByHash(keyHash: string): Promise<ApiKeyRow | null>;
  listApiKeys(projectId: number): Promise<ApiKeyRow[]>;
  /**
   * Revokes an active key, unless it is the project's last active admin key (admin
   * access could then never be regained through the API).
   */
  revokeApiKey(projectId: number, id: number): Promise<RevokeOutcome>;
  countApiKeys(): Promise<number>;

  /**
   * Writes a consistent copy of the whole store to `targetFile` while the server runs
   * (writes wait meanwhile); `vigil restore` puts such a copy back.
   */
  backup(targetFile: string): Promise<void>;

  // Registry
  /** Creates a model; with a schema, its columns are created in the same all-or-nothing change. */
  createModel(input: Omit<ModelRow, 'id' | 'createdAt' | 'updatedAt'>): Promise<ModelRow>;
  getModel(projectId: number, name: string): Promise<ModelRow | null>;
  getModelById(id: number): Promise<ModelRow | null>;
  /** The models with these ids that exist, in one read (evaluation and alerting read a batch's models at once). */
  getModelsByIds(ids: number[]): Promise<Map<number, ModelRow>>;
  listModels(projectId: number): Promise<ModelRow[]>;
  /**
   * Updates a model. A new schema and its columns commit together or not at all: the
   * schema's missing columns are added and exactly its columns are marked declared.
   */
  updateModel(
    id: number,
    patch: Partial<Pick<ModelRow, 'description' | 'tags' | 'schema' | 'schemaSource'>>,
  ): Promise<ModelRow>;
  /**
   * Deletes a model and everything stored for it: events, labels, columns, versions, reference
   * datasets and their uploads, monitors and their results, alert rules and alerts. One transaction.
   */
  deleteModel(modelId: number): Promise<void>;
  createModelVersion(input: Omit<ModelVersionRow, 'id' | 'createdAt'>): Promise<ModelVersionRow>;
  listModelVersions(modelId: number): Promise<ModelVersionRow[]>;
  getModelVersion(modelId: number, name: string): Promise<ModelVersionRow | null>;

  // Event columns
  listColumns(modelId: number): Promise<ModelColumn[]>;
  /** Adds columns (positions assigned by the store) and returns the full, ordered column list. */
  addColumns(modelId: number, columns: Omit<ModelColumn, 'position'>[]): Promise<ModelColumn[]>;
  /** Marks which existing columns the schema declares. */
  setDeclaredColumns(modelId: number, declared: { role: ColumnRole; name: string }[]): Promise<void>;

  // Events: durable when the promise resolves
  /** Inserts predictions; ids already stored are skipped (idempotent). Returns how many were new. */
  insertPredictions(modelId: number, columns: ModelColumn[], records: EventRecord[]): Promise<number>;
  /** The same as `insertPredictions`, for predictions laid out by column. */
  insertPredictionColumns(modelId: number, columns: ModelColumn[], batch: EventColumns): Promise<number>;
  /**
   * Upserts labels: a later label for the same id replaces the earlier one. Returns the clock
   * minutes (start, microseconds, ascending, distinct) of the stored predictions the labels belong
   * to: where late labels change results (every window length is a whole number of minutes).
   * Labels whose prediction is not stored yet wait for it and are not in the answer.
   */
  upsertLabels(modelId: number, labels: LabelEvent[]): Promise<number[]>;
  /**
   * Stores a reference upload all-or-nothing (see `ReferenceUpload`); returns the dataset
   * and the model's full column list afterwards.
   */
  storeReferenceUpload(
    upload: ReferenceUpload,
  ): Promise<{ dataset: ReferenceDatasetRow; columns: ModelColumn[] }>;
  createReferenceDataset(input: {
    modelId: number;
    name: string;
    versionId: number | null;
  }): Promise<ReferenceDatasetRow>;
  getReferenceDataset(modelId: number, name: string): Promise<ReferenceDatasetRow | null>;
  listReferenceDatasets(modelId: number): Promise<ReferenceDatasetRow[]>;
  clearReferenceDataset(datasetId: number): Promise<void>;
  /** Appends rows to a reference dataset. */
  insertReference(
    modelId: number,
    datasetId: number,
    columns: ModelColumn[],
    records: EventRecord[],
  ): Promise<void>;

  // Reads
  /** Rows of a reference dataset in the order they were stored, `limit` at a time. */
  listReferenceRows(
    modelId: number,
    columns: ModelColumn[],
    datasetId: number,
    query: ReferenceRowQuery,
  ): Promise<StoredReferenceRow[]>;
  getPrediction(modelId: number, columns: ModelColumn[], id: string): Promise<StoredEvent | null>;
  listPredictions(modelId: number, columns: ModelColumn[], query: EventQuery): Promise<StoredEvent[]>;

  // Aggregates, computed inside the engine
  windowCounts(modelId: number, options: AggregateOptions & { bucket: Bucket }): Promise<WindowCountRow[]>;
  histograms(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions & { edges: Record<string, number[]> },
  ): Promise<HistogramRow[]>;
  numericSummaries(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions & { columns: string[]; quantiles?: number[] },
  ): Promise<NumericSummaryRow[]>;
  categoryCounts(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions & { columns: string[] },
  ): Promise<CategoryCountRow[]>;
  /** Counts of (prediction, label) pairs for labeled events. */
  confusionCounts(modelId: number, options: AggregateOptions): Promise<ConfusionCountRow[]>;
  /** The newest prediction timestamp of each model that has any. */
  lastPredictionTimes(modelIds: number[]): Promise<Map<number, number>>;
  /** Everything monitors need from one or many windows, in a few passes (see `profiles.ts`). */
  profile(modelId: number, columns: ModelColumn[], request: ProfileRequest): Promise<WindowProfile[]>;
  /**
   * `profile` for many requests (of any models) at once: element i is what `profile` returns
   * for request i, or the error it throws. Engines compute them together (DuckDB: one
   * statement per pass for the requests of the same shape), which is what makes evaluating
   * many small model-windows cheap.
   */
  profileMany(requests: ProfileBatchItem[]): Promise<PromiseSettledResult<WindowProfile[]>[]>;
  /** Counts only: the predictions in a few time ranges (see `prediction-counts.ts`). */
  countPredictions(
    modelId: number,
    columns: ModelColumn[],
    request: PredictionCountRequest,
  ): Promise<PredictionCounts>;
  /** A bounded, deterministic sample of rows of some feature columns (see `samples.ts`). */
  sampleRows(modelId: number, columns: ModelColumn[], request: SampleRequest): Promise<RowSample>;
  /** Every row of a small window, or nothing when it has more than the limit (see `samples.ts`). */
  readWindowRows(modelId: number, columns: ModelColumn[], request: WindowRowsRequest): Promise<WindowRows>;
}

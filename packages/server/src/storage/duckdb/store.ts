/**
 * The embedded engine: DuckDB in one file under the data folder.
 *
 * Layout (see docs/architecture.md): metadata in small shared tables; events in two
 * tables per model (`m<id>_predictions`, `m<id>_reference`) with one typed column per
 * feature or segment, so per-feature aggregates are plain columnar scans. Labels live
 * in one shared table keyed by (model, id) and are joined at read time, which makes a
 * label that arrives before its prediction simply wait there.
 *
 * Writes go through one connection, one at a time: rows are appended to a temporary
 * staging table, then copied with `INSERT OR IGNORE` (the primary key makes re-sent
 * ids no-ops) and committed; DuckDB's write-ahead log makes a committed batch survive
 * a crash.
 */
import { chmod, copyFile } from 'node:fs/promises';
import {
  blobValueFromBytes,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBValue,
} from '@duckdb/node-api';
import type { FeatureType, ModelSchema } from '../../domain/index.js';
import { Mutex, SharedLock } from '../../util/mutex.js';
import { columnKey, schemaColumns, toEventColumns } from '../columns.js';
import type { StoreHealth } from '../health.js';
import type { PredictionCountRequest, PredictionCounts } from '../prediction-counts.js';
import type { ProfileBatchItem, ProfileRequest, WindowProfile } from '../profiles.js';
import type { RowSample, SampleRequest, WindowRows, WindowRowsRequest } from '../samples.js';
import { BUCKET_INTERVALS, labelsTable, physicalColumn, predictionsTable, referenceTable } from '../sql.js';
import type {
  AggregateOptions,
  ApiKeyRow,
  ApiKeyScope,
  Bucket,
  CategoryCountRow,
  ColumnRole,
  ConfusionCountRow,
  EventColumns,
  EventQuery,
  EventRecord,
  HistogramRow,
  LabelEvent,
  ModelColumn,
  ModelRow,
  ModelVersionRow,
  NewColumn,
  NumericSummaryRow,
  ProjectRow,
  ReferenceDatasetRow,
  ReferenceRowQuery,
  ReferenceUpload,
  RevokeOutcome,
  Store,
  StoredEvent,
  StoredReferenceRow,
  WindowCountRow,
  WriterActivity,
} from '../types.js';
import { DuckDbAlertRepository } from './alerts.js';
import { DuckDbAudit } from './audit.js';
import { BatchScan } from './batch-scan.js';
import { DuckDbChannels } from './channels.js';
import { appendRows, LABEL_WRITERS, referenceWriters, stagingWriters } from './chunks.js';
import { appendColumns, type ColumnSource, predictionSources, stagingSources } from './column-sources.js';
import { columnsBody } from './columns-blob.js';
import { DuckDbComparison } from './comparison.js';
import {
  DuckDbDatabase,
  type DuckDbOpenOptions,
  parseJson,
  type Row,
  TS_PARAM,
  toDate,
  toNullableNumber,
  toNumber,
} from './database.js';
import { FirstPredictions } from './first-predictions.js';
import {
  LABEL_STAGE_COLUMNS,
  LABEL_TARGET_COLUMNS,
  labelJoin,
  labelledMinutesSql,
  labelsTableStatement,
  PendingLabelModels,
  resolvePendingStatements,
  upsertLabelStatements,
} from './labels.js';
import {
  columnName,
  MIGRATIONS,
  modelTableStatements,
  PREDICTION_TABLE_COLUMNS,
  REFERENCE_TABLE_COLUMNS,
} from './migrations.js';
import {
  DuckDbEvaluationTaskRepository,
  DuckDbMonitorRepository,
  DuckDbResultRepository,
} from './monitoring.js';
import { DuckDbOutbox } from './outbox.js';
import { DuckDbOverviewRepository } from './overview.js';
import { duckDbCountPredictions } from './prediction-counts.js';
import { runPreparedOnWorker } from './prepared.js';
import { DuckDbProfilePartials } from './profile-partials.js';
import { duckDbProfile } from './profiles.js';
import {
  DELETE_MODEL_BASELINES_STATEMENTS,
  DuckDbReferenceBaselines,
  NEW_REFERENCE_REVISION_STATEMENTS,
  REVISION_SQL,
} from './reference-baselines.js';
import { DuckDbReferenceUploads } from './reference-uploads.js';
import { DuckDbRegistry } from './registry.js';
import { ResultTail } from './result-tail.js';
import { duckDbSampleRows, duckDbWindowRows } from './samples.js';
import { StatementBatch } from './statement-batch.js';
import { DuckDbTracking } from './tracking.js';
import {
  addTraffic,
  addTrafficOfStoredStatements,
  COMPACT_TRAFFIC_STATEMENTS,
  DELETE_TRAFFIC_STATEMENTS,
  type HourTraffic,
  hourlyTraffic,
  mergeHourTraffic,
  TRAFFIC_DELTAS_BEFORE_COMPACTION,
  TRAFFIC_TOTALS,
} from './traffic.js';
import { DuckDbSessions, DuckDbUsers } from './users.js';

/** Fills an appender; the caller closes it. */
type AppendBody = (appender: DuckDBAppender) => void;
/** Writes a batch's rows into a table, inside the writer's current transaction. */
type BatchWriter = (table: string) => Promise<void>;

const SQL_TYPES: Record<FeatureType, string> = {
  numeric: 'DOUBLE',
  categorical: 'VARCHAR',
  boolean: 'BOOLEAN',
  text: 'VARCHAR',
  timestamp: 'TIMESTAMP',
};

export type DuckDbStoreOptions = DuckDbOpenOptions;

/**
 * Up to this many new columns are added with ALTER TABLE; more are added by building the
 * wider tables once and swapping them in. Each ALTER TABLE copies the table's catalog entry
 * and, inside a transaction, keeps every copy until the commit: thousands of them cost
 * minutes and gigabytes, one CREATE TABLE with every column costs milliseconds.
 */
const ALTER_AT_MOST = 8;
/** Suffix of the tables a rebuild builds before it swaps them in. */
const NEXT = '_next';

export class DuckDbStore implements Store {
  readonly engine = 'duckdb';
  readonly exclusive = true;
  /** Staging tables are per connection and rebuilt when a model's columns change. */
  private readonly stagedColumnCount = new Map<string, number>();
  /**
   * One lock per model, taken before the write lock by everything that writes a model's
   * event tables or changes its columns: while a wide schema change builds the model's new
   * tables outside the write lock, no row may land in the old ones.
   */
  private readonly modelLocks = new Map<number, SharedLock>();
  /** Each model's columns as its event tables hold them (position order); read under the model lock. */
  private readonly layouts = new Map<number, ModelColumn[]>();
  /** A second connection that builds wide tables without holding the write lock. */
  private schemaConnection: DuckDBConnection | undefined;
  private readonly schemaLock = new Mutex();
  /**
   * Awaited by a wide schema change after it has built the wider tables and before it swaps
   * them in: the model lock is held, the write lock is free. Tests hold it open to show that
   * other models' ingestion goes on during a schema change, whatever the machine's speed.
   */
  beforeTableSwap: (modelId: number) => Promise<void> = async () => {};

  readonly monitors: DuckDbMonitorRepository;
  readonly results: DuckDbResultRepository;
  /** The newest results, shared by the repositories that write them (see `result-tail.ts`). */
  private readonly resultTail = new ResultTail();
  readonly channels: DuckDbChannels;
  readonly outbox: DuckDbOutbox;
  readonly alerts: DuckDbAlertRepository;
  readonly overview: DuckDbOverviewRepository;
  readonly evaluationTasks: DuckDbEvaluationTaskRepository;
  readonly profilePartials: DuckDbProfilePartials;
  readonly referenceUploads: DuckDbReferenceUploads;
  readonly referenceBaselines: DuckDbReferenceBaselines;
  readonly users: DuckDbUsers;
  readonly sessions: DuckDbSessions;
  readonly tracking: DuckDbTracking;
  readonly registry: DuckDbRegistry;
  readonly comparison: DuckDbComparison;
  readonly audit: DuckDbAudit;

  /** Columnar batches are inserted by DuckDB's threads (see batch-scan.ts). */
  private readonly batchScan = new BatchScan();
  /** Bounds on each model's first prediction: traffic counts skip the ranges before it. */
  private readonly firstPredictions: FirstPredictions;
  /** Models whose prediction inserts must look for labels that arrived first (labels.ts). */
  private readonly pendingLabels = new PendingLabelModels();

  private constructor(readonly db: DuckDbDatabase) {
    this.batchScan.register(db.writer);
    this.firstPredictions = new FirstPredictions(db);
    db.onReopen(() => {
      this.firstPredictions.reload();
      this.pendingLabels.reset();
      this.batchScan.register(db.writer);
      // Temp staging tables and the schema connection belonged to the old instance.
      this.stagedColumnCount.clear();
      this.schemaConnection = undefined;
      // Read the column layouts again from what the reopened database holds.
      this.layouts.clear();
    });
    this.monitors = new DuckDbMonitorRepository(db, this.resultTail);
    this.results = new DuckDbResultRepository(db, this.resultTail);
    this.channels = new DuckDbChannels(db);
    this.outbox = new DuckDbOutbox(db);
    this.alerts = new DuckDbAlertRepository(db);
    this.overview = new DuckDbOverviewRepository(db);
    this.evaluationTasks = new DuckDbEvaluationTaskRepository(db, this.resultTail);
    this.profilePartials = new DuckDbProfilePartials(db);
    this.referenceUploads = new DuckDbReferenceUploads(db);
    this.referenceBaselines = new DuckDbReferenceBaselines(db);
    this.users = new DuckDbUsers(db);
    this.sessions = new DuckDbSessions(db);
    this.tracking = new DuckDbTracking(db);
    this.audit = new DuckDbAudit(db);
    this.registry = new DuckDbRegistry(db);
    this.comparison = new DuckDbComparison(db);
  }

  static async open(options: DuckDbStoreOptions): Promise<DuckDbStore> {
    return new DuckDbStore(await DuckDbDatabase.open(options));
  }

  writerActivity(): WriterActivity {
    return this.db.writerActivity();
  }

  health(): StoreHealth {
    return this.db.health();
  }

  async backup(targetFile: string): Promise<void> {
    if (this.db.path === ':memory:') throw new Error('An in-memory store has no file to back up.');
    // With the write lock and the schema lock held, nothing writes the file: after a
    // checkpoint it holds every commit, so a plain copy is a consistent snapshot.
    await this.schemaLock.run(() =>
      this.db.writeLock.run(async () => {
        await this.db.writer.run('CHECKPOINT');
        await copyFile(this.db.path, targetFile);
        await chmod(targetFile, 0o600);
      }),
    );
  }

  onHealthChange(listener: (health: StoreHealth) => void): () => void {
    return this.db.onHealthChange(listener);
  }

  async migrate(): Promise<void> {
    await this.db.writeLock.run(async () => {
      await this.db.writer.run(
        'CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name VARCHAR NOT NULL, applied_at TIMESTAMP NOT NULL)',
      );
      const applied = new Set(
        (await this.db.rows(this.db.writer, 'SELECT version FROM schema_migrations')).map((r) =>
          toNumber(r.version),
        ),
      );
      for (const migration of MIGRATIONS) {
        if (applied.has(migration.version)) continue;
        await this.db.inTransaction(async () => {
          for (const statement of migration.statements) await this.db.writer.run(statement);
          if (migration.perModel) {
            const tables = await this.db.rows(
              this.db.writer,
              `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()
                 AND schema_name = 'main' AND regexp_matches(table_name, '^m[0-9]+_predictions$')`,
            );
            for (const row of tables) {
              const modelId = Number(/^m(\d+)_/.exec(row.table_name as string)![1]);
              for (const statement of migration.perModel(modelId)) await this.db.writer.run(statement);
            }
          }
          await this.db.writer.run(
            'INSERT INTO schema_migrations (version, name, applied_at) VALUES ($1, $2, now())',
            [migration.version, migration.name],
          );
        });
      }
      // Tables of a wide schema change interrupted by a crash: never swapped in, so unused.
      const leftovers = await this.db.rows(
        this.db.writer,
        `SELECT table_name FROM duckdb_tables() WHERE database_name = current_database()
           AND schema_name = 'main' AND regexp_matches(table_name, '^m[0-9]+_(predictions|reference)${NEXT}$')`,
      );
      for (const row of leftovers)
        await this.db.writer.run(`DROP TABLE IF EXISTS ${row.table_name as string}`);
      // The traffic deltas a previous run left (it counted them; this one starts at 0).
      const [deltas] = await this.db.rows(this.db.writer, 'SELECT count(*) AS n FROM traffic_deltas');
      if (toNumber(deltas?.n ?? 0) > 0) {
        await this.db.inTransaction(() => this.foldTraffic());
      }
    });
  }

  private closing = false;

  async close(): Promise<void> {
    this.closing = true;
    await this.trafficFold;
    await this.schemaLock.run(() =>
      this.db.writeLock.runUnguarded(async () => {
        // A checkpoint folds the write-ahead log into the database file for a fast next start;
        // while the store cannot write, the log stays and is replayed at the next start.
        if (this.db.health().writable) await this.db.writer.run('CHECKPOINT');
        this.schemaConnection?.closeSync();
        this.db.close();
      }),
    );
  }

  // ---------------------------------------------------------------- projects and keys

  async ensureProject(name: string): Promise<ProjectRow> {
    return this.db.writeLock.run(async () => {
      await this.db.writer.run(
        "INSERT INTO projects (id, name, created_at) SELECT nextval('seq_projects'), $1, now() WHERE NOT EXISTS (SELECT 1 FROM projects WHERE name = $1)",
        [name],
      );
      const [row] = await this.db.rows(
        this.db.writer,
        'SELECT id, name, epoch_us(created_at)::DOUBLE AS created FROM projects WHERE name = $1',
        [name],
      );
      return { id: toNumber(row!.id), name: row!.name as string, createdAt: toDate(row!.created) };
    });
  }

  private apiKeyFromRow(row: Row): ApiKeyRow {
    return {
      id: toNumber(row.id),
      projectId: toNumber(row.project_id),
      name: row.name as string,
      scope: row.scope as ApiKeyScope,
      prefix: row.prefix as string,
      createdAt: toDate(row.created),
      revokedAt: row.revoked === null ? null : toDate(row.revoked),
      lastUsedAt: row.last_used_ms === null ? null : new Date(toNumber(row.last_used_ms)),
      createdBy: (row.created_by as string | null) ?? null,
    };
  }

  private static readonly API_KEY_COLUMNS =
    'id, project_id, name, scope, prefix, epoch_us(created_at)::DOUBLE AS created, epoch_us(revoked_at)::DOUBLE AS revoked, last_used_ms, created_by';

  async createApiKey(input: {
    projectId: number;
    name: string;
    scope: ApiKeyScope;
    keyHash: string;
    prefix: string;
    createdBy?: string;
  }): Promise<ApiKeyRow> {
    const [row] = await this.db.write(
      `INSERT INTO api_keys (id, project_id, name, scope, key_hash, prefix, created_at, created_by)
       VALUES (nextval('seq_api_keys'), $1, $2, $3, $4, $5, now(), CAST($6 AS VARCHAR))
       RETURNING ${DuckDbStore.API_KEY_COLUMNS}`,
      [input.projectId, input.name, input.scope, input.keyHash, input.prefix, input.createdBy ?? null],
    );
    return this.apiKeyFromRow(row!);
  }

  async recordApiKeyUse(id: number, atMs: number): Promise<void> {
    await this.db.writeUrgently(
      'UPDATE api_keys SET last_used_ms = $2 WHERE id = $1 AND (last_used_ms IS NULL OR last_used_ms < $2)',
      [id, atMs],
    );
  }

  async findApiKeyByHash(keyHash: string): Promise<ApiKeyRow | null> {
    const [row] = await this.db.lookup(
      `SELECT ${DuckDbStore.API_KEY_COLUMNS} FROM api_keys WHERE key_hash = $1 AND revoked_at IS NULL`,
      [keyHash],
    );
    return row ? this.apiKeyFromRow(row) : null;
  }

  async listApiKeys(projectId: number): Promise<ApiKeyRow[]> {
    const rows = await this.db.read(
      `SELECT ${DuckDbStore.API_KEY_COLUMNS} FROM api_keys WHERE project_id = $1 ORDER BY id`,
      [projectId],
    );
    return rows.map((r) => this.apiKeyFromRow(r));
  }

  async revokeApiKey(projectId: number, id: number): Promise<RevokeOutcome> {
    // Check and update under the write lock, so two revocations cannot both pass the check.
    return this.db.transaction(async () => {
      const [key] = await this.db.rows(
        this.db.writer,
        'SELECT scope FROM api_keys WHERE project_id = $1 AND id = $2 AND revoked_at IS NULL',
        [projectId, id],
      );
      if (!key) return 'not_found';
      if (key.scope === 'admin') {
        const [other] = await this.db.rows(
          this.db.writer,
          "SELECT count(*) AS n FROM api_keys WHERE project_id = $1 AND id <> $2 AND scope = 'admin' AND revoked_at IS NULL",
          [projectId, id],
        );
        if (toNumber(other!.n) === 0) return 'last_admin';
      }
      await this.db.writer.run('UPDATE api_keys SET revoked_at = now() WHERE id = $1', [id]);
      return 'revoked';
    });
  }

  async countApiKeys(): Promise<number> {
    const [row] = await this.db.read('SELECT count(*) AS n FROM api_keys');
    return toNumber(row!.n);
  }

  // ---------------------------------------------------------------- registry

  private static readonly MODEL_COLUMNS =
    'id, project_id, name, task, description, tags, schema, schema_source, epoch_us(created_at)::DOUBLE AS created, epoch_us(updated_at)::DOUBLE AS updated';

  private modelFromRow(row: Row): ModelRow {
    return {
      id: toNumber(row.id),
      projectId: toNumber(row.project_id),
      name: row.name as string,
      task: row.task as ModelRow['task'],
      description: (row.description as string | null) ?? null,
      tags: parseJson(row.tags, {}),
      schema: parseJson(row.schema, null),
      schemaSource: (row.schema_source as ModelRow['schemaSource']) ?? null,
      createdAt: toDate(row.created),
      updatedAt: toDate(row.updated),
    };
  }

  async createModel(input: Omit<ModelRow, 'id' | 'createdAt' | 'updatedAt'>): Promise<ModelRow> {
    const columns = input.schema === null ? [] : uniqueColumns(schemaColumns(input.schema));
    const laidOut = columns.map((c, position) => ({ ...c, position }));
    const model = await this.db.writeLock.run(() =>
      this.db.inTransaction(async () => {
        const [row] = await this.db.rows(
          this.db.writer,
          `INSERT INTO models (id, project_id, name, task, description, tags, schema, schema_source, created_at, updated_at)
           VALUES (nextval('seq_models'), $1, $2, $3, $4, $5, $6, $7, now(), now()) RETURNING ${DuckDbStore.MODEL_COLUMNS}`,
          [
            input.projectId,
            input.name,
            input.task,
            input.description,
            JSON.stringify(input.tags),
            input.schema === null ? null : JSON.stringify(input.schema),
            input.schemaSource,
          ],
        );
        const model = this.modelFromRow(row!);
        // The schema's columns are part of the tables from the start: one statement per table.
        for (const statement of modelTableStatements(
          predictionsTable(model.id),
          referenceTable(model.id),
          laidOut.map(columnDefinition),
        )) {
          await this.db.writer.run(statement);
        }
        await this.db.writer.run(labelsTableStatement(model.id));
        await this.insertColumnRows(model.id, laidOut);
        return model;
      }),
    );
    this.layouts.set(model.id, laidOut);
    return model;
  }

  async getModelById(id: number): Promise<ModelRow | null> {
    const [row] = await this.db.lookup(`SELECT ${DuckDbStore.MODEL_COLUMNS} FROM models WHERE id = $1`, [id]);
    return row ? this.modelFromRow(row) : null;
  }

  async getModelsByIds(ids: number[]): Promise<Map<number, ModelRow>> {
    const out = new Map<number, ModelRow>();
    if (ids.length === 0) return out;
    const rows = await this.db.read(
      `SELECT ${DuckDbStore.MODEL_COLUMNS} FROM models WHERE list_contains(CAST($1 AS INTEGER[]), id)`,
      [JSON.stringify([...new Set(ids.map((id) => Math.trunc(id)))])],
    );
    for (const row of rows) {
      const model = this.modelFromRow(row);
      out.set(model.id, model);
    }
    return out;
  }

  async getModel(projectId: number, name: string): Promise<ModelRow | null> {
    const [row] = await this.db.lookup(
      `SELECT ${DuckDbStore.MODEL_COLUMNS} FROM models WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    return row ? this.modelFromRow(row) : null;
  }

  async listModels(projectId: number): Promise<ModelRow[]> {
    const rows = await this.db.read(
      `SELECT ${DuckDbStore.MODEL_COLUMNS} FROM models WHERE project_id = $1 ORDER BY name`,
      [projectId],
    );
    return rows.map((r) => this.modelFromRow(r));
  }

  async updateModel(
    id: number,
    patch: Partial<Pick<ModelRow, 'description' | 'tags' | 'schema' | 'schemaSource'>>,
  ): Promise<ModelRow> {
    const { sql, params } = DuckDbStore.modelUpdate(id, patch);
    const schema = patch.schema;
    if (!schema) {
      const [row] = await this.db.write(sql, params);
      if (!row) throw new Error(`Model ${id} does not exist.`);
      return this.modelFromRow(row);
    }
    return this.withColumns(id, schemaColumns(schema), async (all) => {
      const [row] = await this.db.rows(this.db.writer, sql, params);
      if (!row) throw new Error(`Model ${id} does not exist.`);
      await this.declareLocked(id, all, schema);
      return this.modelFromRow(row);
    });
  }

  private static modelUpdate(
    id: number,
    patch: Partial<Pick<ModelRow, 'description' | 'tags' | 'schema' | 'schemaSource'>>,
  ): { sql: string; params: DuckDBValue[] } {
    const sets: string[] = [];
    const params: DuckDBValue[] = [];
    const set = (column: string, value: DuckDBValue) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.description !== undefined) set('description', patch.description);
    if (patch.tags !== undefined) set('tags', JSON.stringify(patch.tags));
    if (patch.schema !== undefined)
      set('schema', patch.schema === null ? null : JSON.stringify(patch.schema));
    if (patch.schemaSource !== undefined) set('schema_source', patch.schemaSource);
    sets.push('updated_at = now()');
    params.push(id);
    return {
      sql: `UPDATE models SET ${sets.join(', ')} WHERE id = $${params.length} RETURNING ${DuckDbStore.MODEL_COLUMNS}`,
      params,
    };
  }

  async deleteModel(modelId: number): Promise<void> {
    const id = Math.trunc(modelId);
    await this.resultTail.untracked(() => this.alerts.writing(() => this.deleteModelData(id)));
  }

  private async deleteModelData(id: number): Promise<void> {
    await this.db.transaction(async () => {
      for (const table of [predictionsTable(id), referenceTable(id), labelsTable(id)]) {
        await this.db.writer.run(`DROP TABLE IF EXISTS ${table}`);
      }
      const statements = [
        'DELETE FROM reference_uploads WHERE dataset_id IN (SELECT id FROM reference_datasets WHERE model_id = $1)',
        ...DELETE_MODEL_BASELINES_STATEMENTS,
        'DELETE FROM reference_datasets WHERE model_id = $1',
        'DELETE FROM pending_labels WHERE model_id = $1',
        'DELETE FROM model_columns WHERE model_id = $1',
        'DELETE FROM registry_versions WHERE version_id IN (SELECT id FROM model_versions WHERE model_id = $1)',
        'DELETE FROM alias_history WHERE model_id = $1',
        'DELETE FROM shadow_predictions WHERE model_id = $1',
        'DELETE FROM model_versions WHERE model_id = $1',
        'DELETE FROM evaluation_tasks WHERE monitor_id IN (SELECT id FROM monitors WHERE model_id = $1)',
        'DELETE FROM profile_partials WHERE model_id = $1',
        'DELETE FROM monitor_results WHERE model_id = $1',
        'DELETE FROM monitors WHERE model_id = $1',
        'DELETE FROM alert_comments WHERE alert_id IN (SELECT id FROM alerts WHERE model_id = $1)',
        'DELETE FROM alerts WHERE model_id = $1',
        'DELETE FROM alert_series WHERE model_id = $1',
        'DELETE FROM alert_rules WHERE model_id = $1',
        ...DELETE_TRAFFIC_STATEMENTS,
        'DELETE FROM models WHERE id = $1',
      ];
      for (const statement of statements) await this.db.writer.run(statement, [id]);
    });
    this.firstPredictions.forget(id);
    this.pendingLabels.forget(id);
    // The writer's staging tables of the model's event tables go too.
    await this.db.writeLock.run(async () => {
      for (const table of [predictionsTable(id), referenceTable(id)]) {
        const stage = `stage_${table}`;
        if (this.stagedColumnCount.delete(stage))
          await this.db.writer.run(`DROP TABLE IF EXISTS temp.${stage}`);
      }
    });
  }

  private static readonly VERSION_COLUMNS =
    'id, model_id, name, artifact_uri, params, metrics, tags, description, epoch_us(created_at)::DOUBLE AS created';

  private versionFromRow(row: Row): ModelVersionRow {
    return {
      id: toNumber(row.id),
      modelId: toNumber(row.model_id),
      name: row.name as string,
      artifactUri: (row.artifact_uri as string | null) ?? null,
      params: parseJson(row.params, {}),
      metrics: parseJson(row.metrics, {}),
      tags: parseJson(row.tags, {}),
      description: (row.description as string | null) ?? null,
      createdAt: toDate(row.created),
    };
  }

  async createModelVersion(input: Omit<ModelVersionRow, 'id' | 'createdAt'>): Promise<ModelVersionRow> {
    const [row] = await this.db.write(
      `INSERT INTO model_versions (id, model_id, name, artifact_uri, params, metrics, tags, description, created_at)
       VALUES (nextval('seq_model_versions'), $1, $2, $3, $4, $5, $6, $7, now()) RETURNING ${DuckDbStore.VERSION_COLUMNS}`,
      [
        input.modelId,
        input.name,
        input.artifactUri,
        JSON.stringify(input.params),
        JSON.stringify(input.metrics),
        JSON.stringify(input.tags),
        input.description,
      ],
    );
    return this.versionFromRow(row!);
  }

  async listModelVersions(modelId: number): Promise<ModelVersionRow[]> {
    const rows = await this.db.read(
      `SELECT ${DuckDbStore.VERSION_COLUMNS} FROM model_versions WHERE model_id = $1 ORDER BY created_at, id`,
      [modelId],
    );
    return rows.map((r) => this.versionFromRow(r));
  }

  async getModelVersion(modelId: number, name: string): Promise<ModelVersionRow | null> {
    const [row] = await this.db.read(
      `SELECT ${DuckDbStore.VERSION_COLUMNS} FROM model_versions WHERE model_id = $1 AND name = $2`,
      [modelId, name],
    );
    return row ? this.versionFromRow(row) : null;
  }

  // ---------------------------------------------------------------- columns

  async listColumns(modelId: number): Promise<ModelColumn[]> {
    const rows = await this.db.lookup(
      'SELECT name, role, type, position, declared FROM model_columns WHERE model_id = $1 ORDER BY position',
      [modelId],
    );
    return rows.map((r) => ({
      name: r.name as string,
      role: r.role as ColumnRole,
      type: r.type as FeatureType,
      position: toNumber(r.position),
      declared: r.declared as boolean,
    }));
  }

  async addColumns(modelId: number, columns: NewColumn[]): Promise<ModelColumn[]> {
    if (columns.length === 0) return this.listColumns(modelId);
    return this.withColumns(modelId, columns, async (all) => all);
  }

  async setDeclaredColumns(modelId: number, declared: { role: ColumnRole; name: string }[]): Promise<void> {
    await this.modelLock(modelId).run(async () => {
      const all = (await this.layout(modelId)).map((c) => ({ ...c }));
      await this.db.transaction(() => this.declareLocked(modelId, all, declared));
      this.layouts.delete(modelId);
    });
  }

  private modelLock(modelId: number): SharedLock {
    let lock = this.modelLocks.get(modelId);
    if (!lock) {
      lock = new SharedLock();
      this.modelLocks.set(modelId, lock);
    }
    return lock;
  }

  /** The model's columns as its tables hold them; the caller holds the model lock. */
  private async layout(modelId: number): Promise<ModelColumn[]> {
    let layout = this.layouts.get(modelId);
    if (!layout) {
      layout = await this.listColumns(modelId);
      this.layouts.set(modelId, layout);
    }
    return layout;
  }

  /**
   * Adds the `wanted` columns the model lacks (matched by role, name and type; positions
   * only grow), then runs `body` in the same write transaction, so the columns, their
   * metadata and whatever `body` writes commit together or not at all. A few columns are
   * added with ALTER TABLE inside the transaction. Many are added by building the wider
   * tables first, on a second connection and without the write lock (other models keep
   * writing meanwhile), and swapping them in inside the transaction; the model lock keeps
   * this model's own writes out until then. A crash before the swap leaves only unused
   * `_next` tables, dropped at the next start.
   */
  private withColumns<T>(
    modelId: number,
    wanted: NewColumn[],
    body: (all: ModelColumn[]) => Promise<T>,
  ): Promise<T> {
    return this.modelLock(modelId).run(async () => {
      // Copies: the flags of these objects change below, and callers may hold the cached ones.
      const existing = (await this.layout(modelId)).map((c) => ({ ...c }));
      const known = new Set(existing.map(columnKey));
      let next = existing.reduce((max, c) => Math.max(max, c.position + 1), 0);
      const added: ModelColumn[] = [];
      for (const column of wanted) {
        const key = columnKey(column);
        if (known.has(key)) continue;
        known.add(key);
        added.push({ ...column, position: next++ });
      }
      const all = [...existing, ...added];
      const rebuild = added.length > ALTER_AT_MOST;
      try {
        if (rebuild) {
          await this.buildWiderTables(modelId, existing, all);
          await this.beforeTableSwap(modelId);
        }
        const result = await this.db.transaction(async () => {
          if (rebuild) {
            for (const table of [predictionsTable(modelId), referenceTable(modelId)]) {
              await this.db.writer.run(`DROP TABLE ${table}`);
              await this.db.writer.run(`ALTER TABLE ${table}${NEXT} RENAME TO ${table}`);
            }
          } else {
            for (const column of added) {
              for (const table of [predictionsTable(modelId), referenceTable(modelId)]) {
                await this.db.writer.run(`ALTER TABLE ${table} ADD COLUMN ${columnDefinition(column)}`);
              }
            }
          }
          await this.insertColumnRows(modelId, added);
          return body(all);
        });
        this.layouts.set(modelId, all);
        return result;
      } catch (error) {
        this.layouts.delete(modelId);
        if (rebuild) await this.dropWiderTables(modelId).catch(() => undefined);
        throw error;
      }
    });
  }

  /** Builds `m<id>_predictions_next` and `m<id>_reference_next` with `all` columns and the current rows. */
  private async buildWiderTables(
    modelId: number,
    existing: ModelColumn[],
    all: ModelColumn[],
  ): Promise<void> {
    await this.schemaLock.run(async () => {
      this.schemaConnection ??= await this.db.instance.connect();
      const connection = this.schemaConnection;
      const features = all.map(columnDefinition);
      const copied = existing.map((c) => physicalColumn(c.position));
      const tables = [
        { name: predictionsTable(modelId), fixed: PREDICTION_TABLE_COLUMNS },
        { name: referenceTable(modelId), fixed: REFERENCE_TABLE_COLUMNS },
      ];
      for (const table of tables) {
        await connection.run(`DROP TABLE IF EXISTS ${table.name}${NEXT}`);
        await connection.run('BEGIN TRANSACTION');
        try {
          await connection.run(
            `CREATE TABLE ${table.name}${NEXT} (${[...table.fixed, ...features].join(', ')})`,
          );
          const list = [...table.fixed.map(columnName), ...copied].join(', ');
          await connection.run(
            `INSERT INTO ${table.name}${NEXT} (${list}) SELECT ${list} FROM ${table.name}`,
          );
          await connection.run('COMMIT');
        } catch (error) {
          await connection.run('ROLLBACK');
          throw error;
        }
      }
    });
  }

  private async dropWiderTables(modelId: number): Promise<void> {
    await this.db.write(`DROP TABLE IF EXISTS ${predictionsTable(modelId)}${NEXT}`);
    await this.db.write(`DROP TABLE IF EXISTS ${referenceTable(modelId)}${NEXT}`);
  }

  /** Records new columns in `model_columns`, many rows per statement; the caller is in a transaction. */
  private async insertColumnRows(modelId: number, columns: ModelColumn[]): Promise<void> {
    for (let start = 0; start < columns.length; start += 200) {
      const slice = columns.slice(start, start + 200);
      const params: DuckDBValue[] = [modelId];
      const rows = slice.map((c) => {
        params.push(c.position, c.name, c.role, c.type, c.declared);
        const n = params.length;
        return `($1, $${n - 4}, $${n - 3}, $${n - 2}, $${n - 1}, $${n})`;
      });
      await this.db.writer.run(
        `INSERT INTO model_columns (model_id, position, name, role, type, declared) VALUES ${rows.join(', ')}`,
        params,
      );
    }
  }

  /**
   * Marks exactly the columns of `declared` (a schema, or a list of roles and names) as
   * declared; `all` is the model's current column list. The caller is in a transaction.
   */
  private async declareLocked(
    modelId: number,
    all: ModelColumn[],
    declared: ModelSchema | { role: ColumnRole; name: string }[],
  ): Promise<void> {
    // A schema declares one column per name, the one of its type; a list names columns of any type.
    const key = Array.isArray(declared)
      ? (c: Pick<ModelColumn, 'role' | 'name'>) => `${c.role}\u0000${c.name}`
      : columnKey;
    const list = Array.isArray(declared) ? declared : schemaColumns(declared);
    const wanted = new Set(list.map((c) => key(c as ModelColumn)));
    const change = { true: [] as number[], false: [] as number[] };
    for (const column of all) {
      const should = wanted.has(key(column));
      if (column.declared !== should) change[`${should}`].push(column.position);
      column.declared = should;
    }
    for (const value of ['true', 'false'] as const) {
      const positions = change[value];
      for (let start = 0; start < positions.length; start += 1000) {
        // Positions are store-assigned integers, safe to splice.
        await this.db.writer.run(
          `UPDATE model_columns SET declared = ${value} WHERE model_id = $1 AND position IN (${positions
            .slice(start, start + 1000)
            .join(', ')})`,
          [modelId],
        );
      }
    }
  }

  // ---------------------------------------------------------------- writes

  /** Makes sure the writer's staging table for `table` has the current columns. */
  private async stage(table: string, createSql: string, columnCount: number): Promise<string> {
    const stageName = `stage_${table}`;
    if (this.stagedColumnCount.get(stageName) !== columnCount) {
      await this.db.writer.run(`DROP TABLE IF EXISTS temp.${stageName}`);
      await this.db.writer.run(createSql.replace('$STAGE', `temp.${stageName}`));
      this.stagedColumnCount.set(stageName, columnCount);
    }
    return stageName;
  }

  private static eventColumnList(columns: ModelColumn[]): string {
    const base = 'ts, version, prediction, prediction_num, score, scores, violations, invalid';
    return columns.length === 0
      ? base
      : `${base}, ${columns.map((c) => physicalColumn(c.position)).join(', ')}`;
  }

  async insertPredictions(modelId: number, columns: ModelColumn[], records: EventRecord[]): Promise<number> {
    if (records.length === 0) return 0;
    const labels: LabelEvent[] = records
      .filter((r) => r.label !== null)
      .map((r) => ({
        id: r.id,
        label: r.label!,
        labelNumber: r.labelNumber,
        timestampMicros: r.timestampMicros,
      }));
    return this.insertEvents(modelId, columns, labels, {
      length: records.length,
      // Laid out by column, the rows take a columnar batch's path (batchWriter).
      direct: (layout) =>
        this.batchWriter(
          predictionSources(layout, columns, toEventColumns(columns, records), Date.now() * 1000),
          records.length,
        ),
      staged: (appender) => appendRows(appender, stagingWriters(columns), records),
      traffic: () =>
        hourlyTraffic(
          records.length,
          (i) => records[i]!.timestampMicros,
          (i) => records[i]!.version,
        ),
    });
  }

  async insertPredictionColumns(
    modelId: number,
    columns: ModelColumn[],
    batch: EventColumns,
  ): Promise<number> {
    if (batch.length === 0) return 0;
    const labels: LabelEvent[] = [];
    for (let i = 0; i < batch.length; i++) {
      const label = batch.label[i];
      if (label === null || label === undefined) continue;
      labels.push({
        id: batch.id[i]!,
        label,
        labelNumber: batch.labelNumber.valid[i] ? batch.labelNumber.values[i]! : null,
        timestampMicros: batch.timestampMicros[i]!,
      });
    }
    return this.insertEvents(modelId, columns, labels, {
      length: batch.length,
      direct: (layout) =>
        this.batchWriter(predictionSources(layout, columns, batch, Date.now() * 1000), batch.length),
      staged: (appender) => appendColumns(appender, stagingSources(columns, batch), batch.length),
      traffic: () =>
        hourlyTraffic(
          batch.length,
          (i) => batch.timestampMicros[i]!,
          (i) => batch.version[i] ?? null,
        ),
    });
  }

  /**
   * Stores a batch of predictions and their inline labels in one transaction. Fast path:
   * append straight into the table. A re-sent id violates the primary key, which rolls
   * the whole batch back; then the batch takes the staged path, which skips the ids
   * already stored.
   */
  private insertEvents(
    modelId: number,
    columns: ModelColumn[],
    labels: LabelEvent[],
    rows: {
      length: number;
      /** What writes the rows straight into a table (in the group's transaction), made before the group. */
      direct: (layout: ModelColumn[]) => BatchWriter;
      staged: AppendBody;
      /** The batch's predictions per hour, for the traffic rollup. */
      traffic: () => HourTraffic[];
    },
  ): Promise<number> {
    // Batches of one model append side by side (the lock is shared); only a change of the
    // model's columns takes it alone.
    return this.modelLock(modelId).shared(async () => {
      const layout = await this.layout(modelId);
      // Laid out while the batch waits for its group, not on the writer's time.
      const write = rows.direct(layout);
      const traffic = rows.traffic();
      const earliest = traffic.reduce((min, h) => Math.min(min, h.firstMicros), Infinity);
      // Before any row is written: no traffic count may skip a range this batch adds rows to.
      this.firstPredictions.writing(modelId, earliest);
      try {
        // Group commit: batches that arrive while another commits share the next transaction.
        const stored = await this.db.grouped(async () => {
          await write(predictionsTable(modelId));
          // In the batch's transaction: the rollup never counts rows that were not stored. The
          // batches of one group commit add up here and are written once, before the commit, as
          // one INSERT of the group's hours into the deltas (traffic.ts).
          const hours = this.db.writeAtCommit(
            `traffic:${modelId}`,
            () => new Map<number, HourTraffic>(),
            (gathered) => this.addTraffic(modelId, [...gathered.values()]),
          );
          mergeHourTraffic(hours, traffic);
          await this.resolvePendingLabels(modelId, traffic);
          // Every row of the batch was stored (a re-sent id fails the append): the labels'
          // timestamps are their predictions'.
          if (labels.length > 0) await this.upsertLabelsLocked(modelId, labels, true);
          return rows.length;
        });
        this.firstPredictions.written(modelId, earliest);
        this.foldTrafficSoon();
        return stored;
      } catch (error) {
        if (!isDuplicateKey(error)) throw error;
      }
      return this.db.writeLock.run(() =>
        this.insertPredictionsStaged(modelId, columns, rows.staged, labels, traffic),
      );
    });
  }

  /** Deltas appended since the last fold (or the open): a rollback leaves it high, which only folds sooner. */
  private trafficDeltas = 0;
  private trafficFold: Promise<void> | undefined;

  /** Appends a group commit's traffic (see traffic.ts). The caller is inside that transaction. */
  private async addTraffic(modelId: number, hours: HourTraffic[]) {
    await addTraffic(this.db.writer, modelId, hours);
    this.trafficDeltas += hours.length;
  }

  /** Folds the traffic deltas into the rollup; the caller holds the write lock, in a transaction. */
  private async foldTraffic(): Promise<void> {
    for (const statement of COMPACT_TRAFFIC_STATEMENTS) await this.db.writer.run(statement);
  }

  /**
   * Once enough deltas have gathered, folds them into the rollup in a transaction of its own, after
   * the commit that passed the mark: a fold that fails (the store cannot write now) leaves the
   * deltas, which readers count all the same, for the next commit to fold, and fails no batch.
   */
  private foldTrafficSoon(): void {
    if (this.trafficDeltas < TRAFFIC_DELTAS_BEFORE_COMPACTION || this.trafficFold || this.closing) return;
    this.trafficFold = this.db
      .transaction(() => this.foldTraffic())
      .then(
        () => {
          this.trafficDeltas = 0;
        },
        () => {},
      )
      .finally(() => {
        this.trafficFold = undefined;
      });
  }

  /**
   * How a batch laid out by column goes into a table: through the extension's `vigil_columns`,
   * whose body is laid out here, at once (DuckDB's threads then copy it with no call back into
   * JavaScript); without the extension, through the batch scan, which fills each chunk on the
   * event loop as DuckDB asks for it.
   */
  private batchWriter(sources: ColumnSource[], length: number): BatchWriter {
    if (this.db.nativeBins.loaded) {
      const body = blobValueFromBytes(columnsBody(sources, length));
      return (table) =>
        runPreparedOnWorker(this.db.writer, `INSERT INTO ${table} SELECT * FROM vigil_columns($1)`, [body]);
    }
    return (table) => this.batchScan.insert(this.db.writer, table, sources, length);
  }

  /** Appends rows to a table through the writer; the caller holds the write lock. */
  private async append(table: string, body: AppendBody, temporary = false) {
    const appender = temporary
      ? await this.db.writer.createAppender(table, 'main', 'temp')
      : await this.db.writer.createAppender(table);
    try {
      body(appender);
    } catch (error) {
      // Drop what is buffered, so that neither closing nor a later finaliser retries the
      // failed rows inside some other transaction.
      appender.clear();
      appender.closeSync();
      throw error;
    }
    appender.closeSync();
  }

  private async insertPredictionsStaged(
    modelId: number,
    columns: ModelColumn[],
    fill: AppendBody,
    labels: LabelEvent[],
    traffic: HourTraffic[],
  ): Promise<number> {
    const table = predictionsTable(modelId);
    const list = DuckDbStore.eventColumnList(columns);
    const stage = await this.stage(
      table,
      `CREATE TEMP TABLE $STAGE AS SELECT id, ${list} FROM ${table} LIMIT 0`,
      columns.length,
    );
    await this.append(stage, fill, true);
    const fresh = await this.stage('fresh_ids', 'CREATE TEMP TABLE $STAGE (id VARCHAR PRIMARY KEY)', 1);
    try {
      return await this.db.inTransaction(async () => {
        // The ids this batch adds, so the rollup counts only them (not those stored before).
        await this.db.writer.run(
          `INSERT INTO temp.${fresh} SELECT DISTINCT s.id FROM temp.${stage} s ANTI JOIN ${table} t ON t.id = s.id`,
        );
        const result = await this.db.writer.run(
          `INSERT OR IGNORE INTO ${table} (id, ${list}, ingested_at) SELECT id, ${list}, now() FROM temp.${stage}`,
        );
        for (const statement of addTrafficOfStoredStatements(
          modelId,
          `p.id IN (SELECT id FROM temp.${fresh})`,
        )) {
          await this.db.writer.run(statement);
        }
        await this.resolvePendingLabels(modelId, traffic);
        if (labels.length > 0) await this.upsertLabelsLocked(modelId, labels, false);
        return result.rowsChanged;
      });
    } finally {
      await this.db.writer.run(`DELETE FROM temp.${stage}`);
      await this.db.writer.run(`DELETE FROM temp.${fresh}`);
    }
  }

  async upsertLabels(modelId: number, labels: LabelEvent[]): Promise<number[]> {
    if (labels.length === 0) return [];
    return this.db.grouped(() => this.upsertLabelsLocked(modelId, labels));
  }

  /**
   * `predictionsFresh`: the labels came with their predictions, all of which this transaction
   * has just stored (so their timestamps are the labels'). Returns the minutes of the labelled
   * predictions (see `Store.upsertLabels`), read from the look-up the upsert makes anyway; none
   * for fresh predictions, whose insert marks their windows itself.
   */
  private async upsertLabelsLocked(
    modelId: number,
    labels: LabelEvent[],
    predictionsFresh = false,
  ): Promise<number[]> {
    // The last label for an id wins, within a batch as across batches.
    const latest = new Map<string, LabelEvent>();
    for (const label of labels) latest.set(label.id, label);
    const stage = await this.stage('labels', `CREATE TEMP TABLE $STAGE ${LABEL_STAGE_COLUMNS}`, 4);
    const targets = await this.stage('label_targets', `CREATE TEMP TABLE $STAGE ${LABEL_TARGET_COLUMNS}`, 2);
    const rows = [...latest.values()];
    await this.append(stage, (appender) => appendRows(appender, LABEL_WRITERS, rows), true);
    try {
      const [lookUp, ...upserts] = upsertLabelStatements(modelId, stage, targets, predictionsFresh);
      await this.db.writer.run(lookUp!);
      const minutes = predictionsFresh ? [] : await this.db.rows(this.db.writer, labelledMinutesSql(targets));
      let waiting = 0;
      for (const statement of upserts) waiting = (await this.db.writer.run(statement)).rowsChanged;
      if (waiting > 0) this.pendingLabels.add(modelId);
      return minutes.map((row) => toNumber(row.minute));
    } finally {
      await this.db.writer.run(`DELETE FROM temp.${stage}`);
      await this.db.writer.run(`DELETE FROM temp.${targets}`);
    }
  }

  /** Moves the labels that waited for predictions of this batch (its hours' time range) to the model's table. */
  private async resolvePendingLabels(modelId: number, traffic: HourTraffic[]): Promise<void> {
    if (traffic.length === 0 || !(await this.pendingLabels.has(this.db.writer, modelId))) return;
    const first = traffic.reduce((min, h) => Math.min(min, h.firstMicros), Infinity);
    const last = traffic.reduce((max, h) => Math.max(max, h.lastMicros), -Infinity);
    for (const statement of resolvePendingStatements(modelId))
      await this.db.writer.run(statement, [modelId, first, last]);
  }

  private static readonly DATASET_COLUMNS =
    'd.id, d.model_id, d.name, d.version_id, epoch_us(d.created_at)::DOUBLE AS created';

  private datasetFromRow(row: Row): ReferenceDatasetRow {
    return {
      id: toNumber(row.id),
      modelId: toNumber(row.model_id),
      name: row.name as string,
      versionId: toNullableNumber(row.version_id),
      rowCount: toNumber(row.row_count ?? 0),
      createdAt: toDate(row.created),
      revision: toNumber(row.revision ?? 0),
    };
  }

  async createReferenceDataset(input: {
    modelId: number;
    name: string;
    versionId: number | null;
  }): Promise<ReferenceDatasetRow> {
    const [row] = await this.db.write(
      `INSERT INTO reference_datasets (id, model_id, name, version_id, created_at)
       VALUES (nextval('seq_reference_datasets'), $1, $2, $3, now())
       RETURNING id, model_id, name, version_id, epoch_us(created_at)::DOUBLE AS created, 0 AS revision`,
      [input.modelId, input.name, input.versionId],
    );
    return this.datasetFromRow(row!);
  }

  private datasetQuery(modelId: number, where: string): string {
    return `SELECT ${DuckDbStore.DATASET_COLUMNS}, ${REVISION_SQL} AS revision,
        (SELECT count(*) FROM ${referenceTable(modelId)} r WHERE r.dataset_id = d.id) AS row_count
      FROM reference_datasets d WHERE d.model_id = $1 ${where}`;
  }

  async getReferenceDataset(modelId: number, name: string): Promise<ReferenceDatasetRow | null> {
    const [row] = await this.db.read(this.datasetQuery(modelId, 'AND d.name = $2'), [modelId, name]);
    return row ? this.datasetFromRow(row) : null;
  }

  async listReferenceDatasets(modelId: number): Promise<ReferenceDatasetRow[]> {
    const rows = await this.db.read(this.datasetQuery(modelId, 'ORDER BY d.id'), [modelId]);
    return rows.map((r) => this.datasetFromRow(r));
  }

  async clearReferenceDataset(datasetId: number): Promise<void> {
    const [row] = await this.db.read('SELECT model_id FROM reference_datasets WHERE id = $1', [datasetId]);
    if (!row) return;
    const modelId = toNumber(row.model_id);
    await this.modelLock(modelId).run(() =>
      this.db.transaction(async () => {
        await this.db.writer.run(`DELETE FROM ${referenceTable(modelId)} WHERE dataset_id = $1`, [datasetId]);
        await this.newReferenceRevision(datasetId);
      }),
    );
  }

  async insertReference(
    modelId: number,
    datasetId: number,
    columns: ModelColumn[],
    records: EventRecord[],
  ): Promise<void> {
    if (records.length === 0) return;
    await this.modelLock(modelId).run(async () => {
      const layout = await this.layout(modelId);
      await this.db.transaction(async () => {
        await this.appendReference(modelId, datasetId, layout, columns, records);
        await this.newReferenceRevision(datasetId);
      });
    });
  }

  /** The dataset's rows changed (in the caller's transaction): a new revision, and its baselines go. */
  private async newReferenceRevision(datasetId: number): Promise<void> {
    for (const statement of NEW_REFERENCE_REVISION_STATEMENTS)
      await this.db.writer.run(statement, [datasetId]);
  }

  /** Appends reference rows; the caller holds the locks and is in a transaction. */
  private async appendReference(
    modelId: number,
    datasetId: number,
    layout: ModelColumn[],
    columns: ModelColumn[],
    records: EventRecord[],
  ): Promise<void> {
    if (records.length === 0) return;
    // The appender writes in the table's physical order: fixed columns, then c<position>.
    await this.append(referenceTable(modelId), (appender) =>
      appendRows(appender, referenceWriters(datasetId, layout, columns), records),
    );
  }

  async storeReferenceUpload(
    upload: ReferenceUpload,
  ): Promise<{ dataset: ReferenceDatasetRow; columns: ModelColumn[] }> {
    const { modelId } = upload;
    const wanted = [...(upload.schema ? schemaColumns(upload.schema.schema) : []), ...upload.columns];
    const columns = await this.withColumns(modelId, wanted, async (all) => {
      if (upload.schema) {
        const { sql, params } = DuckDbStore.modelUpdate(modelId, {
          schema: upload.schema.schema,
          schemaSource: upload.schema.source,
        });
        await this.db.writer.run(sql, params);
        await this.declareLocked(modelId, all, upload.schema.schema);
      }
      const [found] = await this.db.rows(
        this.db.writer,
        'SELECT id FROM reference_datasets WHERE model_id = $1 AND name = $2',
        [modelId, upload.dataset.name],
      );
      let datasetId: number;
      if (found) {
        datasetId = toNumber(found.id);
        if (upload.replace) {
          await this.db.writer.run(`DELETE FROM ${referenceTable(modelId)} WHERE dataset_id = $1`, [
            datasetId,
          ]);
          await this.db.writer.run('DELETE FROM reference_uploads WHERE dataset_id = $1', [datasetId]);
        }
      } else {
        const [created] = await this.db.rows(
          this.db.writer,
          `INSERT INTO reference_datasets (id, model_id, name, version_id, created_at)
           VALUES (nextval('seq_reference_datasets'), $1, $2, $3, now()) RETURNING id`,
          [modelId, upload.dataset.name, upload.dataset.versionId],
        );
        datasetId = toNumber(created!.id);
      }
      const byKey = new Map(all.map((c) => [columnKey(c), c]));
      const resolved = upload.columns.map((c) => byKey.get(columnKey(c))!);
      await this.appendReference(modelId, datasetId, all, resolved, upload.records);
      if (upload.replace || upload.records.length > 0) await this.newReferenceRevision(datasetId);
      if (upload.upload) {
        await this.db.writer.run('DELETE FROM reference_uploads WHERE dataset_id = $1 AND upload_key = $2', [
          datasetId,
          upload.upload.key,
        ]);
        await this.db.writer.run(
          'INSERT INTO reference_uploads (dataset_id, upload_key, answer, created_at) VALUES ($1, $2, $3, now())',
          [datasetId, upload.upload.key, JSON.stringify(upload.upload.answer)],
        );
      }
      return all;
    });
    const dataset = await this.getReferenceDataset(modelId, upload.dataset.name);
    return { dataset: dataset!, columns };
  }

  // ---------------------------------------------------------------- reads

  private static selectColumn(column: ModelColumn): string {
    const name = physicalColumn(column.position);
    return column.type === 'timestamp' ? `epoch_us(p.${name})::DOUBLE AS ${name}` : `p.${name}`;
  }

  private eventSelect(modelId: number, columns: ModelColumn[]): string {
    const extra = columns.map((c) => `, ${DuckDbStore.selectColumn(c)}`).join('');
    return `SELECT p.id, epoch_us(p.ts)::DOUBLE AS ts_us, p.version, p.prediction, p.prediction_num, p.score,
        p.scores, p.violations, p.invalid, l.label, l.label_num, epoch_us(l.ts)::DOUBLE AS label_ts${extra}
      FROM ${predictionsTable(modelId)} p
      ${labelJoin(modelId, 'p', {})}`;
  }

  private eventFromRow(row: Row, columns: ModelColumn[]): StoredEvent {
    const features: Record<string, string | number | boolean | null> = {};
    const segments: Record<string, string> = {};
    for (const column of columns) {
      const value = row[physicalColumn(column.position)];
      if (column.role === 'segment') {
        if (value !== null && value !== undefined) segments[column.name] = String(value);
      } else if (value !== null && value !== undefined) {
        features[column.name] =
          column.type === 'timestamp' ? new Date(toNumber(value) / 1000).toISOString() : (value as string);
      }
    }
    const invalid = parseJson<Record<string, unknown> | null>(row.invalid, null);
    return {
      id: row.id as string,
      timestampMicros: toNumber(row.ts_us),
      version: (row.version as string | null) ?? null,
      prediction: (row.prediction as string | null) ?? null,
      predictionNumber: toNullableNumber(row.prediction_num),
      score: toNullableNumber(row.score),
      scores: parseJson(row.scores, null),
      label: (row.label as string | null) ?? null,
      labelNumber: toNullableNumber(row.label_num),
      labelTimestampMicros: toNullableNumber(row.label_ts),
      features,
      segments,
      invalid,
      violations: parseJson(row.violations, []),
    };
  }

  async listReferenceRows(
    modelId: number,
    columns: ModelColumn[],
    datasetId: number,
    query: ReferenceRowQuery,
  ): Promise<StoredReferenceRow[]> {
    const extra = columns.map((c) => `, ${DuckDbStore.selectColumn(c)}`).join('');
    const params: DuckDBValue[] = [datasetId];
    let after = '';
    if (query.afterPosition !== undefined) {
      params.push(query.afterPosition);
      after = 'AND p.rowid > $2';
    }
    // rowid: the order rows were appended in, which a listing resumes from.
    const rows = await this.db.read(
      `SELECT p.rowid::DOUBLE AS pos, p.id, epoch_us(p.ts)::DOUBLE AS ts_us, p.version, p.prediction, p.prediction_num,
          p.score, p.scores, p.violations, p.invalid, p.label, p.label_num, NULL AS label_ts${extra}
        FROM ${referenceTable(modelId)} p WHERE p.dataset_id = $1 ${after}
        ORDER BY p.rowid LIMIT ${Math.trunc(query.limit)}`,
      params,
    );
    return rows.map((r) => ({ ...this.eventFromRow(r, columns), position: toNumber(r.pos) }));
  }

  async getPrediction(modelId: number, columns: ModelColumn[], id: string): Promise<StoredEvent | null> {
    const [row] = await this.db.read(`${this.eventSelect(modelId, columns)} WHERE p.id = $1`, [id]);
    return row ? this.eventFromRow(row, columns) : null;
  }

  async listPredictions(modelId: number, columns: ModelColumn[], query: EventQuery): Promise<StoredEvent[]> {
    const conditions: string[] = [];
    const params: DuckDBValue[] = [];
    const param = (value: DuckDBValue) => {
      params.push(value);
      return params.length;
    };
    if (query.fromMicros !== undefined) conditions.push(`p.ts >= ${TS_PARAM(param(query.fromMicros))}`);
    if (query.toMicros !== undefined) conditions.push(`p.ts < ${TS_PARAM(param(query.toMicros))}`);
    if (query.version !== undefined) conditions.push(`p.version = $${param(query.version)}`);
    if (query.after) {
      const t = param(query.after.timestampMicros);
      const i = param(query.after.id);
      const op = query.newestFirst ? '<' : '>';
      conditions.push(`(p.ts ${op} ${TS_PARAM(t)} OR (p.ts = ${TS_PARAM(t)} AND p.id ${op} $${i}))`);
    }
    const where = conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : '';
    const order = query.newestFirst ? 'p.ts DESC, p.id DESC' : 'p.ts, p.id';
    const rows = await this.db.read(
      `${this.eventSelect(modelId, columns)} ${where} ORDER BY ${order} LIMIT ${Math.trunc(query.limit)}`,
      params,
    );
    return rows.map((r) => this.eventFromRow(r, columns));
  }

  // ---------------------------------------------------------------- aggregates

  /** FROM and WHERE for an aggregate's source; `alias` is the events table alias. */
  private sourceClause(
    modelId: number,
    options: AggregateOptions,
    params: DuckDBValue[],
  ): { from: string; where: string; window: string; range: { from?: string; to?: string } } {
    const param = (value: DuckDBValue) => {
      params.push(value);
      return params.length;
    };
    const window = options.bucket
      ? `epoch_us(time_bucket(${BUCKET_INTERVALS[options.bucket]}, e.ts))::DOUBLE`
      : 'NULL';
    const source = options.source;
    if (source.kind === 'reference') {
      return {
        from: `${referenceTable(modelId)} e`,
        where: `e.dataset_id = $${param(source.datasetId)}`,
        window,
        range: {},
      };
    }
    const conditions = ['true'];
    const range: { from?: string; to?: string } = {};
    if (source.fromMicros !== undefined) {
      range.from = TS_PARAM(param(source.fromMicros));
      conditions.push(`e.ts >= ${range.from}`);
    }
    if (source.toMicros !== undefined) {
      range.to = TS_PARAM(param(source.toMicros));
      conditions.push(`e.ts < ${range.to}`);
    }
    if (source.version !== undefined) conditions.push(`e.version = $${param(source.version)}`);
    return { from: `${predictionsTable(modelId)} e`, where: conditions.join(' AND '), window, range };
  }

  async windowCounts(
    modelId: number,
    options: AggregateOptions & { bucket: Bucket },
  ): Promise<WindowCountRow[]> {
    const params: DuckDBValue[] = [];
    const { from, where, window, range } = this.sourceClause(modelId, options, params);
    const join =
      options.source.kind === 'predictions'
        ? labelJoin(modelId, 'e', range)
        : 'LEFT JOIN (SELECT NULL AS id) l ON e.label IS NOT NULL';
    const rows = await this.db.read(
      `SELECT ${window} AS w, count(*) AS n, count(l.id) AS labeled
       FROM ${from} ${join} WHERE ${where} GROUP BY w ORDER BY w`,
      params,
    );
    return rows.map((r) => ({
      windowStartMicros: toNumber(r.w),
      predictions: toNumber(r.n),
      labeled: toNumber(r.labeled),
    }));
  }

  private resolveColumns(columns: ModelColumn[], names: string[]): ModelColumn[] {
    return names.map((name) => {
      // The newest column of a name is the current one: a retyped feature gets a new column.
      const column =
        columns.findLast((c) => c.name === name && c.role === 'feature') ??
        columns.findLast((c) => c.name === name);
      if (!column) throw new Error(`Unknown column "${name}".`);
      return column;
    });
  }

  /**
   * One pass over a source computing per-column aggregates for every window: `select`
   * gives each column's aggregate expressions (aliases suffixed with the column's index),
   * `collect` turns a result row into output rows for that column.
   */
  private async perColumnAggregate<T>(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions,
    names: string[],
    select: (column: string, i: number, params: DuckDBValue[]) => string,
    collect: (row: Row, windowStartMicros: number | null, name: string, i: number) => T[],
  ): Promise<T[]> {
    if (names.length === 0) return [];
    const targets = this.resolveColumns(columns, names);
    const params: DuckDBValue[] = [];
    const { from, where, window } = this.sourceClause(modelId, options, params);
    const selects = targets.map((column, i) => select(`e.${physicalColumn(column.position)}`, i, params));
    const rows = await this.db.read(
      `SELECT ${window} AS w, ${selects.join(', ')} FROM ${from} WHERE ${where} GROUP BY w ORDER BY w`,
      params,
    );
    return rows.flatMap((row) => names.flatMap((name, i) => collect(row, toNullableNumber(row.w), name, i)));
  }

  histograms(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions & { edges: Record<string, number[]> },
  ): Promise<HistogramRow[]> {
    const names = Object.keys(options.edges);
    for (const name of names) {
      if (options.edges[name]!.length < 2)
        throw new Error(`Histogram edges for "${name}" need at least two values.`);
    }
    return this.perColumnAggregate(
      modelId,
      columns,
      options,
      names,
      (c, i, params) => {
        const edges = options.edges[names[i]!]!;
        params.push(JSON.stringify(edges.slice(1, -1).map((e) => (Number.isFinite(e) ? e : null))));
        const inner = `CAST($${params.length} AS DOUBLE[])`;
        // Bin = number of inner edges <= value; the first and last bins are open-ended.
        return `histogram(CASE WHEN ${c} IS NOT NULL THEN len(list_filter(${inner}, x -> x <= ${c})) END) AS h${i},
          count(*) - count(${c}) AS n${i}`;
      },
      (row, windowStartMicros, column, i) => {
        const counts = new Array<number>(options.edges[column]!.length - 1).fill(0);
        for (const [key, value] of mapEntries(row[`h${i}`])) counts[toNumber(key)] = toNumber(value);
        return [{ windowStartMicros, column, counts, nulls: toNumber(row[`n${i}`]) }];
      },
    );
  }

  numericSummaries(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions & { columns: string[]; quantiles?: number[] },
  ): Promise<NumericSummaryRow[]> {
    const quantiles = options.quantiles ?? [];
    let quantileParam = 0;
    return this.perColumnAggregate(
      modelId,
      columns,
      options,
      options.columns,
      (c, i, params) => {
        if (quantiles.length > 0 && quantileParam === 0) {
          params.push(JSON.stringify(quantiles));
          quantileParam = params.length;
        }
        const q =
          quantiles.length > 0 ? `, quantile_cont(${c}, CAST($${quantileParam} AS DOUBLE[])) AS q${i}` : '';
        return `count(${c}) AS n${i}, count(*) - count(${c}) AS z${i}, min(${c}) AS lo${i}, max(${c}) AS hi${i},
          avg(${c}) AS mu${i}, stddev_samp(${c}) AS sd${i}${q}`;
      },
      (row, windowStartMicros, column, i) => {
        const q = row[`q${i}`] as unknown[] | null | undefined;
        return [
          {
            windowStartMicros,
            column,
            count: toNumber(row[`n${i}`]),
            nulls: toNumber(row[`z${i}`]),
            min: toNullableNumber(row[`lo${i}`]),
            max: toNullableNumber(row[`hi${i}`]),
            mean: toNullableNumber(row[`mu${i}`]),
            std: toNullableNumber(row[`sd${i}`]),
            quantiles: quantiles.map((_, k) => toNullableNumber(q?.[k])),
          },
        ];
      },
    );
  }

  categoryCounts(
    modelId: number,
    columns: ModelColumn[],
    options: AggregateOptions & { columns: string[] },
  ): Promise<CategoryCountRow[]> {
    return this.perColumnAggregate(
      modelId,
      columns,
      options,
      options.columns,
      (c, i) => `histogram(CAST(${c} AS VARCHAR)) AS h${i}, count(*) - count(${c}) AS z${i}`,
      (row, windowStartMicros, column, i) => {
        const counts: CategoryCountRow[] = mapEntries(row[`h${i}`]).map(([value, count]) => ({
          windowStartMicros,
          column,
          value: String(value),
          count: toNumber(count),
        }));
        const nulls = toNumber(row[`z${i}`]);
        if (nulls > 0) counts.push({ windowStartMicros, column, value: null, count: nulls });
        return counts;
      },
    );
  }

  async lastPredictionTimes(modelIds: number[]): Promise<Map<number, number>> {
    const out = new Map<number, number>();
    if (modelIds.length === 0) return out;
    // From the traffic rollup (traffic.ts): one small table, whatever the number of models.
    const rows = await this.db.read(
      `SELECT model_id, max(last_us)::DOUBLE AS t FROM ${TRAFFIC_TOTALS} l
       WHERE model_id IN (SELECT unnest(CAST($1 AS INTEGER[]))) GROUP BY model_id`,
      [JSON.stringify(modelIds.map((id) => Math.trunc(id)))],
    );
    for (const row of rows) out.set(toNumber(row.model_id), toNumber(row.t));
    return out;
  }

  profile(modelId: number, columns: ModelColumn[], request: ProfileRequest): Promise<WindowProfile[]> {
    return duckDbProfile(this.db, modelId, columns, request);
  }

  profileMany(requests: ProfileBatchItem[]): Promise<PromiseSettledResult<WindowProfile[]>[]> {
    const batch = new StatementBatch(this.db);
    return Promise.allSettled(
      requests.map(({ modelId, columns, request }) =>
        batch.participate((run) => duckDbProfile(this.db, modelId, columns, request, run)),
      ),
    );
  }

  async countPredictions(
    modelId: number,
    columns: ModelColumn[],
    request: PredictionCountRequest,
  ): Promise<PredictionCounts> {
    const first = await this.firstPredictions.of(modelId);
    return duckDbCountPredictions(this.db, modelId, columns, request, first);
  }

  sampleRows(modelId: number, columns: ModelColumn[], request: SampleRequest): Promise<RowSample> {
    return duckDbSampleRows(this.db, modelId, columns, request);
  }

  readWindowRows(modelId: number, columns: ModelColumn[], request: WindowRowsRequest): Promise<WindowRows> {
    return duckDbWindowRows(this.db, modelId, columns, request);
  }

  async confusionCounts(modelId: number, options: AggregateOptions): Promise<ConfusionCountRow[]> {
    const params: DuckDBValue[] = [];
    const { from, where, window, range } = this.sourceClause(modelId, options, params);
    const sql =
      options.source.kind === 'predictions'
        ? `SELECT ${window} AS w, e.prediction, l.label, count(*) AS n FROM ${from}
           ${labelJoin(modelId, 'e', range, 'JOIN')} WHERE ${where}
           GROUP BY ALL ORDER BY ALL`
        : `SELECT ${window} AS w, e.prediction, e.label, count(*) AS n FROM ${from}
           WHERE ${where} AND e.label IS NOT NULL GROUP BY ALL ORDER BY ALL`;
    const rows = await this.db.read(sql, params);
    return rows.map((r) => ({
      windowStartMicros: toNullableNumber(r.w),
      prediction: (r.prediction as string | null) ?? null,
      label: r.label as string,
      count: toNumber(r.n),
    }));
  }
}

/** `c<position> <SQL type>`. */
function columnDefinition(column: ModelColumn): string {
  return `${physicalColumn(column.position)} ${SQL_TYPES[column.type]}`;
}

/** The first of each (role, name, type). */
function uniqueColumns(columns: NewColumn[]): NewColumn[] {
  const seen = new Set<string>();
  return columns.filter((c) => {
    const key = columnKey(c);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

function isDuplicateKey(error: unknown): boolean {
  return error instanceof Error && /Duplicate key|violates primary key constraint/i.test(error.message);
}

/** DuckDB MAP values arrive as arrays of {key, value} entries. */
function mapEntries(map: unknown): [unknown, unknown][] {
  if (map === null || map === undefined) return [];
  if (Array.isArray(map)) return map.map((e: { key: unknown; value: unknown }) => [e.key, e.value]);
  return Object.entries(map as Record<string, unknown>);
}

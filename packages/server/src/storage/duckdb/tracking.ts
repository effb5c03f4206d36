import type { DuckDBValue } from '@duckdb/node-api';
import {
  type ArtifactEntry,
  type ArtifactFile,
  type DatasetInput,
  ExperimentNameTakenError,
  type ExperimentRow,
  type LifecycleStage,
  type LoggedModelRow,
  type MetricPoint,
  ParamChangedError,
  type RunCondition,
  type RunDetails,
  type RunRow,
  type RunSearch,
  type RunStatus,
  type TrackingRepository,
  type ViewType,
} from '../tracking.js';
import { type DuckDbDatabase, parseJson, type Row, toNullableNumber, toNumber } from './database.js';

const RUN_ATTRIBUTE_COLUMNS: Record<string, string> = {
  run_id: 'r.id',
  run_name: 'r.name',
  status: 'r.status',
  user_id: 'r.user_id',
  artifact_uri: 'r.artifact_uri',
  start_time: 'r.start_ms',
  end_time: 'r.end_ms',
  lifecycle_stage: 'r.lifecycle_stage',
};

/** The latest value of each metric of the runs in `runs` (a subquery of run ids). */
const LATEST_METRICS = (runs: string) => `
  SELECT run_id, key, value, timestamp_ms, step, model_id, dataset_name, dataset_digest FROM (
    SELECT *, row_number() OVER (PARTITION BY run_id, key ORDER BY step DESC, timestamp_ms DESC, value DESC) AS rn
    FROM run_metrics WHERE run_id IN (${runs})
  ) WHERE rn = 1`;

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /duplicate key|unique constraint|violates unique/i.test(error.message);
}

function viewClause(column: string, view: ViewType): string {
  if (view === 'ALL') return 'TRUE';
  return `${column} = '${view === 'ACTIVE_ONLY' ? 'active' : 'deleted'}'`;
}

function likeOperator(op: string): string {
  return op === 'ILIKE' ? 'ILIKE' : op === 'LIKE' ? 'LIKE' : op;
}

export class DuckDbTracking implements TrackingRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  // ------------------------------------------------------------ experiments

  private static readonly EXPERIMENT_COLUMNS =
    'id, project_id, name, artifact_location, lifecycle_stage, created_ms, updated_ms';

  private async experimentsFromRows(rows: Row[]): Promise<ExperimentRow[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => toNumber(r.id));
    const tagRows = await this.db.read(
      `SELECT experiment_id, key, value FROM experiment_tags WHERE experiment_id IN (SELECT unnest(from_json($1, '["INTEGER"]')))`,
      [JSON.stringify(ids)],
    );
    const tags = new Map<number, Record<string, string>>();
    for (const row of tagRows) {
      const id = toNumber(row.experiment_id);
      const entry = tags.get(id) ?? {};
      entry[row.key as string] = row.value as string;
      tags.set(id, entry);
    }
    return rows.map((row) => ({
      id: toNumber(row.id),
      projectId: toNumber(row.project_id),
      name: row.name as string,
      artifactLocation: row.artifact_location as string,
      lifecycleStage: row.lifecycle_stage as LifecycleStage,
      tags: tags.get(toNumber(row.id)) ?? {},
      createdMs: toNumber(row.created_ms),
      updatedMs: toNumber(row.updated_ms),
    }));
  }

  async createExperiment(input: Omit<ExperimentRow, 'id' | 'updatedMs'>): Promise<ExperimentRow> {
    try {
      const id = await this.db.transaction(async () => {
        const reader = await this.db.writer.runAndReadAll(
          `INSERT INTO experiments (id, project_id, name, artifact_location, lifecycle_stage, created_ms, updated_ms)
           VALUES (nextval('seq_experiments'), $1, $2, $3, $4, $5, $5) RETURNING id`,
          [input.projectId, input.name, input.artifactLocation, input.lifecycleStage, input.createdMs],
        );
        const experimentId = toNumber((reader.getRowObjectsJS()[0] as Row).id);
        for (const [key, value] of Object.entries(input.tags)) {
          await this.db.writer.run(
            'INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3)',
            [experimentId, key, value],
          );
        }
        return experimentId;
      });
      return (await this.getExperiment(input.projectId, id))!;
    } catch (error) {
      if (isUniqueViolation(error)) throw new ExperimentNameTakenError(input.name);
      throw error;
    }
  }

  async setArtifactLocation(experimentId: number, location: string): Promise<void> {
    await this.db.write('UPDATE experiments SET artifact_location = $2 WHERE id = $1', [
      experimentId,
      location,
    ]);
  }

  async getExperiment(projectId: number, id: number): Promise<ExperimentRow | null> {
    const rows = await this.db.read(
      `SELECT ${DuckDbTracking.EXPERIMENT_COLUMNS} FROM experiments WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return (await this.experimentsFromRows(rows))[0] ?? null;
  }

  async getExperimentByName(projectId: number, name: string): Promise<ExperimentRow | null> {
    const rows = await this.db.read(
      `SELECT ${DuckDbTracking.EXPERIMENT_COLUMNS} FROM experiments WHERE project_id = $1 AND name = $2`,
      [projectId, name],
    );
    return (await this.experimentsFromRows(rows))[0] ?? null;
  }

  async searchExperiments(
    projectId: number,
    query: { view: ViewType; nameLike?: string; limit: number; offset: number },
  ): Promise<ExperimentRow[]> {
    const params: DuckDBValue[] = [projectId, query.limit, query.offset];
    let nameClause = '';
    if (query.nameLike !== undefined) {
      params.push(query.nameLike);
      nameClause = `AND name ILIKE $${params.length}`;
    }
    const rows = await this.db.read(
      `SELECT ${DuckDbTracking.EXPERIMENT_COLUMNS} FROM experiments
       WHERE project_id = $1 AND ${viewClause('lifecycle_stage', query.view)} ${nameClause}
       ORDER BY created_ms DESC, id DESC LIMIT $2 OFFSET $3`,
      params,
    );
    return this.experimentsFromRows(rows);
  }

  async updateExperiment(
    id: number,
    patch: { name?: string; lifecycleStage?: LifecycleStage },
    nowMs: number,
  ): Promise<void> {
    try {
      await this.db.transaction(async () => {
        if (patch.name !== undefined) {
          await this.db.writer.run('UPDATE experiments SET name = $2, updated_ms = $3 WHERE id = $1', [
            id,
            patch.name,
            nowMs,
          ]);
        }
        if (patch.lifecycleStage !== undefined) {
          await this.db.writer.run(
            'UPDATE experiments SET lifecycle_stage = $2, updated_ms = $3 WHERE id = $1',
            [id, patch.lifecycleStage, nowMs],
          );
          // Deleting an experiment deletes its runs, as MLflow does; restoring restores them.
          await this.db.writer.run('UPDATE runs SET lifecycle_stage = $2 WHERE experiment_id = $1', [
            id,
            patch.lifecycleStage,
          ]);
        }
      });
    } catch (error) {
      if (isUniqueViolation(error) && patch.name !== undefined)
        throw new ExperimentNameTakenError(patch.name);
      throw error;
    }
  }

  async deleteExperimentPermanently(id: number): Promise<void> {
    const runs = 'SELECT id FROM runs WHERE experiment_id = $1';
    await this.db.transaction(async () => {
      const experiment = await this.db.writer.runAndReadAll(
        'SELECT project_id FROM experiments WHERE id = $1',
        [id],
      );
      const projectId = experiment.getRowObjects()[0]?.project_id;
      if (projectId === undefined) return;
      for (const table of ['run_params', 'run_tags', 'run_metrics', 'run_inputs', 'run_model_outputs']) {
        await this.db.writer.run(`DELETE FROM ${table} WHERE run_id IN (${runs})`, [id]);
      }
      await this.db.writer.run('DELETE FROM runs WHERE experiment_id = $1', [id]);
      await this.db.writer.run('DELETE FROM logged_models WHERE experiment_id = $1', [id]);
      // Artifact paths start with the experiment's id (mlflow-artifacts:/<id>/...).
      await this.db.writer.run('DELETE FROM artifact_files WHERE project_id = $1 AND starts_with(path, $2)', [
        projectId,
        `${id}/`,
      ]);
      await this.db.writer.run('DELETE FROM experiment_tags WHERE experiment_id = $1', [id]);
      await this.db.writer.run('DELETE FROM experiments WHERE id = $1', [id]);
    });
  }

  async setExperimentTag(id: number, key: string, value: string): Promise<void> {
    await this.db.write(
      `INSERT INTO experiment_tags (experiment_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value`,
      [id, key, value],
    );
  }

  async deleteExperimentTag(id: number, key: string): Promise<void> {
    await this.db.write('DELETE FROM experiment_tags WHERE experiment_id = $1 AND key = $2', [id, key]);
  }

  // ------------------------------------------------------------------- runs

  async createRun(input: RunRow, tags: Record<string, string>): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.writer.run(
        `INSERT INTO runs (id, project_id, experiment_id, name, user_id, status, start_ms, end_ms, lifecycle_stage, artifact_uri)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
        [
          input.id,
          input.projectId,
          input.experimentId,
          input.name,
          input.userId,
          input.status,
          input.startMs,
          input.endMs,
          input.lifecycleStage,
          input.artifactUri,
        ],
      );
      for (const [key, value] of Object.entries(tags)) {
        await this.db.writer.run('INSERT INTO run_tags (run_id, key, value) VALUES ($1, $2, $3)', [
          input.id,
          key,
          value,
        ]);
      }
    });
  }

  private static readonly RUN_COLUMNS =
    'r.id, r.project_id, r.experiment_id, r.name, r.user_id, r.status, r.start_ms, r.end_ms, r.lifecycle_stage, r.artifact_uri';

  /** Runs with their params, tags, latest metrics, inputs and outputs, in the order of `rows`. */
  private async runDetails(rows: Row[]): Promise<RunDetails[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((r) => r.id as string);
    const idList = JSON.stringify(ids);
    const runs = new Map<string, RunDetails>();
    for (const row of rows) {
      runs.set(row.id as string, {
        id: row.id as string,
        projectId: toNumber(row.project_id),
        experimentId: toNumber(row.experiment_id),
        name: row.name as string,
        userId: row.user_id as string,
        status: row.status as RunStatus,
        startMs: toNullableNumber(row.start_ms),
        endMs: toNullableNumber(row.end_ms),
        lifecycleStage: row.lifecycle_stage as LifecycleStage,
        artifactUri: row.artifact_uri as string,
        params: {},
        tags: {},
        metrics: [],
        inputs: [],
        modelOutputs: [],
      });
    }
    const idsQuery = `SELECT unnest(from_json($1, '["VARCHAR"]'))`;
    for (const row of await this.db.read(
      `SELECT run_id, key, value FROM run_params WHERE run_id IN (${idsQuery})`,
      [idList],
    )) {
      runs.get(row.run_id as string)!.params[row.key as string] = row.value as string;
    }
    for (const row of await this.db.read(
      `SELECT run_id, key, value FROM run_tags WHERE run_id IN (${idsQuery})`,
      [idList],
    )) {
      runs.get(row.run_id as string)!.tags[row.key as string] = row.value as string;
    }
    for (const row of await this.db.read(`${LATEST_METRICS(idsQuery)} ORDER BY key`, [idList])) {
      runs.get(row.run_id as string)!.metrics.push(metricFromRow(row));
    }
    for (const row of await this.db.read(
      `SELECT run_id, name, digest, source_type, source, schema, profile, tags FROM run_inputs
       WHERE run_id IN (${idsQuery}) ORDER BY name, digest`,
      [idList],
    )) {
      runs.get(row.run_id as string)!.inputs.push({
        name: row.name as string,
        digest: row.digest as string,
        sourceType: row.source_type as string,
        source: row.source as string,
        schema: (row.schema as string | null) ?? null,
        profile: (row.profile as string | null) ?? null,
        tags: parseJson(row.tags, {}),
      });
    }
    for (const row of await this.db.read(
      `SELECT run_id, model_id, step FROM run_model_outputs WHERE run_id IN (${idsQuery}) ORDER BY step, model_id`,
      [idList],
    )) {
      runs.get(row.run_id as string)!.modelOutputs.push({
        modelId: row.model_id as string,
        step: toNumber(row.step),
      });
    }
    return ids.map((id) => runs.get(id)!);
  }

  async getRun(projectId: number, id: string): Promise<RunDetails | null> {
    const rows = await this.db.read(
      `SELECT ${DuckDbTracking.RUN_COLUMNS} FROM runs r WHERE r.project_id = $1 AND r.id = $2`,
      [projectId, id],
    );
    return (await this.runDetails(rows))[0] ?? null;
  }

  async updateRun(
    id: string,
    patch: { status?: RunStatus; endMs?: number | null; name?: string; lifecycleStage?: LifecycleStage },
  ): Promise<void> {
    const sets: string[] = [];
    const params: DuckDBValue[] = [id];
    const set = (column: string, value: DuckDBValue) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.status !== undefined) set('status', patch.status);
    if (patch.endMs !== undefined) set('end_ms', patch.endMs);
    if (patch.name !== undefined) set('name', patch.name);
    if (patch.lifecycleStage !== undefined) set('lifecycle_stage', patch.lifecycleStage);
    if (sets.length === 0) return;
    await this.db.transaction(async () => {
      await this.db.writer.run(`UPDATE runs SET ${sets.join(', ')} WHERE id = $1`, params);
      // The run name is mirrored in the `mlflow.runName` tag, as MLflow keeps it.
      if (patch.name !== undefined) await this.upsertTag(id, 'mlflow.runName', patch.name);
    });
  }

  private async upsertTag(runId: string, key: string, value: string): Promise<void> {
    await this.db.writer.run(
      `INSERT INTO run_tags (run_id, key, value) VALUES ($1, $2, $3)
       ON CONFLICT (run_id, key) DO UPDATE SET value = excluded.value`,
      [runId, key, value],
    );
  }

  async logBatch(
    runId: string,
    batch: { metrics: MetricPoint[]; params: Record<string, string>; tags: Record<string, string> },
  ): Promise<void> {
    await this.db.transaction(async () => {
      const keys = Object.keys(batch.params);
      if (keys.length > 0) {
        const existing = await this.db.rows(
          this.db.writer,
          `SELECT key, value FROM run_params WHERE run_id = $1 AND key IN (SELECT unnest(from_json($2, '["VARCHAR"]')))`,
          [runId, JSON.stringify(keys)],
        );
        const stored = new Map(existing.map((r) => [r.key as string, r.value as string]));
        for (const [key, value] of Object.entries(batch.params)) {
          const old = stored.get(key);
          if (old !== undefined && old !== value) throw new ParamChangedError(runId, key, old, value);
          if (old === undefined) {
            await this.db.writer.run('INSERT INTO run_params (run_id, key, value) VALUES ($1, $2, $3)', [
              runId,
              key,
              value,
            ]);
          }
        }
      }
      for (const [key, value] of Object.entries(batch.tags)) await this.upsertTag(runId, key, value);
      if (batch.tags['mlflow.runName'] !== undefined) {
        await this.db.writer.run('UPDATE runs SET name = $2 WHERE id = $1', [
          runId,
          batch.tags['mlflow.runName'],
        ]);
      }
      for (const metric of batch.metrics) {
        await this.db.writer.run(
          // A point logged again (same key, value, time and step) is stored once, as MLflow does:
          // its client re-logs a run's metrics with the logged model's id.
          `INSERT INTO run_metrics (run_id, key, value, timestamp_ms, step, model_id, dataset_name, dataset_digest)
           SELECT $1, $2, $3, $4, $5, $6, $7, $8 WHERE NOT EXISTS (
             SELECT 1 FROM run_metrics WHERE run_id = $1 AND key = $2 AND value = $3 AND timestamp_ms = $4 AND step = $5)`,
          [
            runId,
            metric.key,
            metric.value,
            metric.timestampMs,
            metric.step,
            metric.modelId ?? null,
            metric.datasetName ?? null,
            metric.datasetDigest ?? null,
          ],
        );
      }
    });
  }

  async deleteRunTag(runId: string, key: string): Promise<boolean> {
    const rows = await this.db.write('DELETE FROM run_tags WHERE run_id = $1 AND key = $2 RETURNING key', [
      runId,
      key,
    ]);
    return rows.length > 0;
  }

  async logInputs(runId: string, datasets: DatasetInput[]): Promise<void> {
    await this.db.transaction(async () => {
      for (const d of datasets) {
        await this.db.writer.run(
          `INSERT INTO run_inputs (run_id, name, digest, source_type, source, schema, profile, tags)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
           ON CONFLICT (run_id, name, digest) DO UPDATE SET tags = excluded.tags`,
          [runId, d.name, d.digest, d.sourceType, d.source, d.schema, d.profile, JSON.stringify(d.tags)],
        );
      }
    });
  }

  async logOutputs(runId: string, models: { modelId: string; step: number }[]): Promise<void> {
    await this.db.transaction(async () => {
      for (const m of models) {
        await this.db.writer.run(
          `INSERT INTO run_model_outputs (run_id, model_id, step) VALUES ($1, $2, $3)
           ON CONFLICT (run_id, model_id) DO UPDATE SET step = excluded.step`,
          [runId, m.modelId, m.step],
        );
      }
    });
  }

  async metricHistory(
    runId: string,
    key: string,
    page: { limit: number; offset: number },
  ): Promise<MetricPoint[]> {
    const rows = await this.db.read(
      `SELECT key, value, timestamp_ms, step, model_id, dataset_name, dataset_digest FROM run_metrics
       WHERE run_id = $1 AND key = $2 ORDER BY step, timestamp_ms, value LIMIT $3 OFFSET $4`,
      [runId, key, page.limit, page.offset],
    );
    return rows.map(metricFromRow);
  }

  async searchRuns(projectId: number, search: RunSearch): Promise<RunDetails[]> {
    const params: DuckDBValue[] = [projectId, JSON.stringify(search.experimentIds)];
    const bind = (value: DuckDBValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    const where = [
      'r.project_id = $1',
      `r.experiment_id IN (SELECT unnest(from_json($2, '["INTEGER"]')))`,
      viewClause('r.lifecycle_stage', search.view),
      ...search.conditions.map((c) => conditionSql(c, bind)),
    ];
    const order = search.orderBy.map((o) => {
      const direction = o.ascending ? 'ASC' : 'DESC';
      if (o.kind === 'attribute')
        return `${RUN_ATTRIBUTE_COLUMNS[o.key] ?? 'r.start_ms'} ${direction} NULLS LAST`;
      const key = bind(o.key);
      const value =
        o.kind === 'metric'
          ? `(SELECT m.value FROM (${LATEST_METRICS('SELECT r.id')}) m WHERE m.key = ${key})`
          : `(SELECT t.value FROM ${o.kind === 'param' ? 'run_params' : 'run_tags'} t WHERE t.run_id = r.id AND t.key = ${key})`;
      return `${value} ${direction} NULLS LAST`;
    });
    order.push('r.start_ms DESC NULLS LAST', 'r.id');
    const rows = await this.db.read(
      `SELECT ${DuckDbTracking.RUN_COLUMNS} FROM runs r WHERE ${where.join(' AND ')}
       ORDER BY ${order.join(', ')} LIMIT ${bind(search.limit)} OFFSET ${bind(search.offset)}`,
      params,
    );
    return this.runDetails(rows);
  }

  // ---------------------------------------------------------- logged models

  private static readonly LOGGED_MODEL_COLUMNS =
    'id, project_id, experiment_id, name, source_run_id, status, model_type, artifact_uri, params, tags, lifecycle_stage, created_ms, updated_ms';

  async createLoggedModel(input: LoggedModelRow): Promise<void> {
    await this.db.write(
      `INSERT INTO logged_models (${DuckDbTracking.LOGGED_MODEL_COLUMNS})
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)`,
      [
        input.id,
        input.projectId,
        input.experimentId,
        input.name,
        input.sourceRunId,
        input.status,
        input.modelType,
        input.artifactUri,
        JSON.stringify(input.params),
        JSON.stringify(input.tags),
        input.lifecycleStage,
        input.createdMs,
        input.updatedMs,
      ],
    );
  }

  async getLoggedModel(projectId: number, id: string): Promise<LoggedModelRow | null> {
    const [row] = await this.db.read(
      `SELECT ${DuckDbTracking.LOGGED_MODEL_COLUMNS} FROM logged_models WHERE project_id = $1 AND id = $2`,
      [projectId, id],
    );
    return row ? loggedModelFromRow(row) : null;
  }

  async updateLoggedModel(
    id: string,
    patch: { status?: string; lifecycleStage?: LifecycleStage; tags?: Record<string, string> },
    nowMs: number,
  ): Promise<void> {
    const sets = ['updated_ms = $2'];
    const params: DuckDBValue[] = [id, nowMs];
    if (patch.status !== undefined) {
      params.push(patch.status);
      sets.push(`status = $${params.length}`);
    }
    if (patch.lifecycleStage !== undefined) {
      params.push(patch.lifecycleStage);
      sets.push(`lifecycle_stage = $${params.length}`);
    }
    if (patch.tags !== undefined) {
      params.push(JSON.stringify(patch.tags));
      sets.push(`tags = $${params.length}`);
    }
    await this.db.write(`UPDATE logged_models SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async searchLoggedModels(
    projectId: number,
    query: { experimentIds: number[]; name?: string; sourceRunId?: string; limit: number; offset: number },
  ): Promise<LoggedModelRow[]> {
    const rows = await this.db.read(
      `SELECT ${DuckDbTracking.LOGGED_MODEL_COLUMNS} FROM logged_models
       WHERE project_id = $1 AND experiment_id IN (SELECT unnest(from_json($2, '["INTEGER"]'))) AND lifecycle_stage = 'active'
         AND ($5::VARCHAR IS NULL OR name = $5) AND ($6::VARCHAR IS NULL OR source_run_id = $6)
       ORDER BY created_ms DESC, id LIMIT $3 OFFSET $4`,
      [
        projectId,
        JSON.stringify(query.experimentIds),
        query.limit,
        query.offset,
        query.name ?? null,
        query.sourceRunId ?? null,
      ],
    );
    return rows.map(loggedModelFromRow);
  }

  // -------------------------------------------------------------- artifacts

  async putArtifactFile(projectId: number, file: ArtifactFile, nowMs: number): Promise<void> {
    await this.db.write(
      `INSERT INTO artifact_files (project_id, path, digest, size, created_ms) VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (project_id, path) DO UPDATE SET digest = excluded.digest, size = excluded.size, created_ms = excluded.created_ms`,
      [projectId, file.path, file.digest, file.size, nowMs],
    );
  }

  async getArtifactFile(projectId: number, path: string): Promise<ArtifactFile | null> {
    const [row] = await this.db.read(
      'SELECT path, digest, size FROM artifact_files WHERE project_id = $1 AND path = $2',
      [projectId, path],
    );
    return row ? { path: row.path as string, digest: row.digest as string, size: toNumber(row.size) } : null;
  }

  async listArtifactEntries(projectId: number, folder: string, limit: number): Promise<ArtifactEntry[]> {
    const prefix = folder === '' ? '' : `${folder}/`;
    const rows = await this.db.read(
      `SELECT split_part(rest, '/', 1) AS name, bool_or(strpos(rest, '/') > 0) AS is_dir,
              max(CASE WHEN strpos(rest, '/') = 0 THEN size END) AS size
       FROM (SELECT substr(path, length($2) + 1) AS rest, size FROM artifact_files
             WHERE project_id = $1 AND starts_with(path, $2))
       GROUP BY name ORDER BY name LIMIT $3`,
      [projectId, prefix, limit],
    );
    return rows.map((row) => {
      const isDir = row.is_dir === true;
      return { name: row.name as string, isDir, size: isDir ? null : toNullableNumber(row.size) };
    });
  }
}

function metricFromRow(row: Row): MetricPoint {
  return {
    key: row.key as string,
    value: row.value as number,
    timestampMs: toNumber(row.timestamp_ms),
    step: toNumber(row.step),
    modelId: (row.model_id as string | null) ?? null,
    datasetName: (row.dataset_name as string | null) ?? null,
    datasetDigest: (row.dataset_digest as string | null) ?? null,
  };
}

function loggedModelFromRow(row: Row): LoggedModelRow {
  return {
    id: row.id as string,
    projectId: toNumber(row.project_id),
    experimentId: toNumber(row.experiment_id),
    name: row.name as string,
    sourceRunId: (row.source_run_id as string | null) ?? null,
    status: row.status as string,
    modelType: (row.model_type as string | null) ?? null,
    artifactUri: row.artifact_uri as string,
    params: parseJson(row.params, {}),
    tags: parseJson(row.tags, {}),
    lifecycleStage: row.lifecycle_stage as LifecycleStage,
    createdMs: toNumber(row.created_ms),
    updatedMs: toNumber(row.updated_ms),
  };
}

/** One search condition as SQL over `runs r`, with its values bound. */
function conditionSql(condition: RunCondition, bind: (value: DuckDBValue) => string): string {
  switch (condition.kind) {
    case 'metric':
      return `EXISTS (SELECT 1 FROM (${LATEST_METRICS('SELECT r.id')}) m WHERE m.key = ${bind(condition.key)} AND m.value ${condition.op} ${bind(condition.value)})`;
    case 'param':
    case 'tag': {
      const table = condition.kind === 'param' ? 'run_params' : 'run_tags';
      const exists = `EXISTS (SELECT 1 FROM ${table} t WHERE t.run_id = r.id AND t.key = ${bind(condition.key)}`;
      if (condition.op === 'IS NULL') return `NOT ${exists})`;
      if (condition.op === 'IS NOT NULL') return `${exists})`;
      return `${exists} AND t.value ${likeOperator(condition.op)} ${bind((condition as { value: string }).value)})`;
    }
    case 'attribute': {
      const column = RUN_ATTRIBUTE_COLUMNS[condition.key]!;
      if (condition.op === 'IN' || condition.op === 'NOT IN') {
        return `${column} ${condition.op} (SELECT unnest(from_json(${bind(JSON.stringify(condition.value))}, '["VARCHAR"]')))`;
      }
      return `${column} ${likeOperator(condition.op)} ${bind(condition.value as string | number)}`;
    }
    case 'dataset': {
      const column = `i.${condition.key}`;
      const test =
        condition.op === 'IN' || condition.op === 'NOT IN'
          ? `${column} ${condition.op} (SELECT unnest(from_json(${bind(JSON.stringify(condition.value))}, '["VARCHAR"]')))`
          : `${column} ${likeOperator(condition.op)} ${bind(condition.value as string)}`;
      return `EXISTS (SELECT 1 FROM run_inputs i WHERE i.run_id = r.id AND ${test})`;
    }
  }
}

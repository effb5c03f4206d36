import type { DuckDBValue } from '@duckdb/node-api';
import type {
  AliasChange,
  AliasHolding,
  RegistryRepository,
  RegistryVersionDetails,
  RollbackOutcome,
} from '../registry.js';
import type { ModelVersionRow } from '../types.js';
import { type DuckDbDatabase, parseJson, type Row, toDate, toNullableNumber, toNumber } from './database.js';

const HOLDING_COLUMNS = `h.id, h.model_id, h.alias, h.version_id, v.name AS version_name, h.from_ms, h.to_ms,
  h.set_by, h.reason, h.ended_by`;
const HOLDINGS = 'alias_history h JOIN model_versions v ON v.id = h.version_id';

function holdingFromRow(row: Row): AliasHolding {
  return {
    id: toNumber(row.id),
    modelId: toNumber(row.model_id),
    alias: row.alias as string,
    versionId: toNumber(row.version_id),
    versionName: row.version_name as string,
    fromMs: toNumber(row.from_ms),
    toMs: toNullableNumber(row.to_ms),
    setBy: row.set_by as string,
    reason: row.reason as AliasChange,
    endedBy: (row.ended_by as AliasHolding['endedBy']) ?? null,
  };
}

export class DuckDbRegistry implements RegistryRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  async createNumberedVersion(
    version: Omit<ModelVersionRow, 'id' | 'createdAt' | 'name'>,
    details: Omit<RegistryVersionDetails, 'versionId'>,
  ): Promise<ModelVersionRow> {
    return this.db.transaction(async () => {
      const [next] = await this.db.rows(
        this.db.writer,
        `SELECT coalesce(max(TRY_CAST(name AS BIGINT)), 0) + 1 AS next FROM model_versions
         WHERE model_id = $1 AND regexp_matches(name, '^[0-9]{1,15}$')`,
        [version.modelId],
      );
      const name = String(toNumber(next!.next));
      const [row] = await this.db.rows(
        this.db.writer,
        `INSERT INTO model_versions (id, model_id, name, artifact_uri, params, metrics, tags, description, created_at)
         VALUES (nextval('seq_model_versions'), $1, $2, $3, $4, $5, $6, $7, now())
         RETURNING id, model_id, name, artifact_uri, params, metrics, tags, description, epoch_us(created_at)::DOUBLE AS created`,
        [
          version.modelId,
          name,
          version.artifactUri,
          JSON.stringify(version.params),
          JSON.stringify(version.metrics),
          JSON.stringify(version.tags),
          version.description,
        ],
      );
      const id = toNumber(row!.id);
      await this.db.writer.run(
        `INSERT INTO registry_versions (version_id, source, run_id, logged_model_id, user_id, status, data_digest, updated_ms)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
        [
          id,
          details.source,
          details.runId,
          details.loggedModelId,
          details.userId,
          details.status,
          details.dataDigest,
          details.updatedMs,
        ],
      );
      return {
        id,
        modelId: toNumber(row!.model_id),
        name: row!.name as string,
        artifactUri: (row!.artifact_uri as string | null) ?? null,
        params: parseJson(row!.params, {}),
        metrics: parseJson(row!.metrics, {}),
        tags: parseJson(row!.tags, {}),
        description: (row!.description as string | null) ?? null,
        createdAt: toDate(row!.created),
      };
    });
  }

  async versionDetails(versionIds: number[]): Promise<Map<number, RegistryVersionDetails>> {
    const details = new Map<number, RegistryVersionDetails>();
    if (versionIds.length === 0) return details;
    const rows = await this.db.read(
      `SELECT version_id, source, run_id, logged_model_id, user_id, status, data_digest, updated_ms
       FROM registry_versions WHERE version_id IN (SELECT unnest(from_json($1, '["INTEGER"]')))`,
      [JSON.stringify(versionIds)],
    );
    for (const row of rows) {
      details.set(toNumber(row.version_id), {
        versionId: toNumber(row.version_id),
        source: (row.source as string | null) ?? null,
        runId: (row.run_id as string | null) ?? null,
        loggedModelId: (row.logged_model_id as string | null) ?? null,
        userId: (row.user_id as string | null) ?? null,
        status: row.status as string,
        dataDigest: (row.data_digest as string | null) ?? null,
        updatedMs: toNumber(row.updated_ms),
      });
    }
    return details;
  }

  async updateVersion(
    versionId: number,
    patch: { description?: string | null; tags?: Record<string, string> },
  ): Promise<void> {
    const sets: string[] = [];
    const params: DuckDBValue[] = [versionId];
    if (patch.description !== undefined) {
      params.push(patch.description);
      sets.push(`description = $${params.length}`);
    }
    if (patch.tags !== undefined) {
      params.push(JSON.stringify(patch.tags));
      sets.push(`tags = $${params.length}`);
    }
    if (sets.length === 0) return;
    await this.db.write(`UPDATE model_versions SET ${sets.join(', ')} WHERE id = $1`, params);
  }

  async deleteVersion(versionId: number, _by: string, nowMs: number): Promise<void> {
    await this.db.transaction(async () => {
      await this.db.writer.run(
        `UPDATE alias_history SET to_ms = $2, ended_by = 'deleted' WHERE version_id = $1 AND to_ms IS NULL`,
        [versionId, nowMs],
      );
      await this.db.writer.run('DELETE FROM registry_versions WHERE version_id = $1', [versionId]);
      // History rows keep naming the version: it is only marked deleted by its tag.
      await this.db.writer.run(
        `UPDATE model_versions SET tags = json_merge_patch(tags, '{"vigil.deleted":"true"}') WHERE id = $1`,
        [versionId],
      );
    });
  }

  async setAlias(
    modelId: number,
    alias: string,
    versionId: number,
    by: string,
    nowMs: number,
    reason: AliasChange = 'set',
  ): Promise<AliasHolding> {
    const id = await this.db.transaction(async () => {
      const [current] = await this.db.rows(
        this.db.writer,
        'SELECT id, version_id FROM alias_history WHERE model_id = $1 AND alias = $2 AND to_ms IS NULL',
        [modelId, alias],
      );
      if (current && toNumber(current.version_id) === versionId && reason === 'set')
        return toNumber(current.id);
      if (current) {
        await this.db.writer.run('UPDATE alias_history SET to_ms = $2, ended_by = $3 WHERE id = $1', [
          toNumber(current.id),
          nowMs,
          reason === 'rollback' ? 'rolled_back' : 'moved',
        ]);
      }
      const [row] = await this.db.rows(
        this.db.writer,
        `INSERT INTO alias_history (id, model_id, alias, version_id, from_ms, to_ms, set_by, reason, ended_by)
         VALUES (nextval('seq_alias_history'), $1, $2, $3, $4, NULL, $5, $6, NULL) RETURNING id`,
        [modelId, alias, versionId, nowMs, by, reason],
      );
      return toNumber(row!.id);
    });
    const [row] = await this.db.read(`SELECT ${HOLDING_COLUMNS} FROM ${HOLDINGS} WHERE h.id = $1`, [id]);
    return holdingFromRow(row!);
  }

  async deleteAlias(modelId: number, alias: string, nowMs: number): Promise<boolean> {
    const rows = await this.db.write(
      `UPDATE alias_history SET to_ms = $3, ended_by = 'deleted'
       WHERE model_id = $1 AND alias = $2 AND to_ms IS NULL RETURNING id`,
      [modelId, alias, nowMs],
    );
    return rows.length > 0;
  }

  async currentAliases(modelId: number): Promise<AliasHolding[]> {
    const rows = await this.db.read(
      `SELECT ${HOLDING_COLUMNS} FROM ${HOLDINGS} WHERE h.model_id = $1 AND h.to_ms IS NULL ORDER BY h.alias`,
      [modelId],
    );
    return rows.map(holdingFromRow);
  }

  async aliasHistory(modelId: number, alias: string, atMs?: number): Promise<AliasHolding[]> {
    const params: DuckDBValue[] = [modelId, alias];
    let at = '';
    if (atMs !== undefined) {
      params.push(atMs);
      at = 'AND h.from_ms <= $3 AND (h.to_ms IS NULL OR h.to_ms > $3)';
    }
    const rows = await this.db.read(
      `SELECT ${HOLDING_COLUMNS} FROM ${HOLDINGS} WHERE h.model_id = $1 AND h.alias = $2 ${at}
       ORDER BY h.from_ms DESC, h.id DESC`,
      params,
    );
    return rows.map(holdingFromRow);
  }

  async modelAliasHistory(modelId: number): Promise<AliasHolding[]> {
    const rows = await this.db.read(
      `SELECT ${HOLDING_COLUMNS} FROM ${HOLDINGS} WHERE h.model_id = $1
       ORDER BY h.from_ms DESC, h.id DESC`,
      [modelId],
    );
    return rows.map(holdingFromRow);
  }

  async rollbackAlias(modelId: number, alias: string, by: string, nowMs: number): Promise<RollbackOutcome> {
    const history = await this.aliasHistory(modelId, alias);
    const current = history.find((h) => h.toMs === null);
    if (!current) return { outcome: 'not_set' };
    const live = new Set(
      (
        await this.db.read(
          `SELECT id FROM model_versions WHERE id IN (SELECT unnest(from_json($1, '["INTEGER"]')))
           AND coalesce(json_extract_string(tags, '$."vigil.deleted"'), '') <> 'true'`,
          [JSON.stringify(history.map((h) => h.versionId))],
        )
      ).map((r) => toNumber(r.id)),
    );
    // The holder before the current one; a roll back of a roll back goes further back, not forth.
    const earlier = history.filter((h) => h.id < current.id && h.versionId !== current.versionId);
    const skip = new Set<number>();
    if (current.reason === 'rollback') {
      // Versions the alias was rolled back from are not rolled back to.
      for (const h of history) if (h.endedBy === 'rolled_back') skip.add(h.versionId);
    }
    const previous = earlier.find((h) => live.has(h.versionId) && !skip.has(h.versionId));
    if (!previous) return { outcome: 'no_previous' };
    const holding = await this.setAlias(modelId, alias, previous.versionId, by, nowMs, 'rollback');
    return { outcome: 'rolled_back', holding, previous: current };
  }
}

import type { DuckDBValue } from '@duckdb/node-api';
import type {
  AuditActor,
  AuditEntityType,
  AuditEntry,
  AuditQuery,
  AuditRecorder,
  AuditRepository,
  NewAuditEntry,
} from '../audit.js';
import { type DuckDbDatabase, type Row, toNumber } from './database.js';

const COLUMNS = `id, project_id, at_ms, actor_type, actor_id, actor_name, actor_ref, entity_type, entity_id,
  model_name, action, before_json, after_json, secrets_changed, request_id`;

function json(value: unknown): string | null {
  return value === null || value === undefined ? null : JSON.stringify(value);
}

function entryFromRow(row: Row): AuditEntry {
  return {
    id: toNumber(row.id),
    projectId: toNumber(row.project_id),
    atMs: toNumber(row.at_ms),
    actor: {
      type: row.actor_type as AuditActor['type'],
      id: row.actor_id as string,
      name: (row.actor_name as string | null) ?? null,
      ref: row.actor_ref as string,
    },
    entityType: row.entity_type as AuditEntityType,
    entityId: row.entity_id as string,
    modelName: (row.model_name as string | null) ?? null,
    action: row.action as string,
    before: row.before_json === null ? null : JSON.parse(row.before_json as string),
    after: row.after_json === null ? null : JSON.parse(row.after_json as string),
    secretsChanged: row.secrets_changed === true,
    requestId: (row.request_id as string | null) ?? null,
  };
}

export class DuckDbAudit implements AuditRepository {
  constructor(private readonly db: DuckDbDatabase) {}

  recording<T>(recorder: AuditRecorder, work: () => Promise<T>): Promise<T> {
    return this.db.observe(
      {
        begun: () => recorder.begun(),
        committing: async () => {
          const entry = await recorder.committing();
          if (entry) await this.insert(entry);
        },
      },
      work,
    );
  }

  append(entry: NewAuditEntry): Promise<AuditEntry> {
    return this.db.transaction(() => this.insert(entry));
  }

  /** Inserts on the writer; the caller is in a transaction. */
  private async insert(entry: NewAuditEntry): Promise<AuditEntry> {
    const [row] = await this.db.rows(
      this.db.writer,
      `INSERT INTO audit_log (${COLUMNS})
       VALUES (nextval('seq_audit_log'), $1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14)
       RETURNING ${COLUMNS}`,
      [
        entry.projectId,
        entry.atMs,
        entry.actor.type,
        entry.actor.id,
        entry.actor.name,
        entry.actor.ref,
        entry.entityType,
        entry.entityId,
        entry.modelName,
        entry.action,
        json(entry.before),
        json(entry.after),
        entry.secretsChanged,
        entry.requestId,
      ],
    );
    return entryFromRow(row!);
  }

  async list(query: AuditQuery): Promise<AuditEntry[]> {
    const where = ['project_id = $1'];
    const params: DuckDBValue[] = [query.projectId];
    const add = (condition: (n: number) => string, value: DuckDBValue) => {
      params.push(value);
      where.push(condition(params.length));
    };
    if (query.entityType !== undefined) add((n) => `entity_type = $${n}`, query.entityType);
    if (query.entityId !== undefined) add((n) => `entity_id = $${n}`, query.entityId);
    if (query.actor !== undefined) add((n) => `(actor_ref = $${n} OR actor_name = $${n})`, query.actor);
    if (query.action !== undefined) add((n) => `action = $${n}`, query.action);
    if (query.modelName !== undefined) add((n) => `model_name = $${n}`, query.modelName);
    if (query.modelLevelOnly) where.push('model_name IS NOT NULL');
    if (query.fromMs !== undefined) add((n) => `at_ms >= $${n}`, query.fromMs);
    if (query.toMs !== undefined) add((n) => `at_ms < $${n}`, query.toMs);
    if (query.beforeId !== undefined) add((n) => `id < $${n}`, query.beforeId);
    params.push(query.limit);
    const rows = await this.db.read(
      `SELECT ${COLUMNS} FROM audit_log WHERE ${where.join(' AND ')} ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    return rows.map(entryFromRow);
  }
}

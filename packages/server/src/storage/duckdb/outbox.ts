import type { Delivery, DeliveryStatus } from '../../domain/index.js';
import type { ClaimOptions, DeliveryQuery, NewDelivery, OutboxRepository } from '../outbox.js';
import {
  type DuckDbDatabase,
  parseJson,
  type Row,
  TS_PARAM,
  toDate,
  toNullableNumber,
  toNumber,
} from './database.js';

const COLUMNS = `id, uid, project_id, channel_id, dedup_key, payload, status, attempts,
  epoch_us(next_attempt_at)::DOUBLE AS next_attempt, last_error, lease_owner,
  epoch_us(lease_until)::DOUBLE AS lease_until_us, epoch_us(created_at)::DOUBLE AS created,
  epoch_us(updated_at)::DOUBLE AS updated, epoch_us(delivered_at)::DOUBLE AS delivered`;

function nullableDate(value: unknown): Date | null {
  const micros = toNullableNumber(value);
  return micros === null ? null : toDate(micros);
}

function fromRow(row: Row): Delivery {
  return {
    id: toNumber(row.id),
    uid: row.uid as string,
    projectId: toNumber(row.project_id),
    channelId: toNumber(row.channel_id),
    dedupKey: row.dedup_key as string,
    payload: parseJson(row.payload, null),
    status: row.status as DeliveryStatus,
    attempts: toNumber(row.attempts),
    nextAttemptAt: toDate(row.next_attempt),
    lastError: (row.last_error as string | null) ?? null,
    leaseOwner: (row.lease_owner as string | null) ?? null,
    leaseUntil: nullableDate(row.lease_until_us),
    createdAt: toDate(row.created),
    updatedAt: toDate(row.updated),
    deliveredAt: nullableDate(row.delivered),
  };
}

const micros = (ms: number) => ms * 1000;

export class DuckDbOutbox implements OutboxRepository {
  /**
   * No row is due before this time (epoch microseconds; null when unknown). The process is the
   * store's only user, so only this repository's writes change it: a poll before it reads
   * nothing. Writes that may make a row due sooner forget it at their start and at their end,
   * and a read that a write overlapped does not set it (see `changing`).
   */
  private nextDueMicros: number | null = null;
  private changes = 0;

  constructor(private readonly db: DuckDbDatabase) {}

  private async changing<T>(write: () => Promise<T>): Promise<T> {
    this.changes++;
    this.nextDueMicros = null;
    try {
      return await write();
    } finally {
      this.changes++;
      this.nextDueMicros = null;
    }
  }

  enqueue(input: NewDelivery): Promise<{ delivery: Delivery; created: boolean }> {
    return this.changing(() => this.insert(input));
  }

  private async insert(input: NewDelivery): Promise<{ delivery: Delivery; created: boolean }> {
    return this.db.transaction(async () => {
      const status = input.status ?? 'pending';
      const inserted = await this.db.rows(
        this.db.writer,
        `INSERT INTO outbox (id, uid, project_id, channel_id, dedup_key, payload, status, attempts,
           next_attempt_at, last_error, lease_owner, lease_until, created_at, updated_at, delivered_at)
         VALUES (nextval('seq_outbox'), $1, $2, $3, $4, $5, $6, $7, ${TS_PARAM(8)}, CAST($9 AS VARCHAR), NULL, NULL,
           ${TS_PARAM(8)}, ${TS_PARAM(8)}, CASE WHEN $6 = 'delivered' THEN ${TS_PARAM(8)} END)
         ON CONFLICT DO NOTHING RETURNING ${COLUMNS}`,
        [
          input.uid,
          input.projectId,
          input.channelId,
          input.dedupKey,
          JSON.stringify(input.payload),
          status,
          input.attempts ?? 0,
          micros(input.nowMs),
          input.lastError ?? null,
        ],
      );
      if (inserted[0]) return { delivery: fromRow(inserted[0]), created: true };
      const [existing] = await this.db.rows(
        this.db.writer,
        `SELECT ${COLUMNS} FROM outbox WHERE channel_id = $1 AND dedup_key = $2`,
        [input.channelId, input.dedupKey],
      );
      return { delivery: fromRow(existing!), created: false };
    });
  }

  async claim(options: ClaimOptions): Promise<Delivery[]> {
    if (options.limit <= 0) return [];
    const nowMicros = micros(options.nowMs);
    if (this.nextDueMicros !== null && nowMicros < this.nextDueMicros) return [];
    // Most polls find nothing due: answer those from the reader, without taking the write lock
    // that ingestion needs, and remember when the first row falls due.
    const changes = this.changes;
    const [next] = await this.db.read(
      `SELECT min(CASE status WHEN 'pending' THEN epoch_us(next_attempt_at) ELSE epoch_us(lease_until) END)::DOUBLE AS due
       FROM outbox WHERE status IN ('pending', 'sending')`,
    );
    const due = toNullableNumber(next?.due) ?? Number.POSITIVE_INFINITY;
    if (changes === this.changes) this.nextDueMicros = due;
    if (nowMicros < due) return [];
    return this.changing(() => this.claimDue(options));
  }

  private async claimDue(options: ClaimOptions): Promise<Delivery[]> {
    // The head of each channel's queue (its oldest unfinished row) is the only candidate, so a
    // channel receives in order, one delivery at a time; a lapsed lease makes the row claimable.
    const rows = await this.db.write(
      `UPDATE outbox SET status = 'sending', lease_owner = $1, lease_until = ${TS_PARAM(3)},
         attempts = attempts + 1, updated_at = ${TS_PARAM(2)}
       WHERE id IN (
         SELECT id FROM (
           SELECT id, status, next_attempt_at, lease_until,
             row_number() OVER (PARTITION BY channel_id ORDER BY id) AS position
           FROM outbox WHERE status IN ('pending', 'sending')
         )
         WHERE position = 1 AND (
           (status = 'pending' AND next_attempt_at <= ${TS_PARAM(2)})
           OR (status = 'sending' AND lease_until <= ${TS_PARAM(2)}))
         ORDER BY next_attempt_at, id
         LIMIT $4)
       RETURNING ${COLUMNS}`,
      [options.owner, micros(options.nowMs), micros(options.nowMs + options.leaseMs), options.limit],
    );
    return rows.map(fromRow).sort((a, b) => a.id - b.id);
  }

  async markDelivered(id: number, owner: string, nowMs: number): Promise<boolean> {
    const rows = await this.db.write(
      `UPDATE outbox SET status = 'delivered', delivered_at = ${TS_PARAM(3)}, updated_at = ${TS_PARAM(3)},
         last_error = NULL, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND status = 'sending' AND lease_owner = $2 RETURNING id`,
      [id, owner, micros(nowMs)],
    );
    return rows.length > 0;
  }

  markFailed(
    id: number,
    owner: string,
    outcome: { nowMs: number; error: string; retryAtMs: number | null },
  ): Promise<boolean> {
    return this.changing(() => this.fail(id, owner, outcome));
  }

  private async fail(
    id: number,
    owner: string,
    outcome: { nowMs: number; error: string; retryAtMs: number | null },
  ): Promise<boolean> {
    const rows = await this.db.write(
      `UPDATE outbox SET status = CASE WHEN CAST($4 AS DOUBLE) IS NULL THEN 'dead' ELSE 'pending' END,
         next_attempt_at = coalesce(make_timestamp(CAST($4 AS BIGINT)), next_attempt_at),
         last_error = CAST($5 AS VARCHAR), updated_at = ${TS_PARAM(3)}, lease_owner = NULL, lease_until = NULL
       WHERE id = $1 AND status = 'sending' AND lease_owner = $2 RETURNING id`,
      [
        id,
        owner,
        micros(outcome.nowMs),
        outcome.retryAtMs === null ? null : micros(outcome.retryAtMs),
        outcome.error,
      ],
    );
    return rows.length > 0;
  }

  async abandonChannel(channelId: number, nowMs: number, reason: string): Promise<number> {
    const rows = await this.db.write(
      `UPDATE outbox SET status = 'dead', last_error = $3, updated_at = ${TS_PARAM(2)},
         lease_owner = NULL, lease_until = NULL
       WHERE channel_id = $1 AND status IN ('pending', 'sending') RETURNING id`,
      [channelId, micros(nowMs), reason],
    );
    return rows.length;
  }

  async prune(beforeMs: number): Promise<number> {
    const rows = await this.db.write(
      `DELETE FROM outbox WHERE status IN ('delivered', 'dead') AND updated_at < ${TS_PARAM(1)} RETURNING id`,
      [micros(beforeMs)],
    );
    return rows.length;
  }

  async get(id: number): Promise<Delivery | null> {
    const [row] = await this.db.read(`SELECT ${COLUMNS} FROM outbox WHERE id = $1`, [id]);
    return row ? fromRow(row) : null;
  }

  async list(query: DeliveryQuery): Promise<Delivery[]> {
    const rows = await this.db.read(
      `SELECT ${COLUMNS} FROM outbox
       WHERE project_id = $1 AND (CAST($2 AS INTEGER) IS NULL OR channel_id = CAST($2 AS INTEGER))
         AND (CAST($3 AS VARCHAR) IS NULL OR status = CAST($3 AS VARCHAR))
         AND (CAST($4 AS BIGINT) IS NULL OR id < CAST($4 AS BIGINT))
       ORDER BY id DESC LIMIT $5`,
      [query.projectId, query.channelId ?? null, query.status ?? null, query.beforeId ?? null, query.limit],
    );
    return rows.map(fromRow);
  }
}

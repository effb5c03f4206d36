/** DuckDB storage of alerting (see `storage/alerts.ts`). */
import type { DuckDBValue } from '@duckdb/node-api';
import type { Alert, AlertComment, AlertRuleSpec, AlertState, Silence } from '../../domain/index.js';
import {
  type AlertGroup,
  type AlertQuery,
  type AlertRepository,
  AlertRuleNameTakenError,
  type AlertRuleRow,
  type EvaluationBatch,
  type NewAlert,
  type NewSilence,
  type SeriesState,
  type SeriesWindow,
} from '../alerts.js';
import { AlertMemory } from './alert-memory.js';
import { type DuckDbDatabase, parseJson, type Row, toNullableNumber, toNumber } from './database.js';
import { forgettingAround } from './forgetting.js';

const CURSOR = 'engine';

const SERIES_STRUCT = JSON.stringify([
  {
    fingerprint: 'VARCHAR',
    model_id: 'INTEGER',
    rule_id: 'INTEGER',
    windows: 'VARCHAR',
    detector: 'VARCHAR',
    last_fed_us: 'BIGINT',
  },
]);

/**
 * A series' windows as stored: one array per window, `[start_us, end_us, seq, value, lower,
 * upper, outcome]`. Every result rewrites its series' list, so its size is paid on every batch:
 * this is half the size of a list of objects (which rows written before it still hold, and
 * which are still read).
 */
type StoredWindow =
  | [number, number, number, number | null, number | null, number | null, SeriesWindow['outcome']]
  | SeriesWindow;

export function encodeWindows(windows: readonly SeriesWindow[]): string {
  return json(windows.map((w) => [w.startMicros, w.endMicros, w.seq, w.value, w.lower, w.upper, w.outcome]));
}

export function decodeWindows(text: unknown): SeriesWindow[] {
  return parseJson<StoredWindow[]>(text, []).map((w) =>
    Array.isArray(w)
      ? {
          startMicros: w[0],
          endMicros: w[1],
          seq: w[2],
          value: w[3],
          lower: w[4],
          upper: w[5],
          outcome: w[6],
        }
      : w,
  );
}

function ruleFromRow(row: Row): AlertRuleRow {
  return {
    id: toNumber(row.id),
    modelId: toNumber(row.model_id),
    name: row.name as string,
    spec: parseJson(row.spec, {} as AlertRuleSpec),
    createdAtMs: toNumber(row.created_ms),
    updatedAtMs: toNumber(row.updated_ms),
  };
}

function alertFromRow(row: Row): Alert {
  return {
    id: toNumber(row.id),
    fingerprint: row.fingerprint as string,
    projectId: toNumber(row.project_id),
    modelId: toNumber(row.model_id),
    ruleId: toNullableNumber(row.rule_id),
    ruleName: row.rule_name as string,
    state: row.state as AlertState,
    labels: parseJson(row.labels, {}),
    annotations: parseJson(row.annotations, {}),
    value: toNullableNumber(row.value),
    thresholdLower: toNullableNumber(row.threshold_lower),
    thresholdUpper: toNullableNumber(row.threshold_upper),
    windowStartMicros: toNumber(row.window_start_us),
    windowEndMicros: toNumber(row.window_end_us),
    activeAtMs: toNumber(row.active_ms),
    firedAtMs: toNullableNumber(row.fired_ms),
    resolvedAtMs: toNullableNumber(row.resolved_ms),
    updatedAtMs: toNumber(row.updated_ms),
    acknowledgedAtMs: toNullableNumber(row.acknowledged_ms),
    acknowledgedBy: (row.acknowledged_by as string | null) ?? null,
    groupIds: parseJson(row.group_ids, []),
  };
}

function groupFromRow(row: Row): AlertGroup {
  return {
    id: row.id as string,
    projectId: toNumber(row.project_id),
    kind: row.kind as AlertGroup['kind'],
    channel: row.channel as string,
    groupKey: row.group_key as string,
    groupLabels: parseJson(row.group_labels, {}),
    waitMs: toNumber(row.wait_ms),
    intervalMs: toNumber(row.interval_ms),
    repeatMs: toNumber(row.repeat_ms),
    pendingSinceMs: toNullableNumber(row.pending_since_ms),
    lastNotifiedAtMs: toNullableNumber(row.last_notified_ms),
    lastNotifiedFiring: parseJson(row.last_notified_firing, []),
    notifyCount: toNumber(row.notify_count),
  };
}

function silenceFromRow(row: Row): Silence {
  return {
    id: toNumber(row.id),
    projectId: toNumber(row.project_id),
    matchers: parseJson(row.matchers, []),
    startsAtMs: toNumber(row.starts_ms),
    endsAtMs: toNumber(row.ends_ms),
    comment: row.comment as string,
    createdBy: row.created_by as string,
    createdAtMs: toNumber(row.created_ms),
    updatedAtMs: toNumber(row.updated_ms),
  };
}

function commentFromRow(row: Row): AlertComment {
  return {
    id: toNumber(row.id),
    alertId: toNumber(row.alert_id),
    author: row.author as string,
    body: row.body as string,
    createdAtMs: toNumber(row.created_ms),
  };
}

function isUniqueViolation(error: unknown): boolean {
  return error instanceof Error && /duplicate key|unique constraint|violates unique/i.test(error.message);
}

const json = (value: unknown) => JSON.stringify(value);
/** A list of strings as one bound parameter (DuckDB lists cannot be bound directly). */
const listParam = (values: readonly (string | number)[]) => JSON.stringify(values);
/**
 * The keys of the list in `$1`, for `column IN …`: a hash semi-join, where `list_contains` per
 * row costs the table's rows times the list's length (at 60,000 series and 720 keys, 20–40 ms
 * against 220–300 ms).
 */
const keysOf = (type: 'INTEGER' | 'VARCHAR') => `(SELECT unnest(CAST($1 AS ${type}[])))`;

const ALERT_COLUMNS = [
  'fingerprint',
  'project_id',
  'model_id',
  'rule_id',
  'rule_name',
  'state',
  'severity',
  'labels',
  'annotations',
  'value',
  'threshold_lower',
  'threshold_upper',
  'window_start_us',
  'window_end_us',
  'active_ms',
  'fired_ms',
  'resolved_ms',
  'updated_ms',
  'acknowledged_ms',
  'acknowledged_by',
  'group_ids',
];
/** SQL types of ALERT_COLUMNS. */
const ALERT_TYPES = [
  'VARCHAR',
  'INTEGER',
  'INTEGER',
  'INTEGER',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'VARCHAR',
  'DOUBLE',
  'DOUBLE',
  'DOUBLE',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'BIGINT',
  'VARCHAR',
  'VARCHAR',
];
const ALERT_STRUCT = JSON.stringify([Object.fromEntries(ALERT_COLUMNS.map((c, i) => [c, ALERT_TYPES[i]]))]);
const ALERT_STRUCT_WITH_ID = JSON.stringify([
  { id: 'BIGINT', ...Object.fromEntries(ALERT_COLUMNS.map((c, i) => [c, ALERT_TYPES[i]])) },
]);
/**
 * The columns the engine updates: acknowledgement is the API's, so an acknowledgement made
 * while the engine evaluates is not overwritten by the engine's older copy of the alert.
 */
const ENGINE_UPDATED_COLUMNS = ALERT_COLUMNS.filter(
  (c) => c !== 'acknowledged_ms' && c !== 'acknowledged_by',
);

/** An alert as one JSON object of column values. */
function alertRow(a: NewAlert | Alert): Record<string, unknown> {
  const values = alertParams(a);
  return Object.fromEntries(ALERT_COLUMNS.map((c, i) => [c, values[i]]));
}

function alertParams(a: NewAlert | Alert): DuckDBValue[] {
  return [
    a.fingerprint,
    a.projectId,
    a.modelId,
    a.ruleId,
    a.ruleName,
    a.state,
    a.labels.severity ?? 'warning',
    json(a.labels),
    json(a.annotations),
    a.value !== null && Number.isFinite(a.value) ? a.value : null,
    a.thresholdLower,
    a.thresholdUpper,
    a.windowStartMicros,
    a.windowEndMicros,
    a.activeAtMs,
    a.firedAtMs,
    a.resolvedAtMs,
    a.updatedAtMs,
    'acknowledgedAtMs' in a ? a.acknowledgedAtMs : null,
    'acknowledgedBy' in a ? a.acknowledgedBy : null,
    json(a.groupIds),
  ];
}

/** Reads kept between writes (a few keys each: the engine asks the same questions every poke). */
const REMEMBERED_READS = 64;

export class DuckDbAlertRepository implements AlertRepository {
  /**
   * What the notification step reads on every poke (firing alerts, groups to check, latest
   * alerts, silences), kept until the next write that can change it. The process is the store's
   * only user, so every such write goes through `writing`, which forgets them at its start and
   * its end; a read that a write overlapped is not kept.
   */
  private readonly remembered = new Map<string, unknown>();
  private writes = 0;
  /** What the engine reads per batch (see `AlertMemory`). */
  private readonly memory = new AlertMemory();

  constructor(private readonly db: DuckDbDatabase) {}

  /**
   * Runs a write that changes rules, alerts or series outside the engine's batches: it forgets
   * both what notification reads (`remembered`) and what the engine reads (`memory`).
   */
  writing<T>(write: () => Promise<T>): Promise<T> {
    return this.memory.untracked(() => this.changing(write));
  }

  /** Runs a write that changes alerts, groups or silences (see `remembered`). */
  private changing<T>(write: () => Promise<T>): Promise<T> {
    return forgettingAround(() => this.forgetReads(), write);
  }

  private forgetReads(): void {
    this.writes++;
    this.remembered.clear();
  }

  private async remember<T>(
    key: string,
    read: () => Promise<T>,
    usable: (kept: T) => boolean = () => true,
  ): Promise<T> {
    const kept = this.remembered.get(key) as T | undefined;
    if (kept !== undefined && usable(kept)) return structuredClone(kept);
    const writes = this.writes;
    const value = await read();
    if (writes === this.writes) {
      if (this.remembered.size >= REMEMBERED_READS) this.remembered.clear();
      this.remembered.set(key, structuredClone(value));
    }
    return value;
  }

  // ------------------------------------------------------------------ rules

  /** Closes the open alerts of a rule (or of a model's default rules when `ruleId` is null). */
  private async closeAlerts(modelId: number, ruleId: number | null, nowMs: number): Promise<void> {
    const which = ruleId === null ? 'model_id = $1 AND rule_id IS NULL' : 'rule_id = $1';
    const key = ruleId === null ? modelId : ruleId;
    await this.db.writer.run(`DELETE FROM alerts WHERE ${which} AND state = 'pending'`, [key]);
    await this.db.writer.run(
      `UPDATE alerts SET state = 'resolved', resolved_ms = $2, updated_ms = $2 WHERE ${which} AND state = 'firing'`,
      [key, nowMs],
    );
    await this.db.writer.run(`DELETE FROM alert_series WHERE ${which}`, [key]);
  }

  async createRule(input: {
    modelId: number;
    name: string;
    spec: AlertRuleSpec;
    nowMs: number;
  }): Promise<AlertRuleRow> {
    try {
      return await this.writing(() =>
        this.db.transaction(async () => {
          const [row] = await this.db.rows(
            this.db.writer,
            `INSERT INTO alert_rules (id, model_id, name, spec, created_ms, updated_ms)
           VALUES (nextval('seq_alert_rules'), $1, $2, $3, $4, $4) RETURNING *`,
            [input.modelId, input.name, json(input.spec), input.nowMs],
          );
          // The model's first rule replaces the default rules.
          await this.closeAlerts(input.modelId, null, input.nowMs);
          return ruleFromRow(row!);
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlertRuleNameTakenError(input.name);
      throw error;
    }
  }

  async getRule(modelId: number, name: string): Promise<AlertRuleRow | null> {
    const [row] = await this.db.read('SELECT * FROM alert_rules WHERE model_id = $1 AND name = $2', [
      modelId,
      name,
    ]);
    return row ? ruleFromRow(row) : null;
  }

  async listRules(modelId: number): Promise<AlertRuleRow[]> {
    return (await this.db.read('SELECT * FROM alert_rules WHERE model_id = $1 ORDER BY name', [modelId])).map(
      ruleFromRow,
    );
  }

  async rulesOfModels(modelIds: number[]): Promise<AlertRuleRow[]> {
    const lists = await this.memory.read(this.memory.rules, [...new Set(modelIds)], async (missing) => {
      const byModel = new Map<number, AlertRuleRow[]>();
      for (const rule of await this.readRulesOfModels(missing)) {
        const list = byModel.get(rule.modelId) ?? [];
        list.push(rule);
        byModel.set(rule.modelId, list);
      }
      return [...byModel.values()];
    });
    // Each list is in the table's order of names.
    return lists.sort((a, b) => a[0]!.modelId - b[0]!.modelId).flat();
  }

  private async readRulesOfModels(modelIds: number[]): Promise<AlertRuleRow[]> {
    if (modelIds.length === 0) return [];
    const rows = await this.db.read(
      `SELECT * FROM alert_rules WHERE model_id IN ${keysOf('INTEGER')} ORDER BY model_id, name`,
      [listParam(modelIds)],
    );
    return rows.map(ruleFromRow);
  }

  async updateRule(
    id: number,
    patch: { name?: string; spec?: AlertRuleSpec },
    nowMs: number,
  ): Promise<AlertRuleRow | null> {
    try {
      return await this.writing(() =>
        this.db.transaction(async () => {
          const [current] = await this.db.rows(this.db.writer, 'SELECT * FROM alert_rules WHERE id = $1', [
            id,
          ]);
          if (!current) return null;
          const name = patch.name ?? (current.name as string);
          const spec = patch.spec ? json(patch.spec) : (current.spec as string);
          // A renamed rule keeps its id: a DELETE + INSERT of the key would trip DuckDB's index checks.
          const [row] = await this.db.rows(
            this.db.writer,
            'UPDATE alert_rules SET name = $2, spec = $3, updated_ms = $4 WHERE id = $1 RETURNING *',
            [id, name, spec, nowMs],
          );
          // An edited rule starts afresh: its old alerts may no longer match what it watches.
          await this.closeAlerts(toNumber(current.model_id), id, nowMs);
          return ruleFromRow(row!);
        }),
      );
    } catch (error) {
      if (isUniqueViolation(error)) throw new AlertRuleNameTakenError(patch.name ?? '');
      throw error;
    }
  }

  deleteRule(id: number, nowMs: number): Promise<boolean> {
    return this.writing(() =>
      this.db.transaction(async () => {
        const [current] = await this.db.rows(
          this.db.writer,
          'SELECT model_id FROM alert_rules WHERE id = $1',
          [id],
        );
        if (!current) return false;
        await this.closeAlerts(toNumber(current.model_id), id, nowMs);
        await this.db.writer.run('DELETE FROM alert_rules WHERE id = $1', [id]);
        return true;
      }),
    );
  }

  // ------------------------------------------------------------------ engine

  async cursor(): Promise<number> {
    const [row] = await this.db.read('SELECT seq FROM alert_cursor WHERE name = $1', [CURSOR]);
    return row ? toNumber(row.seq) : 0;
  }

  seriesStates(fingerprints: string[]): Promise<SeriesState[]> {
    return this.memory.read(this.memory.series, [...new Set(fingerprints)], (missing) =>
      this.readSeriesStates(missing),
    );
  }

  private async readSeriesStates(fingerprints: string[]): Promise<SeriesState[]> {
    if (fingerprints.length === 0) return [];
    const rows = await this.db.read(`SELECT * FROM alert_series WHERE fingerprint IN ${keysOf('VARCHAR')}`, [
      listParam(fingerprints),
    ]);
    return rows.map((row) => ({
      fingerprint: row.fingerprint as string,
      modelId: toNumber(row.model_id),
      ruleId: toNullableNumber(row.rule_id),
      windows: decodeWindows(row.windows),
      detector: parseJson(row.detector, null),
      lastFedMicros: toNullableNumber(row.last_fed_us),
    }));
  }

  openAlerts(fingerprints: string[]): Promise<Alert[]> {
    return this.memory.read(this.memory.open, [...new Set(fingerprints)], (missing) =>
      this.readOpenAlerts(missing),
    );
  }

  private async readOpenAlerts(fingerprints: string[]): Promise<Alert[]> {
    if (fingerprints.length === 0) return [];
    const rows = await this.db.read(
      `SELECT * FROM alerts WHERE state IN ('pending', 'firing') AND fingerprint IN ${keysOf('VARCHAR')}`,
      [listParam(fingerprints)],
    );
    return rows.map(alertFromRow);
  }

  async applyEvaluation(batch: EvaluationBatch): Promise<void> {
    // A batch that only moves series and the cursor changes nothing `remembered` holds.
    const changes =
      batch.insertAlerts.length + batch.updateAlerts.length + batch.deleteAlerts.length + batch.groups.length;
    const apply = () => this.memory.applying(() => this.apply(batch));
    if (changes > 0) await this.changing(apply);
    else await apply();
  }

  /** Applies a batch; resolves, once committed, to what the tables then hold for its keys. */
  private apply(batch: EvaluationBatch) {
    return this.db.transaction(async () => {
      const w = this.db.writer;
      // Many rows change per batch: each kind goes in one statement, as one JSON parameter
      // unnested inside DuckDB (binding thousands of parameters is far slower).
      if (batch.series.length > 0) {
        const rows = batch.series.map((s) => ({
          fingerprint: s.fingerprint,
          model_id: s.modelId,
          rule_id: s.ruleId,
          windows: encodeWindows(s.windows),
          detector: s.detector === null || s.detector === undefined ? null : json(s.detector),
          last_fed_us: s.lastFedMicros,
        }));
        await w.run(
          `INSERT INTO alert_series (fingerprint, model_id, rule_id, windows, detector, last_fed_us)
           SELECT fingerprint, model_id, rule_id, windows, detector, last_fed_us
           FROM (SELECT unnest(from_json($1, '${SERIES_STRUCT}'), recursive := true))
           ON CONFLICT (fingerprint) DO UPDATE SET windows = excluded.windows, detector = excluded.detector,
             last_fed_us = excluded.last_fed_us`,
          [json(rows)],
        );
      }
      const dropped: string[] = [];
      for (const id of batch.deleteAlerts) {
        const rows = await this.db.rows(w, 'DELETE FROM alerts WHERE id = $1 RETURNING fingerprint', [id]);
        dropped.push(...rows.map((row) => row.fingerprint as string));
      }
      if (batch.updateAlerts.length > 0) {
        await w.run(
          `UPDATE alerts SET ${ENGINE_UPDATED_COLUMNS.map((c) => `${c} = u.${c}`).join(', ')}
           FROM (SELECT unnest(from_json($1, '${ALERT_STRUCT_WITH_ID}'), recursive := true)) AS u
           WHERE alerts.id = u.id`,
          [json(batch.updateAlerts.map((a) => ({ id: a.id, ...alertRow(a) })))],
        );
      }
      const inserted: Alert[] = [];
      if (batch.insertAlerts.length > 0) {
        const rows = await this.db.rows(
          w,
          `INSERT INTO alerts (id, ${ALERT_COLUMNS.join(', ')})
           SELECT nextval('seq_alerts'), ${ALERT_COLUMNS.join(', ')}
           FROM (SELECT unnest(from_json($1, '${ALERT_STRUCT}'), recursive := true))
           RETURNING id, fingerprint, state`,
          [json(batch.insertAlerts.map(alertRow))],
        );
        // A batch may insert an episode that also resolved in it, but one open alert per fingerprint.
        const isOpen = (state: unknown) => state !== 'resolved';
        const ids = new Map(
          rows.filter((row) => isOpen(row.state)).map((row) => [row.fingerprint as string, toNumber(row.id)]),
        );
        for (const alert of batch.insertAlerts.filter((a) => isOpen(a.state))) {
          const id = ids.get(alert.fingerprint);
          if (id === undefined) throw new Error(`alert ${alert.fingerprint} was not inserted`);
          inserted.push({ ...alert, id, acknowledgedAtMs: null, acknowledgedBy: null });
        }
      }
      for (const g of batch.groups) {
        await w.run(
          `INSERT INTO alert_groups (id, project_id, kind, channel, group_key, group_labels, wait_ms, interval_ms,
             repeat_ms, pending_since_ms, last_notified_ms, last_notified_firing, notify_count)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, '[]', 0)
           ON CONFLICT (id) DO UPDATE SET wait_ms = excluded.wait_ms, interval_ms = excluded.interval_ms,
             repeat_ms = excluded.repeat_ms`,
          [
            g.id,
            g.projectId,
            g.kind,
            g.channel,
            g.groupKey,
            json(g.groupLabels),
            g.waitMs,
            g.intervalMs,
            g.repeatMs,
          ],
        );
      }
      await w.run(
        `INSERT INTO alert_cursor (name, seq) VALUES ($1, $2)
         ON CONFLICT (name) DO UPDATE SET seq = excluded.seq`,
        [CURSOR, batch.cursor],
      );
      // The open alert of each fingerprint the batch touched (none once resolved or dropped).
      const open = new Map<string, Alert | null>(dropped.map((fingerprint) => [fingerprint, null]));
      for (const alert of batch.updateAlerts)
        open.set(alert.fingerprint, alert.state === 'resolved' ? null : alert);
      for (const alert of inserted) open.set(alert.fingerprint, alert);
      return {
        series: batch.series,
        open: [...open].map(([fingerprint, alert]) => ({ fingerprint, alert })),
      };
    });
  }

  firingAlerts(): Promise<Alert[]> {
    return this.remember('firing', async () =>
      (await this.db.read("SELECT * FROM alerts WHERE state = 'firing' ORDER BY id")).map(alertFromRow),
    );
  }

  async latestAlerts(fingerprints: string[]): Promise<Alert[]> {
    if (fingerprints.length === 0) return [];
    return this.remember(`latest:${JSON.stringify(fingerprints)}`, () => this.readLatestAlerts(fingerprints));
  }

  private async readLatestAlerts(fingerprints: string[]): Promise<Alert[]> {
    const rows = await this.db.read(
      `SELECT * FROM alerts WHERE state <> 'pending' AND fingerprint IN ${keysOf('VARCHAR')}
       QUALIFY row_number() OVER (PARTITION BY fingerprint ORDER BY id DESC) = 1`,
      [listParam(fingerprints)],
    );
    return rows.map(alertFromRow);
  }

  groupsToCheck(ids: string[]): Promise<AlertGroup[]> {
    return this.remember(`groups:${JSON.stringify(ids)}`, () => this.readGroupsToCheck(ids));
  }

  private async readGroupsToCheck(ids: string[]): Promise<AlertGroup[]> {
    const rows = await this.db.read(
      `SELECT * FROM alert_groups WHERE id IN ${keysOf('VARCHAR')}
         OR last_notified_firing <> '[]' OR pending_since_ms IS NOT NULL ORDER BY id`,
      [listParam(ids)],
    );
    return rows.map(groupFromRow);
  }

  async updateGroup(
    id: string,
    patch: Partial<
      Pick<AlertGroup, 'pendingSinceMs' | 'lastNotifiedAtMs' | 'lastNotifiedFiring' | 'notifyCount'>
    >,
  ): Promise<void> {
    const sets: string[] = [];
    const params: DuckDBValue[] = [id];
    const set = (column: string, value: DuckDBValue) => {
      params.push(value);
      sets.push(`${column} = $${params.length}`);
    };
    if (patch.pendingSinceMs !== undefined) set('pending_since_ms', patch.pendingSinceMs);
    if (patch.lastNotifiedAtMs !== undefined) set('last_notified_ms', patch.lastNotifiedAtMs);
    if (patch.lastNotifiedFiring !== undefined) set('last_notified_firing', json(patch.lastNotifiedFiring));
    if (patch.notifyCount !== undefined) set('notify_count', patch.notifyCount);
    if (sets.length === 0) return;
    await this.changing(() =>
      this.db.write(`UPDATE alert_groups SET ${sets.join(', ')} WHERE id = $1`, params),
    );
  }

  // ------------------------------------------------------------------ alerts

  async listAlerts(query: AlertQuery): Promise<Alert[]> {
    const conditions = ['project_id = $1'];
    const params: DuckDBValue[] = [query.projectId];
    const param = (value: DuckDBValue) => {
      params.push(value);
      return `$${params.length}`;
    };
    if (query.modelId !== undefined) conditions.push(`model_id = ${param(query.modelId)}`);
    if (query.state !== undefined) conditions.push(`state = ${param(query.state)}`);
    if (query.severity !== undefined) conditions.push(`severity = ${param(query.severity)}`);
    if (query.beforeId !== undefined) conditions.push(`id < ${param(query.beforeId)}`);
    const rows = await this.db.read(
      `SELECT * FROM alerts WHERE ${conditions.join(' AND ')} ORDER BY id DESC LIMIT ${Math.trunc(query.limit)}`,
      params,
    );
    return rows.map(alertFromRow);
  }

  async getAlert(id: number): Promise<Alert | null> {
    const [row] = await this.db.read('SELECT * FROM alerts WHERE id = $1', [id]);
    return row ? alertFromRow(row) : null;
  }

  async acknowledge(id: number, by: string, nowMs: number): Promise<Alert | null> {
    const [row] = await this.writing(() =>
      this.db.write(
        'UPDATE alerts SET acknowledged_ms = $2, acknowledged_by = $3, updated_ms = $2 WHERE id = $1 RETURNING *',
        [id, nowMs, by],
      ),
    );
    return row ? alertFromRow(row) : null;
  }

  async addComment(input: {
    alertId: number;
    author: string;
    body: string;
    nowMs: number;
  }): Promise<AlertComment> {
    const [row] = await this.db.write(
      `INSERT INTO alert_comments (id, alert_id, author, body, created_ms)
       VALUES (nextval('seq_alert_comments'), $1, $2, $3, $4) RETURNING *`,
      [input.alertId, input.author, input.body, input.nowMs],
    );
    return commentFromRow(row!);
  }

  async listComments(alertId: number): Promise<AlertComment[]> {
    return (
      await this.db.read('SELECT * FROM alert_comments WHERE alert_id = $1 ORDER BY id', [alertId])
    ).map(commentFromRow);
  }

  // ------------------------------------------------------------------ silences

  async createSilence(input: NewSilence): Promise<Silence> {
    const [row] = await this.changing(() =>
      this.db.write(
        `INSERT INTO silences (id, project_id, matchers, starts_ms, ends_ms, comment, created_by, created_ms, updated_ms)
       VALUES (nextval('seq_silences'), $1, $2, $3, $4, $5, $6, $7, $7) RETURNING *`,
        [
          input.projectId,
          json(input.matchers),
          input.startsAtMs,
          input.endsAtMs,
          input.comment,
          input.createdBy,
          input.nowMs,
        ],
      ),
    );
    return silenceFromRow(row!);
  }

  async getSilence(id: number): Promise<Silence | null> {
    const [row] = await this.db.read('SELECT * FROM silences WHERE id = $1', [id]);
    return row ? silenceFromRow(row) : null;
  }

  async listSilences(projectId: number, options: { activeAtMs?: number } = {}): Promise<Silence[]> {
    const active = options.activeAtMs !== undefined ? ' AND starts_ms <= $2 AND ends_ms > $2' : '';
    const params: DuckDBValue[] = [projectId];
    if (options.activeAtMs !== undefined) params.push(options.activeAtMs);
    const rows = await this.db.read(
      `SELECT * FROM silences WHERE project_id = $1${active} ORDER BY id DESC`,
      params,
    );
    return rows.map(silenceFromRow);
  }

  async expireSilence(id: number, nowMs: number): Promise<Silence | null> {
    const [row] = await this.changing(() =>
      this.db.write(
        `UPDATE silences SET ends_ms = least(ends_ms, $2), starts_ms = least(starts_ms, $2), updated_ms = $2
       WHERE id = $1 RETURNING *`,
        [id, nowMs],
      ),
    );
    return row ? silenceFromRow(row) : null;
  }

  async activeSilences(nowMs: number): Promise<Silence[]> {
    // The silences not ended at the time of a read hold those active at any later time.
    const { unended } = await this.remember(
      'silences',
      async () => {
        const rows = await this.db.read('SELECT * FROM silences WHERE ends_ms > $1 ORDER BY id', [nowMs]);
        return { atMs: nowMs, unended: rows.map(silenceFromRow) };
      },
      (kept) => nowMs >= kept.atMs,
    );
    return unended.filter((s) => s.startsAtMs <= nowMs && s.endsAtMs > nowMs);
  }
}

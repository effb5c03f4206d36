/**
 * Storage of alerting: rules, the engine's cursor and per-series state, alerts (one row per
 * episode of a fingerprint), notification groups, silences and comments. Times are epoch
 * milliseconds from the caller's clock, so the engine's injected clock is the only clock.
 */
import type {
  Alert,
  AlertComment,
  AlertRuleSpec,
  AlertState,
  LabelMatcher,
  Severity,
  Silence,
} from '../domain/index.js';

export interface AlertRuleRow {
  id: number;
  modelId: number;
  name: string;
  spec: AlertRuleSpec;
  createdAtMs: number;
  updatedAtMs: number;
}

/** What one window of one series said, as the life cycle remembers it. */
export interface SeriesWindow {
  startMicros: number;
  endMicros: number;
  seq: number;
  value: number | null;
  lower: number | null;
  upper: number | null;
  /** `no_data`: insufficient data or an error; it neither breaches nor heals. */
  outcome: 'breach' | 'ok' | 'no_data';
}

/** Evaluation state of one rule on one result series (identified by the alert fingerprint). */
export interface SeriesState {
  fingerprint: string;
  modelId: number;
  ruleId: number | null;
  /** The most recent windows, oldest first (bounded). */
  windows: SeriesWindow[];
  /** Serialised change-detector state (`change_detector` rules). */
  detector: unknown;
  /** Newest window start fed to the detector; older windows are not fed again. */
  lastFedMicros: number | null;
}

export type NewAlert = Omit<Alert, 'id' | 'acknowledgedAtMs' | 'acknowledgedBy'>;

/** One notification group per (kind, channel, group labels). */
export interface AlertGroup {
  id: string;
  projectId: number;
  kind: 'alert' | 'retrain';
  channel: string;
  groupKey: string;
  groupLabels: Record<string, string>;
  waitMs: number;
  intervalMs: number;
  repeatMs: number;
  /** When the group got notifiable alerts while nothing was notified (group_wait runs from here). */
  pendingSinceMs: number | null;
  lastNotifiedAtMs: number | null;
  /** Fingerprints notified as firing by the last notification. */
  lastNotifiedFiring: string[];
  /** Notifications sent so far; the next dedup key is derived from it. */
  notifyCount: number;
}

export type GroupDefinition = Pick<
  AlertGroup,
  'id' | 'projectId' | 'kind' | 'channel' | 'groupKey' | 'groupLabels' | 'waitMs' | 'intervalMs' | 'repeatMs'
>;

/** Everything one batch of results changes, written in one transaction with the cursor. */
export interface EvaluationBatch {
  cursor: number;
  series: SeriesState[];
  insertAlerts: NewAlert[];
  updateAlerts: Alert[];
  /** Pending alerts that healed before firing: never notified, so simply dropped. */
  deleteAlerts: number[];
  /** Created when missing; timings and labels updated otherwise. */
  groups: GroupDefinition[];
}

export interface AlertQuery {
  projectId: number;
  modelId?: number;
  state?: AlertState;
  severity?: Severity;
  limit: number;
  /** Newest first; resume below this id. */
  beforeId?: number;
}

export interface NewSilence {
  projectId: number;
  matchers: LabelMatcher[];
  startsAtMs: number;
  endsAtMs: number;
  comment: string;
  createdBy: string;
  nowMs: number;
}

export interface AlertRepository {
  // Rules. Creating, editing or deleting a rule closes the alerts it replaces (see docs/alerting.md).
  /** Throws `AlertRuleNameTakenError` when the model already has a rule of that name. */
  createRule(input: {
    modelId: number;
    name: string;
    spec: AlertRuleSpec;
    nowMs: number;
  }): Promise<AlertRuleRow>;
  getRule(modelId: number, name: string): Promise<AlertRuleRow | null>;
  listRules(modelId: number): Promise<AlertRuleRow[]>;
  /** The rules of several models at once (what the engine needs per batch). */
  rulesOfModels(modelIds: number[]): Promise<AlertRuleRow[]>;
  updateRule(
    id: number,
    patch: { name?: string; spec?: AlertRuleSpec },
    nowMs: number,
  ): Promise<AlertRuleRow | null>;
  deleteRule(id: number, nowMs: number): Promise<boolean>;

  // The engine
  cursor(): Promise<number>;
  seriesStates(fingerprints: string[]): Promise<SeriesState[]>;
  /** Pending and firing alerts with these fingerprints. */
  openAlerts(fingerprints: string[]): Promise<Alert[]>;
  applyEvaluation(batch: EvaluationBatch): Promise<void>;
  firingAlerts(): Promise<Alert[]>;
  /** The newest episode of each fingerprint that has fired (firing or resolved). */
  latestAlerts(fingerprints: string[]): Promise<Alert[]>;
  /** The groups with these ids, and every group with something notified or waiting. */
  groupsToCheck(ids: string[]): Promise<AlertGroup[]>;
  updateGroup(
    id: string,
    patch: Partial<
      Pick<AlertGroup, 'pendingSinceMs' | 'lastNotifiedAtMs' | 'lastNotifiedFiring' | 'notifyCount'>
    >,
  ): Promise<void>;

  // Alerts as people see them
  listAlerts(query: AlertQuery): Promise<Alert[]>;
  getAlert(id: number): Promise<Alert | null>;
  acknowledge(id: number, by: string, nowMs: number): Promise<Alert | null>;
  addComment(input: { alertId: number; author: string; body: string; nowMs: number }): Promise<AlertComment>;
  listComments(alertId: number): Promise<AlertComment[]>;

  // Silences
  createSilence(input: NewSilence): Promise<Silence>;
  getSilence(id: number): Promise<Silence | null>;
  /** A project's silences, newest first; `activeAtMs` keeps those in force at that time. */
  listSilences(projectId: number, options?: { activeAtMs?: number }): Promise<Silence[]>;
  /** Ends a silence now (no-op when it has already ended). */
  expireSilence(id: number, nowMs: number): Promise<Silence | null>;
  /** Silences of every project in force at `nowMs`. */
  activeSilences(nowMs: number): Promise<Silence[]>;
}

export class AlertRuleNameTakenError extends Error {
  constructor(readonly ruleName: string) {
    super(`An alert rule named "${ruleName}" already exists for this model.`);
  }
}

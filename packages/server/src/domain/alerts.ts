/**
 * Alerts and their notifications, shaped as Prometheus Alertmanager shapes them: an alert is
 * identified by its labels, described by its annotations, and notified in groups.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const ALERT_STATES = ['pending', 'firing', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];

/** One alert as a notification carries it. */
export interface NotifiedAlert {
  /** Stable hash of the labels: the alert's identity. */
  fingerprint: string;
  state: 'firing' | 'resolved';
  /** `model`, `version`, `segment`, `monitor`, `feature`, `severity`, `metric`, `rule` (absent ones omitted). */
  labels: Record<string, string>;
  /** `summary`, `description`, `value`, `threshold`, `dashboard_url`, `runbook_url` (absent ones omitted). */
  annotations: Record<string, string>;
  startsAt: string;
  /** Set once resolved. */
  endsAt: string | null;
}

/**
 * What a channel is asked to deliver: one group of alerts that share the group labels
 * (one notification for 30 drifting features of one model, not 30), or a retraining trigger.
 */
export interface AlertNotification {
  kind: 'alert' | 'retrain';
  /** Identifies the group across notifications (e.g. `{model="fraud",monitor="feature_drift"}`). */
  groupKey: string;
  /** `firing` while any alert of the group fires; `resolved` when all have resolved. */
  status: 'firing' | 'resolved';
  groupLabels: Record<string, string>;
  commonLabels: Record<string, string>;
  commonAnnotations: Record<string, string>;
  alerts: NotifiedAlert[];
  /** Base URL of the Vigil server, for links. */
  externalUrl: string;
  /** For `retrain`: which monitors, features and windows, their values, and links to fetch the data. */
  evidence?: Record<string, unknown>;
}

/** A label matcher, as Alertmanager writes them: `=`, `!=`, `=~`, `!~` (regexes anchored). */
export const MATCHER_OPS = ['=', '!=', '=~', '!~'] as const;
export type MatcherOp = (typeof MATCHER_OPS)[number];
export interface LabelMatcher {
  label: string;
  op: MatcherOp;
  value: string;
}

export const ALERT_RULE_TYPES = ['static', 'reference_band', 'change_detector'] as const;
export type AlertRuleType = (typeof ALERT_RULE_TYPES)[number];

export const CHANGE_DETECTORS = ['page_hinkley', 'cusum', 'adwin'] as const;
export type ChangeDetectorMethod = (typeof CHANGE_DETECTORS)[number];

/**
 * An alert rule as users write it (JSON, snake_case as in the API). Which result series it
 * watches (`match`, over the labels `model`, `version`, `segment`, `monitor`, `kind`, `feature`,
 * `metric`), when a window breaches (`type`), how many windows make it fire (`for_windows`), and
 * whom to tell.
 */
export interface AlertRuleSpec {
  type: AlertRuleType;
  enabled: boolean;
  severity: Severity;
  match: LabelMatcher[];
  /**
   * `static` without `threshold`: the window breaches when the result's status is one of these
   * (default `['alert']`: the monitor's own thresholds decide).
   */
  on_status?: ('ok' | 'warning' | 'alert')[] | undefined;
  /** `static`: the value breaches outside [lower, upper] (either may be absent). */
  threshold?: { lower?: number | null; upper?: number | null } | undefined;
  /** `reference_band`: rescale the calibrated band to this many standard deviations. */
  k?: number | undefined;
  /** `change_detector`: which detector and its parameters (see `@vigil/stats` detectors). */
  detector?: { method: ChangeDetectorMethod; params?: Record<string, number | string> } | undefined;
  /** Fire once `breaches` of the last `of` windows with data breach. */
  for_windows: { breaches: number; of: number };
  labels: Record<string, string>;
  /** Templates: `{{feature}}`, `{{value}}`, `{{threshold_upper}}`, … (see docs/alerting.md). */
  annotations: {
    summary?: string | undefined;
    description?: string | undefined;
    runbook_url?: string | undefined;
  };
  /** Channel names to notify; empty means none (the alerts are still listed). */
  channels: string[];
  /** Channel that receives a retraining trigger (with evidence) when the rule's alerts fire. */
  retrain_channel?: string | null | undefined;
  group_by: string[];
  group_wait_seconds: number;
  group_interval_seconds: number;
  repeat_interval_seconds: number;
}

/** A stored alert: one episode of one fingerprint, from pending to resolved. */
export interface Alert {
  id: number;
  fingerprint: string;
  projectId: number;
  modelId: number;
  /** Null for the built-in default rules. */
  ruleId: number | null;
  ruleName: string;
  state: AlertState;
  labels: Record<string, string>;
  annotations: Record<string, string>;
  value: number | null;
  thresholdLower: number | null;
  thresholdUpper: number | null;
  windowStartMicros: number;
  windowEndMicros: number;
  activeAtMs: number;
  firedAtMs: number | null;
  resolvedAtMs: number | null;
  updatedAtMs: number;
  acknowledgedAtMs: number | null;
  acknowledgedBy: string | null;
  /** Notification groups (one per channel) the alert belongs to. */
  groupIds: string[];
}

export interface AlertComment {
  id: number;
  alertId: number;
  author: string;
  body: string;
  createdAtMs: number;
}

export interface Silence {
  id: number;
  projectId: number;
  matchers: LabelMatcher[];
  startsAtMs: number;
  endsAtMs: number;
  comment: string;
  createdBy: string;
  createdAtMs: number;
  updatedAtMs: number;
}

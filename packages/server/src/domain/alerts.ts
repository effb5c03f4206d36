/**
 * Alerts and their notifications, shaped as Prometheus Alertmanager shapes them: an alert is
 * identified by its labels, described by its annotations, and notified in groups.
 */

export const SEVERITIES = ['info', 'warning', 'critical'] as const;
export type Severity = (typeof SEVERITIES)[number];

export type AlertState = 'pending' | 'firing' | 'resolved';

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

/** Wording shared by the human-readable channels (Slack, e-mail, PagerDuty summaries). */
import type { AlertNotification, NotifiedAlert } from '../domain/index.js';

export function firingCount(notification: AlertNotification): number {
  return notification.alerts.filter((a) => a.state === 'firing').length;
}

/** E.g. `[FIRING:3] fraud · feature_drift`, as Alertmanager titles its notifications. */
export function title(notification: AlertNotification): string {
  const status = notification.status === 'firing' ? `FIRING:${firingCount(notification)}` : 'RESOLVED';
  const prefix = notification.kind === 'retrain' ? 'RETRAIN ' : '';
  const labels = Object.values(notification.groupLabels).filter(Boolean);
  return `[${prefix}${status}] ${labels.length ? labels.join(' · ') : notification.groupKey}`;
}

export function model(notification: AlertNotification): string | undefined {
  return (
    notification.commonLabels.model ?? notification.groupLabels.model ?? notification.alerts[0]?.labels.model
  );
}

/** The page to open: the group's dashboard link, else the first alert's, else the server. */
export function dashboardUrl(notification: AlertNotification): string | undefined {
  const url =
    notification.commonAnnotations.dashboard_url ??
    notification.alerts.find((a) => a.annotations.dashboard_url)?.annotations.dashboard_url ??
    notification.externalUrl;
  return url && /^https?:\/\//.test(url) ? url : undefined;
}

/** What the alert is about: feature, metric or monitor, whichever is most specific. */
export function subject(alert: NotifiedAlert): string {
  const { feature, metric, monitor } = alert.labels;
  return (
    [feature, metric ?? (feature ? undefined : monitor)].filter(Boolean).join(' / ') || alert.fingerprint
  );
}

/** One line per alert: `amount (warning): 0.31 vs threshold 0.1 — firing`. */
export function alertLine(alert: NotifiedAlert): string {
  const { value, threshold, summary } = alert.annotations;
  const severity = alert.labels.severity ? ` (${alert.labels.severity})` : '';
  const numbers =
    value !== undefined
      ? `${value}${threshold !== undefined ? ` vs threshold ${threshold}` : ''}`
      : (summary ?? '');
  return `${subject(alert)}${severity}: ${numbers}${numbers ? ' — ' : ''}${alert.state}`;
}

export const MAX_LISTED_ALERTS = 20;

/** The alert lines, firing first, at most `MAX_LISTED_ALERTS` plus a count of the rest. */
export function alertLines(notification: AlertNotification): string[] {
  const ordered = [...notification.alerts].sort(
    (a, b) => Number(a.state !== 'firing') - Number(b.state !== 'firing'),
  );
  const lines = ordered.slice(0, MAX_LISTED_ALERTS).map(alertLine);
  if (ordered.length > MAX_LISTED_ALERTS) lines.push(`… and ${ordered.length - MAX_LISTED_ALERTS} more`);
  return lines;
}

export function summary(notification: AlertNotification): string {
  return notification.commonAnnotations.summary ?? title(notification);
}

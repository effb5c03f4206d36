/**
 * When a notification group speaks, as Alertmanager decides it: a fresh group waits
 * `group_wait` so alerts that start together arrive together; a change to a notified group
 * waits `group_interval`; an unchanged firing group repeats after `repeat_interval` (unless every
 * alert in it is acknowledged). Muted alerts (silenced, inhibited) are left out; an alert that
 * resolves is reported once as resolved to the groups that were told it fired.
 */
import type { Alert, AlertNotification, NotifiedAlert } from '../domain/index.js';
import type { AlertGroup } from '../storage/alerts.js';

export interface GroupDecision {
  /** What to send now, if anything. */
  send: { firing: Alert[]; resolved: Alert[] } | null;
  /** Bookkeeping to store (after sending, when `send` is set). */
  patch: Partial<
    Pick<AlertGroup, 'pendingSinceMs' | 'lastNotifiedAtMs' | 'lastNotifiedFiring' | 'notifyCount'>
  > | null;
}

const sameSet = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((x) => b.includes(x));

/**
 * `notifiable`: the group's firing alerts that are not muted; `resolved`: alerts the group last
 * notified as firing that have resolved since.
 */
export function decideGroup(
  group: AlertGroup,
  notifiable: Alert[],
  resolved: Alert[],
  nowMs: number,
): GroupDecision {
  const fps = notifiable.map((a) => a.fingerprint).sort();
  const fresh = group.lastNotifiedFiring.length === 0;
  const sent = (firing: Alert[], res: Alert[]): GroupDecision => ({
    send: { firing, resolved: res },
    patch: {
      lastNotifiedAtMs: nowMs,
      lastNotifiedFiring: fps,
      notifyCount: group.notifyCount + 1,
      pendingSinceMs: null,
    },
  });

  if (group.kind === 'retrain') {
    // A retraining trigger fires once per new firing alert; resolutions and repeats are not sent.
    const added = fps.filter((fp) => !group.lastNotifiedFiring.includes(fp));
    if (added.length === 0) {
      const shrunk = !sameSet(fps, group.lastNotifiedFiring);
      return {
        send: null,
        patch:
          shrunk || group.pendingSinceMs !== null ? { lastNotifiedFiring: fps, pendingSinceMs: null } : null,
      };
    }
    if (group.pendingSinceMs === null && group.waitMs > 0)
      return { send: null, patch: { pendingSinceMs: nowMs } };
    const due = Math.max(
      (group.pendingSinceMs ?? nowMs) + group.waitMs,
      fresh ? 0 : (group.lastNotifiedAtMs ?? 0) + group.intervalMs,
    );
    return nowMs >= due ? sent(notifiable, []) : { send: null, patch: null };
  }

  if (notifiable.length === 0 && resolved.length === 0) {
    // Nothing to say (everything muted, or nothing firing): keep what was notified.
    return { send: null, patch: group.pendingSinceMs !== null ? { pendingSinceMs: null } : null };
  }
  if (fresh) {
    if (group.pendingSinceMs === null) {
      return group.waitMs <= 0
        ? sent(notifiable, resolved)
        : { send: null, patch: { pendingSinceMs: nowMs } };
    }
    return nowMs >= group.pendingSinceMs + group.waitMs
      ? sent(notifiable, resolved)
      : { send: null, patch: null };
  }
  const last = group.lastNotifiedAtMs ?? 0;
  const changed = resolved.length > 0 || !sameSet(fps, group.lastNotifiedFiring);
  if (changed)
    return nowMs >= last + group.intervalMs ? sent(notifiable, resolved) : { send: null, patch: null };
  if (notifiable.every((a) => a.acknowledgedAtMs !== null)) return { send: null, patch: null };
  return nowMs >= last + group.repeatMs ? sent(notifiable, resolved) : { send: null, patch: null };
}

function notified(alert: Alert, state: 'firing' | 'resolved'): NotifiedAlert {
  return {
    fingerprint: alert.fingerprint,
    state,
    labels: alert.labels,
    annotations: alert.annotations,
    startsAt: new Date(alert.firedAtMs ?? alert.activeAtMs).toISOString(),
    endsAt:
      state === 'resolved' && alert.resolvedAtMs !== null ? new Date(alert.resolvedAtMs).toISOString() : null,
  };
}

function common(maps: Record<string, string>[]): Record<string, string> {
  if (maps.length === 0) return {};
  const [first, ...rest] = maps;
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(first!)) if (rest.every((m) => m[k] === v)) out[k] = v;
  return out;
}

export function buildNotification(
  group: AlertGroup,
  firing: Alert[],
  resolved: Alert[],
  externalUrl: string,
  evidence?: Record<string, unknown>,
): AlertNotification {
  const alerts = [
    ...firing.map((a) => notified(a, 'firing')),
    ...resolved.map((a) => notified(a, 'resolved')),
  ];
  return {
    kind: group.kind,
    groupKey: group.groupKey,
    status: firing.length > 0 ? 'firing' : 'resolved',
    groupLabels: group.groupLabels,
    commonLabels: common(alerts.map((a) => a.labels)),
    commonAnnotations: common(alerts.map((a) => a.annotations)),
    alerts,
    externalUrl,
    ...(evidence ? { evidence } : {}),
  };
}

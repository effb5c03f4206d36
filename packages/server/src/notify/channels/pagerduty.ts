/** PagerDuty Events API v2: trigger while the group fires, resolve when it has resolved. */
import { createHash } from 'node:crypto';
import type { AlertNotification, PagerDutyChannelConfig } from '../../domain/index.js';
import { alertLines, dashboardUrl, summary } from '../format.js';
import { type ChannelDriver, mask } from './driver.js';

export const PAGERDUTY_EVENTS_URL = 'https://events.pagerduty.com/v2/enqueue';

/** One incident per alert group: the same group key always maps to the same dedup key. */
export function pagerDutyDedupKey(groupKey: string): string {
  return createHash('sha256').update(groupKey).digest('hex');
}

const SEVERITY_RANK = { info: 0, warning: 1, error: 2, critical: 3 } as const;

/** The worst severity among the alerts; `warning` when none says. */
function severity(notification: AlertNotification): keyof typeof SEVERITY_RANK {
  let worst: keyof typeof SEVERITY_RANK | undefined;
  for (const alert of notification.alerts) {
    const s = alert.labels.severity;
    if (s && s in SEVERITY_RANK) {
      const rank = SEVERITY_RANK[s as keyof typeof SEVERITY_RANK];
      if (worst === undefined || rank > SEVERITY_RANK[worst]) worst = s as keyof typeof SEVERITY_RANK;
    }
  }
  return worst ?? 'warning';
}

export const pagerDutyDriver: ChannelDriver = {
  render({ channel, notification }) {
    const config = channel.config as unknown as PagerDutyChannelConfig;
    const link = dashboardUrl(notification);
    const event = {
      routing_key: config.routing_key,
      event_action: notification.status === 'firing' ? 'trigger' : 'resolve',
      dedup_key: pagerDutyDedupKey(notification.groupKey),
      payload: {
        summary: summary(notification).slice(0, 1024),
        severity: severity(notification),
        source: config.source ?? (notification.externalUrl || 'vigil'),
        component: notification.commonLabels.model,
        group: notification.commonLabels.monitor,
        class: notification.kind,
        custom_details: {
          alerts: alertLines(notification),
          group_labels: notification.groupLabels,
          common_labels: notification.commonLabels,
          ...(notification.evidence ? { evidence: notification.evidence } : {}),
        },
      },
      client: 'Vigil',
      ...(link ? { client_url: link, links: [{ href: link, text: 'Open in Vigil' }] } : {}),
    };
    return {
      kind: 'http',
      url: config.url ?? PAGERDUTY_EVENTS_URL,
      headers: { 'content-type': 'application/json', 'user-agent': 'Vigil/1' },
      body: JSON.stringify(event),
    };
  },
  redact(config) {
    return { ...config, routing_key: mask(config.routing_key) };
  },
};

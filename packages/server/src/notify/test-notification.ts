import type { AlertNotification, Channel } from '../domain/index.js';

/** What "send a test notification" sends: a firing group of one alert, clearly marked as a test. */
export function testNotification(channel: Channel, externalUrl: string, nowMs: number): AlertNotification {
  const labels = { alertname: 'VigilTest', channel: channel.name, severity: 'info' };
  const startsAt = new Date(nowMs).toISOString();
  const summary = `Test notification from Vigil to channel "${channel.name}"`;
  return {
    kind: channel.type === 'retrain_webhook' ? 'retrain' : 'alert',
    groupKey: `{alertname="VigilTest",channel="${channel.name}"}`,
    status: 'firing',
    groupLabels: { alertname: 'VigilTest' },
    commonLabels: labels,
    commonAnnotations: { summary },
    alerts: [
      {
        fingerprint: 'test',
        state: 'firing',
        labels,
        annotations: { summary: 'If you can read this, the channel works.' },
        startsAt,
        endsAt: null,
      },
    ],
    externalUrl,
    ...(channel.type === 'retrain_webhook' ? { evidence: { test: true } } : {}),
  };
}

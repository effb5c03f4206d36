import type { AlertNotification } from '../domain/index.js';

/** A grouped drift notification of three features of the `fraud` model. */
export function driftNotification(status: 'firing' | 'resolved' = 'firing'): AlertNotification {
  const alert = (feature: string, value: string, severity: string) => ({
    fingerprint: `fp-${feature}`,
    state: status,
    labels: { model: 'fraud', monitor: 'feature_drift', feature, severity, metric: 'jensen_shannon' },
    annotations: {
      summary: `Drift on ${feature}`,
      value,
      threshold: '0.1',
      dashboard_url: `http://vigil.local/models/fraud?feature=${feature}`,
    },
    startsAt: '2026-01-05T10:00:00.000Z',
    endsAt: status === 'resolved' ? '2026-01-05T12:00:00.000Z' : null,
  });
  return {
    kind: 'alert',
    groupKey: '{model="fraud",monitor="feature_drift"}',
    status,
    groupLabels: { model: 'fraud', monitor: 'feature_drift' },
    commonLabels: { model: 'fraud', monitor: 'feature_drift', metric: 'jensen_shannon' },
    commonAnnotations: {
      summary: 'Feature drift on 3 features of fraud',
      dashboard_url: 'http://vigil.local/models/fraud',
    },
    alerts: [
      alert('amount', '0.31', 'warning'),
      alert('country', '0.22', 'critical'),
      alert('age', '0.12', 'warning'),
    ],
    externalUrl: 'http://vigil.local',
  };
}

/**
 * Generic webhook: the notification as versioned JSON, signed as Stripe and Slack sign
 * theirs: `X-Vigil-Signature: v1=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
 */
import { createHmac } from 'node:crypto';
import type { AlertNotification, WebhookChannelConfig } from '../../domain/index.js';
import { model, summary } from '../format.js';
import { type ChannelDriver, mask, maskUrl, type Outgoing, type RenderInput } from './driver.js';

export const PAYLOAD_VERSION = '1';

/** The signature of `body` sent at `timestamp` (Unix seconds). */
export function sign(secret: string, timestamp: string, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

function signedPost(config: WebhookChannelConfig, input: RenderInput, payload: unknown): Outgoing {
  const body = JSON.stringify(payload);
  const timestamp = String(Math.floor(input.nowMs / 1000));
  return {
    kind: 'http',
    url: config.url,
    headers: {
      ...config.headers,
      'content-type': 'application/json',
      'user-agent': 'Vigil-Webhook/1',
      'x-vigil-delivery-id': input.deliveryId,
      'x-vigil-timestamp': timestamp,
      'x-vigil-signature': sign(config.secret, timestamp, body),
    },
    body,
  };
}

function redact(config: Record<string, unknown>): Record<string, unknown> {
  const headers = config.headers as Record<string, string> | undefined;
  return {
    ...config,
    url: maskUrl(config.url),
    secret: mask(config.secret),
    ...(headers ? { headers: Object.fromEntries(Object.keys(headers).map((name) => [name, '****'])) } : {}),
  };
}

export const webhookDriver: ChannelDriver = {
  render(input) {
    return signedPost(input.channel.config as unknown as WebhookChannelConfig, input, {
      version: PAYLOAD_VERSION,
      ...input.notification,
    });
  },
  redact,
};

/** The body of a retraining trigger: which model, why, and the evidence to act on. */
export function retrainBody(notification: AlertNotification) {
  return {
    version: PAYLOAD_VERSION,
    kind: 'retrain' as const,
    model: model(notification) ?? null,
    reason: summary(notification),
    groupKey: notification.groupKey,
    status: notification.status,
    labels: notification.commonLabels,
    evidence: notification.evidence ?? {
      alerts: notification.alerts.map((a) => ({
        labels: a.labels,
        annotations: a.annotations,
        startsAt: a.startsAt,
      })),
    },
    alerts: notification.alerts,
    externalUrl: notification.externalUrl,
  };
}

/** A webhook whose body is the retraining trigger (a CI/CD job, an Airflow or Kubeflow endpoint). */
export const retrainWebhookDriver: ChannelDriver = {
  render(input) {
    return signedPost(
      input.channel.config as unknown as WebhookChannelConfig,
      input,
      retrainBody(input.notification),
    );
  },
  redact,
};

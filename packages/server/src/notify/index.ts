/**
 * Notification channels and the persistent outbox. The alerting engine hands a notification to
 * `NotificationService.enqueue(channelId, notification, dedupKey)`; the service stores it once
 * per (channel, dedup key) and delivers it in the background with retries.
 */
export { retryDelay } from './backoff.js';
export {
  emailBodies,
  PAGERDUTY_EVENTS_URL,
  PAYLOAD_VERSION,
  pagerDutyDedupKey,
  retrainBody,
  sign,
} from './channels/index.js';
export { hasSigningSecret, newWebhookSecret, redactedConfig } from './secrets.js';
export {
  type Clock,
  NotificationService,
  type NotificationServiceOptions,
  type NotifyLogger,
  systemClock,
} from './service.js';

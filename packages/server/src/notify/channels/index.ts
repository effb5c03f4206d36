/** One driver per channel type: adding a channel type means adding a driver here. */
import type { ChannelType } from '../../domain/index.js';
import type { ChannelDriver } from './driver.js';
import { emailDriver } from './email.js';
import { pagerDutyDriver } from './pagerduty.js';
import { slackDriver } from './slack.js';
import { retrainWebhookDriver, webhookDriver } from './webhook.js';

export const DRIVERS: Record<ChannelType, ChannelDriver> = {
  webhook: webhookDriver,
  slack: slackDriver,
  email: emailDriver,
  pagerduty: pagerDutyDriver,
  retrain_webhook: retrainWebhookDriver,
};

export type { ChannelDriver, Outgoing, RenderInput } from './driver.js';
export { emailBodies } from './email.js';
export { PAGERDUTY_EVENTS_URL, pagerDutyDedupKey } from './pagerduty.js';
export { PAYLOAD_VERSION, retrainBody, sign } from './webhook.js';

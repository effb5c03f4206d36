/**
 * Notification channels and their deliveries: where notifications go, and the outbox
 * record of each attempt to send one.
 */

export const CHANNEL_TYPES = ['webhook', 'slack', 'email', 'pagerduty', 'retrain_webhook'] as const;
export type ChannelType = (typeof CHANNEL_TYPES)[number];

/** `webhook` and `retrain_webhook`: a signed JSON POST. */
export interface WebhookChannelConfig {
  url: string;
  /** HMAC-SHA256 key of `X-Vigil-Signature`; generated at creation. */
  secret: string;
  /** Extra request headers, e.g. an `Authorization` the receiver expects. */
  headers?: Record<string, string>;
}

/** A Slack incoming-webhook URL. */
export interface SlackChannelConfig {
  url: string;
}

/** E-mail over SMTP. */
export interface EmailChannelConfig {
  host: string;
  port: number;
  /** TLS from the first byte (usually port 465). */
  secure: boolean;
  /** Upgrade a plain connection with STARTTLS: when offered, always (refuse otherwise), or never. */
  starttls: 'opportunistic' | 'required' | 'disabled';
  username?: string;
  password?: string;
  from: string;
  to: string[];
}

/** PagerDuty Events API v2. */
export interface PagerDutyChannelConfig {
  routing_key: string;
  /** Events endpoint; https://events.pagerduty.com/v2/enqueue by default. */
  url: string;
  /** `payload.source`; the server's URL by default. */
  source?: string;
}

export type ChannelConfig =
  | WebhookChannelConfig
  | SlackChannelConfig
  | EmailChannelConfig
  | PagerDutyChannelConfig;

export interface Channel {
  id: number;
  projectId: number;
  name: string;
  type: ChannelType;
  /** The full configuration, secrets included: redact before showing it. */
  config: Record<string, unknown>;
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/**
 * `pending`: waiting for its next attempt; `sending`: claimed by a server under a lease;
 * `delivered`: the receiver accepted it; `dead`: given up (permanent error, too many attempts,
 * channel disabled or deleted).
 */
export const DELIVERY_STATUSES = ['pending', 'sending', 'delivered', 'dead'] as const;
export type DeliveryStatus = (typeof DELIVERY_STATUSES)[number];

export interface Delivery {
  id: number;
  /** Stable across retries: the `X-Vigil-Delivery-Id` receivers de-duplicate on. */
  uid: string;
  projectId: number;
  channelId: number;
  dedupKey: string;
  /** What to send: an `AlertNotification` (JSON). */
  payload: unknown;
  status: DeliveryStatus;
  /** Attempts started so far (a claim counts as one, so a crash mid-send is counted). */
  attempts: number;
  nextAttemptAt: Date;
  lastError: string | null;
  leaseOwner: string | null;
  leaseUntil: Date | null;
  createdAt: Date;
  updatedAt: Date;
  deliveredAt: Date | null;
}

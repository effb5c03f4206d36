import { z } from 'zod';
import { CHANNEL_TYPES, DELIVERY_STATUSES } from '../../domain/index.js';
import { PAGERDUTY_EVENTS_URL } from '../../notify/index.js';
import { Name } from './common.js';

const HttpUrl = z
  .string()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname !== '';
    } catch {
      return false;
    }
  }, 'must be an http(s) URL, e.g. https://hooks.example.com/vigil');

/** Headers Vigil sets itself cannot be overridden. */
const RESERVED_HEADERS = /^(content-type|content-length|host|x-vigil-.*)$/i;

const ExtraHeaders = z
  .record(
    z
      .string()
      .regex(/^[A-Za-z0-9!#$%&'*+.^_`|~-]+$/, 'must be an HTTP header name')
      .refine((name) => !RESERVED_HEADERS.test(name), 'is set by Vigil and cannot be overridden'),
    z
      .string()
      .max(8192)
      .regex(/^[^\r\n\0]*$/, 'must not contain line breaks'),
  )
  .describe('Extra request headers, e.g. an Authorization the receiver expects.');

export const WebhookConfig = z
  .object({
    url: HttpUrl,
    secret: z
      .string()
      .min(16)
      .max(256)
      .optional()
      .describe('Signing secret; generated when omitted, and shown once in the answer that creates it.'),
    headers: ExtraHeaders.optional(),
  })
  .strict();

export const SlackConfig = z
  .object({ url: HttpUrl.describe('The incoming-webhook URL Slack gave you.') })
  .strict();

export const EmailConfig = z
  .object({
    host: z.string().min(1).max(255),
    port: z.number().int().min(1).max(65535).default(587),
    secure: z.boolean().default(false).describe('TLS from the first byte (usually port 465).'),
    starttls: z
      .enum(['opportunistic', 'required', 'disabled'])
      .default('opportunistic')
      .describe('Upgrade a plain connection with STARTTLS when offered, always, or never.'),
    username: z.string().min(1).max(500).optional(),
    password: z.string().max(500).optional(),
    from: z.string().min(3).max(500).describe('Sender, e.g. "Vigil <vigil@example.com>".'),
    to: z.array(z.email()).min(1).max(100),
  })
  .strict();

export const PagerDutyConfig = z
  .object({
    routing_key: z
      .string()
      .min(1)
      .max(200)
      .describe('Integration key of a PagerDuty service (Events API v2).'),
    url: HttpUrl.default(PAGERDUTY_EVENTS_URL),
    source: z.string().min(1).max(255).optional(),
  })
  .strict();

/** Each channel type's configuration schema, also used to check a PATCH merged into the stored one. */
export const CHANNEL_CONFIGS = {
  webhook: WebhookConfig,
  slack: SlackConfig,
  email: EmailConfig,
  pagerduty: PagerDutyConfig,
  retrain_webhook: WebhookConfig,
} as const;

export const ChannelName = Name.refine(
  (name) => !/^\d+$/.test(name),
  'must contain a character that is not a digit (numbers address channels by id)',
);

const common = { name: ChannelName, enabled: z.boolean().default(true) };

export const CreateChannelBody = z
  .discriminatedUnion('type', [
    z.object({ ...common, type: z.literal('webhook'), config: WebhookConfig }),
    z.object({ ...common, type: z.literal('slack'), config: SlackConfig }),
    z.object({ ...common, type: z.literal('email'), config: EmailConfig }),
    z.object({ ...common, type: z.literal('pagerduty'), config: PagerDutyConfig }),
    z.object({ ...common, type: z.literal('retrain_webhook'), config: WebhookConfig }),
  ])
  .meta({ id: 'CreateChannel' });
export type CreateChannelBody = z.infer<typeof CreateChannelBody>;

export const UpdateChannelBody = z
  .object({
    name: ChannelName.optional(),
    enabled: z.boolean().optional(),
    config: z
      .record(z.string(), z.unknown())
      .optional()
      .describe('Settings to change, merged into the stored ones; `null` removes an optional setting.'),
    rotate_secret: z
      .boolean()
      .optional()
      .describe('Webhooks: replace the signing secret; the new one is shown once, in this answer.'),
  })
  .strict()
  .meta({ id: 'UpdateChannel' });
export type UpdateChannelBody = z.infer<typeof UpdateChannelBody>;

export const Channel = z
  .object({
    id: z.number().int(),
    name: z.string(),
    type: z.enum(CHANNEL_TYPES),
    config: z.record(z.string(), z.unknown()).describe('Settings, with secrets masked.'),
    enabled: z.boolean(),
    created_at: z.string(),
    updated_at: z.string(),
    secret: z
      .string()
      .optional()
      .describe('Webhooks: the signing secret, only in the answer that creates or rotates it.'),
  })
  .meta({ id: 'Channel' });

export const ChannelList = z.object({ data: z.array(Channel) });

export const ChannelParams = z.object({
  channel: z.string().min(1).describe('Channel name or numeric id.'),
});

export const DeliveryStatus = z.enum(DELIVERY_STATUSES);

export const Delivery = z
  .object({
    id: z.number().int(),
    delivery_id: z.string().describe('Sent as X-Vigil-Delivery-Id; the same on every retry.'),
    channel_id: z.number().int(),
    channel: z.string().nullable().describe('Channel name; null once the channel is deleted.'),
    dedup_key: z.string(),
    status: DeliveryStatus,
    attempts: z.number().int(),
    next_attempt_at: z.string().nullable().describe('When a pending delivery is tried next.'),
    last_error: z.string().nullable(),
    created_at: z.string(),
    updated_at: z.string(),
    delivered_at: z.string().nullable(),
  })
  .meta({ id: 'Delivery' });

export const DeliveryList = z.object({ data: z.array(Delivery), next_cursor: z.string().nullable() });

export const DeliveryQuery = z.object({
  channel: z.string().min(1).optional().describe('Channel name or numeric id.'),
  status: DeliveryStatus.optional(),
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().optional(),
});

export const TestResult = Delivery.extend({
  ok: z.boolean().describe('Whether the receiver accepted the test notification.'),
}).meta({ id: 'ChannelTestResult' });

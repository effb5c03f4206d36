import { randomBytes } from 'node:crypto';
import type { Channel } from '../domain/index.js';
import { DRIVERS } from './channels/index.js';

/** A new webhook signing secret: 256 random bits. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

export function hasSigningSecret(channel: Pick<Channel, 'type'>): boolean {
  return channel.type === 'webhook' || channel.type === 'retrain_webhook';
}

/** The channel's configuration as listings show it: secrets masked. */
export function redactedConfig(channel: Pick<Channel, 'type' | 'config'>): Record<string, unknown> {
  return DRIVERS[channel.type].redact(channel.config);
}

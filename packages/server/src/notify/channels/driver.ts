import type { AlertNotification, Channel } from '../../domain/index.js';

/** A request ready to go out: an HTTP POST, or an e-mail. */
export type Outgoing =
  | { kind: 'http'; url: string; headers: Record<string, string>; body: string }
  | { kind: 'email'; subject: string; text: string; html: string };

export interface RenderInput {
  channel: Channel;
  notification: AlertNotification;
  /** The delivery's stable id (`X-Vigil-Delivery-Id`). */
  deliveryId: string;
  /** Attempt time, epoch milliseconds (signature timestamps). */
  nowMs: number;
}

/** What one channel type knows: how to render a notification, and which settings are secret. */
export interface ChannelDriver {
  render(input: RenderInput): Outgoing;
  /** The configuration with secrets masked, for listings. */
  redact(config: Record<string, unknown>): Record<string, unknown>;
}

/** Keeps enough of a secret to tell two apart: its last 4 characters. */
export function mask(value: unknown): string {
  const text = typeof value === 'string' ? value : '';
  return text.length > 12 ? `****${text.slice(-4)}` : '****';
}

/** An URL whose path or query may carry a token: the origin stays visible. */
export function maskUrl(value: unknown): string {
  try {
    const url = new URL(String(value));
    return url.pathname === '/' && !url.search ? url.origin : `${url.origin}/****`;
  } catch {
    return '****';
  }
}

/**
 * What alerting needs from notification delivery. The outbox behind it stores each
 * (channel, dedup key) once, so re-enqueueing after a crash is a no-op.
 */
import type { AlertNotification } from '../domain/index.js';

export interface AlertNotifier {
  /**
   * Enqueues `notification` for the project's channel `channelName`. Resolves once it is stored
   * (or when the channel does not exist: that is logged, not retried); rejects only when it
   * could not be stored, and alerting then tries again at its next tick.
   */
  deliver(
    projectId: number,
    channelName: string,
    notification: AlertNotification,
    dedupKey: string,
  ): Promise<void>;
  /** The channels a model's default rules notify: every enabled alert channel of the project. */
  defaultChannels(projectId: number): Promise<string[]>;
}

export interface RecordedNotification {
  projectId: number;
  channel: string;
  dedupKey: string;
  notification: AlertNotification;
}

/** Keeps what it is asked to deliver, once per (channel, dedup key), as the outbox does. */
export class RecordingNotifier implements AlertNotifier {
  readonly sent: RecordedNotification[] = [];
  constructor(private readonly channels: string[] = []) {}

  async deliver(projectId: number, channel: string, notification: AlertNotification, dedupKey: string) {
    if (this.sent.some((s) => s.channel === channel && s.dedupKey === dedupKey)) return;
    this.sent.push({ projectId, channel, dedupKey, notification });
  }

  async defaultChannels(): Promise<string[]> {
    return this.channels;
  }
}

/** Delivers nothing: alerts are only listed (a server without channels). */
export const NO_NOTIFIER: AlertNotifier = {
  async deliver() {},
  async defaultChannels() {
    return [];
  },
};

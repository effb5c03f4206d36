/** Alert notifications through the persistent outbox of `notify/`, channels named per project. */
import type { AlertNotification } from '../domain/index.js';
import type { NotificationService } from '../notify/index.js';
import type { Store } from '../storage/types.js';
import type { EngineLogger } from './engine.js';
import type { AlertNotifier } from './notifier.js';

export class OutboxNotifier implements AlertNotifier {
  constructor(
    private readonly store: Store,
    private readonly notifications: NotificationService,
    private readonly log: EngineLogger,
  ) {}

  async deliver(projectId: number, channelName: string, notification: AlertNotification, dedupKey: string) {
    const channel = await this.store.channels.getByName(projectId, channelName);
    if (!channel) {
      this.log.warn(
        { channel: channelName, dedupKey },
        'alert rule names a channel that does not exist: not sent',
      );
      return;
    }
    await this.notifications.enqueue(channel.id, notification, dedupKey);
  }

  async defaultChannels(projectId: number): Promise<string[]> {
    return (await this.store.channels.list(projectId))
      .filter((c) => c.enabled && c.type !== 'retrain_webhook')
      .map((c) => c.name);
  }
}

/** Storage of notification channels (see `notify/`). */
import type { Channel, ChannelType } from '../domain/index.js';

export interface NewChannel {
  projectId: number;
  name: string;
  type: ChannelType;
  config: Record<string, unknown>;
  enabled: boolean;
}

export interface ChannelRepository {
  /** Throws `ChannelNameTakenError` when the project already has a channel of that name. */
  create(input: NewChannel): Promise<Channel>;
  get(id: number): Promise<Channel | null>;
  getByName(projectId: number, name: string): Promise<Channel | null>;
  list(projectId: number): Promise<Channel[]>;
  /** Throws `ChannelNameTakenError` on a rename to a taken name; null when there is no such channel. */
  update(id: number, patch: Partial<Pick<Channel, 'name' | 'config' | 'enabled'>>): Promise<Channel | null>;
  delete(id: number): Promise<boolean>;
}

export class ChannelNameTakenError extends Error {
  constructor(readonly channelName: string) {
    super(`A channel named "${channelName}" already exists.`);
  }
}

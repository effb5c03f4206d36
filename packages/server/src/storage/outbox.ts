/**
 * The outbox: every notification to send, as a row that survives restarts. Rows move
 * pending → sending (claimed under a lease) → delivered, or back to pending with a later
 * `next attempt`, or to dead. Times are epoch milliseconds given by the caller's clock.
 */
import type { Delivery, DeliveryStatus } from '../domain/index.js';

export interface NewDelivery {
  projectId: number;
  channelId: number;
  dedupKey: string;
  uid: string;
  payload: unknown;
  nowMs: number;
  /** Record an outcome right away (a test send, a disabled channel); pending by default. */
  status?: 'pending' | 'delivered' | 'dead';
  attempts?: number;
  lastError?: string | null;
}

export interface ClaimOptions {
  /** Identifies the claiming process; only it may complete the claimed rows. */
  owner: string;
  nowMs: number;
  /** The claim lapses at nowMs + leaseMs; another process may then claim the row again. */
  leaseMs: number;
  limit: number;
}

export interface DeliveryQuery {
  projectId: number;
  channelId?: number;
  status?: DeliveryStatus;
  limit: number;
  /** Newest first; resume below this id. */
  beforeId?: number;
}

export interface OutboxRepository {
  /**
   * Stores a delivery unless one with the same (channel, dedup key) exists. Returns the
   * stored row and whether this call created it.
   */
  enqueue(input: NewDelivery): Promise<{ delivery: Delivery; created: boolean }>;
  /**
   * Claims due rows in one statement: per channel only the oldest unfinished row (so each
   * channel receives in order and one at a time), when it is pending and due, or sending
   * with a lapsed lease. Counts an attempt on each claimed row.
   */
  claim(options: ClaimOptions): Promise<Delivery[]>;
  /** Marks a claimed row delivered; false when `owner` no longer holds its lease. */
  markDelivered(id: number, owner: string, nowMs: number): Promise<boolean>;
  /** Records a failed attempt: pending again at `retryAtMs`, or dead when it is null. */
  markFailed(
    id: number,
    owner: string,
    outcome: { nowMs: number; error: string; retryAtMs: number | null },
  ): Promise<boolean>;
  /** Gives up every unfinished delivery of a channel (deleted or disabled). Returns how many. */
  abandonChannel(channelId: number, nowMs: number, reason: string): Promise<number>;
  /** Deletes delivered and dead rows last changed before `beforeMs`. Returns how many. */
  prune(beforeMs: number): Promise<number>;
  get(id: number): Promise<Delivery | null>;
  list(query: DeliveryQuery): Promise<Delivery[]>;
}

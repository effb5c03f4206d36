/**
 * The notification service: takes notifications into the persistent outbox and delivers them
 * in the background. Delivery is at least once: a row is marked delivered only after the
 * receiver accepted it, so a crash between the two re-sends it once after restart; every
 * request carries `X-Vigil-Delivery-Id` (stable across retries) for receivers to de-duplicate.
 */
import { randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { VigilConfig } from '../config.js';
import type { AlertNotification, Channel, Delivery } from '../domain/index.js';
import { NotFoundError } from '../errors.js';
import type { Metrics } from '../metrics/registry.js';
import type { Store } from '../storage/types.js';
import { retryDelay } from './backoff.js';
import { DRIVERS } from './channels/index.js';
import { testNotification } from './test-notification.js';
import { DeliveryFailure, send } from './transport.js';

export interface Clock {
  /** Epoch milliseconds. */
  now(): number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** The subset of a pino / Fastify logger the service writes to. */
export interface NotifyLogger {
  debug(object: object, message?: string): void;
  info(object: object, message?: string): void;
  warn(object: object, message?: string): void;
  error(object: object, message?: string): void;
}

export interface NotificationServiceOptions {
  clock?: Clock;
  /** Jitter source in [0, 1). */
  random?: () => number;
  /** This process's name in leases; unique per start by default. */
  owner?: string;
  /** Counts attempts by channel type and outcome. */
  metrics?: Pick<Metrics, 'notificationAttempts'>;
}

/** How long in-flight deliveries may finish when the service stops, before they are interrupted. */
const STOP_GRACE_MS = 2000;
/** How often finished notifications past the retention period are deleted. */
const PRUNE_EVERY_MS = 3_600_000;
const DAY_MS = 86_400_000;

type Outcome = { ok: true } | { ok: false; error: string; retryable: boolean; retryAfterMs?: number };

export class NotificationService {
  readonly owner: string;
  private readonly config: VigilConfig['notify'];
  private readonly clock: Clock;
  private readonly random: () => number;
  /** A claim outlives the longest attempt, so a live sender never loses its row to another. */
  private readonly leaseMs: number;
  private readonly inFlight = new Map<number, { done: Promise<void>; abort: AbortController }>();
  private running = false;
  private readonly metrics: Pick<Metrics, 'notificationAttempts'> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private pruneTimer: NodeJS.Timeout | undefined;
  private unsubscribeHealth: (() => void) | undefined;
  private pumping = false;
  private pumpAgain = false;
  /** Claims and prunes under way, awaited by `stop()` so none outlives the store. */
  private readonly background = new Set<Promise<unknown>>();

  constructor(
    private readonly store: Store,
    config: VigilConfig,
    private readonly log: NotifyLogger,
    options: NotificationServiceOptions = {},
  ) {
    this.config = config.notify;
    this.clock = options.clock ?? systemClock;
    this.random = options.random ?? Math.random;
    this.owner = options.owner ?? `${hostname()}:${process.pid}:${randomUUID().slice(0, 8)}`;
    this.leaseMs = 2 * this.config.timeoutMs + 1000;
    this.metrics = options.metrics;
  }

  /**
   * Stores a notification for a channel, once per (channel, dedup key): the same key again is a
   * no-op, which is what makes a notification "never sent twice for the same alert state". An
   * intended repeat (Alertmanager's repeat interval) needs a new key. A resolved notification
   * is not sent to a retraining webhook. Durable when the promise resolves.
   */
  async enqueue(channelId: number, notification: AlertNotification, dedupKey: string): Promise<void> {
    const channel = await this.store.channels.get(channelId);
    if (!channel) {
      this.log.warn({ channelId, dedupKey }, 'notification for a channel that no longer exists: dropped');
      return;
    }
    if (channel.type === 'retrain_webhook' && notification.status !== 'firing') return;
    const { created } = await this.store.outbox.enqueue({
      projectId: channel.projectId,
      channelId,
      dedupKey,
      uid: randomUUID(),
      payload: notification,
      nowMs: this.clock.now(),
      // Kept as a record of what was not sent, rather than sent later when it is stale.
      ...(channel.enabled ? {} : { status: 'dead' as const, lastError: 'channel disabled' }),
    });
    if (created && channel.enabled) this.poke();
  }

  /**
   * Sends a test notification now, without retries, and records it in the outbox history.
   * Works on a disabled channel too, so it can be checked before it is enabled.
   */
  async sendTest(channelId: number, externalUrl = ''): Promise<Delivery> {
    const channel = await this.store.channels.get(channelId);
    if (!channel) throw new NotFoundError(`No channel with id ${channelId}.`);
    const uid = randomUUID();
    const notification = testNotification(channel, externalUrl, this.clock.now());
    const outcome = await this.attempt(channel, notification, uid);
    const { delivery } = await this.store.outbox.enqueue({
      projectId: channel.projectId,
      channelId,
      dedupKey: `test:${uid}`,
      uid,
      payload: notification,
      nowMs: this.clock.now(),
      status: outcome.ok ? 'delivered' : 'dead',
      attempts: 1,
      lastError: outcome.ok ? null : outcome.error,
    });
    return delivery;
  }

  /** Starts delivering in the background: now, after each enqueue, and every `pollMs`. */
  start(): void {
    if (this.running) return;
    this.running = true;
    this.timer = setInterval(() => this.poke(), this.config.pollMs);
    this.timer.unref();
    // While the store cannot write (a full disk), nothing is claimed; delivery resumes at once after.
    this.unsubscribeHealth = this.store.onHealthChange((health) => {
      if (health.writable) this.poke();
    });
    this.pruneTimer = setInterval(() => this.track(this.pruneHistory()), PRUNE_EVERY_MS);
    this.pruneTimer.unref();
    this.track(this.pruneHistory());
    this.poke();
  }

  private track(work: Promise<unknown>): void {
    this.background.add(work);
    work.finally(() => this.background.delete(work)).catch(() => undefined);
  }

  /** Deletes delivered and given-up notifications older than the retention period. */
  async pruneHistory(): Promise<number> {
    if (!this.store.health().writable) return 0;
    try {
      return await this.store.outbox.prune(this.clock.now() - this.config.retentionDays * DAY_MS);
    } catch (error) {
      this.log.error({ err: error }, 'pruning the delivery history failed');
      return 0;
    }
  }

  /** Delivers what is due promptly (called after an enqueue; harmless at any time). */
  poke(): void {
    if (this.running) this.track(this.pump());
  }

  /**
   * Stops claiming, lets in-flight deliveries finish for a moment, then interrupts the rest;
   * interrupted ones are due again at once (after a restart, or on another server).
   */
  async stop(): Promise<void> {
    this.running = false;
    clearInterval(this.timer);
    clearInterval(this.pruneTimer);
    this.unsubscribeHealth?.();
    await Promise.allSettled([...this.background]);
    const pending = [...this.inFlight.values()];
    if (pending.length === 0) return;
    let grace: NodeJS.Timeout | undefined;
    await Promise.race([
      Promise.all(pending.map((p) => p.done)),
      new Promise((resolve) => {
        grace = setTimeout(resolve, STOP_GRACE_MS);
      }),
    ]);
    clearTimeout(grace);
    for (const p of this.inFlight.values()) p.abort.abort();
    await Promise.all([...this.inFlight.values()].map((p) => p.done));
  }

  /**
   * Claims what is due and delivers it, waiting for the outcomes; returns how many were
   * attempted. The background loop does the same without waiting; tests call this directly.
   */
  async runOnce(): Promise<number> {
    const rows = await this.store.outbox.claim({
      owner: this.owner,
      nowMs: this.clock.now(),
      leaseMs: this.leaseMs,
      limit: this.config.concurrency,
    });
    await Promise.all(rows.map((row) => this.deliverClaimed(row, new AbortController().signal)));
    return rows.length;
  }

  private async pump(): Promise<void> {
    if (!this.store.health().writable) return;
    if (this.pumping) {
      this.pumpAgain = true;
      return;
    }
    this.pumping = true;
    try {
      do {
        this.pumpAgain = false;
        const free = this.config.concurrency - this.inFlight.size;
        if (free <= 0 || !this.running) break;
        const rows = await this.store.outbox.claim({
          owner: this.owner,
          nowMs: this.clock.now(),
          leaseMs: this.leaseMs,
          limit: free,
        });
        for (const row of rows) this.launch(row);
      } while (this.pumpAgain && this.running);
    } catch (error) {
      this.log.error({ err: error }, 'claiming notifications failed');
    } finally {
      this.pumping = false;
    }
  }

  private launch(row: Delivery): void {
    const abort = new AbortController();
    const done = this.deliverClaimed(row, abort.signal)
      .catch((error: unknown) => this.log.error({ err: error, delivery: row.id }, 'delivery failed'))
      .finally(() => {
        this.inFlight.delete(row.id);
        this.poke();
      });
    this.inFlight.set(row.id, { done, abort });
  }

  /** One attempt at a claimed row, then its new state. */
  private async deliverClaimed(row: Delivery, signal: AbortSignal): Promise<void> {
    const channel = await this.store.channels.get(row.channelId);
    const outcome: Outcome = !channel
      ? { ok: false, error: 'channel deleted', retryable: false }
      : !channel.enabled
        ? { ok: false, error: 'channel disabled', retryable: false }
        : await this.attempt(channel, row.payload as AlertNotification, row.uid, signal);
    const nowMs = this.clock.now();
    const type = channel?.type ?? 'deleted';
    if (outcome.ok) {
      this.metrics?.notificationAttempts.inc({ type, outcome: 'delivered' });
      await this.store.outbox.markDelivered(row.id, this.owner, nowMs);
      this.log.debug({ delivery: row.id, channel: row.channelId }, 'notification delivered');
      return;
    }
    const retry = outcome.retryable && row.attempts < this.config.maxAttempts;
    this.metrics?.notificationAttempts.inc({ type, outcome: retry ? 'retry' : 'dead' });
    const error =
      retry || !outcome.retryable
        ? outcome.error
        : `${outcome.error} (gave up after ${row.attempts} attempts)`;
    await this.store.outbox.markFailed(row.id, this.owner, {
      nowMs,
      error,
      retryAtMs: retry
        ? nowMs + retryDelay(row.attempts, this.config, this.random, outcome.retryAfterMs)
        : null,
    });
    this.log[retry ? 'info' : 'warn'](
      { delivery: row.id, channel: row.channelId, attempts: row.attempts, error },
      retry ? 'notification not delivered yet; will retry' : 'notification given up',
    );
  }

  private async attempt(
    channel: Channel,
    notification: AlertNotification,
    deliveryId: string,
    signal?: AbortSignal,
  ): Promise<Outcome> {
    try {
      const outgoing = DRIVERS[channel.type].render({
        channel,
        notification,
        deliveryId,
        nowMs: this.clock.now(),
      });
      await send(outgoing, {
        timeoutMs: this.config.timeoutMs,
        config: channel.config,
        ...(signal ? { signal } : {}),
      });
      return { ok: true };
    } catch (error) {
      if (error instanceof DeliveryFailure) {
        return {
          ok: false,
          error: error.message,
          retryable: error.retryable,
          ...(error.retryAfterMs !== undefined ? { retryAfterMs: error.retryAfterMs } : {}),
        };
      }
      return { ok: false, error: `cannot render the notification: ${String(error)}`, retryable: false };
    }
  }
}

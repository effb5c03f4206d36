/**
 * The contract of notification channels and the outbox, run for every engine from
 * `describeStore`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ChannelNameTakenError } from './channels.js';
import { openMigratedStore } from './suite-support.js';
import type { Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const LEASE = 30_000;

export function describeOutbox(engine: string, openStore: () => Promise<Store>): void {
  describe(`Channels and outbox contract: ${engine}`, () => {
    let store: Store;
    let projectId: number;

    beforeEach(async () => {
      ({ store, projectId } = await openMigratedStore(openStore));
    });
    afterEach(async () => {
      await store.close();
    });

    async function channel(name: string) {
      return store.channels.create({
        projectId,
        name,
        type: 'webhook',
        config: { url: `http://127.0.0.1:9/${name}`, secret: 's' },
        enabled: true,
      });
    }

    function enqueue(channelId: number, dedupKey: string, nowMs = T0) {
      return store.outbox.enqueue({
        projectId,
        channelId,
        dedupKey,
        uid: `uid-${channelId}-${dedupKey}`,
        payload: { groupKey: dedupKey },
        nowMs,
      });
    }

    it('creates, lists, renames, reconfigures, disables and deletes channels', async () => {
      const hook = await channel('ops');
      expect(hook).toMatchObject({ name: 'ops', type: 'webhook', enabled: true, projectId });
      expect(hook.config).toEqual({ url: 'http://127.0.0.1:9/ops', secret: 's' });
      await expect(channel('ops')).rejects.toBeInstanceOf(ChannelNameTakenError);
      const other = await channel('data');
      expect((await store.channels.list(projectId)).map((c) => c.name)).toEqual(['ops', 'data']);
      await expect(store.channels.update(other.id, { name: 'ops' })).rejects.toBeInstanceOf(
        ChannelNameTakenError,
      );
      const updated = await store.channels.update(hook.id, {
        name: 'oncall',
        config: { url: 'https://example.com/x', secret: 't' },
        enabled: false,
      });
      expect(updated).toMatchObject({
        name: 'oncall',
        enabled: false,
        config: { url: 'https://example.com/x' },
      });
      expect((await store.channels.getByName(projectId, 'oncall'))?.id).toBe(hook.id);
      expect(await store.channels.getByName(projectId, 'ops')).toBeNull();
      expect(await store.channels.update(9999, { enabled: true })).toBeNull();
      expect(await store.channels.delete(hook.id)).toBe(true);
      expect(await store.channels.delete(hook.id)).toBe(false);
      expect(await store.channels.get(hook.id)).toBeNull();
    });

    it('stores a (channel, dedup key) once', async () => {
      const a = await channel('a');
      const b = await channel('b');
      const first = await enqueue(a.id, 'g1:firing');
      const again = await enqueue(a.id, 'g1:firing');
      const elsewhere = await enqueue(b.id, 'g1:firing');
      expect(first.created).toBe(true);
      expect(again).toEqual({ created: false, delivery: first.delivery });
      expect(elsewhere.created).toBe(true);
      expect(first.delivery).toMatchObject({
        status: 'pending',
        attempts: 0,
        payload: { groupKey: 'g1:firing' },
        lastError: null,
        leaseOwner: null,
      });
      expect(first.delivery.nextAttemptAt.getTime()).toBe(T0);
    });

    it('claims the head of each channel once, under a lease, and completes it', async () => {
      const a = await channel('a');
      const b = await channel('b');
      const a1 = (await enqueue(a.id, 'a1')).delivery;
      const a2 = (await enqueue(a.id, 'a2')).delivery;
      const b1 = (await enqueue(b.id, 'b1')).delivery;

      const claimed = await store.outbox.claim({ owner: 'p1', nowMs: T0, leaseMs: LEASE, limit: 10 });
      expect(claimed.map((d) => d.id)).toEqual([a1.id, b1.id]);
      expect(claimed[0]).toMatchObject({ status: 'sending', attempts: 1, leaseOwner: 'p1' });
      expect(claimed[0]!.leaseUntil?.getTime()).toBe(T0 + LEASE);
      // Nothing more while the heads are leased: a2 waits behind a1.
      expect(await store.outbox.claim({ owner: 'p2', nowMs: T0 + 1, leaseMs: LEASE, limit: 10 })).toEqual([]);

      expect(await store.outbox.markDelivered(a1.id, 'p2', T0 + 2)).toBe(false);
      expect(await store.outbox.markDelivered(a1.id, 'p1', T0 + 2)).toBe(true);
      expect(await store.outbox.markDelivered(a1.id, 'p1', T0 + 3)).toBe(false);
      const done = await store.outbox.get(a1.id);
      expect(done).toMatchObject({ status: 'delivered', leaseOwner: null });
      expect(done?.deliveredAt?.getTime()).toBe(T0 + 2);

      const next = await store.outbox.claim({ owner: 'p1', nowMs: T0 + 3, leaseMs: LEASE, limit: 10 });
      expect(next.map((d) => d.id)).toEqual([a2.id]);
    });

    it('respects the claim limit', async () => {
      for (const name of ['a', 'b', 'c']) await enqueue((await channel(name)).id, 'k');
      const claimed = await store.outbox.claim({ owner: 'p1', nowMs: T0, leaseMs: LEASE, limit: 2 });
      expect(claimed).toHaveLength(2);
      expect(await store.outbox.claim({ owner: 'p1', nowMs: T0, leaseMs: LEASE, limit: 0 })).toEqual([]);
    });

    it('retries at the given time, gives up when told, and reclaims lapsed leases', async () => {
      const a = await channel('a');
      const b = await channel('b');
      const a1 = (await enqueue(a.id, 'a1')).delivery;
      const b1 = (await enqueue(b.id, 'b1')).delivery;
      await store.outbox.claim({ owner: 'p1', nowMs: T0, leaseMs: LEASE, limit: 10 });

      expect(
        await store.outbox.markFailed(a1.id, 'p1', {
          nowMs: T0 + 5,
          error: 'HTTP 500',
          retryAtMs: T0 + 1000,
        }),
      ).toBe(true);
      expect(await store.outbox.get(a1.id)).toMatchObject({
        status: 'pending',
        attempts: 1,
        lastError: 'HTTP 500',
        leaseOwner: null,
      });
      expect(await store.outbox.claim({ owner: 'p1', nowMs: T0 + 999, leaseMs: LEASE, limit: 10 })).toEqual(
        [],
      );
      const retried = await store.outbox.claim({ owner: 'p1', nowMs: T0 + 1000, leaseMs: LEASE, limit: 10 });
      expect(retried.map((d) => [d.id, d.attempts])).toEqual([[a1.id, 2]]);
      expect(
        await store.outbox.markFailed(a1.id, 'p1', { nowMs: T0 + 1001, error: 'HTTP 400', retryAtMs: null }),
      ).toBe(true);
      expect((await store.outbox.get(a1.id))?.status).toBe('dead');

      // p1 died holding b1: once its lease lapses p2 claims it, and p1 can no longer complete it.
      const reclaimed = await store.outbox.claim({
        owner: 'p2',
        nowMs: T0 + LEASE,
        leaseMs: LEASE,
        limit: 10,
      });
      expect(reclaimed.map((d) => [d.id, d.attempts, d.leaseOwner])).toEqual([[b1.id, 2, 'p2']]);
      expect(await store.outbox.markDelivered(b1.id, 'p1', T0 + LEASE)).toBe(false);
      expect(await store.outbox.markDelivered(b1.id, 'p2', T0 + LEASE)).toBe(true);
    });

    it('claims what fell due after polls that found nothing, however it became due', async () => {
      const claim = (nowMs: number) => store.outbox.claim({ owner: 'p1', nowMs, leaseMs: LEASE, limit: 10 });
      const a = await channel('a');
      expect(await claim(T0)).toEqual([]);
      expect(await claim(T0 + 1)).toEqual([]);
      // Enqueued after the empty polls: due at once.
      const a1 = (await enqueue(a.id, 'a1', T0 + 2)).delivery;
      expect((await claim(T0 + 2)).map((d) => d.id)).toEqual([a1.id]);
      // A retry far away, then nothing due before it; a second row enqueued meanwhile waits behind it.
      await store.outbox.markFailed(a1.id, 'p1', {
        nowMs: T0 + 3,
        error: 'HTTP 500',
        retryAtMs: T0 + 60_000,
      });
      expect(await claim(T0 + 4)).toEqual([]);
      const b = await channel('b');
      const b1 = (await enqueue(b.id, 'b1', T0 + 5)).delivery;
      // An enqueue while a poll reads: the row is found by this poll or the next, never later.
      const [during, { delivery: b2 }] = await Promise.all([claim(T0 + 6), enqueue(b.id, 'b2', T0 + 6)]);
      const after = await claim(T0 + 7);
      expect([...during, ...after].map((d) => d.id)).toEqual([b1.id]);
      await store.outbox.markDelivered(b1.id, 'p1', T0 + 8);
      expect((await claim(T0 + 8)).map((d) => d.id)).toEqual([b2.id]);
      await store.outbox.markDelivered(b2.id, 'p1', T0 + 9);
      expect(await claim(T0 + 59_999)).toEqual([]);
      expect((await claim(T0 + 60_000)).map((d) => d.id)).toEqual([a1.id]);
      // A lease that lapses makes its row due again without any write.
      expect(await claim(T0 + 60_000 + LEASE - 1)).toEqual([]);
      expect((await claim(T0 + 60_000 + LEASE)).map((d) => d.id)).toEqual([a1.id]);
    });

    it('records outcomes given at enqueue, abandons a channel, and lists newest first', async () => {
      const a = await channel('a');
      const b = await channel('b');
      const test = await store.outbox.enqueue({
        projectId,
        channelId: a.id,
        dedupKey: 'test:1',
        uid: 'u-test',
        payload: {},
        nowMs: T0,
        status: 'delivered',
        attempts: 1,
      });
      expect(test.delivery).toMatchObject({ status: 'delivered', attempts: 1 });
      expect(test.delivery.deliveredAt?.getTime()).toBe(T0);
      const a2 = (await enqueue(a.id, 'a2')).delivery;
      const b1 = (await enqueue(b.id, 'b1')).delivery;
      expect(await store.outbox.abandonChannel(a.id, T0 + 1, 'channel deleted')).toBe(1);
      expect(await store.outbox.get(a2.id)).toMatchObject({ status: 'dead', lastError: 'channel deleted' });

      const all = await store.outbox.list({ projectId, limit: 10 });
      expect(all.map((d) => d.id)).toEqual([b1.id, a2.id, test.delivery.id]);
      const page = await store.outbox.list({ projectId, limit: 2 });
      const rest = await store.outbox.list({ projectId, limit: 2, beforeId: page[1]!.id });
      expect(rest.map((d) => d.id)).toEqual([test.delivery.id]);
      expect((await store.outbox.list({ projectId, channelId: a.id, limit: 10 })).map((d) => d.id)).toEqual([
        a2.id,
        test.delivery.id,
      ]);
      expect((await store.outbox.list({ projectId, status: 'pending', limit: 10 })).map((d) => d.id)).toEqual(
        [b1.id],
      );
      expect(await store.outbox.list({ projectId: projectId + 1, limit: 10 })).toEqual([]);

      // Pruning removes finished rows older than the cut-off, never unfinished ones.
      expect(await store.outbox.prune(T0 + 1)).toBe(1);
      expect(await store.outbox.get(test.delivery.id)).toBeNull();
      expect(await store.outbox.prune(T0 + 1_000_000)).toBe(1);
      expect((await store.outbox.list({ projectId, limit: 10 })).map((d) => d.id)).toEqual([b1.id]);
    });
  });
}

/** The monitors-and-results part of the storage contract, run for every engine by `describeStore`. */

import { createSeededRandom } from '@vigil/stats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMonitorResult } from '../domain/index.js';
import type { MonitorRow, WindowResults } from './monitoring.js';
import { createTestModel, openStoreWithModel } from './suite-support.js';
import type { ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;
const HOUR = 3_600_000_000;
const SEED = 20261202;

export function describeMonitoringStore(openStore: () => Promise<Store>): void {
  describe('monitors and results', () => {
    let store: Store;
    let model: ModelRow;
    let monitor: MonitorRow;

    const result = (windowStart: number, extra: Partial<NewMonitorResult> = {}): NewMonitorResult => ({
      modelId: model.id,
      monitorId: monitor.id,
      monitorKind: 'feature_drift',
      version: null,
      segment: null,
      windowStartMicros: windowStart,
      windowEndMicros: windowStart + HOUR,
      feature: 'amount',
      metric: 'jensen_shannon',
      value: 0.05,
      thresholdLower: null,
      thresholdUpper: 0.1,
      bandLower: null,
      bandUpper: null,
      sampleSize: 1000,
      status: 'ok',
      reason: null,
      details: { method: 'jensen_shannon' },
      evaluatedAtMicros: windowStart + 2 * HOUR,
      ...extra,
    });

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'churn'));
      monitor = await store.monitors.create({
        modelId: model.id,
        name: 'feature-drift',
        kind: 'feature_drift',
        enabled: true,
        isDefault: true,
        config: { window: { size: '1h' } },
      });
    });

    afterEach(async () => {
      await store.close();
    });

    it('creates, edits, lists and deletes monitors', async () => {
      expect(await store.monitors.get(model.id, 'feature-drift')).toMatchObject({
        kind: 'feature_drift',
        isDefault: true,
        config: { window: { size: '1h' } },
      });
      const disabled = await store.monitors.update(monitor.id, {
        enabled: false,
        config: { window: { size: '1d' } },
      });
      expect(disabled).toMatchObject({ enabled: false, config: { window: { size: '1d' } } });
      expect(await store.monitors.listEnabled()).toEqual([]);
      expect((await store.monitors.list(model.id)).map((m) => m.name)).toEqual(['feature-drift']);
      // Several models in one read, disabled monitors included; unknown models have none.
      expect(await store.monitors.listForModels([model.id + 1000, model.id])).toEqual(
        await store.monitors.list(model.id),
      );
      expect(await store.monitors.listForModels([])).toEqual([]);
      await expect(
        store.monitors.create({ ...monitor, config: {}, name: 'feature-drift' }),
      ).rejects.toThrow();
      await store.results.replaceWindow(monitor.id, T0, [result(T0)]);
      await store.monitors.delete(monitor.id);
      expect(await store.monitors.getById(monitor.id)).toBeNull();
      expect(await store.results.query({ modelId: model.id, limit: 10 })).toEqual([]);
      // An evaluation that ends after the deletion stores nothing.
      await store.results.replaceWindow(monitor.id, T0, [result(T0)]);
      expect(await store.results.query({ modelId: model.id, limit: 10 })).toEqual([]);
      expect(await store.results.listAfter(0, 10)).toEqual([]);
    });

    it('replaces a window as a whole and gives replaced results new sequence numbers', async () => {
      await store.results.replaceWindow(monitor.id, T0, [result(T0), result(T0, { feature: 'age' })]);
      await store.results.replaceWindow(monitor.id, T0 + HOUR, [
        result(T0 + HOUR, { value: 0.3, status: 'alert' }),
      ]);
      const first = await store.results.listAfter(0, 100);
      expect(first.map((r) => [r.windowStartMicros, r.feature])).toEqual([
        [T0, 'amount'],
        [T0, 'age'],
        [T0 + HOUR, 'amount'],
      ]);
      expect(first[0]).toMatchObject({
        details: { method: 'jensen_shannon' },
        thresholdUpper: 0.1,
        sampleSize: 1000,
      });
      const lastSeq = first.at(-1)!.seq;

      // Re-evaluating the first window (say, late labels) replaces both of its series by one.
      await store.results.replaceWindow(monitor.id, T0, [result(T0, { value: 0.2, status: 'warning' })]);
      const changed = await store.results.listAfter(lastSeq, 100);
      expect(changed.map((r) => [r.windowStartMicros, r.feature, r.value])).toEqual([[T0, 'amount', 0.2]]);
      const all = await store.results.query({ modelId: model.id, limit: 100 });
      expect(all.map((r) => [r.windowStartMicros, r.feature, r.status])).toEqual([
        [T0, 'amount', 'warning'],
        [T0 + HOUR, 'amount', 'alert'],
      ]);
    });

    it('stores every value of a result exactly: texts, extreme and non-finite numbers, nulls, details', async () => {
      const awkward: NewMonitorResult[] = [
        result(T0, {
          version: 'v"2"\\',
          segment: 'région=ünï\ncode 😀 \u0000',
          feature: 'a "quoted", back\\slashed\tfeature',
          metric: 'p-value',
          value: 0.1 + 0.2,
          thresholdLower: -0,
          thresholdUpper: 1.7976931348623157e308,
          bandLower: 5e-324,
          bandUpper: -1234567.0000000002,
          sampleSize: 2 ** 40 + 1,
          status: 'alert',
          reason: 'it\'s "odd"\n',
          details: { nested: { list: [1.5, null, 'x'], text: '😀 "q"' }, nan: Number.NaN, big: 2 ** 53 - 1 },
          evaluatedAtMicros: T0 + 123_456_789,
        }),
        result(T0, { feature: 'lone \ud800 surrogate', metric: 'm\udc00' }),
        result(T0, {
          feature: null,
          value: Number.NaN,
          thresholdLower: Number.POSITIVE_INFINITY,
          thresholdUpper: Number.NEGATIVE_INFINITY,
          bandLower: null,
          bandUpper: null,
          status: 'insufficient_data',
          details: null,
        }),
      ];
      await store.results.replaceWindow(monitor.id, T0, awkward);
      const stored = await store.results.listAfter(0, 100);
      expect(stored).toEqual(await store.results.query({ modelId: model.id, limit: 100 }));
      const { seq: _a, ...first } = stored[0]!;
      const { seq: _b, ...second } = stored[2]!;
      // An unpaired surrogate becomes U+FFFD, as a bound string's conversion to UTF-8 makes it.
      expect([stored[1]!.feature, stored[1]!.metric]).toEqual(['lone \ufffd surrogate', 'm\ufffd']);
      // Negative zero is stored as zero, as JSON (and so the API) has it.
      expect(first).toEqual({
        ...awkward[0],
        thresholdLower: 0,
        details: JSON.parse(JSON.stringify(awkward[0]!.details)),
      });
      expect(second).toEqual({
        ...awkward[2],
        value: null,
        thresholdLower: null,
        thresholdUpper: null,
      });
    });

    it('replaces many windows in one call, each as a whole, and refuses results of another window', async () => {
      await store.results.replaceWindows([
        {
          monitorId: monitor.id,
          windowStartMicros: T0,
          results: [result(T0), result(T0, { feature: 'age' })],
        },
        { monitorId: monitor.id, windowStartMicros: T0 + HOUR, results: [result(T0 + HOUR)] },
      ]);
      await store.results.replaceWindows([
        {
          monitorId: monitor.id,
          windowStartMicros: T0,
          results: [result(T0, { value: 0.5, status: 'alert' })],
        },
        { monitorId: monitor.id, windowStartMicros: T0 + 2 * HOUR, results: [] },
      ]);
      const all = await store.results.query({ modelId: model.id, limit: 100 });
      expect(all.map((r) => [r.windowStartMicros, r.feature, r.status])).toEqual([
        [T0, 'amount', 'alert'],
        [T0 + HOUR, 'amount', 'ok'],
      ]);
      // All or nothing: a result of another window rolls back the whole call.
      await expect(
        store.results.replaceWindows([
          { monitorId: monitor.id, windowStartMicros: T0 + HOUR, results: [] },
          { monitorId: monitor.id, windowStartMicros: T0, results: [result(T0 + HOUR)] },
        ]),
      ).rejects.toThrow('every result must belong');
      expect(await store.results.query({ modelId: model.id, limit: 100 })).toHaveLength(2);
    });

    it('follows results after a sequence number exactly as stored, whatever replaced or deleted them', async () => {
      console.log(`result follower seed ${SEED}`);
      const random = createSeededRandom(SEED);
      const pick = <T>(items: T[]) => items[Math.floor(random.uniform() * items.length)]!;
      const other = await createTestModel(store, 'other');
      const monitorOf = (modelId: number, name: string) =>
        store.monitors.create({
          modelId,
          name,
          kind: 'feature_drift',
          enabled: true,
          isDefault: false,
          config: { window: { size: '1h' } },
        });
      const monitors = [monitor, await monitorOf(model.id, 'second'), await monitorOf(other.id, 'third')];
      const windowOf = (m: MonitorRow): WindowResults => {
        const start = T0 + Math.floor(random.uniform() * 4) * HOUR;
        const n = Math.floor(random.uniform() * 3);
        return {
          monitorId: m.id,
          windowStartMicros: start,
          results: Array.from({ length: n }, (_, i) =>
            result(start, { modelId: m.modelId, monitorId: m.id, feature: `f${i}`, value: random.uniform() }),
          ),
        };
      };
      const stored = async () =>
        (
          await Promise.all(
            [model.id, other.id].map((modelId) => store.results.query({ modelId, limit: 10_000 })),
          )
        )
          .flat()
          .sort((a, b) => a.seq - b.seq);
      let cursor = 0;
      for (let step = 0; step < 120; step++) {
        const live = monitors;
        const action = random.uniform();
        if (action < 0.45) {
          await store.results.replaceWindows(
            Array.from({ length: 1 + (step % 3) }, () => windowOf(pick(live))),
          );
        } else if (action < 0.8) {
          await store.evaluationTasks.completeMany([], 'owner', [windowOf(pick(live)), windowOf(pick(live))]);
        } else if (action < 0.88) {
          await store.results.deleteForMonitor(pick(live).id);
        } else if (action < 0.92) {
          // Deleted, then created again: new results with new sequence numbers.
          const k = monitors.indexOf(pick(live));
          await store.monitors.delete(monitors[k]!.id);
          monitors[k] = await monitorOf(monitors[k]!.modelId, `again-${step}`);
        } else {
          await expect(
            store.results.replaceWindows([
              { ...windowOf(pick(live)), windowStartMicros: T0 - HOUR, results: [result(T0)] },
            ]),
          ).rejects.toThrow('every result must belong');
        }
        // The follower pages on; now and then it reads from an older cursor.
        const from = random.uniform() < 0.1 ? 0 : cursor;
        const limit = 1 + Math.floor(random.uniform() * 6);
        const page = await store.results.listAfter(from, limit);
        expect(page).toEqual((await stored()).filter((r) => r.seq > from).slice(0, limit));
        if (page.length > 0) cursor = page.at(-1)!.seq;
      }
      await store.deleteModel(other.id);
      expect(await store.results.listAfter(0, 10_000)).toEqual(await stored());
    });

    it('filters and pages results and reports the newest status per monitor', async () => {
      for (let w = 0; w < 5; w++) {
        await store.results.replaceWindow(monitor.id, T0 + w * HOUR, [
          result(T0 + w * HOUR, { value: w, status: w === 4 ? 'alert' : 'ok' }),
          result(T0 + w * HOUR, {
            feature: 'age',
            metric: 'psi',
            value: Number.NaN,
            status: 'error',
            reason: 'x',
          }),
        ]);
      }
      const page = await store.results.query({ modelId: model.id, feature: 'amount', limit: 2 });
      expect(page.map((r) => r.value)).toEqual([0, 1]);
      const last = page.at(-1)!;
      const next = await store.results.query({
        modelId: model.id,
        feature: 'amount',
        limit: 10,
        after: { windowStartMicros: last.windowStartMicros, seq: last.seq },
      });
      expect(next.map((r) => r.value)).toEqual([2, 3, 4]);
      const ranged = await store.results.query({
        modelId: model.id,
        metric: 'psi',
        fromMicros: T0 + HOUR,
        toMicros: T0 + 3 * HOUR,
        limit: 10,
      });
      expect(ranged.map((r) => [r.windowStartMicros, r.value, r.reason])).toEqual([
        [T0 + HOUR, null, 'x'],
        [T0 + 2 * HOUR, null, 'x'],
      ]);
      expect(await store.results.latestStatuses([model.id])).toEqual([
        {
          modelId: model.id,
          monitorId: monitor.id,
          windowStartMicros: T0 + 4 * HOUR,
          windowEndMicros: T0 + 5 * HOUR,
          status: 'alert',
        },
      ]);
      expect(await store.results.latestStatuses([])).toEqual([]);
    });

    it('folds results into time buckets with weighted values, widest bands, peak ratio and worst status', async () => {
      const values = [0.05, 0.3, 0.1, 0.02];
      for (let w = 0; w < 4; w++) {
        await store.results.replaceWindow(monitor.id, T0 + w * HOUR, [
          result(T0 + w * HOUR, {
            value: values[w]!,
            sampleSize: w === 1 ? 3000 : 1000,
            bandLower: values[w]! - 0.01 * (w + 1),
            bandUpper: values[w]! + 0.01 * (w + 1),
            status: w === 1 ? 'alert' : w === 2 ? 'warning' : 'ok',
          }),
          result(T0 + w * HOUR, { feature: null, metric: 'accuracy', monitorKind: 'feature_drift' }),
        ]);
      }
      // Results of one version only must not mix into the all-traffic series.
      const other = await store.monitors.create({
        modelId: model.id,
        name: 'drift-v2',
        kind: 'feature_drift',
        enabled: true,
        isDefault: false,
        config: {},
      });
      await store.results.replaceWindow(other.id, T0, [
        result(T0, { monitorId: other.id, version: 'v2', value: 9 }),
      ]);

      const rows = await store.results.buckets({
        modelId: model.id,
        kinds: ['feature_drift'],
        feature: 'amount',
        version: null,
        segment: null,
        fromMicros: T0,
        toMicros: T0 + 4 * HOUR,
        bucketMicros: 2 * HOUR,
      });
      expect(rows).toHaveLength(2);
      const [first, second] = rows;
      expect(first).toMatchObject({
        bucketStartMicros: T0,
        monitorId: monitor.id,
        monitorKind: 'feature_drift',
        feature: 'amount',
        metric: 'jensen_shannon',
        windows: 2,
        thresholdUpper: 0.1,
        sampleSize: 4000,
        status: 'alert',
      });
      expect(first!.value).toBeCloseTo((0.05 * 1000 + 0.3 * 3000) / 4000, 12);
      expect(first!.bandLower).toBeCloseTo(0.05 - 0.01, 12);
      expect(first!.bandUpper).toBeCloseTo(0.3 + 0.02, 12);
      expect(first!.peakRatio).toBeCloseTo(3, 12);
      expect(first!.peakValue).toBeCloseTo(0.3, 12);
      expect(second).toMatchObject({ bucketStartMicros: T0 + 2 * HOUR, windows: 2, status: 'warning' });

      const v2 = await store.results.buckets({
        modelId: model.id,
        version: 'v2',
        segment: null,
        fromMicros: T0,
        toMicros: T0 + 4 * HOUR,
        bucketMicros: HOUR,
      });
      expect(v2.map((r) => [r.monitorId, r.value])).toEqual([[other.id, 9]]);
      const all = await store.results.buckets({
        modelId: model.id,
        version: null,
        segment: null,
        fromMicros: T0 + HOUR,
        toMicros: T0 + 2 * HOUR,
        bucketMicros: HOUR,
      });
      expect(all.map((r) => [r.feature, r.metric])).toEqual([
        [null, 'accuracy'],
        ['amount', 'jensen_shannon'],
      ]);
      expect(
        await store.results.buckets({
          modelId: model.id,
          kinds: [],
          version: null,
          segment: null,
          fromMicros: T0,
          toMicros: T0 + HOUR,
          bucketMicros: HOUR,
        }),
      ).toEqual([]);
    });

    it('queues a window at the epoch together with windows of today', async () => {
      // A list's first item must not decide its element type: 0 µs first, then today's times.
      const tasks = store.evaluationTasks;
      const at = (start: number) => ({
        monitorId: monitor.id,
        windowStartMicros: start,
        windowEndMicros: start + HOUR,
        dueMicros: start,
      });
      await tasks.schedule([at(0), at(T0)]);
      await tasks.scheduleThrough(
        [at(HOUR), at(T0 + HOUR)],
        [
          { monitorId: monitor.id, micros: 0 },
          { monitorId: monitor.id + 1000, micros: T0 + 2 * HOUR },
        ],
      );
      const claimed = await tasks.claim('epoch', T0 + HOUR, T0 + 2 * HOUR, 10);
      expect(claimed.map((t) => t.windowStartMicros).sort((a, b) => a - b)).toEqual([0, HOUR, T0, T0 + HOUR]);
      expect(await tasks.getScheduledThroughMany([monitor.id + 1000])).toEqual(
        new Map([[monitor.id + 1000, T0 + 2 * HOUR]]),
      );
      await tasks.completeMany(
        claimed.map((task) => ({ task, followUpDueMicros: null })),
        'epoch',
      );
      expect(await tasks.countForMonitor(monitor.id)).toBe(0);
    });

    it('queues windows for evaluation with leases, generations and follow-ups', async () => {
      const tasks = store.evaluationTasks;
      const task = {
        monitorId: monitor.id,
        windowStartMicros: T0,
        windowEndMicros: T0 + HOUR,
        dueMicros: T0 + 10,
      };
      await tasks.schedule([
        task,
        { ...task, windowStartMicros: T0 + HOUR, windowEndMicros: T0 + 2 * HOUR, dueMicros: T0 + 50 },
      ]);
      // Marking again keeps the earlier due time.
      await tasks.schedule([{ ...task, dueMicros: T0 + 99 }]);
      expect(await tasks.nextDueMicros()).toBe(T0 + 10);
      expect(await tasks.claim('a', T0, T0 + 1000, 10)).toEqual([]);
      const [claimed] = await tasks.claim('a', T0 + 20, T0 + 1000, 10);
      expect(claimed).toMatchObject({ windowStartMicros: T0, generation: 1, attempts: 1 });
      // Leased: nobody else gets it until the lease runs out.
      expect(await tasks.claim('b', T0 + 30, T0 + 2000, 10)).toEqual([]);
      // New data arrives while it is evaluated: completing leaves it due for another run.
      await tasks.schedule([{ ...task, dueMicros: T0 + 500 }]);
      await tasks.complete(claimed!, 'a', null);
      const [again] = await tasks.claim('b', T0 + 40, T0 + 2000, 10);
      expect(again).toMatchObject({ windowStartMicros: T0, generation: 2 });
      // A window still open is kept for a follow-up when it closes.
      await tasks.complete(again!, 'b', T0 + HOUR + 5);
      expect(await tasks.claim('b', T0 + 60, T0 + 2000, 10)).toMatchObject([
        { windowStartMicros: T0 + HOUR },
      ]);
      // At the window's end both its follow-up and the other window (whose lease ran out) are due.
      const due = await tasks.claim('c', T0 + HOUR + 5, T0 + HOUR + 2000, 10);
      expect(due.map((t) => t.windowStartMicros).sort()).toEqual([T0, T0 + HOUR]);
      const followUp = due.find((t) => t.windowStartMicros === T0);
      await tasks.fail(followUp!, 'c', T0 + 2 * HOUR, 'boom');
      const retried = (await tasks.claim('c', T0 + 2 * HOUR, T0 + 3 * HOUR, 10)).find(
        (t) => t.windowStartMicros === T0,
      );
      expect(retried).toMatchObject({ windowStartMicros: T0, lastError: 'boom' });
      await tasks.complete(retried!, 'c', null);
      // The other window's lease (holder "c") ran out: it can be claimed again.
      expect(await tasks.claim('d', T0 + 4 * HOUR, T0 + 5 * HOUR, 10)).toMatchObject([
        { windowStartMicros: T0 + HOUR },
      ]);
      expect(await tasks.countForMonitor(monitor.id)).toBe(1);
      await tasks.setScheduledThrough(monitor.id, T0 + HOUR);
      await tasks.setScheduledThrough(monitor.id, T0 + 2 * HOUR);
      expect(await tasks.getScheduledThrough(monitor.id)).toBe(T0 + 2 * HOUR);
      // Completing many at once: each as `complete` would (removed, or kept for its follow-up).
      await tasks.schedule([
        { ...task, windowStartMicros: T0 + 5 * HOUR, windowEndMicros: T0 + 6 * HOUR, dueMicros: T0 },
        { ...task, windowStartMicros: T0 + 6 * HOUR, windowEndMicros: T0 + 7 * HOUR, dueMicros: T0 },
      ]);
      const both = await tasks.claim('e', T0 + 5 * HOUR + 1, T0 + 6 * HOUR, 10);
      expect(both.map((t) => t.windowStartMicros).sort()).toEqual([T0 + HOUR, T0 + 5 * HOUR, T0 + 6 * HOUR]);
      await tasks.completeMany(
        both.map((t) => ({
          task: t,
          followUpDueMicros: t.windowStartMicros === T0 + 6 * HOUR ? T0 + 8 * HOUR : null,
        })),
        'e',
      );
      expect(await tasks.countForMonitor(monitor.id)).toBe(1);
      expect(await tasks.claim('f', T0 + 8 * HOUR, T0 + 9 * HOUR, 10)).toMatchObject([
        { windowStartMicros: T0 + 6 * HOUR },
      ]);
      // Completing with results: the windows' results and the completions land in one transaction.
      await tasks.schedule([
        { ...task, windowStartMicros: T0 + 9 * HOUR, windowEndMicros: T0 + 10 * HOUR, dueMicros: T0 },
      ]);
      const withResults = (await tasks.claim('g', T0 + 9 * HOUR, T0 + 10 * HOUR, 10)).filter(
        (t) => t.windowStartMicros === T0 + 9 * HOUR,
      );
      // A result of another window refuses the whole call: neither results nor completions land.
      await expect(
        tasks.completeMany(
          withResults.map((t) => ({ task: t, followUpDueMicros: null })),
          'g',
          [{ monitorId: monitor.id, windowStartMicros: T0 + 9 * HOUR, results: [result(T0)] }],
        ),
      ).rejects.toThrow('every result must belong');
      expect(await tasks.countForMonitor(monitor.id)).toBe(2);
      await tasks.completeMany(
        withResults.map((t) => ({ task: t, followUpDueMicros: null })),
        'g',
        [
          { monitorId: monitor.id, windowStartMicros: T0 + 9 * HOUR, results: [result(T0 + 9 * HOUR)] },
          { monitorId: monitor.id + 1000, windowStartMicros: T0 + 9 * HOUR, results: [] },
        ],
      );
      expect(await tasks.countForMonitor(monitor.id)).toBe(1);
      expect(
        (await store.results.query({ modelId: model.id, limit: 100 })).map((r) => r.windowStartMicros),
      ).toContain(T0 + 9 * HOUR);
      // Many monitors at once: tasks queued and progress recorded together, read back in one call.
      await tasks.scheduleThrough(
        [{ ...task, windowStartMicros: T0 + 20 * HOUR, windowEndMicros: T0 + 21 * HOUR, dueMicros: T0 }],
        [
          { monitorId: monitor.id, micros: T0 + 21 * HOUR },
          { monitorId: monitor.id + 1000, micros: T0 + 5 * HOUR },
        ],
      );
      expect(await tasks.getScheduledThroughMany([monitor.id, monitor.id + 1000, monitor.id + 2000])).toEqual(
        new Map([
          [monitor.id, T0 + 21 * HOUR],
          [monitor.id + 1000, T0 + 5 * HOUR],
        ]),
      );
      expect((await tasks.getScheduledThroughMany([])).size).toBe(0);
      const [empty] = (await tasks.claim('z', T0 + 21 * HOUR, T0 + 22 * HOUR, 10)).filter(
        (t) => t.windowStartMicros === T0 + 20 * HOUR,
      );
      expect(empty).toBeDefined();
      await tasks.complete(empty!, 'z', null);
      await tasks.deleteForMonitor(monitor.id);
      expect(await tasks.countForMonitor(monitor.id)).toBe(0);
      expect(await tasks.getScheduledThrough(monitor.id)).toBeNull();
    });
  });
}

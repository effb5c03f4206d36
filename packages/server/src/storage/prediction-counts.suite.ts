/**
 * Row counts of time ranges: part of the storage contract, run for every engine by
 * `describeStore`. Each count equals what a window profile of the same rows reports.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { toEventColumns } from './columns.js';
import { openStoreWithModel, storedEvent } from './suite-support.js';
import type { ModelColumn, ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;
const MINUTE = 60_000_000;
const DAY = 24 * 60 * MINUTE;

export function describePredictionCounts(openStore: () => Promise<Store>): void {
  describe('prediction counts', () => {
    let store: Store;
    let model: ModelRow;
    let columns: ModelColumn[];

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'counted'));
      columns = await store.addColumns(model.id, [
        { name: 'x', role: 'feature', type: 'numeric', declared: true },
        { name: 'region', role: 'segment', type: 'categorical', declared: true },
      ]);
    });

    afterEach(async () => {
      await store.close();
    });

    it('counts each range by itself, within a version and a segment, and finds any row', async () => {
      // Minute i of day d holds i rows; every third row is in "us", every other one has version v2.
      const events = [];
      for (const day of [0, 2]) {
        for (let minute = 0; minute < 5; minute++) {
          for (let i = 0; i < minute; i++) {
            const at = T0 + day * DAY + minute * MINUTE + i * 1000;
            events.push(
              storedEvent(`${day}-${minute}-${i}`, at, [i, i % 3 === 0 ? 'us' : 'eu'], {
                version: i % 2 ? 'v2' : 'v1',
              }),
            );
          }
        }
      }
      await store.insertPredictions(model.id, columns, events);
      const range = (day: number, minute: number, minutes = 1) => ({
        fromMicros: T0 + day * DAY + minute * MINUTE,
        toMicros: T0 + day * DAY + (minute + minutes) * MINUTE,
      });
      const ranges = [range(2, 4), range(1, 4), range(0, 4), range(0, 0, 3), range(0, 3), range(2, 4)];
      const profiled = async (
        r: { fromMicros: number; toMicros: number },
        scope: { version?: string; segment?: { name: string; value: string } },
      ) =>
        (await store.profile(model.id, columns, { source: { kind: 'predictions', ...r, ...scope } }))[0]
          ?.rows ?? 0;
      for (const scope of [{}, { version: 'v2' }, { segment: { name: 'region', value: 'us' } }]) {
        const expected = await Promise.all(ranges.map((r) => profiled(r, scope)));
        const counted = await store.countPredictions(model.id, columns, { ranges, ...scope });
        expect(counted).toEqual({ counts: expected, any: false });
      }
      expect((await store.countPredictions(model.id, columns, { ranges })).counts).toEqual([
        4, 0, 4, 3, 3, 4,
      ]);

      // Any row at all: a day without traffic, a range ending just before the first row, a range with rows.
      const any = async (r: { fromMicros: number; toMicros: number }, scope = {}) =>
        (await store.countPredictions(model.id, columns, { ranges: [], anyIn: r, ...scope })).any;
      expect(await any(range(1, 0, 24 * 60))).toBe(false);
      expect(await any({ fromMicros: T0 - DAY, toMicros: T0 + MINUTE })).toBe(false);
      expect(await any({ fromMicros: T0 - DAY, toMicros: T0 + MINUTE + 1 })).toBe(true);
      expect(await any(range(0, 1))).toBe(true);
      expect(await any(range(0, 1), { version: 'v2' })).toBe(false);
      expect(await any(range(0, 2), { version: 'v2' })).toBe(true);
      expect(
        await store.countPredictions(model.id, columns, { ranges: [range(0, 2)], anyIn: range(0, 3) }),
      ).toEqual({ counts: [2], any: true });
      expect(await store.countPredictions(model.id, columns, { ranges: [] })).toEqual({
        counts: [],
        any: false,
      });
    });

    it('counts the rows of a backfill that lands before the first prediction', async () => {
      // Engines may skip ranges before a model's first prediction: they must see it move earlier.
      const range = (day: number, minutes = 1) => ({
        fromMicros: T0 + day * DAY,
        toMicros: T0 + day * DAY + minutes * MINUTE,
      });
      const ranges = [range(-3), range(-2), range(-1), range(0)];
      const anyIn = { fromMicros: T0 - 3 * DAY, toMicros: T0 };
      const counted = (scope = {}) => store.countPredictions(model.id, columns, { ranges, anyIn, ...scope });
      expect(await counted()).toEqual({ counts: [0, 0, 0, 0], any: false });
      const minuteOf = (day: number, n: number, version = 'v1', via: 'rows' | 'columns' = 'rows') => {
        const events = Array.from({ length: n }, (_, i) =>
          storedEvent(`${day}-${version}-${i}`, T0 + day * DAY + i * 1000, [i, 'eu'], { version }),
        );
        return via === 'rows'
          ? store.insertPredictions(model.id, columns, events)
          : store.insertPredictionColumns(model.id, columns, toEventColumns(columns, events));
      };
      await minuteOf(0, 3);
      expect(await counted()).toEqual({ counts: [0, 0, 0, 3], any: false });
      // Older predictions ingested later, by rows and by columns: counted, and the history had traffic.
      await minuteOf(-2, 2);
      expect(await counted()).toEqual({ counts: [0, 2, 0, 3], any: true });
      await minuteOf(-3, 4, 'v2', 'columns');
      expect(await counted()).toEqual({ counts: [4, 2, 0, 3], any: true });
      expect(await counted({ version: 'v2' })).toEqual({ counts: [4, 0, 0, 0], any: true });
      expect(await counted({ version: 'v3' })).toEqual({ counts: [0, 0, 0, 0], any: false });
      // A range that ends where the first prediction is holds none of it.
      expect(
        await store.countPredictions(model.id, columns, {
          ranges: [{ fromMicros: T0 - 4 * DAY, toMicros: T0 - 3 * DAY }],
          anyIn: { fromMicros: T0 - 4 * DAY, toMicros: T0 - 3 * DAY + 1 },
        }),
      ).toEqual({ counts: [0], any: true });
      // A re-sent batch (its ids stored already) adds only its new rows, older still.
      await minuteOf(-3, 5, 'v2');
      await minuteOf(-4, 1);
      expect(await counted()).toEqual({ counts: [5, 2, 0, 3], any: true });
      expect(
        (
          await store.countPredictions(model.id, columns, {
            ranges: [range(-4)],
            segment: { name: 'region', value: 'eu' },
          })
        ).counts,
      ).toEqual([1]);
    });

    it('finds a new model empty, and still refuses an unknown segment', async () => {
      const ranges = [{ fromMicros: T0, toMicros: T0 + MINUTE }];
      expect(await store.countPredictions(model.id, columns, { ranges, anyIn: ranges[0] })).toEqual({
        counts: [0],
        any: false,
      });
      await expect(
        store.countPredictions(model.id, columns, { ranges, segment: { name: 'nope', value: 'x' } }),
      ).rejects.toThrow('Unknown segment "nope".');
    });
  });
}

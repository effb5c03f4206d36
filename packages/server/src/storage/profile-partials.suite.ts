/**
 * Partial window profiles (see `profile-partials.ts`): part of the storage contract, run for
 * every engine by `describeStore`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ProfilePartialWindow } from './profile-partials.js';
import { createTestModel, openStoreWithModel } from './suite-support.js';
import type { ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;
const MINUTE = 60_000_000;
const HOUR = 3_600_000_000;

export function describeProfilePartials(openStore: () => Promise<Store>): void {
  describe('partial window profiles', () => {
    let store: Store;
    let model: ModelRow;
    let window: ProfilePartialWindow;

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'partials'));
      window = { modelId: model.id, windowStartMicros: T0, windowEndMicros: T0 + HOUR };
    });

    afterEach(async () => {
      await store.close();
    });

    it('reads back what was written, by shape and sub-window, and replaces rewritten ones', async () => {
      expect(await store.profilePartials.read(window, ['a'])).toEqual([]);
      await store.profilePartials.write(window, [
        { shape: 'b', bucketMicros: T0, rows: 3, payload: '{"b":0}' },
        { shape: 'a', bucketMicros: T0 + 2 * MINUTE, rows: 7, payload: '{"a":2}' },
        { shape: 'a', bucketMicros: T0, rows: 3, payload: '{"a":0}' },
      ]);
      await store.profilePartials.write(window, [
        { shape: 'a', bucketMicros: T0 + 2 * MINUTE, rows: 9, payload: '{"a":"2 again"}' },
        { shape: 'a', bucketMicros: T0 + 59 * MINUTE, rows: 1_000_000, payload: 'x'.repeat(10_000) },
      ]);
      expect(await store.profilePartials.read(window, ['a', 'b', 'c'])).toEqual([
        { shape: 'a', bucketMicros: T0, rows: 3, payload: '{"a":0}' },
        { shape: 'a', bucketMicros: T0 + 2 * MINUTE, rows: 9, payload: '{"a":"2 again"}' },
        { shape: 'a', bucketMicros: T0 + 59 * MINUTE, rows: 1_000_000, payload: 'x'.repeat(10_000) },
        { shape: 'b', bucketMicros: T0, rows: 3, payload: '{"b":0}' },
      ]);
      expect(await store.profilePartials.read(window, ['b'])).toEqual([
        { shape: 'b', bucketMicros: T0, rows: 3, payload: '{"b":0}' },
      ]);
      expect(await store.profilePartials.read(window, [])).toEqual([]);
    });

    it('keeps windows and models apart', async () => {
      const other = await createTestModel(store, 'other');
      const windows: ProfilePartialWindow[] = [
        window,
        { ...window, windowEndMicros: T0 + 2 * HOUR },
        { ...window, windowStartMicros: T0 + HOUR, windowEndMicros: T0 + 2 * HOUR },
        { ...window, modelId: other.id },
      ];
      for (const [i, w] of windows.entries())
        await store.profilePartials.write(w, [
          { shape: 's', bucketMicros: T0 + HOUR, rows: i, payload: String(i) },
        ]);
      for (const [i, w] of windows.entries())
        expect(await store.profilePartials.read(w, ['s'])).toEqual([
          { shape: 's', bucketMicros: T0 + HOUR, rows: i, payload: String(i) },
        ]);
    });

    it("prunes a model's windows that ended before a time, alone or with a write", async () => {
      const other = await createTestModel(store, 'other');
      const early = { ...window, windowEndMicros: T0 + HOUR };
      const late = { ...window, windowStartMicros: T0 + HOUR, windowEndMicros: T0 + 2 * HOUR };
      const elsewhere = { ...early, modelId: other.id };
      for (const w of [early, late, elsewhere])
        await store.profilePartials.write(w, [
          { shape: 's', bucketMicros: w.windowStartMicros, rows: 1, payload: '{}' },
        ]);
      // A window that ends exactly at the time is kept.
      expect(await store.profilePartials.prune(model.id, T0 + HOUR)).toBe(0);
      expect(await store.profilePartials.prune(model.id, T0 + HOUR + 1)).toBe(1);
      expect(await store.profilePartials.read(early, ['s'])).toEqual([]);
      expect(await store.profilePartials.read(late, ['s'])).toHaveLength(1);
      expect(await store.profilePartials.read(elsewhere, ['s'])).toHaveLength(1);
      await store.profilePartials.write(
        late,
        [{ shape: 's', bucketMicros: T0 + HOUR + MINUTE, rows: 2, payload: '{}' }],
        T0 + 3 * HOUR,
      );
      expect(await store.profilePartials.read(late, ['s'])).toEqual([
        { shape: 's', bucketMicros: T0 + HOUR + MINUTE, rows: 2, payload: '{}' },
      ]);
      expect(await store.profilePartials.read(elsewhere, ['s'])).toHaveLength(1);
    });

    it('are deleted with their model', async () => {
      await store.profilePartials.write(window, [{ shape: 's', bucketMicros: T0, rows: 1, payload: '{}' }]);
      await store.deleteModel(model.id);
      expect(await store.profilePartials.read(window, ['s'])).toEqual([]);
    });
  });
}

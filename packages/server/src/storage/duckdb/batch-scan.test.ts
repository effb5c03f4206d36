import { existsSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { toEventColumns } from '../columns.js';
import { openStoreWithModel, storedEvent } from '../suite-support.js';
import { NATIVE_BINS_FILE } from './native-bins.js';
import { DuckDbStore } from './store.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;

// A batch goes in through the extension's scan (vigil_columns) where it is loaded, else through
// the batch scan; either INSERT runs on DuckDB's worker thread when it has one, and through the
// calling thread when DuckDB has a single thread: all store the same rows, and all let a
// re-sent batch fail its key and take the staged path.
describe.each([
  { threads: 1, nativeBins: true },
  { threads: 2, nativeBins: true },
  { threads: 1, nativeBins: false },
  { threads: 2, nativeBins: false },
])(
  'batch insert with DuckDB threads = $threads, extension wanted: $nativeBins',
  ({ threads, nativeBins }) => {
    let store: DuckDbStore | undefined;
    afterEach(async () => {
      await store?.close();
    });

    it('stores a batch of several chunks, and a re-sent one only once', async () => {
      const opened = await openStoreWithModel(
        () => DuckDbStore.open({ path: ':memory:', threads, nativeBins }),
        'm',
      );
      store = opened.store as DuckDbStore;
      expect(store.db.nativeBins.loaded).toBe(nativeBins && existsSync(NATIVE_BINS_FILE));
      const { model } = opened;
      const columns = await store.addColumns(model.id, [
        { name: 'amount', role: 'feature', type: 'numeric', declared: true },
        { name: 'country', role: 'feature', type: 'categorical', declared: true },
      ]);
      const records = Array.from({ length: 5000 }, (_, i) =>
        storedEvent(`r${i}`, T0 + i, [i % 9 === 0 ? null : i / 4, `c${i % 5}`]),
      );
      const batch = toEventColumns(columns, records);
      expect(await store.insertPredictionColumns(model.id, columns, batch)).toBe(5000);
      expect(await store.insertPredictionColumns(model.id, columns, batch)).toBe(0);
      expect((await store.getPrediction(model.id, columns, 'r4097'))?.features).toEqual({
        amount: 4097 / 4,
        country: 'c2',
      });
      expect((await store.getPrediction(model.id, columns, 'r9'))?.features).toEqual({ country: 'c4' });
    });
  },
);

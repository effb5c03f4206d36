/**
 * Categorical columns are counted in one of two shapes, by the window's size: `GROUPING SETS`
 * for large windows and a `histogram` map per column for small ones. Both give the same counts,
 * ranking, "other" and null rows.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileRequest } from '../profiles.js';
import { createTestModel, storedEvent } from '../suite-support.js';
import type { ModelColumn, ModelRow } from '../types.js';
import type { DuckDbDatabase } from './database.js';
import { duckDbProfile } from './profiles.js';
import { DuckDbStore } from './store.js';

const SEED = 20261203;
const HOUR = 3_600_000_000;
const T0 = Date.UTC(2026, 10, 3) * 1000;

describe('categorical profiles in DuckDB', () => {
  let store: DuckDbStore;
  let model: ModelRow;
  let columns: ModelColumn[];
  console.log(`categorical profiles seed ${SEED}`);

  beforeAll(async () => {
    store = await DuckDbStore.open({ path: ':memory:' });
    await store.migrate();
    model = await createTestModel(store, 'categories');
    columns = await store.addColumns(model.id, [
      { name: 'country', role: 'feature', type: 'categorical', declared: true },
      { name: 'plan', role: 'feature', type: 'categorical', declared: true },
      { name: 'amount', role: 'feature', type: 'numeric', declared: true },
    ]);
    const random = createSeededRandom(SEED);
    const countries = ['DE', 'FR', 'US', 'NL', 'ES', 'IT'];
    // Three windows: skewed values, ties, nulls, and in the last one a column with nulls only.
    const events = Array.from({ length: 600 }, (_, i) => {
      const window = Math.floor(i / 200);
      const country = random.uniform() < 0.1 ? null : countries[Math.floor(random.uniform() ** 2 * 6)]!;
      const plan = window === 2 ? null : i % 4 === 0 ? 'pro' : i % 4 === 1 ? 'free' : i % 2 ? 'team' : null;
      return storedEvent(`e${i}`, T0 + window * HOUR + i, [country, plan, random.normal()], {
        prediction: random.uniform() < 0.5 ? '1' : '0',
      });
    });
    await store.insertPredictions(model.id, columns, events);
  });
  afterAll(async () => store?.close());

  it('counts, ranks and folds categories alike in both shapes', async () => {
    const db = (store as unknown as { db: DuckDbDatabase }).db;
    const requests: ProfileRequest[] = [
      {
        source: { kind: 'predictions' },
        bucketMicros: HOUR,
        categorical: [
          { key: 'country', target: { column: 'country' } },
          { key: 'top2', target: { column: 'country' }, limit: 2 },
          { key: 'plan', target: { column: 'plan' }, limit: 1 },
          { key: 'prediction', target: { field: 'prediction' } },
        ],
      },
      {
        source: { kind: 'predictions', fromMicros: T0, toMicros: T0 + 2 * HOUR },
        numeric: [{ key: 'amount', target: { column: 'amount' }, edges: [-Infinity, 0, Infinity] }],
        categorical: [{ key: 'plan', target: { column: 'plan' } }],
      },
      {
        source: { kind: 'predictions', fromMicros: T0 + 5 * HOUR },
        categorical: [{ key: 'c', target: { column: 'country' } }],
      },
    ];
    for (const request of requests) {
      const grouped = await duckDbProfile(db, model.id, columns, request, undefined, {
        groupingSetsFromRows: 0,
      });
      const mapped = await duckDbProfile(db, model.id, columns, request, undefined, {
        groupingSetsFromRows: Number.POSITIVE_INFINITY,
      });
      expect(grouped).toEqual(mapped);
    }
    const [perWindow] = [
      await duckDbProfile(db, model.id, columns, requests[0]!, undefined, { groupingSetsFromRows: 0 }),
    ];
    expect(perWindow!.map((p) => p.rows)).toEqual([200, 200, 200]);
    expect(perWindow![2]!.categorical.plan).toEqual({ counts: {}, nulls: 200, otherCount: 0 });
    expect(
      perWindow!.every((p) => p.categorical.top2!.otherCount > 0 && p.categorical.country!.nulls > 0),
    ).toBe(true);
  });
});

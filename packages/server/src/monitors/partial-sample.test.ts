/**
 * A long window's sample kept up to date from the minutes that changed is the sample drawn
 * from the whole window: after every arrival of data (new minutes, late rows into an earlier
 * minute, rows sharing a timestamp, missing values, a version's rows), the kept sample is
 * compared with a fresh draw, row for row.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../storage/duckdb/store.js';
import type { ProfileSource } from '../storage/profiles.js';
import type { RowSample } from '../storage/samples.js';
import { openStoreWithModel, storedEvent } from '../storage/suite-support.js';
import type { ModelColumn, ModelRow, Store } from '../storage/types.js';
import { PARTIAL_BUCKET_MICROS } from './partial-profile.js';
import { WindowSamples } from './partial-sample.js';

const SEED = 20261203;
const MINUTE = PARTIAL_BUCKET_MICROS;
const T0 = Date.UTC(2026, 10, 9, 14) * 1000;
const WINDOW = { kind: 'predictions', fromMicros: T0, toMicros: T0 + 60 * MINUTE } as const;
const REQUEST = { numeric: ['x', 'y'], categorical: ['kind'], limit: 60 };

describe('row samples of long windows kept from the minutes that changed', () => {
  let store: Store;
  let model: ModelRow;
  let columns: ModelColumn[];
  const random = createSeededRandom(SEED);
  console.log(`window samples seed ${SEED}`);
  let ids = 0;

  beforeEach(async () => {
    ({ store, model } = await openStoreWithModel(() => DuckDbStore.open({ path: ':memory:' }), 'sampled'));
    columns = await store.addColumns(model.id, [
      { name: 'x', role: 'feature', type: 'numeric', declared: true },
      { name: 'y', role: 'feature', type: 'numeric', declared: true },
      { name: 'kind', role: 'feature', type: 'categorical', declared: true },
    ]);
  });
  afterEach(async () => store.close());

  /** `n` rows into `minute`; with `sameTime`, all at the minute's start (ties broken by id). */
  const ingest = async (
    minute: number,
    n: number,
    options: { sameTime?: boolean; version?: string } = {},
  ) => {
    const events = Array.from({ length: n }, (_, i) => {
      // Ids of varying length and case, so that the engine's order of text matters.
      const id = `${random.uniform() < 0.5 ? 'R' : 'r'}${(ids++).toString(36)}${i % 3 === 0 ? '-x' : ''}`;
      const at = T0 + minute * MINUTE + (options.sameTime ? 0 : Math.floor(random.uniform() * MINUTE));
      return storedEvent(
        id,
        at,
        [
          random.normal(),
          random.uniform() < 0.1 ? null : random.uniform(),
          random.uniform() < 0.5 ? 'a' : null,
        ],
        options.version ? { version: options.version } : {},
      );
    });
    await store.insertPredictions(model.id, columns, events);
  };

  const minuteRows = (source: ProfileSource) => async () =>
    store.profile(model.id, columns, { source, bucketMicros: MINUTE });

  const expectSame = (kept: RowSample, drawn: RowSample, label: string) => {
    expect(kept.totalRows, label).toBe(drawn.totalRows);
    expect(kept.rows, label).toBe(drawn.rows);
    for (const name of REQUEST.numeric)
      expect([...kept.numeric[name]!], label).toEqual([...drawn.numeric[name]!]);
    for (const name of REQUEST.categorical)
      expect(kept.categorical[name], label).toEqual(drawn.categorical[name]);
    expect(kept.ranks, label).toBeUndefined();
  };

  it('equals a draw over the whole window after every arrival, drawing only changed minutes', async () => {
    const samples = new WindowSamples();
    const step = async (
      label: string,
      open = true,
      source: ProfileSource & { kind: 'predictions' } = WINDOW,
    ) => {
      const drawnBefore = { ...samples.drawn };
      const kept = await samples.sample(store, model.id, columns, source, REQUEST, minuteRows(source), open);
      const drawn = await store.sampleRows(model.id, columns, { ...REQUEST, source });
      expectSame(kept, drawn, label);
      return {
        whole: samples.drawn.whole - drawnBefore.whole,
        minutes: samples.drawn.minutes - drawnBefore.minutes,
      };
    };

    for (const minute of [0, 1, 2]) await ingest(minute, 40);
    expect(await step('first evaluation: drawn whole')).toEqual({ whole: 120, minutes: 0 });
    await ingest(3, 40);
    await ingest(4, 40);
    expect(await step('two new minutes')).toEqual({ whole: 0, minutes: 80 });
    expect(await step('nothing new')).toEqual({ whole: 0, minutes: 0 });
    // Late rows into minute 1 and rows sharing a timestamp in a new minute.
    await ingest(1, 5);
    await ingest(7, 30, { sameTime: true });
    expect(await step('late rows, ties in time')).toEqual({ whole: 0, minutes: 45 + 30 });
    // Another version's rows change the window's minute counts but not the version's.
    await ingest(8, 20, { version: 'v2' });
    const v1 = { ...WINDOW, version: 'v1' };
    await step('one version: drawn whole', true, v1);
    await ingest(9, 10, { version: 'v2' });
    expect(await step('the other version changed', true, v1)).toEqual({ whole: 0, minutes: 0 });
    // Changes in more than four runs of minutes: one range from the first to the last.
    for (const minute of [10, 12, 14, 16, 18]) await ingest(minute, 8);
    expect((await step('five runs')).minutes).toBeGreaterThan(40);
    // The window closes: its last evaluation still merges.
    await ingest(59, 12);
    expect(await step('window closed', false)).toEqual({ whole: 0, minutes: 12 });
    expect(samples.size).toBe(2);
  });

  it('equals a draw over the whole window over many random arrivals', async () => {
    const samples = new WindowSamples();
    for (let step = 0; step < 40; step++) {
      // Mostly the newest minutes, sometimes late rows into any earlier one.
      const newest = Math.min(59, Math.floor(step * 1.5));
      const minute = random.uniform() < 0.3 ? Math.floor(random.uniform() * (newest + 1)) : newest;
      await ingest(minute, 1 + Math.floor(random.uniform() * 60), { sameTime: random.uniform() < 0.2 });
      const kept = await samples.sample(store, model.id, columns, WINDOW, REQUEST, minuteRows(WINDOW), true);
      const drawn = await store.sampleRows(model.id, columns, { ...REQUEST, source: WINDOW });
      expectSame(kept, drawn, `step ${step}, minute ${minute}`);
    }
    expect(samples.drawn.whole).toBeLessThan(60);
  });

  it('draws a closed window it does not keep as usual, and forgets the least recently used', async () => {
    for (const minute of [0, 1, 2]) await ingest(minute, 30);
    const samples = new WindowSamples(REQUEST.limit);
    const other = { ...WINDOW, fromMicros: WINDOW.toMicros, toMicros: WINDOW.toMicros + 60 * MINUTE };
    await samples.sample(store, model.id, columns, WINDOW, REQUEST, minuteRows(WINDOW), false);
    expect(samples.size).toBe(0);
    await samples.sample(store, model.id, columns, WINDOW, REQUEST, minuteRows(WINDOW), true);
    expect(samples.size).toBe(1);
    await samples.sample(store, model.id, columns, other, REQUEST, minuteRows(other), true);
    // Both are 60 rows at most (the other window is empty): the first is forgotten only when
    // they would exceed the bound.
    expect(samples.size).toBe(2);
    await ingest(61, 70);
    const drawn = samples.drawn.whole;
    await samples.sample(store, model.id, columns, other, REQUEST, minuteRows(other), true);
    expect(samples.drawn.whole).toBe(drawn);
    expect(samples.size).toBe(1);
  });
});

/**
 * The traffic rollup's migration fills it from the prediction tables of a database that
 * predates it, in the migration's transaction.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toEventColumns } from '../columns.js';
import { storedEvent } from '../suite-support.js';
import { DuckDbStore } from './store.js';
import { hourlyTraffic } from './traffic.js';

const HOUR = 3_600_000_000;
const T0 = Date.UTC(2026, 0, 5) * 1000;
const folder = mkdtempSync(join(tmpdir(), 'vigil-traffic-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

const record = (id: string, timestampMicros: number, version: string | null) =>
  storedEvent(id, timestampMicros, [], { version, score: null });

const newModel = (
  store: DuckDbStore,
  projectId: number,
  name: string,
  task: 'binary_classification' | 'regression',
) =>
  store.createModel({ projectId, name, task, description: null, tags: {}, schema: null, schemaSource: null });

/** A store on `file` (in the test's folder), migrated, and its default project. */
async function openMigrated(file: string) {
  const store = await DuckDbStore.open({ path: join(folder, file) });
  await store.migrate();
  return { store, projectId: (await store.ensureProject('default')).id };
}

describe('traffic rollup', () => {
  it('is filled from existing prediction tables by its migration', async () => {
    const path = join(folder, 'vigil.duckdb');
    let { store, projectId } = await openMigrated('vigil.duckdb');
    const model = await newModel(store, projectId, 'churn', 'binary_classification');
    const idle = await newModel(store, projectId, 'idle', 'regression');
    const columns = await store.listColumns(model.id);
    const records = [
      record('a', T0 + 1, 'v1'),
      record('b', T0 + 2, 'v2'),
      record('c', T0 + HOUR, null),
      record('d', T0 + 5 * HOUR + 7, 'v3'),
    ];
    await store.insertPredictionColumns(model.id, columns, toEventColumns(columns, records));
    // The database as it was before the rollup existed.
    await store.db.write('DROP TABLE prediction_traffic');
    await store.db.write('DROP TABLE model_traffic');
    await store.db.write('DROP TABLE traffic_deltas');
    await store.db.write('DELETE FROM schema_migrations WHERE version IN (140, 158)');
    await store.close();

    store = await DuckDbStore.open({ path });
    try {
      await store.migrate();
      expect(await store.lastPredictionTimes([model.id, idle.id])).toEqual(
        new Map([[model.id, T0 + 5 * HOUR + 7]]),
      );
      const [traffic] = await store.overview.traffic([model.id], {
        fromMicros: T0,
        toMicros: T0 + 6 * HOUR,
        buckets: 3,
      });
      expect(traffic).toEqual({ modelId: model.id, latestVersion: 'v3', traffic: [3, 0, 1] });
    } finally {
      await store.close();
    }
  });

  it('sums the deltas of many group commits with the rollup, before and after they are folded in', async () => {
    const path = join(folder, 'deltas.duckdb');
    let { store, projectId } = await openMigrated('deltas.duckdb');
    const model = await newModel(store, projectId, 'busy', 'binary_classification');
    const columns = await store.listColumns(model.id);
    // 24 batches, each a prediction in each of 26 hours (26 deltas a batch): the deltas pass the
    // mark (512) with the 20th batch, are folded into the rollup after its commit, before the 21st
    // batch's (queued on the write lock first), and 4 batches' worth stay as deltas.
    const HOURS = 26;
    const BATCHES = 24;
    for (let b = 0; b < BATCHES; b++) {
      const records = Array.from({ length: HOURS }, (_, h) =>
        record(`b${b}h${h}`, T0 + h * HOUR + b, b % 5 === 4 ? null : `v${b}`),
      );
      await store.insertPredictionColumns(model.id, columns, toEventColumns(columns, records));
    }
    const deltas = async () =>
      Number((await store.db.read('SELECT count(*) AS n FROM traffic_deltas'))[0]?.n);
    expect(await deltas()).toBe((BATCHES - 20) * HOURS);
    const expected = {
      modelId: model.id,
      // The newest prediction with a version: the last batch's (every fifth batch has none).
      latestVersion: 'v23',
      traffic: new Array(HOURS).fill(BATCHES),
    };
    const read = async () => ({
      last: await store.lastPredictionTimes([model.id]),
      traffic: (
        await store.overview.traffic([model.id], {
          fromMicros: T0,
          toMicros: T0 + HOURS * HOUR,
          buckets: HOURS,
        })
      )[0],
    });
    const last = new Map([[model.id, T0 + (HOURS - 1) * HOUR + BATCHES - 1]]);
    expect(await read()).toEqual({ last, traffic: expected });
    await store.close();
    // Opening folds in what is left.
    store = await DuckDbStore.open({ path });
    try {
      await store.migrate();
      expect(await deltas()).toBe(0);
      expect(await read()).toEqual({ last, traffic: expected });
    } finally {
      await store.close();
    }
  });

  it('splits a batch into hours with their earliest and newest times and the newest version', () => {
    const times = [T0 + 5, T0 + 1, T0 + HOUR, T0 - 1];
    const versions = ['v2', 'v1', null, 'v0'];
    expect(
      hourlyTraffic(
        times.length,
        (i) => times[i]!,
        (i) => versions[i]!,
      ),
    ).toEqual([
      {
        hourMicros: T0,
        predictions: 2,
        firstMicros: T0 + 1,
        lastMicros: T0 + 5,
        version: 'v2',
        versionMicros: T0 + 5,
      },
      {
        hourMicros: T0 + HOUR,
        predictions: 1,
        firstMicros: T0 + HOUR,
        lastMicros: T0 + HOUR,
        version: null,
        versionMicros: null,
      },
      {
        hourMicros: T0 - HOUR,
        predictions: 1,
        firstMicros: T0 - 1,
        lastMicros: T0 - 1,
        version: 'v0',
        versionMicros: T0 - 1,
      },
    ]);
  });
});

import { afterEach, beforeEach, expect, it } from 'vitest';
import { labelsTable } from '../sql.js';
import { storedEvent } from '../suite-support.js';
import type { EventRecord, ModelColumn, ModelRow } from '../types.js';
import { DuckDbStore } from './store.js';
import { TRAFFIC_HOURS, TRAFFIC_TOTALS } from './traffic.js';

let store: DuckDbStore;
let model: ModelRow;
let columns: ModelColumn[];

beforeEach(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  await store.migrate();
  const project = await store.ensureProject('default');
  model = await store.createModel({
    projectId: project.id,
    name: 'grouped',
    task: 'regression',
    description: null,
    tags: {},
    schema: null,
    schemaSource: null,
  });
  columns = await store.addColumns(model.id, [
    { name: 'x', role: 'feature', type: 'numeric', declared: false },
  ]);
});
afterEach(async () => {
  await store.close();
});

function batch(ids: string[]): EventRecord[] {
  return ids.map((id, i) =>
    storedEvent(id, Date.UTC(2026, 0, 5) * 1000 + i, [i], {
      version: null,
      score: null,
      label: id.endsWith('L') ? '2' : null,
      labelNumber: id.endsWith('L') ? 2 : null,
    }),
  );
}

async function storedIds(): Promise<string[]> {
  const rows = await store.db.read(`SELECT id FROM m${model.id}_predictions ORDER BY id`);
  return rows.map((r) => r.id as string);
}

it('commits batches that wait for the writer together, once, and each after its rows are in', async () => {
  // Hold the writer, queue five batches, then let them go: they share one commit.
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const held = store.db.writeLock.run(() => gate);
  const inserts = [0, 1, 2, 3, 4].map((n) =>
    store.insertPredictions(model.id, columns, batch([`a${n}`, `b${n}L`])),
  );
  for (let i = 0; i < 100 && store.db.waitingForCommit < 5; i++) await new Promise((r) => setTimeout(r, 5));
  expect(store.db.waitingForCommit).toBe(5);
  const before = store.db.commitCount;
  const activityBefore = store.writerActivity();
  open();
  await held;
  expect(await Promise.all(inserts)).toEqual([2, 2, 2, 2, 2]);
  expect(store.db.commitCount - before).toBe(1);
  // The metrics' account of the writer: one group of five works, which waited for it.
  const activity = store.writerActivity();
  expect(activity.groupCommits - activityBefore.groupCommits).toBe(1);
  expect(activity.groupedWorks - activityBefore.groupedWorks).toBe(5);
  expect(activity.groupWaitSeconds).toBeGreaterThan(activityBefore.groupWaitSeconds);
  expect(activity.writerHeldSeconds).toBeGreaterThan(activityBefore.writerHeldSeconds);
  expect(await storedIds()).toHaveLength(10);
  const labels = await store.db.read(`SELECT count(*)::INTEGER AS n FROM ${labelsTable(model.id)}`);
  expect(labels[0]?.n).toBe(5);
});

it('fails only the batch that repeats stored ids: it is stored once, the others of its group as they are', async () => {
  await store.insertPredictions(model.id, columns, batch(['dup']));
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const held = store.db.writeLock.run(() => gate);
  const inserts = [
    store.insertPredictions(model.id, columns, batch(['c1', 'c2'])),
    store.insertPredictions(model.id, columns, batch(['dup', 'c3'])),
    store.insertPredictions(model.id, columns, batch(['c4'])),
  ];
  for (let i = 0; i < 100 && store.db.waitingForCommit < 3; i++) await new Promise((r) => setTimeout(r, 5));
  open();
  await held;
  // The repeated id is skipped: its batch stores one new row.
  expect(await Promise.all(inserts)).toEqual([2, 1, 1]);
  expect(await storedIds()).toEqual(['c1', 'c2', 'c3', 'c4', 'dup']);
});

it('writes the traffic rollup once per group, adding up its batches, and counts a retried group once', async () => {
  const HOUR = 3_600_000_000;
  const t0 = Date.UTC(2026, 0, 5) * 1000;
  const at = (id: string, micros: number, version: string | null) =>
    storedEvent(id, micros, [1], { version, score: null, label: null, labelNumber: null });
  await store.insertPredictions(model.id, columns, [at('old', t0 + 3, 'v0')]);
  let open = () => {};
  const gate = new Promise<void>((resolve) => {
    open = resolve;
  });
  const held = store.db.writeLock.run(() => gate);
  const inserts = [
    store.insertPredictions(model.id, columns, [at('p1', t0 + 10, 'v1'), at('p2', t0 + HOUR + 1, null)]),
    // A repeated id fails the group: every batch is then stored in a transaction of its own.
    store.insertPredictions(model.id, columns, [at('old', t0 + 3, 'v0'), at('p3', t0 + 5, 'v2')]),
    store.insertPredictions(model.id, columns, [at('p4', t0 + 20, null), at('p5', t0 + HOUR + 9, 'v3')]),
  ];
  for (let i = 0; i < 100 && store.db.waitingForCommit < 3; i++) await new Promise((r) => setTimeout(r, 5));
  open();
  await held;
  expect(await Promise.all(inserts)).toEqual([2, 1, 2]);
  const hours = await store.db.read(
    `SELECT hour_us::DOUBLE AS hour, sum(predictions)::INTEGER AS n, max(last_us)::DOUBLE AS last,
       arg_max(version, version_us) FILTER (WHERE version_us IS NOT NULL) AS version
     FROM ${TRAFFIC_HOURS} t WHERE model_id = $1 GROUP BY hour_us ORDER BY hour_us`,
    [model.id],
  );
  expect(hours).toEqual([
    { hour: t0, n: 4, last: t0 + 20, version: 'v1' },
    { hour: t0 + HOUR, n: 2, last: t0 + HOUR + 9, version: 'v3' },
  ]);
  const total = await store.db.read(
    `SELECT sum(predictions)::INTEGER AS n, max(last_us)::DOUBLE AS last FROM ${TRAFFIC_TOTALS} t WHERE model_id = $1`,
    [model.id],
  );
  expect(total).toEqual([{ n: 6, last: t0 + HOUR + 9 }]);

  // One group whose batches come out of time order: the newest prediction's version wins.
  let open2 = () => {};
  const gate2 = new Promise<void>((resolve) => {
    open2 = resolve;
  });
  const held2 = store.db.writeLock.run(() => gate2);
  const more = [
    store.insertPredictions(model.id, columns, [at('q1', t0 + 30, 'v4')]),
    store.insertPredictions(model.id, columns, [at('q2', t0 + 25, 'v5')]),
  ];
  for (let i = 0; i < 100 && store.db.waitingForCommit < 2; i++) await new Promise((r) => setTimeout(r, 5));
  const before = store.db.commitCount;
  open2();
  await held2;
  expect(await Promise.all(more)).toEqual([1, 1]);
  expect(store.db.commitCount - before).toBe(1);
  const after = await store.db.read(
    `SELECT sum(predictions)::INTEGER AS n, arg_max(version, version_us) FILTER (WHERE version_us IS NOT NULL) AS version
     FROM ${TRAFFIC_HOURS} t WHERE model_id = $1 AND hour_us = $2::BIGINT`,
    [model.id, t0],
  );
  expect(after).toEqual([{ n: 6, version: 'v4' }]);
});

it('adds a batch spread over many hours (a backfill) to the rollup, beside hours already there', async () => {
  const HOUR = 3_600_000_000;
  const t0 = Date.UTC(2026, 0, 5) * 1000;
  const at = (id: string, micros: number) =>
    storedEvent(id, micros, [1], { version: 'v1', score: null, label: null, labelNumber: null });
  await store.insertPredictions(model.id, columns, [at('first', t0 + 1)]);
  const backfill = Array.from({ length: 6 }, (_, h) => at(`b${h}`, t0 + h * HOUR + 2));
  expect(await store.insertPredictions(model.id, columns, backfill)).toBe(6);
  const hours = await store.db.read(
    `SELECT ((hour_us - $2::BIGINT) // ${HOUR})::INTEGER AS h, sum(predictions)::INTEGER AS n
     FROM ${TRAFFIC_HOURS} t WHERE model_id = $1 GROUP BY hour_us ORDER BY hour_us`,
    [model.id, t0],
  );
  expect(hours).toEqual([
    { h: 0, n: 2 },
    { h: 1, n: 1 },
    { h: 2, n: 1 },
    { h: 3, n: 1 },
    { h: 4, n: 1 },
    { h: 5, n: 1 },
  ]);
  const total = await store.db.read(
    `SELECT sum(predictions)::INTEGER AS n FROM ${TRAFFIC_TOTALS} t WHERE model_id = $1`,
    [model.id],
  );
  expect(total).toEqual([{ n: 7 }]);
});

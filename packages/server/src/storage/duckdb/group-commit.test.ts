import { afterEach, beforeEach, expect, it } from 'vitest';
import { storedEvent } from '../suite-support.js';
import type { EventRecord, ModelColumn, ModelRow } from '../types.js';
import { DuckDbStore } from './store.js';

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
  open();
  await held;
  expect(await Promise.all(inserts)).toEqual([2, 2, 2, 2, 2]);
  expect(store.db.commitCount - before).toBe(1);
  expect(await storedIds()).toHaveLength(10);
  const labels = await store.db.read('SELECT count(*)::INTEGER AS n FROM labels WHERE model_id = $1', [
    model.id,
  ]);
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

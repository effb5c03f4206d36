/**
 * Labels per model (labels.ts): the migration moves the single table of before into them,
 * each label with its prediction's timestamp, and keeps those without a prediction waiting.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { labelsTable } from '../sql.js';
import { createTestModel, storedEvent } from '../suite-support.js';
import { DuckDbStore } from './store.js';

const HOUR = 3_600_000_000;
const T0 = Date.UTC(2026, 0, 5) * 1000;
const folder = mkdtempSync(join(tmpdir(), 'vigil-labels-'));
afterAll(() => rmSync(folder, { recursive: true, force: true }));

describe('labels per model', () => {
  it('are moved out of the single labels table by their migration, the waiting ones kept', async () => {
    const path = join(folder, 'vigil.duckdb');
    let store = await DuckDbStore.open({ path });
    await store.migrate();
    const model = await createTestModel(store, 'churn');
    const columns = await store.listColumns(model.id);
    await store.insertPredictions(model.id, columns, [
      storedEvent('b', T0 + HOUR, [], { prediction: '1' }),
      storedEvent('a', T0, [], { prediction: '0' }),
    ]);
    // The database as it was before: one table of every model's labels.
    await store.db.write(`DROP TABLE ${labelsTable(model.id)}`);
    await store.db.write('DROP TABLE pending_labels');
    await store.db.write(`CREATE TABLE labels (
      model_id INTEGER NOT NULL, id VARCHAR NOT NULL, label VARCHAR NOT NULL, label_num DOUBLE,
      ts TIMESTAMP NOT NULL, received_at TIMESTAMP NOT NULL, PRIMARY KEY (model_id, id))`);
    await store.db.write(
      `INSERT INTO labels VALUES ($1, 'a', '1', 1, make_timestamp(5), now()), ($1, 'b', '0', 0, make_timestamp(6), now()),
        ($1, 'early', '1', 1, make_timestamp(7), now()), ($2, 'a', '0', 0, make_timestamp(8), now())`,
      [model.id, model.id + 1000],
    );
    await store.db.write('DELETE FROM schema_migrations WHERE version = 157');
    await store.close();

    store = await DuckDbStore.open({ path });
    try {
      await store.migrate();
      // In the order of their predictions' timestamps, each with that timestamp.
      const moved = await store.db.read(
        `SELECT id, label, epoch_us(prediction_ts)::DOUBLE AS at FROM ${labelsTable(model.id)} ORDER BY rowid`,
      );
      expect(moved).toEqual([
        { id: 'a', label: '1', at: T0 },
        { id: 'b', label: '0', at: T0 + HOUR },
      ]);
      const waiting = await store.db.read('SELECT model_id, id FROM pending_labels ORDER BY ALL');
      expect(waiting).toEqual([
        { model_id: model.id, id: 'early' },
        { model_id: model.id + 1000, id: 'a' },
      ]);
      // A waiting label joins its prediction when it comes.
      await store.insertPredictions(model.id, columns, [
        storedEvent('early', T0 + 2 * HOUR, [], { prediction: '1' }),
      ]);
      expect(
        await store.confusionCounts(model.id, {
          source: { kind: 'predictions', fromMicros: T0, toMicros: T0 + 3 * HOUR },
        }),
      ).toEqual([
        { windowStartMicros: null, prediction: '0', label: '1', count: 1 },
        { windowStartMicros: null, prediction: '1', label: '0', count: 1 },
        { windowStartMicros: null, prediction: '1', label: '1', count: 1 },
      ]);
      // Deleting the model deletes its labels, stored and waiting.
      await store.upsertLabels(model.id, [{ id: 'later', label: '1', labelNumber: 1, timestampMicros: T0 }]);
      await store.deleteModel(model.id);
      expect(await store.db.read('SELECT model_id, id FROM pending_labels')).toEqual([
        { model_id: model.id + 1000, id: 'a' },
      ]);
      expect(
        await store.db.read(`SELECT count(*)::INTEGER AS n FROM duckdb_tables() WHERE table_name = $1`, [
          labelsTable(model.id),
        ]),
      ).toEqual([{ n: 0 }]);
    } finally {
      await store.close();
    }
  });
});

import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { SeriesState, SeriesWindow } from '../alerts.js';
import type { ModelRow } from '../types.js';
import { decodeWindows, encodeWindows } from './alerts.js';
import type { DuckDbDatabase } from './database.js';
import { DuckDbStore } from './store.js';

const MINUTE_US = 60_000_000;

const window = (minute: number, outcome: SeriesWindow['outcome'], value: number | null): SeriesWindow => ({
  startMicros: 1_796_264_580_000_000 + minute * MINUTE_US,
  endMicros: 1_796_264_580_000_000 + (minute + 1) * MINUTE_US,
  seq: 100 + minute,
  value,
  lower: minute % 2 === 0 ? null : -0.5,
  upper: 0.1,
  outcome,
});

describe('series windows as DuckDB stores them', () => {
  let store: DuckDbStore;
  let model: ModelRow;
  beforeEach(async () => {
    store = await DuckDbStore.open({ path: ':memory:' });
    await store.migrate();
    const project = await store.ensureProject('default');
    model = await store.createModel({
      projectId: project.id,
      name: 'fraud',
      task: 'binary_classification',
      description: null,
      tags: {},
      schema: null,
      schemaSource: null,
    });
  });
  afterEach(() => store.close());

  const db = () => (store as unknown as { db: DuckDbDatabase }).db;
  /** What the table holds, not what the engine's memory keeps. */
  const fromTable = (fingerprints: string[]) =>
    (store.alerts as unknown as { readSeriesStates(f: string[]): Promise<SeriesState[]> }).readSeriesStates(
      fingerprints,
    );
  const series = (fingerprint: string, windows: SeriesWindow[], detector: unknown = null): SeriesState => ({
    fingerprint,
    modelId: model.id,
    ruleId: null,
    windows,
    detector,
    lastFedMicros: detector === null ? null : windows.at(-1)!.startMicros,
  });
  const batch = (cursor: number, states: SeriesState[]) =>
    store.alerts.applyEvaluation({
      cursor,
      series: states,
      insertAlerts: [],
      updateAlerts: [],
      deleteAlerts: [],
      groups: [],
    });

  it('encodes each window as an array and decodes it as it was', () => {
    const windows = [
      window(0, 'ok', 0.012345678901234567),
      window(1, 'breach', 2000),
      window(2, 'no_data', null),
    ];
    expect(encodeWindows(windows)).toBe(
      JSON.stringify(
        windows.map((w) => [w.startMicros, w.endMicros, w.seq, w.value, w.lower, w.upper, w.outcome]),
      ),
    );
    expect(decodeWindows(encodeWindows(windows))).toEqual(windows);
    expect(decodeWindows(encodeWindows([]))).toEqual([]);
  });

  it('updates the series that exist and inserts the others in one batch', async () => {
    await batch(1, [series('a', [window(0, 'ok', 0.01)]), series('b', [window(0, 'breach', 0.5)], { s: 1 })]);
    const next = [
      series('a', [window(0, 'ok', 0.01), window(1, 'no_data', null)]),
      series('b', [window(0, 'breach', 0.5), window(1, 'ok', 0.02)], { s: 2 }),
      series('c', [window(1, 'breach', 3)]),
    ];
    await batch(2, next);
    expect(await fromTable(['a', 'b', 'c'])).toEqual(expect.arrayContaining(next));
    expect(await fromTable(['a', 'b', 'c'])).toHaveLength(3);
    expect(await store.alerts.cursor()).toBe(2);
  });

  it('reads the windows of series stored as lists of objects, and rewrites them as arrays', async () => {
    const windows = [window(0, 'ok', 0.01), window(1, 'breach', 0.5)];
    await db().write(
      `INSERT INTO alert_series (fingerprint, model_id, rule_id, windows, detector, last_fed_us)
       VALUES ('old', $1, NULL, $2, NULL, NULL)`,
      [model.id, JSON.stringify(windows)],
    );
    expect(await store.alerts.seriesStates(['old'])).toEqual([series('old', windows)]);
    const longer = [...windows, window(2, 'ok', 0.03)];
    await batch(1, [series('old', longer)]);
    expect(await fromTable(['old'])).toEqual([series('old', longer)]);
    const [row] = await db().read("SELECT windows FROM alert_series WHERE fingerprint = 'old'");
    expect(row!.windows).toBe(encodeWindows(longer));
  });
});

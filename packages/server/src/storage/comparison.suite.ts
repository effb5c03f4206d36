/** The contract of champion / challenger storage (shadow predictions, paired aggregates), from `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PairedScope } from './comparison.js';
import type { EventRecord, ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;
const HOUR = 3_600_000_000;

function served(id: string, ts: number, version: string, prediction: string, score: number): EventRecord {
  return {
    id,
    timestampMicros: ts,
    version,
    prediction,
    predictionNumber: Number(prediction),
    score,
    scores: null,
    label: null,
    labelNumber: null,
    values: [],
    invalid: null,
    violations: [],
  };
}

const shadow = (id: string, ts: number, prediction: string, score: number) => ({
  id,
  timestampMicros: ts,
  prediction,
  predictionNumber: Number(prediction),
  score,
  scores: null,
});

export function describeComparisonStore(openStore: () => Promise<Store>): void {
  describe('Comparison contract', () => {
    let store: Store;
    let model: ModelRow;
    const scope = (extra: Partial<PairedScope> = {}): PairedScope => ({
      versionA: '1',
      versionB: '2',
      fromMicros: T0,
      toMicros: T0 + 2 * HOUR,
      windowMicros: null,
      ...extra,
    });

    beforeEach(async () => {
      store = await openStore();
      await store.migrate();
      const projectId = (await store.ensureProject('default')).id;
      model = await store.createModel({
        projectId,
        name: 'churn',
        task: 'binary_classification',
        description: null,
        tags: {},
        schema: null,
        schemaSource: null,
      });
      // Version 1 serves r0..r5; version 2 shadows r0..r4 (and r9, which nobody served).
      await store.insertPredictions(
        model.id,
        [],
        ['1', '1', '0', '0', '1', '0'].map((p, i) => served(`r${i}`, T0 + i * 20 * 60_000_000, '1', p, 0.5)),
      );
      await store.upsertLabels(
        model.id,
        ['1', '0', '0', '1', '1'].map((label, i) => ({
          id: `r${i}`,
          label,
          labelNumber: Number(label),
          timestampMicros: T0 + 3 * HOUR,
        })),
      );
    });
    afterEach(async () => {
      await store.close();
    });

    it('stores shadow predictions once per version and id, and not for ids the version served', async () => {
      const rows = ['1', '0', '0', '1', '1'].map((p, i) =>
        shadow(`r${i}`, T0 + i * 20 * 60_000_000 + 1000, p, 0.7),
      );
      expect(await store.comparison.insertShadowPredictions(model.id, '2', rows)).toBe(5);
      expect(await store.comparison.insertShadowPredictions(model.id, '2', rows)).toBe(0);
      // Version 1 served r0 already: its shadow copy is not stored.
      expect(await store.comparison.insertShadowPredictions(model.id, '1', [rows[0]!])).toBe(0);
    });

    it('pairs served and shadow predictions on id with their labels, overall and per window', async () => {
      await store.comparison.insertShadowPredictions(model.id, '2', [
        ...['1', '0', '0', '1', '1'].map((p, i) => shadow(`r${i}`, T0 + i * 20 * 60_000_000 + 1000, p, 0.7)),
        shadow('r9', T0, '1', 0.7),
      ]);
      const [overall] = await store.comparison.pairedCounts(model.id, scope());
      // Labels r0..r4 = 1 0 0 1 1; A predicts 1 1 0 0 1; B predicts 1 0 0 1 1 (all right).
      expect(overall).toEqual({
        windowStartMicros: null,
        pairs: 5,
        agreeing: 3,
        absoluteDifferenceSum: 2,
        numericPairs: 5,
        labelled: 5,
        bothRight: 3,
        onlyA: 0,
        onlyB: 2,
        bothWrong: 0,
      });
      const windows = await store.comparison.pairedCounts(model.id, scope({ windowMicros: HOUR }));
      expect(windows.map((w) => [w.windowStartMicros, w.pairs])).toEqual([
        [T0, 3],
        [T0 + HOUR, 2],
      ]);
      const sample = await store.comparison.pairedSample(model.id, scope(), 3);
      expect(sample).toHaveLength(3);
      expect(await store.comparison.pairedSample(model.id, scope(), 3)).toEqual(sample);
      expect(sample.every((r) => r.scoreA === 0.5 && r.scoreB === 0.7)).toBe(true);

      const identity = Array.from({ length: 1000 }, (_, b) => (b + 0.5) / 1000);
      const expected = await store.comparison.expectedConfusion(model.id, scope(), '1', identity, identity);
      const a = expected.find((e) => e.side === 'a')!;
      // A predicts positive 3 times with calibrated 0.5005, negative twice.
      expect(a.scored).toBe(5);
      expect(a.tp).toBeCloseTo(3 * 0.5005, 9);
      expect(a.fn).toBeCloseTo(2 * 0.5005, 9);
    });

    it('finds no pairs outside the period or for a version with no predictions', async () => {
      expect(await store.comparison.pairedCounts(model.id, scope({ versionB: '7' }))).toEqual([]);
      expect(
        await store.comparison.pairedCounts(
          model.id,
          scope({ fromMicros: T0 + 5 * HOUR, toMicros: T0 + 6 * HOUR }),
        ),
      ).toEqual([]);
    });
  });
}

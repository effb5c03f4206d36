/** The contract of champion / challenger storage (shadow predictions, paired aggregates), from `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PairedScope } from './comparison.js';
import { openStoreWithModel } from './suite-support.js';
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
      ({ store, model } = await openStoreWithModel(openStore, 'churn'));
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
      const summary = (extra: Partial<PairedScope> = {}, sampleLimit = 10) =>
        store.comparison.pairedSummary(model.id, scope(extra), { sampleLimit, scoreBins: true });
      const { counts, sample, scoreBins } = await summary();
      // Labels r0..r4 = 1 0 0 1 1; A predicts 1 1 0 0 1; B predicts 1 0 0 1 1 (all right).
      expect(counts).toEqual([
        {
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
        },
      ]);
      const windows = (await summary({ windowMicros: HOUR })).counts;
      expect(windows.map((w) => [w.windowStartMicros, w.pairs])).toEqual([
        [T0, 3],
        [T0 + HOUR, 2],
      ]);
      // The sample is a prefix of one fixed order, whatever its size.
      expect(sample).toHaveLength(5);
      const first3 = (await summary({}, 3)).sample;
      expect(first3).toEqual(sample.slice(0, 3));
      expect((await summary({}, 3)).sample).toEqual(first3);
      expect(sample.every((r) => r.scoreA === 0.5 && r.scoreB === 0.7)).toBe(true);
      // Scores 0.5 and 0.7 fall in bins 500 and 700, counted by side and prediction.
      expect(scoreBins).toEqual([
        { windowStartMicros: null, side: 'a', prediction: '0', bins: [500], counts: [2] },
        { windowStartMicros: null, side: 'a', prediction: '1', bins: [500], counts: [3] },
        { windowStartMicros: null, side: 'b', prediction: '0', bins: [700], counts: [2] },
        { windowStartMicros: null, side: 'b', prediction: '1', bins: [700], counts: [3] },
      ]);
      const withoutBins = await store.comparison.pairedSummary(model.id, scope(), {
        sampleLimit: 0,
        scoreBins: false,
      });
      expect([withoutBins.sample, withoutBins.scoreBins]).toEqual([[], []]);
    });

    it('finds no pairs outside the period or for a version with no predictions', async () => {
      const summary = (extra: Partial<PairedScope>) =>
        store.comparison.pairedSummary(model.id, scope(extra), { sampleLimit: 10, scoreBins: true });
      const empty = { counts: [], sample: [], scoreBins: [] };
      expect(await summary({ versionB: '7' })).toEqual(empty);
      expect(await summary({ fromMicros: T0 + 5 * HOUR, toMicros: T0 + 6 * HOUR })).toEqual(empty);
    });
  });
}

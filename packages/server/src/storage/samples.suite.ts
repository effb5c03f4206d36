/**
 * Row samples and the windows of labelled predictions: part of the storage contract, run for
 * every engine by `describeStore`.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openStoreWithModel, storedEvent } from './suite-support.js';
import type { ModelColumn, ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;
const MINUTE = 60_000_000;
const HOUR = 3_600_000_000;

const event = storedEvent;
/** Ids of the uniformity test are drawn from this seed (printed, so a failure can be replayed). */
const SAMPLE_SEED = 20261202;

export function describeSamples(openStore: () => Promise<Store>): void {
  describe('row samples and label windows', () => {
    let store: Store;
    let model: ModelRow;
    let columns: ModelColumn[];

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'sampled'));
      columns = await store.addColumns(model.id, [
        { name: 'x', role: 'feature', type: 'numeric', declared: true },
        { name: 'y', role: 'feature', type: 'numeric', declared: true },
        { name: 'kind', role: 'feature', type: 'categorical', declared: true },
        { name: 'flag', role: 'feature', type: 'boolean', declared: true },
      ]);
    });

    afterEach(async () => {
      await store.close();
    });

    const rows = (n: number, prefix: string, start: number) =>
      Array.from({ length: n }, (_, i) =>
        event(`${prefix}${i}`, start + i * MINUTE, [
          i,
          i % 7 === 0 ? null : 2 * i,
          i % 2 ? 'a' : 'b',
          i % 3 === 0,
        ]),
      );

    it('draws a bounded sample, the same every time, in recorded order, with missing values', async () => {
      await store.insertPredictions(model.id, columns, rows(500, 'p', T0));
      const request = {
        source: { kind: 'predictions' as const, fromMicros: T0, toMicros: T0 + 300 * MINUTE },
        numeric: ['x', 'y'],
        categorical: ['kind', 'flag'],
        limit: 50,
      };
      const sample = await store.sampleRows(model.id, columns, request);
      expect(sample.totalRows).toBe(300);
      expect(sample.rows).toBe(50);
      const x = [...sample.numeric.x!];
      // inside the window, ascending (recorded order), and spread over it rather than its first rows
      expect(x.every((v) => v >= 0 && v < 300)).toBe(true);
      expect(x).toEqual([...x].sort((a, b) => a - b));
      expect(Math.max(...x)).toBeGreaterThan(150);
      // the row's own values travel together; missing numbers are NaN; booleans are text
      x.forEach((v, r) => {
        expect(Number.isNaN(sample.numeric.y![r]!)).toBe(v % 7 === 0);
        if (v % 7 !== 0) expect(sample.numeric.y![r]).toBe(2 * v);
        expect(sample.categorical.kind![r]).toBe(v % 2 ? 'a' : 'b');
        expect(sample.categorical.flag![r]).toBe(String(v % 3 === 0));
      });
      const again = await store.sampleRows(model.id, columns, request);
      expect([...again.numeric.x!]).toEqual(x);
    });

    it('draws a uniform sample: the size promised, spread evenly, nested by size, and the same again', async () => {
      console.log(`row sample seed ${SAMPLE_SEED}`);
      const random = createSeededRandom(SAMPLE_SEED);
      const n = 2000;
      // Random ids: which rows the hash picks depends on nothing but them.
      const traffic = rows(n, '', T0).map((r) => ({ ...r, id: `${Math.floor(random.uniform() * 1e12)}` }));
      await store.insertPredictions(model.id, columns, traffic);
      const draw = (limit: number) =>
        store.sampleRows(model.id, columns, {
          source: { kind: 'predictions', fromMicros: T0 },
          numeric: ['x'],
          categorical: [],
          limit,
        });
      const sample = await draw(400);
      expect([sample.totalRows, sample.rows]).toEqual([n, 400]);
      const picked = [...sample.numeric.x!];
      expect(new Set(picked).size).toBe(400);
      // Each tenth of the window holds about a tenth of the sample (40; 5 standard deviations: 30).
      const tenths = new Array<number>(10).fill(0);
      for (const x of picked) tenths[Math.floor((x * 10) / n)]!++;
      for (const count of tenths) expect(Math.abs(count - 40)).toBeLessThan(30);
      // A smaller sample is part of the larger one (the lowest hashes), and a second draw is the same.
      const smaller = new Set((await draw(100)).numeric.x!);
      expect(smaller.size).toBe(100);
      expect([...smaller].every((x) => picked.includes(x))).toBe(true);
      expect([...(await draw(400)).numeric.x!]).toEqual(picked);
    });

    it('samples all rows when fewer than the limit, reference rows in insertion order, and nothing from an empty window', async () => {
      const dataset = await store.createReferenceDataset({
        modelId: model.id,
        name: 'train',
        versionId: null,
      });
      // One timestamp, ids that sort against insertion order: insertion order decides.
      const referenceRows = rows(40, 'r', T0).map((r, i) => ({
        ...r,
        id: `z${99 - i}`,
        timestampMicros: T0,
      }));
      await store.insertReference(model.id, dataset.id, columns, referenceRows);
      const reference = await store.sampleRows(model.id, columns, {
        source: { kind: 'reference', datasetId: dataset.id },
        numeric: ['x'],
        categorical: [],
        limit: 1000,
      });
      expect([reference.totalRows, reference.rows]).toEqual([40, 40]);
      expect([...reference.numeric.x!]).toEqual(Array.from({ length: 40 }, (_, i) => i));
      const empty = await store.sampleRows(model.id, columns, {
        source: { kind: 'predictions', fromMicros: T0, toMicros: T0 + HOUR },
        numeric: ['x'],
        categorical: ['kind'],
        limit: 10,
      });
      expect(empty).toEqual({
        totalRows: 0,
        rows: 0,
        numeric: { x: new Float64Array(0) },
        categorical: { kind: [] },
      });
    });

    it("ranks sampled rows so that the samples of parts of a window merge into the window's sample", async () => {
      await store.insertPredictions(model.id, columns, rows(300, 'q', T0));
      const draw = (fromMicros: number, toMicros: number) =>
        store.sampleRows(model.id, columns, {
          source: { kind: 'predictions', fromMicros, toMicros },
          numeric: ['x'],
          categorical: [],
          limit: 40,
          ranked: true,
        });
      const whole = await draw(T0, T0 + 300 * MINUTE);
      const plain = await store.sampleRows(model.id, columns, {
        source: { kind: 'predictions', fromMicros: T0, toMicros: T0 + 300 * MINUTE },
        numeric: ['x'],
        categorical: [],
        limit: 40,
      });
      expect([...whole.numeric.x!]).toEqual([...plain.numeric.x!]);
      expect(plain.ranks).toBeUndefined();
      const ranks = whole.ranks!;
      expect(ranks.id).toEqual([...whole.numeric.x!].map((x) => `q${x}`));
      expect(ranks.micros).toEqual([...whole.numeric.x!].map((x) => T0 + x * MINUTE));
      // The 40 smallest (rank, id) of the two halves' samples are the window's sample.
      const halves = [await draw(T0, T0 + 120 * MINUTE), await draw(T0 + 120 * MINUTE, T0 + 300 * MINUTE)];
      const union = halves.flatMap((h) => h.ranks!.rank.map((rank, k) => ({ rank, id: h.ranks!.id[k]! })));
      union.sort((a, b) => (a.rank < b.rank ? -1 : a.rank > b.rank ? 1 : a.id < b.id ? -1 : 1));
      expect(
        union
          .slice(0, 40)
          .map((r) => r.id)
          .sort(),
      ).toEqual([...ranks.id].sort());
      // A row's rank is the same in every draw.
      const inWhole = new Map(ranks.id.map((id, k) => [id, ranks.rank[k]]));
      for (const h of halves)
        h.ranks!.id.forEach((id, k) => {
          if (inWhole.has(id)) expect(h.ranks!.rank[k]).toBe(inWhole.get(id));
        });
      await expect(
        store.sampleRows(model.id, columns, {
          source: { kind: 'reference', datasetId: 1 },
          numeric: ['x'],
          categorical: [],
          limit: 5,
          ranked: true,
        }),
      ).rejects.toThrow(/predictions only/);
    });

    it('draws the same reference sample from two uploads of the same rows with other ids', async () => {
      // A dataset of another model's rows in between, so the two uploads' rows sit at different places.
      const samples = [];
      for (const [name, prefix] of [
        ['first', 'a'],
        ['second', 'b'],
      ] as const) {
        const dataset = await store.createReferenceDataset({ modelId: model.id, name, versionId: null });
        await store.insertReference(model.id, dataset.id, columns, rows(300, `${prefix}-`, T0));
        samples.push(
          await store.sampleRows(model.id, columns, {
            source: { kind: 'reference', datasetId: dataset.id },
            numeric: ['x', 'y'],
            categorical: ['kind'],
            limit: 40,
          }),
        );
      }
      const [first, second] = samples;
      expect(first!.rows).toBe(40);
      expect([...second!.numeric.x!]).toEqual([...first!.numeric.x!]);
      expect([...second!.numeric.y!]).toEqual([...first!.numeric.y!]);
      expect(second!.categorical).toEqual(first!.categorical);
      // Spread over the dataset, not its first rows.
      expect(Math.max(...first!.numeric.x!)).toBeGreaterThan(150);
    });

    it('reads every row of a small window once, typed as profiles read them, or nothing when larger', async () => {
      await store.insertPredictions(model.id, columns, [
        // Recorded order: timestamp, then id.
        event('b', T0 + MINUTE, [1.5, null, 'x', true], {
          version: 'v2',
          violations: ['missing_feature:y', 'type:kind'],
        }),
        event('a', T0 + MINUTE, [2, 4, null, false], { prediction: null, predictionNumber: null }),
        event('c', T0, [-1, 0.25, 'z', null]),
        event('late', T0 + HOUR, [9, 9, 'z', true]),
      ]);
      await store.upsertLabels(model.id, [{ id: 'a', label: '0', labelNumber: 0, timestampMicros: T0 }]);
      const source = { kind: 'predictions' as const, fromMicros: T0, toMicros: T0 + HOUR };
      const request = {
        source,
        numeric: [{ column: 'x' }, { column: 'y' }, { field: 'label_num' as const }],
        text: [
          { column: 'kind' },
          { column: 'flag' },
          { column: 'x' },
          { field: 'prediction' as const },
          { field: 'label' as const },
        ],
        labels: true,
        violations: true,
        limit: 3,
      };
      const read = await store.readWindowRows(model.id, columns, request);
      expect(read.withinLimit).toBe(true);
      expect(read.rows).toBe(3);
      expect([...read.timestamps]).toEqual([T0, T0 + MINUTE, T0 + MINUTE]);
      expect(read.numeric.map((column) => [...column])).toEqual([
        [-1, 2, 1.5],
        [0.25, 4, Number.NaN],
        [Number.NaN, 0, Number.NaN],
      ]);
      // Numbers and booleans as the engine writes them as text.
      expect(read.text).toEqual([
        ['z', null, 'x'],
        [null, 'false', 'true'],
        ['-1.0', '2.0', '1.5'],
        ['1', null, '1'],
        [null, '0', null],
      ]);
      expect(read.violations).toEqual([[], [], ['missing_feature:y', 'type:kind']]);
      // Without the label join, labels read as missing; a version narrows the rows.
      const unlabelled = await store.readWindowRows(model.id, columns, {
        ...request,
        source: { ...source, version: 'v2' },
        labels: false,
        violations: false,
      });
      expect([unlabelled.rows, unlabelled.text[4], unlabelled.violations]).toEqual([1, [null], undefined]);
      // One row more than the limit: nothing is returned.
      const over = await store.readWindowRows(model.id, columns, { ...request, limit: 2 });
      expect(over).toEqual({
        withinLimit: false,
        rows: 0,
        timestamps: new Float64Array(0),
        numeric: [],
        text: [],
      });
    });

    it('reads a small window in recorded order however its rows were stored: ties by id in code point order', async () => {
      // Ids in the engine's order of text (UTF-8 bytes, i.e. code points): in UTF-16 order '😀'
      // (a surrogate pair) would come before 'ｚ' (U+FF5A). Ids over 12 bytes are stored apart
      // from the row's string header, shorter ones inline.
      const tied = ['Z', 'a', 'a-longer-id-than-twelve-bytes', 'b', 'é', 'ｚ', '😀'];
      const stored = [
        ...tied.map((id, i) => event(id, T0 + MINUTE, [i, null, id, null])),
        event('first', T0, [-1, null, 'first', null]),
        event('last', T0 + 2 * MINUTE, [99, null, 'last', null]),
      ];
      const shuffle = createSeededRandom(SAMPLE_SEED);
      for (let i = stored.length - 1; i > 0; i--) {
        const j = shuffle.integer(i + 1);
        [stored[i], stored[j]] = [stored[j]!, stored[i]!];
      }
      // In several batches, so that storage order is not the recorded one.
      for (let i = 0; i < stored.length; i += 3)
        await store.insertPredictions(model.id, columns, stored.slice(i, i + 3));
      const read = await store.readWindowRows(model.id, columns, {
        source: { kind: 'predictions', fromMicros: T0, toMicros: T0 + HOUR },
        numeric: [{ column: 'x' }],
        text: [{ column: 'kind' }],
        labels: false,
        violations: true,
        limit: 100,
      });
      expect(read.text[0]).toEqual(['first', ...tied, 'last']);
      expect([...read.numeric[0]!]).toEqual([-1, ...tied.map((_, i) => i), 99]);
      expect([...read.timestamps]).toEqual([T0, ...tied.map(() => T0 + MINUTE), T0 + 2 * MINUTE]);
      expect(read.violations).toEqual(tied.map(() => []).concat([[], []]));
    });

    it('answers an upsert of labels with the distinct minutes of their stored predictions', async () => {
      await store.insertPredictions(model.id, columns, [
        event('a', T0 + 5 * MINUTE + 1, [1, 1, 'a', true]),
        event('b', T0 + 65 * MINUTE, [1, 1, 'a', true]),
        event('c', T0 + 65 * MINUTE + 59_000_000, [1, 1, 'a', true]),
        event('d', T0 + 3 * HOUR, [1, 1, 'a', true]),
      ]);
      const label = (id: string) => ({ id, label: '1', labelNumber: 1, timestampMicros: T0 + 4 * HOUR });
      // 'unknown' waits for its prediction; 'a' twice is one label (the later wins).
      const minutes = await store.upsertLabels(model.id, ['c', 'a', 'b', 'unknown', 'a'].map(label));
      expect(minutes).toEqual([T0 + 5 * MINUTE, T0 + 65 * MINUTE]);
      expect(await store.upsertLabels(model.id, [label('nowhere')])).toEqual([]);
      expect(await store.upsertLabels(model.id, [])).toEqual([]);
      // A waiting label that finds its prediction later is counted with that prediction's batch,
      // whose own minutes the ingestion marks; relabelling it now names its minute.
      await store.insertPredictions(model.id, columns, [event('unknown', T0 + 2 * HOUR, [1, 1, 'a', true])]);
      expect(await store.upsertLabels(model.id, [label('unknown')])).toEqual([T0 + 2 * HOUR]);
    });
  });
}

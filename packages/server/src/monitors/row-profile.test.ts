/**
 * Profiles computed in-process from a window's rows equal what the engine computes
 * (`Store.profile` on DuckDB) for random data and random requests: missing values, ties, values
 * exactly on edges, unsorted and repeated edges, fine histograms, `where` filters, counts only,
 * categories tied in count with a limit, labels on some rows, versions and segments, the last N
 * rows. Integers must match exactly, other numbers to 1e-12 relative. The window's sample read
 * from the same rows equals the engine's sample when the window fits the sample.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DuckDbStore } from '../storage/duckdb/store.js';
import type { ProfileRequest, ProfileSource, ProfileTarget } from '../storage/profiles.js';
import { createTestModel, storedEvent } from '../storage/suite-support.js';
import type { EventRecord, LabelEvent, ModelColumn, ModelRow, Store } from '../storage/types.js';
import { numericDifferences } from '../testing/index.js';
import { profileFromRows, RowColumns, RowTargets, sampleFromRows, sampleTargets } from './row-profile.js';

type PredictionsSource = Extract<ProfileSource, { kind: 'predictions' }>;

const SEED = 20261211;
const T0 = Date.UTC(2026, 0, 5, 10) * 1000;
const SECOND = 1_000_000;
const CATEGORIES = ['a', 'b', 'B', 'é', 'Z', '😀', 'ｚ', ''];

describe('window profiles from rows', () => {
  const random = createSeededRandom(SEED);
  const pick = <T>(values: readonly T[]): T => values[Math.floor(random.uniform() * values.length)]!;
  const chance = (p: number) => random.uniform() < p;
  let store: Store;
  let model: ModelRow;
  let columns: ModelColumn[];
  console.log(`row profiles seed ${SEED}`);

  // Values on a coarse grid, so that ties and values exactly on edges are common.
  const grid = () => Math.round(random.normal() * 4) / 2;

  beforeAll(async () => {
    store = await DuckDbStore.open({ path: ':memory:' });
    await store.migrate();
    model = await createTestModel(store, 'rows');
    columns = await store.addColumns(model.id, [
      { name: 'x', role: 'feature', type: 'numeric', declared: true },
      { name: 'y', role: 'feature', type: 'numeric', declared: true },
      { name: 'sparse', role: 'feature', type: 'numeric', declared: true },
      { name: 'kind', role: 'feature', type: 'categorical', declared: true },
      { name: 'flag', role: 'feature', type: 'boolean', declared: true },
      { name: 'region', role: 'segment', type: 'categorical', declared: true },
    ]);
    const records: EventRecord[] = [];
    const labels: LabelEvent[] = [];
    for (let i = 0; i < 600; i++) {
      // Timestamps repeat (ties broken by id) and spread over ten minutes.
      const ts = T0 + Math.floor(random.uniform() * 300) * 2 * SECOND;
      const x = chance(0.1) ? null : grid();
      const prediction = chance(0.05) ? null : pick(['0', '1', '2']);
      const score = chance(0.05) ? null : random.uniform();
      records.push(
        storedEvent(
          `id-${String(i).padStart(4, '0')}`,
          ts,
          [
            x,
            chance(0.2) ? null : random.normal() * 1000 + 3,
            chance(0.9) ? null : grid(),
            chance(0.1) ? null : pick(CATEGORIES),
            chance(0.1) ? null : chance(0.5),
            pick(['north', 'south', 'east']),
          ],
          {
            version: pick(['v1', 'v2']),
            prediction,
            predictionNumber: prediction === null ? null : Number(prediction),
            score,
            violations: chance(0.7) ? [] : [pick(['missing_feature:x', 'out_of_range:y', 'type:kind'])],
          },
        ),
      );
      if (chance(0.6)) {
        const label = pick(['0', '1', '2', '3']);
        labels.push({
          id: `id-${String(i).padStart(4, '0')}`,
          label,
          labelNumber: chance(0.1) ? null : Number(label) - 1,
          timestampMicros: ts,
        });
      }
    }
    await store.insertPredictions(model.id, columns, records);
    await store.upsertLabels(model.id, labels);
  });
  afterAll(async () => store?.close());

  const numericTargets: ProfileTarget[] = [
    { column: 'x' },
    { column: 'y' },
    { column: 'sparse' },
    { field: 'score' },
    { field: 'prediction_num' },
    { field: 'label_num' },
  ];
  const textTargets: ProfileTarget[] = [
    { column: 'kind' },
    { column: 'flag' },
    { column: 'x' },
    { column: 'region' },
    { field: 'prediction' },
    { field: 'label' },
    { field: 'version' },
  ];

  const randomEdges = (): number[] => {
    const shape = random.uniform();
    if (shape < 0.15) return [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
    if (shape < 0.25) return [-1, 1];
    if (shape < 0.4) {
      // Fine evenly spaced edges (as the score histograms of performance estimation).
      const bins = 100 + Math.floor(random.uniform() * 100);
      const lo = chance(0.5) ? 0 : -3;
      const width = chance(0.5) ? 1 : 6;
      return [
        Number.NEGATIVE_INFINITY,
        ...Array.from({ length: bins - 1 }, (_, k) => lo + (k * width) / (bins - 2)),
        Number.POSITIVE_INFINITY,
      ];
    }
    const inner = Array.from({ length: 1 + Math.floor(random.uniform() * 9) }, () =>
      chance(0.7) ? grid() : random.normal() * 2,
    );
    if (shape < 0.5) return [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY]; // unsorted
    const sorted = [...inner].sort((a, b) => a - b);
    const edges = shape < 0.7 ? sorted : [...new Set(sorted)];
    return chance(0.8)
      ? [Number.NEGATIVE_INFINITY, ...edges, Number.POSITIVE_INFINITY]
      : [edges[0]! - 1, ...edges, edges.at(-1)! + 1];
  };

  const randomMeasures = (): Omit<ProfileRequest, 'source'> => ({
    numeric: Array.from({ length: Math.floor(random.uniform() * 5) }, (_, i) => ({
      key: `n${i}`,
      target: pick(numericTargets),
      edges: randomEdges(),
      ...(chance(0.4)
        ? {
            quantiles: Array.from({ length: 1 + Math.floor(random.uniform() * 4) }, () =>
              pick([0, 0.1, 0.25, 0.5, 0.9, 1, random.uniform()]),
            ),
          }
        : {}),
      ...(chance(0.25)
        ? { where: { field: pick(['prediction', 'label'] as const), equals: pick(['0', '1', '2']) } }
        : {}),
      ...(chance(0.4) ? { countsOnly: true } : {}),
    })),
    categorical: Array.from({ length: Math.floor(random.uniform() * 4) }, (_, i) => ({
      key: `c${i}`,
      target: pick(textTargets),
      ...(chance(0.6) ? { limit: 1 + Math.floor(random.uniform() * 4) } : {}),
    })),
    ...(chance(0.3) ? { confusion: true } : {}),
    ...(chance(0.3) ? { regression: true } : {}),
    ...(chance(0.3) ? { violations: true } : {}),
  });

  const randomSource = (): PredictionsSource => {
    const from = T0 + Math.floor(random.uniform() * 200) * 2 * SECOND;
    const source: PredictionsSource = chance(0.2)
      ? { kind: 'predictions', lastN: 1 + Math.floor(random.uniform() * 400) }
      : chance(0.3)
        ? { kind: 'predictions', fromMicros: T0, toMicros: T0 + 600 * SECOND }
        : {
            kind: 'predictions',
            fromMicros: from,
            toMicros: from + Math.floor(random.uniform() * 300) * 2 * SECOND,
          };
    if (chance(0.25)) source.version = pick(['v1', 'v2']);
    if (chance(0.25)) source.segment = { name: 'region', value: pick(['north', 'south', 'west']) };
    return source;
  };

  it('gives what the engine gives, for random data and requests', async () => {
    let compared = 0;
    for (let round = 0; round < 100; round++) {
      let source = randomSource();
      // The last N rows are only well defined without ties at the cut: keep lastN to whole sources.
      if (source.lastN !== undefined)
        source = { kind: 'predictions', lastN: 1000, ...(source.version ? { version: source.version } : {}) };
      const measures = randomMeasures();
      const targets = new RowTargets();
      targets.add(measures);
      const request = targets.request(source, 10_000);
      const read = await store.readWindowRows(model.id, columns, request);
      expect(read.withinLimit).toBe(true);
      const [expected] = await store.profile(model.id, columns, { ...measures, source });
      const actual = profileFromRows(new RowColumns(request, read), measures);
      expect(numericDifferences(actual, expected, `round ${round}`)).toEqual([]);
      if (expected) compared++;
    }
    // Most rounds selected rows.
    expect(compared).toBeGreaterThan(60);
  }, 300_000);

  it('reads the window sample the engine draws when the window fits in it', async () => {
    const features = { numeric: ['x', 'y', 'sparse'], categorical: ['kind', 'flag'] };
    for (let round = 0; round < 20; round++) {
      const source = randomSource();
      if (source.lastN !== undefined) continue;
      const request = sampleTargets(features).request(source, 10_000);
      const read = await store.readWindowRows(model.id, columns, request);
      const expected = await store.sampleRows(model.id, columns, { source, ...features, limit: 5000 });
      expect(
        numericDifferences(
          sampleFromRows(new RowColumns(request, read), features),
          expected,
          `round ${round}`,
        ),
      ).toEqual([]);
    }
  }, 120_000);

  it('reads nothing from a window larger than the limit', async () => {
    const source: ProfileSource = { kind: 'predictions' };
    const targets = new RowTargets();
    targets.add({ numeric: [{ key: 'x', target: { column: 'x' }, edges: [0, 1] }] });
    const over = await store.readWindowRows(model.id, columns, targets.request(source, 599));
    expect(over).toMatchObject({ withinLimit: false, rows: 0 });
    const exact = await store.readWindowRows(model.id, columns, targets.request(source, 600));
    expect([exact.withinLimit, exact.rows]).toEqual([true, 600]);
  });
});

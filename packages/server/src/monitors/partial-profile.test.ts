/**
 * Windows evaluated from stored per-minute partial profiles give the results of scanning the
 * whole window: the same hour is evaluated both ways after each arrival of data (debounced
 * evaluations of the open window, late data into an earlier minute, a new reference dataset
 * with new edges, the evaluation at the window's close), and every field of every result is
 * compared (counts exactly, other numbers to 1e-12 relative). The monitors include histograms
 * with per-bin sums and moments: performance estimation's fine score histograms (1,000 bins,
 * one of them of the rows predicted positive) and a Wasserstein drift monitor.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfilePartialWindow } from '../storage/profile-partials.js';
import type { ProfileRequest } from '../storage/profiles.js';
import type { ModelColumn, ModelRow } from '../storage/types.js';
import {
  evaluateWindow,
  numericDifferences,
  SCORED_SCHEMA,
  separateEvaluator,
  startDrivenEvaluationServer,
  type TestServer,
} from '../testing/index.js';
import { mergeableNumeric, PARTIAL_BUCKET_MICROS } from './partial-profile.js';
import type { MonitorService } from './service.js';

const SEED = 20261207;
const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 9, 14);
const ROWS_PER_MINUTE = 40;

function rows(n: number, random: ReturnType<typeof createSeededRandom>, shift = 0) {
  return Array.from({ length: n }, () => {
    const x = random.normal() + shift;
    const score = 1 / (1 + Math.exp(-2 * x));
    return {
      amount: x,
      tenure: random.uniform() < 0.05 ? null : 10 * random.uniform() + shift,
      country: random.uniform() < 0.6 ? 'DE' : random.uniform() < 0.2 + shift / 4 ? 'XX' : 'FR',
      score,
      prediction: score >= 0.5 ? 1 : 0,
      // Read from the reference only (performance estimation calibrates its scores on them).
      label: random.uniform() < score ? 1 : 0,
    };
  });
}

type NumericSpecs = NonNullable<ProfileRequest['numeric']>;

describe('window profiles merged from per-minute partials', () => {
  let server: TestServer;
  let model: ModelRow;
  let clockMs = T0;
  const random = createSeededRandom(SEED);
  console.log(`partial profiles seed ${SEED}`);

  beforeAll(async () => {
    server = await startDrivenEvaluationServer();
  });
  afterAll(async () => server?.close());

  const services = () => {
    const make = (partialProfiles: boolean) =>
      separateEvaluator(server, { now: () => clockMs, partialProfiles });
    return { merged: make(true), scanned: make(false) };
  };

  let ids = 0;
  const ingest = async (minutes: number[], perMinute: number, shift = 0) => {
    const records = minutes.flatMap((minute) =>
      rows(perMinute, random, shift).map((r, i) => ({
        id: `p${ids++}`,
        timestamp: new Date(T0 + minute * MINUTE_MS + Math.floor((i * MINUTE_MS) / perMinute)).toISOString(),
        features: { amount: r.amount, tenure: r.tenure, country: r.country },
        prediction: r.prediction,
        score: r.score,
      })),
    );
    expect((await server.api(`/api/v1/models/${model.name}/predictions`, { json: records })).status).toBe(
      200,
    );
  };

  /** Evaluates the hour with `service`; returns its results. */
  const evaluate = (service: MonitorService) => evaluateWindow(server.store, service, model.id, T0 * 1000);

  it('gives the results of the full scan after every evaluation, and scans only changed minutes', async () => {
    expect(
      (
        await server.api('/api/v1/models', {
          json: { name: 'partials', task: 'binary_classification', schema: SCORED_SCHEMA },
        })
      ).status,
    ).toBe(201);
    expect((await server.api('/api/v1/models/partials/reference', { json: rows(800, random) })).status).toBe(
      200,
    );
    model = (await server.store.getModel(1, 'partials'))!;
    // Beside the defaults: histograms with per-bin sums (Wasserstein), and a feature's moments.
    const moment = (column: string, aggregate: string) => ({
      name: `${aggregate}-${column}`,
      config: {
        kind: 'custom_metric',
        metric: `${aggregate}_${column}`,
        aggregate,
        column,
        threshold: { upper: 1e9 },
      },
    });
    const extra = [
      { name: 'wasserstein', config: { kind: 'feature_drift', method: 'wasserstein_normed' } },
      moment('amount', 'std'),
      moment('amount', 'max'),
      moment('tenure', 'min'),
      moment('tenure', 'sum'),
      moment('tenure', 'mean'),
    ];
    for (const monitor of extra) {
      const added = await server.api('/api/v1/models/partials/monitors', { json: monitor });
      expect(added.status, await added.clone().text()).toBe(201);
    }

    // The numeric specs each evaluation profiled over the whole hour (not by minute) or by minute.
    const profiled = { window: [] as NumericSpecs, minutes: [] as NumericSpecs };
    const hour = { from: T0 * 1000, to: (T0 + HOUR_MS) * 1000 };
    const record = (request: ProfileRequest) => {
      const source = request.source;
      if (source.kind !== 'predictions' || source.fromMicros === undefined) return;
      if (source.fromMicros < hour.from || source.toMicros! > hour.to) return;
      const whole = source.fromMicros === hour.from && source.toMicros === hour.to;
      if (whole && request.bucketMicros === undefined) profiled.window.push(...(request.numeric ?? []));
      if (request.bucketMicros === PARTIAL_BUCKET_MICROS) profiled.minutes.push(...(request.numeric ?? []));
    };
    const store = server.store as unknown as {
      profile(modelId: number, columns: ModelColumn[], request: ProfileRequest): Promise<unknown>;
      profileMany(items: { request: ProfileRequest }[]): Promise<unknown>;
    };
    const profile = store.profile.bind(store);
    store.profile = (modelId, columns, request) => {
      record(request);
      return profile(modelId, columns, request);
    };
    const profileMany = store.profileMany.bind(store);
    store.profileMany = (items) => {
      for (const { request } of items) record(request);
      return profileMany(items);
    };

    // Which minutes each evaluation profiled into partials (the monitors' measures come in a
    // few rounds, e.g. data quality's bins once the baseline's range is known: one write each).
    const written: number[][] = [];
    const minutesWritten = () =>
      [...new Set(written.map((w) => JSON.stringify(w)))].map((w) => JSON.parse(w));
    const partials = server.store.profilePartials;
    const write = partials.write.bind(partials);
    partials.write = (window: ProfilePartialWindow, list, prune) => {
      written.push([...new Set(list.map((p) => (p.bucketMicros / 1000 - T0) / MINUTE_MS))]);
      return write(window, list, prune);
    };

    // How many stored partials each evaluation read back.
    let readBack = 0;
    const read = partials.read.bind(partials);
    partials.read = async (window: ProfilePartialWindow, shapes) => {
      const found = await read(window, shapes);
      readBack += found.length;
      return found;
    };

    let { merged, scanned } = services();
    /** Whether the minutes profiled since the last step include the fine and Wasserstein histograms. */
    const sumsFromMinutes = () => {
      const fine = profiled.minutes.filter((s) => s.edges.length > 66 && !s.countsOnly);
      const wasserstein = profiled.minutes.filter((s) => 'column' in s.target && !s.countsOnly);
      return {
        fine: fine.length > 0,
        predictedPositive: fine.some((s) => s.where?.field === 'prediction'),
        wasserstein: wasserstein.length > 0,
      };
    };
    const step = async (label: string) => {
      written.length = 0;
      readBack = 0;
      profiled.window.length = 0;
      profiled.minutes.length = 0;
      const fromPartials = await evaluate(merged);
      // Every mergeable histogram came from partials; the whole hour is scanned only for the rest.
      expect(profiled.window.filter(mergeableNumeric), label).toEqual([]);
      const fromScan = await evaluate(scanned);
      expect(fromPartials.length, label).toBeGreaterThan(20);
      expect(numericDifferences(fromPartials, fromScan, label)).toEqual([]);
      // The results read histograms with per-bin sums and moments, merged from the minutes.
      const estimated = fromPartials.filter(
        (r) => r.metric === 'accuracy' && r.status !== 'insufficient_data',
      );
      expect(estimated.length, label).toBeGreaterThan(0);
      const drift = fromPartials.filter((r) => r.metric === 'wasserstein_normed' && r.value !== null);
      expect(drift.length, label).toBeGreaterThan(0);
      const moments = fromPartials.filter(
        (r) => /^(std|max|min|sum|mean)_/.test(r.metric) && r.value !== null,
      );
      expect(moments.length, label).toBe(5);
      return fromPartials;
    };

    // The hour arrives in pieces, each followed by the debounced evaluation of the open window.
    await ingest([0, 1, 2, 3, 4], ROWS_PER_MINUTE);
    clockMs = T0 + 5 * MINUTE_MS;
    await step('minutes 0-4');
    expect(sumsFromMinutes()).toEqual({ fine: true, predictedPositive: true, wasserstein: true });
    expect(written.length).toBeGreaterThan(0);
    expect(minutesWritten()).toEqual([[0, 1, 2, 3, 4]]);

    await ingest([5, 6, 7, 8, 9], ROWS_PER_MINUTE, 0.3);
    clockMs = T0 + 10 * MINUTE_MS;
    await step('minutes 5-9');
    expect(minutesWritten()).toEqual([[5, 6, 7, 8, 9]]);

    // Late data into minute 2, with new minutes: only those are profiled again.
    await ingest([2], 7, 1);
    await ingest([10, 11, 12], ROWS_PER_MINUTE, 0.6);
    clockMs = T0 + 13 * MINUTE_MS;
    await step('late data into minute 2');
    expect(minutesWritten()).toEqual([[2, 10, 11, 12]]);

    // Nothing new: nothing is profiled, and the partials kept in memory are not read again.
    await step('no new data');
    expect(minutesWritten()).toEqual([]);
    expect(sumsFromMinutes()).toEqual({ fine: false, predictedPositive: false, wasserstein: false });
    expect(readBack).toBe(0);
    // An evaluator with nothing in memory (a restart) reads them from the store instead.
    merged = services().merged;
    await step('no new data, nothing in memory');
    expect(minutesWritten()).toEqual([]);
    expect(readBack).toBeGreaterThanOrEqual(13 * 3);

    // A new reference dataset: new edges, so every minute is profiled again on them.
    expect(
      (await server.api('/api/v1/models/partials/reference', { json: rows(900, random, 0.2) })).status,
    ).toBe(200);
    ({ merged, scanned } = services());
    await ingest([13, 30, 59], ROWS_PER_MINUTE, 1);
    clockMs = T0 + 59 * MINUTE_MS + 30_000;
    await step('new reference');
    expect(minutesWritten()).toEqual([[0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 30, 59]]);

    // The window closes; late data arrives into it just before.
    await ingest([30], 3, -1);
    clockMs = T0 + HOUR_MS + 1_000;
    const closed = await step('window closed');
    expect(minutesWritten()).toEqual([[30]]);
    expect(closed.some((r) => r.status === 'alert')).toBe(true);
    expect(closed.some((r) => r.status === 'ok')).toBe(true);

    // Once the window ended more than its length ago, its partials go at the model's next write.
    clockMs = T0 + 2 * HOUR_MS + MINUTE_MS;
    await ingest([120, 121], ROWS_PER_MINUTE);
    clockMs = T0 + 2 * HOUR_MS + 3 * MINUTE_MS;
    merged.predictionsStored(model.id, [(T0 + 2 * HOUR_MS) * 1000]);
    await merged.flushMarks();
    await merged.drain();
    expect(minutesWritten()).toContainEqual([120, 121]);
    expect(await server.store.profilePartials.prune(model.id, (T0 + HOUR_MS) * 1000 + 1)).toBe(0);
    expect(await server.store.profilePartials.prune(model.id, (T0 + 3 * HOUR_MS) * 1000 + 1)).toBeGreaterThan(
      0,
    );
    expect(PARTIAL_BUCKET_MICROS).toBe(MINUTE_MS * 1000);
  }, 300_000);
});

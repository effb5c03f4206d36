/**
 * The traffic monitor counts only the windows it compares (and whether the rest of the history
 * had any row): its results equal those of reading the whole history bucketed by window, with
 * the window's own count taken from its shared profile or counted with the others. Windows
 * before the model's first prediction are known to be empty; a backfill of older predictions
 * is counted all the same.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type MonitorConfigInput, WINDOW_SIZES } from '../../domain/monitor-config.js';
import type { ModelColumn, ModelRow } from '../../storage/types.js';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { BaselineCache, type EvaluationContext } from '../context.js';
import { SharedWindowProfile } from '../shared-profile.js';
import { evaluateTraffic } from './traffic.js';

const SEED = 20261204;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const T0 = Date.UTC(2026, 10, 1);
const DAYS = 10;

describe('traffic history', () => {
  let server: TestServer;
  console.log(`traffic history seed ${SEED}`);

  beforeAll(async () => {
    server = await startTestServer();
    await server.app.monitors.stop(); // nothing is evaluated in the background
  });
  afterAll(async () => server?.close());

  /** A new monitor of the model, and what it is evaluated with at `nowMs`. */
  const contextOf = async (
    model: ModelRow,
    columns: ModelColumn[],
    name: string,
    input: MonitorConfigInput,
    nowMs: number,
  ): Promise<EvaluationContext> => {
    const monitor = await server.app.monitors.create(model, name, input);
    return {
      store: server.store,
      model,
      columns,
      monitor,
      config: server.app.monitors.parse(monitor),
      budgetPerWeek: 1,
      nowMicros: nowMs * 1000,
      cache: new BaselineCache(),
    };
  };

  it('gives the results of reading the whole history', async () => {
    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical' },
      ],
      segments: ['region'],
    };
    expect(
      (await server.api('/api/v1/models', { json: { name: 'traffic', task: 'regression', schema } })).status,
    ).toBe(201);
    // Traffic on some hours of some days: some compared windows empty, others busy, gaps between.
    const random = createSeededRandom(SEED);
    const records = [];
    for (let day = 0; day < DAYS; day++) {
      for (let hour = 0; hour < 24; hour++) {
        if (random.uniform() < 0.35) continue;
        const n = Math.floor(random.uniform() * (hour === 9 ? 60 : 25));
        for (let i = 0; i < n; i++) {
          records.push({
            id: `${day}-${hour}-${i}`,
            timestamp: new Date(
              T0 + day * DAY_MS + hour * HOUR_MS + Math.floor(random.uniform() * HOUR_MS),
            ).toISOString(),
            features: { amount: random.normal(), country: random.uniform() < 0.5 ? 'DE' : 'FR' },
            segments: { region: random.uniform() < 0.5 ? 'eu' : 'us' },
            prediction: random.normal(),
            ...(random.uniform() < 0.5 ? { version: 'v2' } : {}),
          });
        }
      }
    }
    expect((await server.api('/api/v1/models/traffic/predictions', { json: records })).status).toBe(200);
    const model = (await server.store.getModel(1, 'traffic'))!;
    const columns = await server.store.listColumns(model.id);

    const configs = [
      { kind: 'traffic', window: { size: '1h' } },
      { kind: 'traffic', window: { size: '15m' }, history_windows: 3 },
      { kind: 'traffic', window: { size: '1h' }, segment: { name: 'region', value: 'eu' } },
      { kind: 'traffic', window: { size: '1h' }, version: 'v2', min_count: 5 },
      { kind: 'traffic', window: { size: '1d' }, history_windows: 4 },
    ] as const;
    const statuses = new Set<string>();
    let compared = 0;
    for (const [i, input] of configs.entries()) {
      const size = WINDOW_SIZES[input.window.size] / 1000;
      // The last window is still open: compared pro rata.
      const ctx = await contextOf(
        model,
        columns,
        `traffic-${i}`,
        input,
        T0 + (DAYS - 1) * DAY_MS + 20.5 * HOUR_MS,
      );
      // About 40 windows per monitor: the first ones (no history yet), then spread over the days.
      const last = T0 + (DAYS - 1) * DAY_MS + 20 * HOUR_MS;
      const every = Math.max(1, Math.ceil((last - T0) / size / 40));
      for (let start = T0 - size; start <= last; start += size) {
        const index = (start - T0) / size;
        if (index > 2 && index % every !== 0 && start !== last) continue;
        const window = { startMicros: start * 1000, endMicros: (start + size) * 1000 };
        const read = await evaluateTraffic(ctx, window);
        expect(read).toEqual(await evaluateTraffic(ctx, window, { wholeHistory: true }));
        // As evaluation runs it: the window's own count from its shared profile.
        const shared = new SharedWindowProfile(server.store, model.id, columns);
        expect(await evaluateTraffic({ ...ctx, shared }, window)).toEqual(read);
        for (const result of read) statuses.add(result.status);
        compared++;
      }
    }
    expect(compared).toBeGreaterThan(150);
    expect([...statuses].sort()).toEqual(['alert', 'insufficient_data', 'ok']);
  }, 120_000);

  it('counts the windows of a backfill older than the first prediction', async () => {
    const schema = { features: [{ name: 'amount', type: 'numeric' }], segments: ['region'] };
    expect(
      (await server.api('/api/v1/models', { json: { name: 'backfilled', task: 'regression', schema } }))
        .status,
    ).toBe(201);
    const model = (await server.store.getModel(1, 'backfilled'))!;
    const columns = await server.store.listColumns(model.id);
    const random = createSeededRandom(SEED + 1);
    let sent = 0;
    // `n` predictions in hour 9 of `day`, some of version v2 and some in region "eu".
    const send = async (day: number, n: number) => {
      const records = Array.from({ length: n }, () => ({
        id: `b-${sent++}`,
        timestamp: new Date(
          T0 + day * DAY_MS + 9 * HOUR_MS + Math.floor(random.uniform() * HOUR_MS),
        ).toISOString(),
        features: { amount: random.normal() },
        segments: { region: random.uniform() < 0.5 ? 'eu' : 'us' },
        prediction: random.normal(),
        ...(random.uniform() < 0.5 ? { version: 'v2' } : {}),
      }));
      expect((await server.api('/api/v1/models/backfilled/predictions', { json: records })).status).toBe(200);
    };
    const configs = [
      { kind: 'traffic', window: { size: '1h' } },
      { kind: 'traffic', window: { size: '1h' }, version: 'v2' },
      { kind: 'traffic', window: { size: '1h' }, segment: { name: 'region', value: 'eu' } },
      { kind: 'traffic', window: { size: '1d' }, history_windows: 3 },
    ] as const;
    const contexts: EvaluationContext[] = [];
    for (const [i, input] of configs.entries())
      contexts.push(await contextOf(model, columns, `backfilled-${i}`, input, T0 + 20 * DAY_MS));
    // Windows of hour 9 (and their days) from before any traffic to after it.
    const windows = [0, 2, 4, 6, 8].flatMap((day) => [
      {
        startMicros: (T0 + day * DAY_MS + 9 * HOUR_MS) * 1000,
        endMicros: (T0 + day * DAY_MS + 10 * HOUR_MS) * 1000,
      },
      { startMicros: (T0 + day * DAY_MS) * 1000, endMicros: (T0 + (day + 1) * DAY_MS) * 1000 },
    ]);
    // What every monitor reports for every window of its size, checked against the whole-history read.
    const evaluated = async () => {
      const out = new Map<string, { status: string; history: unknown }>();
      for (const [i, ctx] of contexts.entries()) {
        const size = WINDOW_SIZES[configs[i]!.window.size];
        for (const window of windows) {
          if (window.endMicros - window.startMicros !== size) continue;
          const read = await evaluateTraffic(ctx, window);
          expect(read).toEqual(await evaluateTraffic(ctx, window, { wholeHistory: true }));
          const day = Math.floor((window.startMicros / 1000 - T0) / DAY_MS);
          out.set(`${i}@${day}`, { status: read[0]!.status, history: read[0]!.details?.history });
        }
      }
      return out;
    };
    await send(5, 40);
    let results = await evaluated();
    expect(results.get('0@6')).toEqual({ status: 'ok', history: [40, 0, 0, 0, 0, 0, 0] });
    expect(results.get('0@2')?.status).toBe('insufficient_data');
    // Backfills: days before the first prediction, the second one older still.
    await send(3, 30);
    results = await evaluated();
    expect(results.get('0@6')).toEqual({ status: 'ok', history: [40, 0, 30, 0, 0, 0, 0] });
    expect(results.get('3@4')?.history).toEqual([30, 0, 0]);
    expect(results.get('0@2')?.status).toBe('insufficient_data');
    await send(1, 20);
    results = await evaluated();
    expect(results.get('0@6')).toEqual({ status: 'ok', history: [40, 0, 30, 0, 20, 0, 0] });
    expect(results.get('3@2')?.history).toEqual([20, 0, 0]);
    // The history of the window before the others had traffic: the backfill.
    expect(results.get('0@2')).toEqual({ status: 'ok', history: [20, 0, 0, 0, 0, 0, 0] });
  }, 120_000);
});

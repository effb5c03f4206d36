/**
 * Small windows read once and profiled in-process give the results of profiling them in the
 * engine: the same windows (a model's hours of a few hundred rows, with labels on some, two
 * versions and segments) are evaluated one after the other by an evaluator that reads small
 * windows whole and by one that does not, and every field of every result is compared (integers
 * exactly, other numbers to 1e-12 relative). Also:
 * a window larger than the bound takes the engine path.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ModelRow } from '../storage/types.js';
import {
  evaluateWindow,
  numericDifferences,
  separateEvaluator,
  startDrivenEvaluationServer,
  type TestServer,
} from '../testing/index.js';
import { BaselineCache } from './context.js';
import { RowTargets } from './row-profile.js';
import type { MonitorService } from './service.js';
import { SMALL_WINDOW_ROWS, SmallWindows } from './small-window.js';

const SEED = 20261212;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 16, 6);
const HOURS = 4;

function rows(n: number, seed: number, shift = 0) {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => {
    const x = random.normal() + shift;
    const score = 1 / (1 + Math.exp(-2 * x));
    return {
      amount: Math.round(x * 8) / 8,
      tenure: random.uniform() < 0.1 ? null : 10 * random.uniform() + shift,
      country: random.uniform() < 0.5 ? 'DE' : random.uniform() < 0.3 + shift / 4 ? 'XX' : 'FR',
      member: random.uniform() < 0.05 ? null : random.uniform() < 0.4,
      region: random.uniform() < 0.5 ? 'north' : 'south',
      score,
      prediction: score >= 0.5 ? 1 : 0,
      label: random.uniform() < score ? 1 : 0,
    };
  });
}

describe('small windows read once', () => {
  let server: TestServer;
  let model: ModelRow;
  console.log(`small windows seed ${SEED}`);

  beforeAll(async () => {
    server = await startDrivenEvaluationServer();
  });
  afterAll(async () => server?.close());

  it('give the results of profiling the windows in the engine', async () => {
    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'tenure', type: 'numeric' },
        { name: 'country', type: 'categorical' },
        { name: 'member', type: 'boolean' },
      ],
      segments: ['region'],
      score_field: 'score',
      classes: ['0', '1'],
      sensitive_attributes: ['region'],
    };
    expect(
      (await server.api('/api/v1/models', { json: { name: 'small', task: 'binary_classification', schema } }))
        .status,
    ).toBe(201);
    const reference = rows(1200, SEED).map(({ region, ...r }) => ({ ...r, segments: { region } }));
    expect((await server.api('/api/v1/models/small/reference', { json: reference })).status).toBe(200);
    const extra = [
      { name: 'v2-drift', config: { kind: 'feature_drift', version: 'v2' } },
      {
        name: 'north-quality',
        config: { kind: 'data_quality', segment: { name: 'region', value: 'north' } },
      },
      {
        name: 'multivariate-classifier',
        config: { kind: 'multivariate_drift', max_sample_rows: 200, domain_classifier: true },
      },
      {
        name: 'tenure-std',
        config: {
          kind: 'custom_metric',
          metric: 'tenure_std',
          aggregate: 'std',
          column: 'tenure',
          threshold: { upper: 4 },
        },
      },
      {
        name: 'de-share',
        config: {
          kind: 'custom_metric',
          metric: 'de_share',
          aggregate: 'share',
          column: 'country',
          category: 'DE',
          threshold: { upper: 0.6 },
        },
      },
    ];
    for (const monitor of extra) {
      const response = await server.api('/api/v1/models/small/monitors', { json: monitor });
      expect(response.status, await response.clone().text()).toBe(201);
    }
    const records = Array.from({ length: HOURS }, (_, hour) =>
      rows(150 + 40 * hour, SEED + 1 + hour, hour >= 2 ? 0.6 : 0).map((r, i) => ({
        id: `${hour}-${i}`,
        // Several rows share a timestamp: recorded order breaks ties by id.
        timestamp: new Date(T0 + hour * HOUR_MS + Math.floor(i / 3) * 1000).toISOString(),
        features: { amount: r.amount, tenure: r.tenure, country: r.country, member: r.member },
        segments: { region: r.region },
        version: i % 3 === 0 ? 'v2' : 'v1',
        prediction: r.prediction,
        score: r.score,
        // Labels for some rows of the first hours.
        ...(hour < 3 && i % 4 !== 1 ? { label: r.label } : {}),
      })),
    ).flat();
    expect((await server.api('/api/v1/models/small/predictions', { json: records })).status).toBe(200);
    model = (await server.store.getModel(1, 'small'))!;

    // How many windows were read whole.
    let reads = 0;
    const store = server.store as unknown as { readWindowRows: typeof server.store.readWindowRows };
    const readWindowRows = store.readWindowRows;
    store.readWindowRows = (...args) => {
      reads++;
      return readWindowRows.apply(server.store, args);
    };

    const make = (smallWindows: boolean) => separateEvaluator(server, { smallWindows });
    const inProcess = make(true);
    const inEngine = make(false);
    const evaluate = (service: MonitorService, hour: number) =>
      evaluateWindow(server.store, service, model.id, (T0 + hour * HOUR_MS) * 1000);
    for (let hour = 0; hour < HOURS; hour++) {
      const before = reads;
      const fromRows = await evaluate(inProcess, hour);
      const readsThisHour = reads - before;
      const fromEngine = await evaluate(inEngine, hour);
      expect(reads - before - readsThisHour, 'the engine path reads no rows').toBe(0);
      // Once a window's size is known (from the model's first rounds), windows are read whole.
      if (hour > 0) expect(readsThisHour).toBeGreaterThan(0);
      expect(fromRows.length).toBeGreaterThan(40);
      // Equal, but for sums added in another order (a standard deviation's last digit).
      expect(numericDifferences(fromRows, fromEngine, `hour ${hour}`)).toEqual([]);
      if (hour === HOURS - 1) {
        expect(fromRows.some((r) => r.status === 'alert')).toBe(true);
        expect(fromRows.some((r) => r.status === 'ok')).toBe(true);
      }
    }
  }, 600_000);

  it('takes the engine path for a window found larger than the bound', async () => {
    const columns = await server.store.listColumns(model.id);
    const hints = new BaselineCache();
    const source = {
      kind: 'predictions' as const,
      fromMicros: T0 * 1000,
      toMicros: (T0 + HOUR_MS) * 1000,
    };
    const targets = () => {
      const t = new RowTargets();
      t.add({ categorical: [{ key: 'c', target: { column: 'country' } }] });
      return t;
    };
    // 150 rows in the first hour: over a bound of 100, within one of 200.
    const tight = new SmallWindows(server.store, model.id, columns, hints, 100);
    expect(await tight.rows('a', source, targets())).toBeNull(); // size unknown: not read
    tight.remember(source, 50);
    expect(await tight.rows('a', source, targets())).toBeNull(); // read, found larger
    expect(await tight.rows('a', source, targets())).toBeNull(); // and not read again
    expect(hints.hint(model.id, `window-rows:${HOUR_MS * 1000}:[null,null,false]`)).toBe(101);
    const roomy = new SmallWindows(server.store, model.id, columns, hints, 200);
    roomy.remember(source, 150);
    expect((await roomy.rows('a', source, targets()))?.rows).toBe(150);
    expect(SMALL_WINDOW_ROWS).toBeGreaterThanOrEqual(5000);
  });
});

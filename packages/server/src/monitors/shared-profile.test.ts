/**
 * The monitors of a model's window share one window profile: their results are the same as
 * when every monitor profiles the window on its own, with far fewer scans of the window.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { MonitorResult } from '../domain/index.js';
import type { ProfileRequest } from '../storage/profiles.js';
import type { ModelColumn } from '../storage/types.js';
import {
  SCORED_SCHEMA,
  scoredRows,
  separateEvaluator,
  startDrivenEvaluationServer,
  type TestServer,
} from '../testing/index.js';
import type { MonitorService } from './service.js';

const SEED = 20261202;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 3, 8);

/** The scored rows with a sensitive attribute, `group`, drawn beside them. */
function rows(n: number, seed: number, shift = 0) {
  const groups = createSeededRandom(seed ^ 0x5eed);
  return scoredRows(n, seed, shift).map((r) => ({ ...r, group: groups.uniform() < 0.5 ? 'a' : 'b' }));
}

/**
 * Everything a result says, without the fields that name the run (sequence, evaluation time),
 * numbers to 12 significant digits: sums over the same rows may add up in another order.
 */
function comparable(results: MonitorResult[]) {
  return results
    .map(({ seq: _seq, evaluatedAtMicros: _at, ...rest }) =>
      JSON.parse(
        JSON.stringify(rest, (_key, value) =>
          typeof value === 'number' && !Number.isInteger(value) ? Number(value.toPrecision(12)) : value,
        ),
      ),
    )
    .sort((a, b) =>
      `${a.monitorId}|${a.windowStartMicros}|${a.feature}|${a.metric}`.localeCompare(
        `${b.monitorId}|${b.windowStartMicros}|${b.feature}|${b.metric}`,
      ),
    );
}

describe('shared window profile', () => {
  let server: TestServer;
  console.log(`shared profile seed ${SEED}`);

  beforeAll(async () => {
    server = await startDrivenEvaluationServer();
  });
  afterAll(async () => server?.close());

  it('gives every monitor the results of its own profile, in fewer scans', async () => {
    const schema = {
      ...SCORED_SCHEMA,
      features: [...SCORED_SCHEMA.features, { name: 'group', type: 'categorical' }],
      sensitive_attributes: ['group'],
    };
    const created = await server.api('/api/v1/models', {
      json: { name: 'shared', task: 'binary_classification', schema },
    });
    expect(created.status).toBe(201);
    expect((await server.api('/api/v1/models/shared/reference', { json: rows(1500, SEED) })).status).toBe(
      200,
    );
    const extra = [
      { name: 'wasserstein', config: { kind: 'feature_drift', method: 'wasserstein_normed' } },
      { name: 'ks-amount', config: { kind: 'feature_drift', features: ['amount'], method: 'ks' } },
      {
        name: 'share-high',
        config: {
          kind: 'custom_metric',
          metric: 'share_high',
          aggregate: 'rate',
          column: 'amount',
          predicate: { op: '>', value: 1 },
          threshold: { upper: 0.5 },
        },
      },
    ];
    for (const monitor of extra) {
      const response = await server.api('/api/v1/models/shared/monitors', { json: monitor });
      expect(response.status, await response.clone().text()).toBe(201);
    }
    const records = [0, 1].flatMap((hour) =>
      rows(300, SEED + 1 + hour, hour === 1 ? 1 : 0).map((r, i) => ({
        id: `${hour}-${i}`,
        timestamp: new Date(T0 + hour * HOUR_MS + i * 1000).toISOString(),
        features: { amount: r.amount, tenure: r.tenure, country: r.country, group: r.group },
        prediction: r.prediction,
        score: r.score,
        // Labels for the first hour only.
        ...(hour < 1 ? { label: r.label } : {}),
      })),
    );
    expect((await server.api('/api/v1/models/shared/predictions', { json: records })).status).toBe(200);

    const model = (await server.store.getModel(1, 'shared'))!;
    const counting = countProfiles(server);
    const evaluate = async (service: MonitorService) => {
      service.predictionsStored(
        model.id,
        [0, 1, 2].map((h) => (T0 + h * HOUR_MS) * 1000),
      );
      await service.flushMarks();
      const before = counting.calls;
      const tasks = await service.drain();
      const results = await server.store.results.query({ modelId: model.id, limit: 100_000 });
      return { tasks, scans: counting.calls - before, results: comparable(results) };
    };

    const shared = await evaluate(server.app.monitors);
    // Both evaluators compute the reference side: the second would otherwise read what the first stored.
    for (const dataset of await server.store.listReferenceDatasets(model.id))
      await server.store.referenceBaselines.forget(dataset.id);
    const alone = await evaluate(separateEvaluator(server, { shareWindowProfiles: false }));
    counting.restore();

    expect(shared.tasks).toBe(alone.tasks);
    expect(shared.tasks).toBeGreaterThanOrEqual(2 * 10);
    const kinds = new Set(shared.results.map((r) => r.monitorKind));
    expect([...kinds].sort()).toEqual([
      'custom_metric',
      'data_quality',
      'estimated_performance',
      'fairness',
      'feature_drift',
      'label_drift',
      'multivariate_drift',
      'performance',
      'prediction_drift',
      'traffic',
    ]);
    expect(shared.results.some((r) => r.status === 'alert')).toBe(true);
    expect(shared.results).toEqual(alone.results);
    // Windows evaluated at the same time cannot size their baselines by each other's row count
    // (a hint kept from the previous window): a window may be probed once more.
    expect(shared.scans).toBeLessThan(alone.scans * 0.6);
    // Every monitor of the model is evaluated twice, over two windows: allow for a busy machine.
  }, 120_000);

  it('scans a window as often after a restart as when each monitor knows its last window size', async () => {
    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical' },
      ],
      score_field: 'score',
      classes: ['0', '1'],
    };
    const created = await server.api('/api/v1/models', {
      json: { name: 'restarted', task: 'binary_classification', schema },
    });
    expect(created.status).toBe(201);
    const reference = rows(1500, SEED + 10).map(({ tenure: _t, group: _g, ...r }) => r);
    expect((await server.api('/api/v1/models/restarted/reference', { json: reference })).status).toBe(200);
    const records = rows(400, SEED + 11, 0.5).map((r, i) => ({
      id: `r-${i}`,
      timestamp: new Date(T0 + i * 1000).toISOString(),
      features: { amount: r.amount, country: r.country },
      prediction: r.prediction,
      score: r.score,
    }));
    expect((await server.api('/api/v1/models/restarted/predictions', { json: records })).status).toBe(200);
    const model = (await server.store.getModel(1, 'restarted'))!;
    const service = server.app.monitors;
    // The reference statistics are computed in the background after the upload: not counted here.
    await service.baselinesWarmed();
    const counting = countProfiles(server);
    const evaluate = async (restart: boolean) => {
      // A restart loses what the evaluator remembered (each monitor's last window size included);
      // the reference statistics are read back from the store.
      if (restart) (service as unknown as { cache: { clear(): void } }).cache.clear();
      service.predictionsStored(model.id, [T0 * 1000]);
      await service.flushMarks();
      const before = counting.calls;
      await service.drain();
      const results = await server.store.results.query({ modelId: model.id, limit: 100_000 });
      return { scans: counting.calls - before, results: comparable(results) };
    };
    const first = await evaluate(true);
    const remembered = await evaluate(false);
    const restarted = await evaluate(true);
    counting.restore();
    expect(restarted.results).toEqual(remembered.results);
    expect(first.results).toEqual(remembered.results);
    expect(restarted.scans).toBe(remembered.scans);
    expect(first.scans).toBe(remembered.scans);
  }, 120_000);
});

/**
 * Counts the store's profile calls (each is one or a few scans of the source), but for counts of
 * rows alone: the traffic monitor's counts of its compared windows, which read only timestamps
 * and are never part of the shared window profile.
 */
function countProfiles(server: TestServer) {
  const scans = (request: ProfileRequest) =>
    request.numeric?.length ||
    request.categorical?.length ||
    request.confusion ||
    request.regression ||
    request.violations
      ? 1
      : 0;
  const store = server.store as unknown as {
    profile: (modelId: number, columns: ModelColumn[], request: ProfileRequest) => Promise<unknown>;
  };
  const original = store.profile;
  const counter = {
    calls: 0,
    restore: () => {
      store.profile = original;
    },
  };
  store.profile = (modelId, columns, request) => {
    counter.calls += scans(request);
    return original.call(server.store, modelId, columns, request);
  };
  // Profiles computed together count one each.
  const many = server.store as unknown as {
    profileMany: (items: { request: ProfileRequest }[]) => Promise<unknown>;
  };
  const originalMany = many.profileMany;
  many.profileMany = (items) => {
    for (const { request } of items) counter.calls += scans(request);
    return originalMany.call(server.store, items);
  };
  const restore = counter.restore;
  counter.restore = () => {
    restore();
    many.profileMany = originalMany;
  };
  return counter;
}

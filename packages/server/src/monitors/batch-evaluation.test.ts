/**
 * Evaluating many model-windows together (one claimed batch: their profiles computed in merged
 * statements, their results written in one transaction) gives exactly the results of
 * evaluating each model-window on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ProfileBatchItem } from '../storage/profiles.js';
import type { ModelRow } from '../storage/types.js';
import {
  comparableResults,
  SCORED_SCHEMA,
  scoredRows,
  separateEvaluator,
  startDrivenEvaluationServer,
  type TestServer,
} from '../testing/index.js';

const SEED = 20261203;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 4, 8);
const MODELS = ['batch-a', 'batch-b', 'batch-c'];

describe('batched evaluation of many model-windows', () => {
  let server: TestServer;
  console.log(`batch evaluation seed ${SEED}`);

  beforeAll(async () => {
    // Two hours after the second window: both windows closed, and the hour that traffic finds
    // without data is the same for both ways of evaluating, whenever the test runs.
    server = await startDrivenEvaluationServer({}, () => T0 + 3 * HOUR_MS);
  });
  afterAll(async () => server?.close());

  it('gives exactly the results of evaluating each model-window alone', async () => {
    const models: ModelRow[] = [];
    for (const [m, name] of MODELS.entries()) {
      expect(
        (
          await server.api('/api/v1/models', {
            json: { name, task: 'binary_classification', schema: SCORED_SCHEMA },
          })
        ).status,
      ).toBe(201);
      expect(
        (await server.api(`/api/v1/models/${name}/reference`, { json: scoredRows(800, SEED + 10 * m) }))
          .status,
      ).toBe(200);
      const records = [0, 1].flatMap((hour) =>
        scoredRows(250, SEED + 10 * m + 1 + hour, hour === 1 ? m * 0.5 : 0).map((r, i) => ({
          id: `${hour}-${i}`,
          timestamp: new Date(T0 + hour * HOUR_MS + i * 1000).toISOString(),
          features: { amount: r.amount, tenure: r.tenure, country: r.country },
          prediction: r.prediction,
          score: r.score,
          ...(hour < 1 ? { label: r.label } : {}),
        })),
      );
      expect((await server.api(`/api/v1/models/${name}/predictions`, { json: records })).status).toBe(200);
      models.push((await server.store.getModel(1, name))!);
    }
    const snapshot = async () =>
      comparableResults(
        (
          await Promise.all(
            models.map((model) => server.store.results.query({ modelId: model.id, limit: 100_000 })),
          )
        ).flat(),
      );

    // Together: every model's two windows in one drain (and one claimed batch).
    const merged = watchProfileMany(server);
    const together = server.app.monitors;
    for (const model of models) together.predictionsStored(model.id, [T0 * 1000, (T0 + HOUR_MS) * 1000]);
    await together.flushMarks();
    const tasks = await together.drain();
    merged.restore();
    const batched = await snapshot();

    // Alone: one model-window per drain, by a fresh evaluator (nothing in memory; reference baselines from the store).
    const alone = separateEvaluator(server);
    let tasksAlone = 0;
    for (const model of models) {
      for (const hour of [0, 1]) {
        alone.predictionsStored(model.id, [(T0 + hour * HOUR_MS) * 1000]);
        await alone.flushMarks();
        tasksAlone += await alone.drain();
      }
    }
    const single = await snapshot();

    expect(tasksAlone).toBe(tasks);
    expect(tasks).toBeGreaterThanOrEqual(MODELS.length * 2 * 6);
    expect(new Set(batched.map((r) => r.modelId)).size).toBe(MODELS.length);
    expect(batched.some((r) => r.status === 'alert')).toBe(true);
    expect(batched).toEqual(single);
    // The windows of several models were profiled in the same store calls.
    expect(Math.max(...merged.models)).toBeGreaterThanOrEqual(MODELS.length);
  }, 120_000);
});

/** Records, for each `profileMany` call, how many different models it profiled. */
function watchProfileMany(server: TestServer) {
  const store = server.store as unknown as { profileMany: (items: ProfileBatchItem[]) => Promise<unknown> };
  const original = store.profileMany;
  const watch = {
    models: [] as number[],
    restore: () => {
      store.profileMany = original;
    },
  };
  store.profileMany = (items) => {
    watch.models.push(new Set(items.map((i) => i.modelId)).size);
    return original.call(server.store, items);
  };
  return watch;
}

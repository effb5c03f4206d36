/**
 * Reference baselines (edges, chunk profiles, the multivariate PCA fit) are computed once per
 * reference dataset, right after its upload, and kept in the store: results are exactly the same
 * whether they come from the evaluator's memory, from the store after a restart, or are
 * computed afresh; and two uploads of the same reference data give the same results.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ProfileBatchItem, ProfileRequest } from '../storage/profiles.js';
import type { SampleRequest } from '../storage/samples.js';
import type { ModelRow, Store } from '../storage/types.js';
import {
  comparableResults,
  SCORED_SCHEMA,
  scoredRows,
  separateEvaluator,
  startDrivenEvaluationServer,
  type TestServer,
} from '../testing/index.js';
import type { MonitorService } from './service.js';

const SEED = 20261207;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 9, 8);
/** A multivariate monitor whose baseline sample (200 of 800 rows) really is a sample. */
const SAMPLED_MULTIVARIATE = {
  name: 'relations-sampled',
  config: { kind: 'multivariate_drift', window: { size: '1h' }, max_sample_rows: 200 },
};

/** The scored rows with `tenure` moving with `amount`, so the two features are related. */
function rows(n: number, seed: number, shift = 0) {
  return scoredRows(n, seed, shift).map((r) => ({
    ...r,
    tenure: r.tenure === null ? null : r.tenure + r.amount,
  }));
}

/** Counts the store calls that read a reference dataset (profiles and samples). */
function watchReferenceReads(store: Store) {
  const target = store as unknown as {
    profile: (m: number, c: unknown, r: ProfileRequest) => Promise<unknown>;
    profileMany: (items: ProfileBatchItem[]) => Promise<unknown>;
    sampleRows: (m: number, c: unknown, r: SampleRequest) => Promise<unknown>;
  };
  const original = {
    profile: target.profile,
    profileMany: target.profileMany,
    sampleRows: target.sampleRows,
  };
  const watch = {
    reads: 0,
    restore: () => Object.assign(target, original),
  };
  target.profile = (m, c, r) => {
    if (r.source.kind === 'reference') watch.reads++;
    return original.profile.call(store, m, c, r);
  };
  target.profileMany = (items) => {
    watch.reads += items.filter((i) => i.request.source.kind === 'reference').length;
    return original.profileMany.call(store, items);
  };
  target.sampleRows = (m, c, r) => {
    if (r.source.kind === 'reference') watch.reads++;
    return original.sampleRows.call(store, m, c, r);
  };
  return watch;
}

async function createModel(server: TestServer, name: string, referenceSeed: number): Promise<ModelRow> {
  const created = await server.api('/api/v1/models', {
    json: { name, task: 'binary_classification', schema: SCORED_SCHEMA },
  });
  expect(created.status).toBe(201);
  const monitor = await server.api(`/api/v1/models/${name}/monitors`, { json: SAMPLED_MULTIVARIATE });
  expect(monitor.status, await monitor.clone().text()).toBe(201);
  // No ids: the server generates them, differently for every upload.
  const reference = rows(800, referenceSeed).map((r, i) => ({
    timestamp: new Date(T0 - 24 * HOUR_MS + i * 1000).toISOString(),
    features: { amount: r.amount, tenure: r.tenure, country: r.country },
    prediction: r.prediction,
    score: r.score,
    label: r.label,
  }));
  const uploaded = await server.api(`/api/v1/models/${name}/reference`, { json: reference });
  expect(uploaded.status, await uploaded.clone().text()).toBe(200);
  const records = [0, 1].flatMap((hour) =>
    rows(250, SEED + 1 + hour, hour === 1 ? 0.5 : 0).map((r, i) => ({
      id: `${hour}-${i}`,
      timestamp: new Date(T0 + hour * HOUR_MS + i * 1000).toISOString(),
      features: { amount: r.amount, tenure: r.tenure, country: r.country },
      prediction: r.prediction,
      score: r.score,
      ...(hour < 1 ? { label: r.label } : {}),
    })),
  );
  expect((await server.api(`/api/v1/models/${name}/predictions`, { json: records })).status).toBe(200);
  return (await server.store.getModel(1, name))!;
}

/** Evaluates the model's two windows with `service`; its results, and how many reference reads that took. */
async function evaluate(server: TestServer, service: MonitorService, model: ModelRow) {
  const watch = watchReferenceReads(server.store);
  try {
    service.predictionsStored(model.id, [T0 * 1000, (T0 + HOUR_MS) * 1000]);
    await service.flushMarks();
    const tasks = await service.drain();
    const results = comparableResults(
      await server.store.results.query({ modelId: model.id, limit: 100_000 }),
    );
    return { tasks, results, referenceReads: watch.reads };
  } finally {
    watch.restore();
  }
}

const dataDir = mkdtempSync(join(tmpdir(), 'vigil-reference-baselines-'));
afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

describe('reference baselines kept per dataset', () => {
  console.log(`reference baselines seed ${SEED}`);

  it('gives the same results from memory, from the store after a restart, and computed fresh', async () => {
    let server = await startDrivenEvaluationServer({ dataDir });
    let model: ModelRow;
    let first: Awaited<ReturnType<typeof evaluate>>;
    try {
      model = await createModel(server, 'kept', SEED);
      // Computed in the background after the upload: the first windows are evaluated warm.
      await server.app.monitors.baselinesWarmed();
      const [dataset] = await server.store.listReferenceDatasets(model.id);
      const kinds = new Set((await server.store.referenceBaselines.list(dataset!.id)).map((b) => b.kind));
      expect([...kinds].sort()).toEqual(['chunks', 'edges', 'multivariate']);
      first = await evaluate(server, server.app.monitors, model);
      expect(first.referenceReads).toBe(0);
      expect(first.tasks).toBeGreaterThanOrEqual(2 * 7);
      expect(first.results.some((r) => r.status === 'alert')).toBe(true);
      const kindsEvaluated = new Set(first.results.map((r) => r.monitorKind));
      for (const kind of ['data_quality', 'feature_drift', 'estimated_performance', 'multivariate_drift'])
        expect(kindsEvaluated).toContain(kind);
      expect(
        first.results.filter((r) => r.metric === 'reconstruction_error' && r.value !== null),
      ).toHaveLength(4);

      // From memory, once more.
      const again = await evaluate(server, server.app.monitors, model);
      expect(again.referenceReads).toBe(0);
      expect(again.results).toEqual(first.results);
    } finally {
      await server.close();
    }

    // A restart: a new server on the same data folder, nothing in memory, the baselines in the store.
    server = await startDrivenEvaluationServer({ dataDir });
    try {
      const restarted = await evaluate(server, server.app.monitors, model);
      expect(restarted.referenceReads).toBe(0);
      expect(restarted.tasks).toBe(first.tasks);
      expect(restarted.results).toEqual(first.results);

      // Computed afresh: nothing in the store, a new evaluator.
      const [dataset] = await server.store.listReferenceDatasets(model.id);
      await server.store.referenceBaselines.forget(dataset!.id);
      const computed = await evaluate(server, separateEvaluator(server), model);
      expect(computed.referenceReads).toBeGreaterThan(0);
      expect(computed.results).toEqual(first.results);
      // …and stored again for the next evaluator.
      expect((await server.store.referenceBaselines.list(dataset!.id)).length).toBeGreaterThan(0);
    } finally {
      await server.close();
    }
  }, 180_000);

  it('gives the same multivariate results for two uploads of the same reference data', async () => {
    const server = await startDrivenEvaluationServer();
    try {
      const models = [await createModel(server, 'twin-a', SEED), await createModel(server, 'twin-b', SEED)];
      const multivariate = [];
      for (const model of models) {
        const { results } = await evaluate(server, server.app.monitors, model);
        multivariate.push(
          results
            .filter((r) => r.monitorKind === 'multivariate_drift')
            .map(({ modelId: _m, monitorId: _id, ...rest }) => rest),
        );
      }
      expect(multivariate[0]!.length).toBe(4);
      expect(multivariate[1]).toEqual(multivariate[0]);
    } finally {
      await server.close();
    }
  }, 180_000);
});

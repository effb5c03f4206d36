/** The overview part of the storage contract, run for every engine by `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { NewMonitorResult } from '../domain/index.js';
import type { NewAlert } from './alerts.js';
import { toEventColumns } from './columns.js';
import { createTestModel, openMigratedStore, storedEvent } from './suite-support.js';
import type { ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 0, 0, 0) * 1000;
const HOUR = 3_600_000_000;

export function describeOverviewStore(openStore: () => Promise<Store>): void {
  describe('overview of every model', () => {
    let store: Store;
    let projectId: number;
    let churn: ModelRow;
    let fraud: ModelRow;

    const newModel = (name: string) => createTestModel(store, name);

    async function predict(model: ModelRow, times: number[], version: string | null = 'v1') {
      const columns = await store.listColumns(model.id);
      const records = times.map((t, i) =>
        storedEvent(`${model.name}-${t}-${i}`, t, [], { version, score: null }),
      );
      await store.insertPredictionColumns(model.id, columns, toEventColumns(columns, records));
    }

    beforeEach(async () => {
      ({ store, projectId } = await openMigratedStore(openStore));
      churn = await newModel('churn');
      fraud = await newModel('fraud');
    });
    afterEach(async () => {
      await store.close();
    });

    it('counts traffic per bucket and the version of the newest prediction in range', async () => {
      await predict(churn, [T0 - HOUR, T0 + 10, T0 + 20, T0 + 2 * HOUR + 5], 'v1');
      await predict(churn, [T0 + 3 * HOUR + 1], 'v2');
      await predict(churn, [T0 + 9 * HOUR], 'v3'); // after the range: last prediction, not counted
      const [a, b] = await store.overview.traffic([churn.id, fraud.id], {
        fromMicros: T0,
        toMicros: T0 + 4 * HOUR,
        buckets: 4,
      });
      expect(a).toEqual({
        modelId: churn.id,
        latestVersion: 'v2',
        traffic: [2, 0, 1, 1],
      });
      expect(b).toEqual({
        modelId: fraud.id,
        latestVersion: null,
        traffic: [0, 0, 0, 0],
      });
      expect(await store.overview.traffic([], { fromMicros: T0, toMicros: T0 + HOUR, buckets: 1 })).toEqual(
        [],
      );
    });

    it('keeps traffic and last prediction times at ingestion, once per stored row', async () => {
      // Rows and columns paths, re-sent ids (the staged path), an id twice in one batch.
      await predict(churn, [T0 + 10, T0 + 20]);
      const columns = await store.listColumns(churn.id);
      const record = (id: string, t: number, version: string | null) =>
        storedEvent(id, t, [], { version, score: null });
      await store.insertPredictions(churn.id, columns, [
        record(`churn-${T0 + 10}-0`, T0 + 10, 'v1'), // already stored
        record('new-1', T0 + HOUR + 5, null),
        record('new-2', T0 + 2 * HOUR, 'v2'),
        record('new-2', T0 + 2 * HOUR, 'v2'),
      ]);
      await store.insertPredictions(churn.id, columns, [record('old', T0 - 100 * HOUR, 'v0')]);
      const [traffic] = await store.overview.traffic([churn.id], {
        fromMicros: T0,
        toMicros: T0 + 3 * HOUR,
        buckets: 3,
      });
      expect(traffic).toEqual({ modelId: churn.id, latestVersion: 'v2', traffic: [2, 1, 1] });
      expect(await store.lastPredictionTimes([churn.id, fraud.id])).toEqual(
        new Map([[churn.id, T0 + 2 * HOUR]]),
      );
      // The same rows read back from the model's table agree with the rollup.
      const stored = await store.listPredictions(churn.id, columns, { limit: 100 });
      expect(stored).toHaveLength(5);

      // A version seen only in an older hour than a version-less newer hour is still the newest.
      await predict(fraud, [T0 + 5], 'f1');
      await predict(fraud, [T0 + 2 * HOUR], null);
      const [, fraudTraffic] = await store.overview.traffic([churn.id, fraud.id], {
        fromMicros: T0,
        toMicros: T0 + 3 * HOUR,
        buckets: 1,
      });
      expect(fraudTraffic).toEqual({ modelId: fraud.id, latestVersion: 'f1', traffic: [2] });

      await store.deleteModel(churn.id);
      expect(await store.lastPredictionTimes([churn.id, fraud.id])).toEqual(
        new Map([[fraud.id, T0 + 2 * HOUR]]),
      );
      const again = await newModel('churn');
      expect(await store.lastPredictionTimes([again.id])).toEqual(new Map());
    });

    it('refuses traffic buckets that are not whole hours', async () => {
      await expect(
        store.overview.traffic([churn.id], { fromMicros: T0, toMicros: T0 + HOUR, buckets: 3 }),
      ).rejects.toThrow(/whole hours/);
      await expect(
        store.overview.traffic([churn.id], { fromMicros: T0 + 1, toMicros: T0 + HOUR + 1, buckets: 1 }),
      ).rejects.toThrow(/whole hour/);
    });

    it('gives the newest window status of enabled monitors only', async () => {
      const drift = await store.monitors.create({
        modelId: churn.id,
        name: 'drift',
        kind: 'feature_drift',
        enabled: true,
        isDefault: false,
        config: {},
      });
      const off = await store.monitors.create({
        modelId: churn.id,
        name: 'off',
        kind: 'feature_drift',
        enabled: false,
        isDefault: false,
        config: {},
      });
      const result = (
        monitorId: number,
        start: number,
        feature: string,
        status: NewMonitorResult['status'],
      ) =>
        ({
          modelId: churn.id,
          monitorId,
          monitorKind: 'feature_drift',
          version: null,
          segment: null,
          windowStartMicros: start,
          windowEndMicros: start + HOUR,
          feature,
          metric: 'psi',
          value: 0.3,
          thresholdLower: null,
          thresholdUpper: 0.2,
          bandLower: null,
          bandUpper: null,
          sampleSize: 100,
          status,
          reason: null,
          details: {},
          evaluatedAtMicros: start + HOUR,
        }) satisfies NewMonitorResult;
      await store.results.replaceWindow(drift.id, T0, [result(drift.id, T0, 'age', 'alert')]);
      await store.results.replaceWindow(drift.id, T0 + HOUR, [
        result(drift.id, T0 + HOUR, 'age', 'ok'),
        result(drift.id, T0 + HOUR, 'income', 'warning'),
      ]);
      await store.results.replaceWindow(off.id, T0 + HOUR, [result(off.id, T0 + HOUR, 'age', 'alert')]);
      expect(await store.overview.monitorStatuses(projectId)).toEqual([
        { modelId: churn.id, monitorName: 'drift', status: 'warning', windowEndMicros: T0 + 2 * HOUR },
      ]);
    });

    it('counts firing alerts and unacknowledged ones per model, and the newest registered version', async () => {
      const alert = (fingerprint: string, state: NewAlert['state']): NewAlert => ({
        fingerprint,
        projectId,
        modelId: fraud.id,
        ruleId: null,
        ruleName: 'default',
        state,
        labels: {},
        annotations: {},
        value: 1,
        thresholdLower: null,
        thresholdUpper: 0.5,
        windowStartMicros: T0,
        windowEndMicros: T0 + HOUR,
        activeAtMs: 1,
        firedAtMs: state === 'pending' ? null : 1,
        resolvedAtMs: state === 'resolved' ? 2 : null,
        updatedAtMs: 2,
        groupIds: [],
      });
      await store.alerts.applyEvaluation({
        cursor: 1,
        series: [],
        insertAlerts: [
          alert('a', 'firing'),
          alert('b', 'firing'),
          alert('c', 'resolved'),
          alert('d', 'pending'),
        ],
        updateAlerts: [],
        deleteAlerts: [],
        groups: [],
      });
      const [first] = await store.alerts.listAlerts({ projectId, limit: 10, state: 'firing' });
      await store.alerts.acknowledge(first!.id, 'ana', 3);
      expect(await store.overview.openAlertCounts(projectId)).toEqual(
        new Map([[fraud.id, { firing: 2, unacknowledged: 1 }]]),
      );

      for (const name of ['2026-01', '2026-03', '2026-02']) {
        await store.createModelVersion({
          modelId: churn.id,
          name,
          artifactUri: null,
          params: {},
          metrics: {},
          tags: {},
          description: null,
        });
      }
      expect(await store.overview.newestRegisteredVersions(projectId)).toEqual(
        new Map([[churn.id, '2026-02']]),
      );
    });
  });
}

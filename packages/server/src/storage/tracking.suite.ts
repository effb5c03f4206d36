/** The contract of experiment tracking storage, run for every engine from `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openMigratedStore } from './suite-support.js';
import { ExperimentNameTakenError, ParamChangedError, type RunRow } from './tracking.js';
import type { Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

export function describeTrackingStore(openStore: () => Promise<Store>): void {
  describe('Tracking contract', () => {
    let store: Store;
    let projectId: number;
    let experimentId: number;

    beforeEach(async () => {
      ({ store, projectId } = await openMigratedStore(openStore));
      experimentId = (
        await store.tracking.createExperiment({
          projectId,
          name: 'churn',
          artifactLocation: 'mlflow-artifacts:/x',
          lifecycleStage: 'active',
          tags: { team: 'growth' },
          createdMs: T0,
        })
      ).id;
    });
    afterEach(async () => {
      await store.close();
    });

    function run(id: string, startMs: number): RunRow {
      return {
        id,
        projectId,
        experimentId,
        name: id,
        userId: 'ana',
        status: 'RUNNING',
        startMs,
        endMs: null,
        lifecycleStage: 'active',
        artifactUri: `mlflow-artifacts:/${experimentId}/${id}/artifacts`,
      };
    }

    it('stores experiments with tags and refuses a taken name', async () => {
      const experiment = await store.tracking.getExperimentByName(projectId, 'churn');
      expect(experiment).toMatchObject({
        id: experimentId,
        tags: { team: 'growth' },
        lifecycleStage: 'active',
      });
      await expect(
        store.tracking.createExperiment({
          projectId,
          name: 'churn',
          artifactLocation: '',
          lifecycleStage: 'active',
          tags: {},
          createdMs: T0,
        }),
      ).rejects.toBeInstanceOf(ExperimentNameTakenError);
      await store.tracking.updateExperiment(experimentId, { lifecycleStage: 'deleted' }, T0 + 1);
      const active = await store.tracking.searchExperiments(projectId, {
        view: 'ACTIVE_ONLY',
        limit: 10,
        offset: 0,
      });
      expect(active).toEqual([]);
      const all = await store.tracking.searchExperiments(projectId, { view: 'ALL', limit: 10, offset: 0 });
      expect(all.map((e) => e.name)).toEqual(['churn']);
    });

    it('keeps every metric point and answers the latest by step, then time', async () => {
      await store.tracking.createRun(run('r1', T0), { 'mlflow.runName': 'r1' });
      await store.tracking.logBatch('r1', {
        metrics: [
          { key: 'loss', value: 0.9, timestampMs: T0, step: 0 },
          { key: 'loss', value: 0.4, timestampMs: T0 + 2, step: 2 },
          { key: 'loss', value: 0.6, timestampMs: T0 + 5, step: 1 },
          { key: 'loss', value: 0.6, timestampMs: T0 + 5, step: 1 }, // the same point again: kept once
        ],
        params: { lr: '0.1' },
        tags: { team: 'growth' },
      });
      const stored = await store.tracking.getRun(projectId, 'r1');
      expect(stored?.metrics).toMatchObject([{ key: 'loss', value: 0.4, step: 2 }]);
      expect(stored?.params).toEqual({ lr: '0.1' });
      expect(stored?.tags).toEqual({ 'mlflow.runName': 'r1', team: 'growth' });
      const history = await store.tracking.metricHistory('r1', 'loss', { limit: 10, offset: 0 });
      expect(history.map((p) => p.value)).toEqual([0.9, 0.6, 0.4]);
    });

    it('refuses a changed param and applies nothing of that batch', async () => {
      await store.tracking.createRun(run('r1', T0), {});
      await store.tracking.logBatch('r1', { metrics: [], params: { lr: '0.1' }, tags: {} });
      await store.tracking.logBatch('r1', { metrics: [], params: { lr: '0.1' }, tags: {} });
      await expect(
        store.tracking.logBatch('r1', {
          metrics: [{ key: 'acc', value: 1, timestampMs: T0, step: 0 }],
          params: { lr: '0.2' },
          tags: {},
        }),
      ).rejects.toBeInstanceOf(ParamChangedError);
      const stored = await store.tracking.getRun(projectId, 'r1');
      expect(stored?.params).toEqual({ lr: '0.1' });
      expect(stored?.metrics).toEqual([]);
    });

    it('searches runs by metric, param, tag and attribute, and orders them', async () => {
      for (const [id, loss, model] of [
        ['a', 0.3, 'tree'],
        ['b', 0.5, 'tree'],
        ['c', 0.1, 'linear'],
      ] as const) {
        await store.tracking.createRun(run(id, T0 + id.charCodeAt(0)), {});
        await store.tracking.logBatch(id, {
          metrics: [{ key: 'loss', value: loss, timestampMs: T0, step: 0 }],
          params: { model },
          tags: { owner: id === 'c' ? 'bo' : 'ana' },
        });
      }
      const search = (
        conditions: Parameters<Store['tracking']['searchRuns']>[1]['conditions'],
        orderBy = [],
      ) =>
        store.tracking
          .searchRuns(projectId, {
            experimentIds: [experimentId],
            conditions,
            orderBy,
            view: 'ACTIVE_ONLY',
            limit: 10,
            offset: 0,
          })
          .then((runs) => runs.map((r) => r.id));
      expect(await search([{ kind: 'metric', key: 'loss', op: '<', value: 0.4 }])).toEqual(['c', 'a']);
      expect(await search([{ kind: 'param', key: 'model', op: '=', value: 'tree' }])).toEqual(['b', 'a']);
      expect(await search([{ kind: 'tag', key: 'owner', op: 'LIKE', value: 'an%' }])).toEqual(['b', 'a']);
      expect(await search([{ kind: 'attribute', key: 'run_id', op: 'IN', value: ['a', 'c'] }])).toEqual([
        'c',
        'a',
      ]);
      expect(await search([{ kind: 'param', key: 'missing', op: 'IS NULL' }])).toEqual(['c', 'b', 'a']);
      expect(await search([], [{ kind: 'metric', key: 'loss', ascending: true }] as never)).toEqual([
        'c',
        'a',
        'b',
      ]);
      await store.tracking.updateRun('b', { lifecycleStage: 'deleted' });
      expect(await search([])).toEqual(['c', 'a']);
    });

    it('indexes artifact files and lists a folder one level deep', async () => {
      const put = (path: string, size: number) =>
        store.tracking.putArtifactFile(projectId, { path, digest: 'd'.repeat(64), size }, T0);
      await put('1/r/artifacts/model/MLmodel', 10);
      await put('1/r/artifacts/model/data/model.pkl', 20);
      await put('1/r/artifacts/notes.txt', 5);
      expect(await store.tracking.listArtifactEntries(projectId, '1/r/artifacts', 100)).toEqual([
        { name: 'model', isDir: true, size: null },
        { name: 'notes.txt', isDir: false, size: 5 },
      ]);
      expect(await store.tracking.getArtifactFile(projectId, '1/r/artifacts/notes.txt')).toMatchObject({
        size: 5,
      });
      expect(await store.tracking.getArtifactFile(projectId + 1, '1/r/artifacts/notes.txt')).toBeNull();
    });

    it('deletes an experiment for good with its runs, and leaves the others alone', async () => {
      const other = await store.tracking.createExperiment({
        projectId,
        name: 'other',
        artifactLocation: '',
        lifecycleStage: 'active',
        tags: {},
        createdMs: T0,
      });
      await store.tracking.createRun(run('gone', T0), { note: 'x' });
      await store.tracking.logBatch('gone', {
        metrics: [{ key: 'auc', value: 0.8, timestampMs: T0, step: 1 }],
        params: { depth: '4' },
        tags: {},
      });
      await store.tracking.createRun({ ...run('kept', T0), experimentId: other.id }, {});
      await store.tracking.logBatch('kept', {
        metrics: [{ key: 'auc', value: 0.7, timestampMs: T0, step: 1 }],
        params: {},
        tags: {},
      });
      const file = (path: string) =>
        store.tracking.putArtifactFile(projectId, { path, digest: 'd'.repeat(64), size: 1 }, T0);
      await file(`${experimentId}/gone/artifacts/a.txt`);
      await file(`${other.id}/kept/artifacts/a.txt`);

      await store.tracking.deleteExperimentPermanently(experimentId);

      expect(await store.tracking.getExperiment(projectId, experimentId)).toBeNull();
      expect(await store.tracking.getRun(projectId, 'gone')).toBeNull();
      expect(await store.tracking.metricHistory('gone', 'auc', { limit: 10, offset: 0 })).toEqual([]);
      expect(
        await store.tracking.getArtifactFile(projectId, `${experimentId}/gone/artifacts/a.txt`),
      ).toBeNull();
      expect((await store.tracking.getRun(projectId, 'kept'))?.metrics).toHaveLength(1);
      expect(
        await store.tracking.getArtifactFile(projectId, `${other.id}/kept/artifacts/a.txt`),
      ).not.toBeNull();
      // The name is free again.
      await store.tracking.createExperiment({
        projectId,
        name: 'churn',
        artifactLocation: '',
        lifecycleStage: 'active',
        tags: {},
        createdMs: T0,
      });
      await store.tracking.deleteExperimentPermanently(999_999);
    });
  });
}

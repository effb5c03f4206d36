/** The contract of registry storage (version details, aliases and their history), from `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createTestModel, openStoreWithModel } from './suite-support.js';
import type { ModelRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const DAY = 86_400_000;

export function describeRegistryStore(openStore: () => Promise<Store>): void {
  describe('Registry contract', () => {
    let store: Store;
    let model: ModelRow;

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'churn'));
    });
    afterEach(async () => {
      await store.close();
    });

    const version = () =>
      store.registry.createNumberedVersion(
        {
          modelId: model.id,
          artifactUri: 's',
          params: {},
          metrics: { auc: 0.8 },
          tags: {},
          description: null,
        },
        {
          source: 's',
          runId: 'r',
          loggedModelId: null,
          userId: null,
          status: 'READY',
          dataDigest: 'abc',
          updatedMs: T0,
        },
      );

    it('numbers versions after the highest numeric name, beside versions named otherwise', async () => {
      await store.createModelVersion({
        modelId: model.id,
        name: 'v-legacy',
        artifactUri: null,
        params: {},
        metrics: {},
        tags: {},
        description: null,
      });
      await store.createModelVersion({
        modelId: model.id,
        name: '3',
        artifactUri: null,
        params: {},
        metrics: {},
        tags: {},
        description: null,
      });
      const next = await version();
      expect(next.name).toBe('4');
      expect(next.metrics).toEqual({ auc: 0.8 });
      const details = await store.registry.versionDetails([next.id]);
      expect(details.get(next.id)).toMatchObject({ runId: 'r', dataDigest: 'abc', status: 'READY' });
    });

    it('records every holding of an alias and answers who held it at a time', async () => {
      const [v1, v2, v3] = [await version(), await version(), await version()];
      await store.registry.setAlias(model.id, 'champion', v1.id, 'key:1', T0);
      await store.registry.setAlias(model.id, 'champion', v1.id, 'key:1', T0 + 1); // no change
      await store.registry.setAlias(model.id, 'champion', v2.id, 'key:2', T0 + DAY);
      await store.registry.setAlias(model.id, 'champion', v3.id, 'key:2', T0 + 2 * DAY);
      const history = await store.registry.aliasHistory(model.id, 'champion');
      expect(
        history.map((h) => [h.versionName, h.fromMs - T0, h.toMs === null ? null : h.toMs - T0]),
      ).toEqual([
        ['3', 2 * DAY, null],
        ['2', DAY, 2 * DAY],
        ['1', 0, DAY],
      ]);
      const then = await store.registry.aliasHistory(model.id, 'champion', T0 + DAY + 5);
      expect(then.map((h) => h.versionName)).toEqual(['2']);
      expect((await store.registry.currentAliases(model.id)).map((a) => [a.alias, a.versionName])).toEqual([
        ['champion', '3'],
      ]);
    });

    it("keeps a deleted alias's holdings in the model's alias history", async () => {
      const [v1, v2] = [await version(), await version()];
      await store.registry.setAlias(model.id, 'champion', v1.id, 'key:1', T0);
      await store.registry.setAlias(model.id, 'staging', v1.id, 'key:1', T0 + DAY);
      await store.registry.setAlias(model.id, 'staging', v2.id, 'key:1', T0 + 2 * DAY);
      expect(await store.registry.deleteAlias(model.id, 'staging', T0 + 3 * DAY)).toBe(true);
      expect((await store.registry.currentAliases(model.id)).map((a) => a.alias)).toEqual(['champion']);
      const all = await store.registry.modelAliasHistory(model.id);
      expect(
        all.map((h) => [
          h.alias,
          h.versionName,
          h.fromMs - T0,
          h.toMs === null ? null : h.toMs - T0,
          h.endedBy,
        ]),
      ).toEqual([
        ['staging', '2', 2 * DAY, 3 * DAY, 'deleted'],
        ['staging', '1', DAY, 2 * DAY, 'moved'],
        ['champion', '1', 0, null, null],
      ]);
      const other = await createTestModel(store, 'other');
      expect(await store.registry.modelAliasHistory(other.id)).toEqual([]);
    });

    it('rolls back to the previous holder, and again to the one before', async () => {
      const [v1, v2, v3] = [await version(), await version(), await version()];
      for (const [i, v] of [v1, v2, v3].entries()) {
        await store.registry.setAlias(model.id, 'champion', v.id, 'key:1', T0 + i * DAY);
      }
      const first = await store.registry.rollbackAlias(model.id, 'champion', 'key:9', T0 + 3 * DAY);
      expect(first).toMatchObject({
        outcome: 'rolled_back',
        holding: { versionName: '2', reason: 'rollback' },
      });
      const second = await store.registry.rollbackAlias(model.id, 'champion', 'key:9', T0 + 4 * DAY);
      expect(second).toMatchObject({ outcome: 'rolled_back', holding: { versionName: '1' } });
      expect(await store.registry.rollbackAlias(model.id, 'champion', 'key:9', T0 + 5 * DAY)).toEqual({
        outcome: 'no_previous',
      });
      expect(await store.registry.rollbackAlias(model.id, 'challenger', 'key:9', T0)).toEqual({
        outcome: 'not_set',
      });
      const ended = (await store.registry.aliasHistory(model.id, 'champion')).map((h) => h.endedBy);
      expect(ended).toEqual([null, 'rolled_back', 'rolled_back', 'moved', 'moved']);
    });

    it('ends the holding of a deleted version and never rolls back to it', async () => {
      const [v1, v2] = [await version(), await version()];
      await store.registry.setAlias(model.id, 'champion', v1.id, 'key:1', T0);
      await store.registry.setAlias(model.id, 'champion', v2.id, 'key:1', T0 + DAY);
      await store.registry.deleteVersion(v1.id, 'key:1', T0 + 2 * DAY);
      expect(await store.registry.rollbackAlias(model.id, 'champion', 'key:1', T0 + 3 * DAY)).toEqual({
        outcome: 'no_previous',
      });
      await store.registry.deleteVersion(v2.id, 'key:1', T0 + 4 * DAY);
      expect(await store.registry.currentAliases(model.id)).toEqual([]);
      expect(await store.registry.deleteAlias(model.id, 'champion', T0 + 5 * DAY)).toBe(false);
    });

    it('deleting the model deletes its versions and alias history', async () => {
      const v1 = await version();
      await store.registry.setAlias(model.id, 'champion', v1.id, 'key:1', T0);
      await store.deleteModel(model.id);
      expect(await store.registry.aliasHistory(model.id, 'champion')).toEqual([]);
      expect(await store.registry.versionDetails([v1.id])).toEqual(new Map());
    });
  });
}

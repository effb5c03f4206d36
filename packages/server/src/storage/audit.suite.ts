/** The contract of the audit trail, run for every engine from `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AuditRecorder, NewAuditEntry } from './audit.js';
import { openMigratedStore } from './suite-support.js';
import type { Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

export function describeAuditStore(openStore: () => Promise<Store>): void {
  describe('Audit trail contract', () => {
    let store: Store;
    let projectId: number;

    beforeEach(async () => {
      ({ store, projectId } = await openMigratedStore(openStore));
    });
    afterEach(async () => {
      await store.close();
    });

    function entry(overrides: Partial<NewAuditEntry> = {}): NewAuditEntry {
      return {
        projectId,
        atMs: T0,
        actor: { type: 'api_key', id: '1', name: 'deployer', ref: 'api-key:1' },
        entityType: 'model',
        entityId: 'churn',
        modelName: 'churn',
        action: 'update',
        before: { description: 'old' },
        after: { description: 'new', tags: { team: 'risk' } },
        secretsChanged: false,
        requestId: 'req-1',
        ...overrides,
      };
    }

    /** The model the changes are made to: `churn`, described "v0". */
    function createChurn() {
      return store.createModel({
        projectId,
        name: 'churn',
        task: 'binary_classification',
        description: 'v0',
        tags: {},
        schema: null,
        schemaSource: null,
      });
    }

    /** Builds the entry from what the store holds inside the transaction, as the HTTP layer does. */
    function modelRecorder(name: string): AuditRecorder & { calls: string[] } {
      let before: unknown = null;
      const calls: string[] = [];
      return {
        calls,
        async begun() {
          calls.push('begun');
          before = (await store.getModel(projectId, name))?.description ?? null;
        },
        async committing() {
          calls.push('committing');
          const after = (await store.getModel(projectId, name))?.description ?? null;
          return entry({ entityId: name, before: { description: before }, after: { description: after } });
        },
      };
    }

    it('reads back what was appended, newest first, JSON intact', async () => {
      const first = await store.audit.append(entry());
      const second = await store.audit.append(entry({ atMs: T0 + 1000, action: 'delete', after: null }));
      expect(second.id).toBeGreaterThan(first.id);
      const listed = await store.audit.list({ projectId, limit: 10 });
      expect(listed.map((e) => e.id)).toEqual([second.id, first.id]);
      expect(listed[1]).toEqual({ ...entry(), id: first.id });
      expect(listed[0]!.after).toBeNull();
    });

    it('filters by entity, actor (ref or name), action, model, time, and pages by id', async () => {
      const a = await store.audit.append(entry());
      const b = await store.audit.append(
        entry({
          atMs: T0 + 60_000,
          entityType: 'api_key',
          entityId: '7',
          modelName: null,
          action: 'revoke',
          actor: { type: 'user', id: '3', name: 'alice', ref: 'user:alice' },
        }),
      );
      const c = await store.audit.append(
        entry({ atMs: T0 + 120_000, entityId: 'fraud', modelName: 'fraud' }),
      );
      const ids = async (query: Partial<Parameters<Store['audit']['list']>[0]>) =>
        (await store.audit.list({ projectId, limit: 100, ...query })).map((e) => e.id);
      expect(await ids({ entityType: 'model' })).toEqual([c.id, a.id]);
      expect(await ids({ entityType: 'model', entityId: 'churn' })).toEqual([a.id]);
      expect(await ids({ actor: 'user:alice' })).toEqual([b.id]);
      expect(await ids({ actor: 'alice' })).toEqual([b.id]);
      expect(await ids({ actor: 'deployer' })).toEqual([c.id, a.id]);
      expect(await ids({ action: 'revoke' })).toEqual([b.id]);
      expect(await ids({ modelName: 'fraud' })).toEqual([c.id]);
      expect(await ids({ modelLevelOnly: true })).toEqual([c.id, a.id]);
      expect(await ids({ fromMs: T0 + 60_000 })).toEqual([c.id, b.id]);
      expect(await ids({ toMs: T0 + 60_000 })).toEqual([a.id]);
      expect(await ids({ beforeId: c.id, limit: 1 })).toEqual([b.id]);
      expect(await ids({ projectId: projectId + 1 })).toEqual([]);
    });

    it('appends the entry in the transaction of the change, seeing the change', async () => {
      const model = await createChurn();
      const recorder = modelRecorder('churn');
      await store.audit.recording(recorder, () => store.updateModel(model.id, { description: 'v1' }));
      expect(recorder.calls).toEqual(['begun', 'committing']);
      const [recorded] = await store.audit.list({ projectId, limit: 10 });
      expect(recorded!.before).toEqual({ description: 'v0' });
      expect(recorded!.after).toEqual({ description: 'v1' });
    });

    it('rolls the change back when its entry cannot be written, and writes no entry for a failed change', async () => {
      const model = await createChurn();
      const failing: AuditRecorder = {
        begun: async () => undefined,
        committing: async () => {
          throw new Error('the entry cannot be built');
        },
      };
      await expect(
        store.audit.recording(failing, () => store.updateModel(model.id, { description: 'v1' })),
      ).rejects.toThrow('the entry cannot be built');
      expect((await store.getModel(projectId, 'churn'))!.description).toBe('v0');

      await expect(
        store.audit.recording(modelRecorder('churn'), () =>
          store.createModel({
            projectId,
            name: 'churn',
            task: 'regression',
            description: null,
            tags: {},
            schema: null,
            schemaSource: null,
          }),
        ),
      ).rejects.toThrow();
      expect(await store.audit.list({ projectId, limit: 10 })).toEqual([]);
    });

    it('stops recording once the work settled: writes it left behind are not attributed to it', async () => {
      const model = await createChurn();
      let later: Promise<unknown> = Promise.resolve();
      const recorder = modelRecorder('churn');
      await store.audit.recording(recorder, async () => {
        later = new Promise((resolve) => setImmediate(resolve)).then(() =>
          store.updateModel(model.id, { description: 'later' }),
        );
      });
      await later;
      expect(recorder.calls).toEqual([]);
      expect(await store.audit.list({ projectId, limit: 10 })).toEqual([]);
    });
  });
}

/**
 * Reference baselines kept per dataset: part of the storage contract, run for every engine by
 * `describeStore`.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { MAX_BASELINE_BYTES, MAX_BASELINES_PER_DATASET } from './reference-baselines.js';
import { openStoreWithModel, storedEvent } from './suite-support.js';
import type { ModelColumn, ModelRow, ReferenceDatasetRow, Store } from './types.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000;

export function describeReferenceBaselines(openStore: () => Promise<Store>): void {
  describe('reference baselines', () => {
    let store: Store;
    let model: ModelRow;
    let columns: ModelColumn[];
    let dataset: ReferenceDatasetRow;

    const rows = (n: number, prefix: string) =>
      Array.from({ length: n }, (_, i) => storedEvent(`${prefix}${i}`, T0 + i, [i]));
    const current = async (name = 'train') => (await store.getReferenceDataset(model.id, name))!;
    const entry = (d: ReferenceDatasetRow, key: string, body: number[]) => ({
      modelId: model.id,
      datasetId: d.id,
      revision: d.revision,
      key,
      kind: 'edges',
      body: Uint8Array.from(body),
    });

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'baselined'));
      columns = await store.addColumns(model.id, [
        { name: 'x', role: 'feature', type: 'numeric', declared: true },
      ]);
      const created = await store.createReferenceDataset({
        modelId: model.id,
        name: 'train',
        versionId: null,
      });
      expect(created.revision).toBe(0);
      await store.insertReference(model.id, created.id, columns, rows(10, 'r'));
      dataset = await current();
    });

    afterEach(async () => {
      await store.close();
    });

    it('stores bytes per dataset, revision and key, idempotently', async () => {
      expect(dataset.revision).toBeGreaterThan(0);
      expect(await store.referenceBaselines.get(dataset.id, dataset.revision, 'k')).toBeNull();
      const body = [0, 1, 2, 255, 0, 128];
      expect(await store.referenceBaselines.put(entry(dataset, 'k', body))).toBe(true);
      // Two evaluators storing the same entry: both succeed, one entry remains.
      expect(await store.referenceBaselines.put(entry(dataset, 'k', body))).toBe(true);
      expect([...(await store.referenceBaselines.get(dataset.id, dataset.revision, 'k'))!]).toEqual(body);
      expect(await store.referenceBaselines.get(dataset.id, dataset.revision + 1, 'k')).toBeNull();
      expect(await store.referenceBaselines.get(dataset.id, dataset.revision, 'other')).toBeNull();
      expect(await store.referenceBaselines.list(dataset.id)).toEqual([
        { key: 'k', kind: 'edges', revision: dataset.revision, bytes: body.length },
      ]);
      await store.referenceBaselines.forget(dataset.id);
      expect(await store.referenceBaselines.list(dataset.id)).toEqual([]);
    });

    it('gives a dataset a new revision and drops its entries whenever its rows change', async () => {
      const revisions = [dataset.revision];
      const changes: (() => Promise<unknown>)[] = [
        () => store.insertReference(model.id, dataset.id, columns, rows(5, 's')),
        () => store.clearReferenceDataset(dataset.id),
        () =>
          store.storeReferenceUpload({
            modelId: model.id,
            dataset: { name: 'train', versionId: null },
            replace: true,
            columns: [{ name: 'x', role: 'feature', type: 'numeric', declared: true }],
            records: rows(10, 't'),
          }),
      ];
      for (const change of changes) {
        const before = await current();
        expect(await store.referenceBaselines.put(entry(before, 'k', [1]))).toBe(true);
        await change();
        const after = await current();
        expect(revisions).not.toContain(after.revision);
        revisions.push(after.revision);
        expect(await store.referenceBaselines.list(dataset.id)).toEqual([]);
        // A computation that started before the change stores nothing.
        expect(await store.referenceBaselines.put(entry(before, 'k', [1]))).toBe(false);
        expect(await store.referenceBaselines.get(dataset.id, before.revision, 'k')).toBeNull();
      }
      // The replacement has as many rows as before: the revision still tells them apart.
      expect((await current()).rowCount).toBe(10);
    });

    it('keeps entries bounded in size and number, and deletes them with the model', async () => {
      expect(
        await store.referenceBaselines.put({
          ...entry(dataset, 'big', []),
          body: new Uint8Array(MAX_BASELINE_BYTES + 1),
        }),
      ).toBe(false);
      for (let i = 0; i <= MAX_BASELINES_PER_DATASET; i++) {
        expect(
          await store.referenceBaselines.put(entry(dataset, `k${String(i).padStart(3, '0')}`, [i % 256])),
        ).toBe(true);
      }
      const kept = await store.referenceBaselines.list(dataset.id);
      expect(kept).toHaveLength(MAX_BASELINES_PER_DATASET);
      expect(kept.some((k) => k.key === `k${String(MAX_BASELINES_PER_DATASET).padStart(3, '0')}`)).toBe(true);
      const other = await store.createReferenceDataset({ modelId: model.id, name: 'other', versionId: null });
      expect(await store.referenceBaselines.put(entry(other, 'k', [7]))).toBe(true);
      // Another model's id does not match the dataset: nothing is stored.
      expect(await store.referenceBaselines.put({ ...entry(other, 'x', [7]), modelId: model.id + 1 })).toBe(
        false,
      );
      await store.deleteModel(model.id);
      expect(await store.referenceBaselines.list(dataset.id)).toEqual([]);
      expect(await store.referenceBaselines.list(other.id)).toEqual([]);
      expect(await store.referenceBaselines.put(entry(other, 'k', [7]))).toBe(false);
    });
  });
}

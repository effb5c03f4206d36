/**
 * The storage test suite, written once and run against every engine through
 * `describeStore(engineName, openStore)`. A new engine passes this suite and needs no
 * tests of its own for the contract.
 */
import { afterEach, beforeEach, describe, expect, it as vitestIt } from 'vitest';
import { describeAlertStore } from './alerts.suite.js';
import { describeAuditStore } from './audit.suite.js';
import { toEventColumns } from './columns.js';
import { describeComparisonStore } from './comparison.suite.js';
import { describeMonitoringStore } from './monitoring.suite.js';
import { describeOutbox } from './outbox.suite.js';
import { describeOverviewStore } from './overview.suite.js';
import { describePredictionCounts } from './prediction-counts.suite.js';
import { describeProfilePartials } from './profile-partials.suite.js';
import type { ProfileRequest, WindowProfile } from './profiles.js';
import { describeReferenceBaselines } from './reference-baselines.suite.js';
import { describeRegistryStore } from './registry.suite.js';
import { describeSamples } from './samples.suite.js';
import { createTestModel, openMigratedStore, storedEvent } from './suite-support.js';
import { describeTrackingStore } from './tracking.suite.js';
import type { ModelColumn, ModelRow, Store } from './types.js';
import { describeUserStore } from './users.suite.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0) * 1000; // a Monday, 10:00 UTC, in microseconds
const HOUR = 3_600_000_000;

const event = storedEvent;

export interface StoreSuiteOptions {
  /**
   * Only the contract of profiles and histograms (tests named so, and the profile partials): for
   * a variant of an engine that differs in those alone (DuckDB without its profile extension).
   */
  profilesOnly?: boolean;
}

const PROFILE_TESTS = /profile|histogram/i;

export function describeStore(
  engine: string,
  openStore: () => Promise<Store>,
  options: StoreSuiteOptions = {},
): void {
  // The suite's tests, or with `profilesOnly` the profile tests run and the others skipped.
  const it = options.profilesOnly
    ? (name: string, fn: () => Promise<void>) =>
        PROFILE_TESTS.test(name) ? vitestIt(name, fn) : vitestIt.skip(name, fn)
    : vitestIt;
  describe(`Store contract: ${engine}`, () => {
    let store: Store;
    let projectId: number;
    let model: ModelRow;
    let columns: ModelColumn[];

    beforeEach(async () => {
      ({ store, projectId } = await openMigratedStore(openStore));
      model = await createTestModel(store, 'fraud', { team: 'risk' });
      columns = await store.addColumns(model.id, [
        { name: 'amount', role: 'feature', type: 'numeric', declared: true },
        { name: 'country', role: 'feature', type: 'categorical', declared: true },
        { name: 'is_new', role: 'feature', type: 'boolean', declared: true },
        { name: 'region', role: 'segment', type: 'categorical', declared: true },
      ]);
    });

    afterEach(async () => {
      await store.close();
    });

    it('migrates idempotently', async () => {
      await store.migrate();
      expect((await store.listModels(projectId)).map((m) => m.name)).toEqual(['fraud']);
    });

    it('stores projects, keys and revocation', async () => {
      const again = await store.ensureProject('default');
      expect(again.id).toBe(projectId);
      const key = await store.createApiKey({
        projectId,
        name: 'ci',
        scope: 'write',
        keyHash: 'h1',
        prefix: 'vk_ab',
      });
      expect(await store.findApiKeyByHash('h1')).toMatchObject({ id: key.id, scope: 'write', name: 'ci' });
      expect(await store.revokeApiKey(projectId, key.id)).toBe('revoked');
      expect(await store.revokeApiKey(projectId, key.id)).toBe('not_found');
      expect(await store.findApiKeyByHash('h1')).toBeNull();
      expect(await store.countApiKeys()).toBe(1);
    });

    it('records who created a key and when it was last used', async () => {
      const key = await store.createApiKey({
        projectId,
        name: 'ci',
        scope: 'read',
        keyHash: 'h-used',
        prefix: 'vk_cd',
        createdBy: 'user:ada',
      });
      expect(key).toMatchObject({ createdBy: 'user:ada', lastUsedAt: null });
      const at = Date.UTC(2026, 0, 5, 10, 0, 0);
      await store.recordApiKeyUse(key.id, at);
      // A late, older record never moves it back.
      await store.recordApiKeyUse(key.id, at - 60_000);
      expect(await store.findApiKeyByHash('h-used')).toMatchObject({ lastUsedAt: new Date(at) });
      const [listed] = (await store.listApiKeys(projectId)).filter((k) => k.id === key.id);
      expect(listed).toMatchObject({ lastUsedAt: new Date(at), createdBy: 'user:ada' });
      const older = await store.createApiKey({
        projectId,
        name: 'x',
        scope: 'read',
        keyHash: 'h-x',
        prefix: 'x',
      });
      expect(older.createdBy).toBeNull();
    });

    it('refuses to revoke the last active admin key of a project', async () => {
      const admin = (name: string, projectId: number) =>
        store.createApiKey({ projectId, name, scope: 'admin', keyHash: `hash-${name}`, prefix: name });
      const first = await admin('a1', projectId);
      const second = await admin('a2', projectId);
      const elsewhere = await store.ensureProject('other');
      await admin('b1', elsewhere.id);
      expect(await store.revokeApiKey(projectId, first.id)).toBe('revoked');
      // The other project's admin key does not count for this one.
      expect(await store.revokeApiKey(projectId, second.id)).toBe('last_admin');
      expect(await store.findApiKeyByHash('hash-a2')).toMatchObject({ id: second.id });
      expect(await store.revokeApiKey(elsewhere.id, second.id)).toBe('not_found');
    });

    it('keeps models and versions', async () => {
      expect(await store.getModel(projectId, 'fraud')).toMatchObject({
        task: 'binary_classification',
        tags: { team: 'risk' },
      });
      const updated = await store.updateModel(model.id, { description: 'card fraud' });
      expect(updated.description).toBe('card fraud');
      await store.createModelVersion({
        modelId: model.id,
        name: 'v1',
        artifactUri: 's3://models/fraud/1',
        params: { depth: 6 },
        metrics: { auc: 0.91 },
        tags: {},
        description: null,
      });
      expect((await store.listModelVersions(model.id)).map((v) => v.name)).toEqual(['v1']);
      expect(await store.getModelVersion(model.id, 'v1')).toMatchObject({
        params: { depth: 6 },
        metrics: { auc: 0.91 },
      });
      await expect(
        store.createModelVersion({
          modelId: model.id,
          name: 'v1',
          artifactUri: null,
          params: {},
          metrics: {},
          tags: {},
          description: null,
        }),
      ).rejects.toThrow();
    });

    it('assigns growing column positions and ignores known columns', async () => {
      expect(columns.map((c) => [c.name, c.position])).toEqual([
        ['amount', 0],
        ['country', 1],
        ['is_new', 2],
        ['region', 3],
      ]);
      const more = await store.addColumns(model.id, [
        { name: 'amount', role: 'feature', type: 'numeric', declared: true },
        { name: 'extra', role: 'feature', type: 'text', declared: false },
      ]);
      expect(more.map((c) => c.name)).toEqual(['amount', 'country', 'is_new', 'region', 'extra']);
      expect(more[4]).toMatchObject({ position: 4, declared: false });
    });

    it('gives a retyped feature a new column and keeps the old data readable', async () => {
      await store.insertPredictions(model.id, columns, [event('old', T0, [1, 'DE', true, 'eu'])]);
      const retyped = await store.addColumns(model.id, [
        { name: 'amount', role: 'feature', type: 'categorical', declared: true },
      ]);
      expect(retyped.map((c) => [c.name, c.type, c.position])).toContainEqual(['amount', 'categorical', 4]);
      await store.insertPredictions(model.id, retyped, [
        event('new', T0 + 1, [null, 'FR', false, 'eu', 'high']),
      ]);
      expect((await store.getPrediction(model.id, retyped, 'old'))?.features.amount).toBe(1);
      expect((await store.getPrediction(model.id, retyped, 'new'))?.features.amount).toBe('high');
      const counts = await store.categoryCounts(model.id, retyped, {
        source: { kind: 'predictions' },
        columns: ['amount'],
      });
      expect(counts.filter((c) => c.value !== null)).toEqual([
        { windowStartMicros: null, column: 'amount', value: 'high', count: 1 },
      ]);
    });

    it('inserts predictions idempotently and reads them back with late labels', async () => {
      const records = [
        event('a', T0, [10.5, 'DE', true, 'eu']),
        event('b', T0 + 1, [null, 'FR', false, 'eu'], { violations: ['missing_feature:amount'] }),
        event('c', T0 + HOUR, [3, null, null, null], { invalid: { country: 7 }, label: '0', labelNumber: 0 }),
      ];
      expect(await store.insertPredictions(model.id, columns, records)).toBe(3);
      expect(await store.insertPredictions(model.id, columns, records)).toBe(0);
      await store.upsertLabels(model.id, [
        { id: 'a', label: '1', labelNumber: 1, timestampMicros: T0 + 2 * HOUR },
        { id: 'zzz', label: '0', labelNumber: 0, timestampMicros: T0 },
      ]);
      const a = await store.getPrediction(model.id, columns, 'a');
      expect(a).toMatchObject({
        id: 'a',
        timestampMicros: T0,
        features: { amount: 10.5, country: 'DE', is_new: true },
        segments: { region: 'eu' },
        label: '1',
        labelTimestampMicros: T0 + 2 * HOUR,
      });
      const b = await store.getPrediction(model.id, columns, 'b');
      expect(b?.violations).toEqual(['missing_feature:amount']);
      expect(b?.label).toBeNull();
      const c = await store.getPrediction(model.id, columns, 'c');
      expect(c).toMatchObject({ label: '0', invalid: { country: 7 } });
      // A label that came first joins its prediction when the prediction arrives.
      await store.insertPredictions(model.id, columns, [event('zzz', T0 + 5, [1, 'DE', true, 'eu'])]);
      expect((await store.getPrediction(model.id, columns, 'zzz'))?.label).toBe('0');
      expect(await store.getPrediction(model.id, columns, 'nope')).toBeNull();
    });

    it('joins a label to its prediction whichever comes first, by any insert path, the latest label winning', async () => {
      const label = (id: string, value: string, at: number) => ({
        id,
        label: value,
        labelNumber: Number(value),
        timestampMicros: at,
      });
      // Labels before their predictions, then relabelled while they wait.
      await store.upsertLabels(
        model.id,
        ['r', 'k', 's', 'i'].map((id) => label(id, '7', T0)),
      );
      await store.upsertLabels(model.id, [
        label('r', '1', T0 + 1),
        label('k', '0', T0 + 1),
        label('s', '1', T0 + 1),
      ]);
      const row = [1, 'DE', true, 'eu'];
      // By row, by column, and in a batch that repeats a stored id (stored apart).
      await store.insertPredictions(model.id, columns, [event('r', T0 + HOUR, row, { prediction: '1' })]);
      await store.insertPredictionColumns(
        model.id,
        columns,
        toEventColumns(columns, [event('k', T0 + HOUR + 1, row, { prediction: '1' })]),
      );
      await store.insertPredictions(model.id, columns, [
        event('r', T0 + HOUR, row, { prediction: '1' }),
        event('s', T0 + HOUR + 2, row, { prediction: '0' }),
      ]);
      // A label sent with its prediction replaces the one that waited.
      await store.insertPredictions(model.id, columns, [
        event('i', T0 + HOUR + 3, row, { prediction: '0', label: '0', labelNumber: 0 }),
      ]);
      // Relabelled once its prediction is stored.
      await store.upsertLabels(model.id, [label('s', '0', T0 + 2)]);
      const labels = async () =>
        Promise.all(
          ['r', 'k', 's', 'i'].map(async (id) => {
            const stored = await store.getPrediction(model.id, columns, id);
            return [stored?.label, stored?.labelNumber, stored?.labelTimestampMicros];
          }),
        );
      expect(await labels()).toEqual([
        ['1', 1, T0 + 1],
        ['0', 0, T0 + 1],
        ['0', 0, T0 + 2],
        ['0', 0, T0 + HOUR + 3],
      ]);
      const source = { kind: 'predictions' as const, fromMicros: T0 + HOUR, toMicros: T0 + 2 * HOUR };
      expect(await store.confusionCounts(model.id, { source })).toEqual([
        { windowStartMicros: null, prediction: '0', label: '0', count: 2 },
        { windowStartMicros: null, prediction: '1', label: '0', count: 1 },
        { windowStartMicros: null, prediction: '1', label: '1', count: 1 },
      ]);
      // Labels of ids never predicted change nothing, and go with the model.
      await store.upsertLabels(model.id, [label('never', '1', T0)]);
      expect(await store.windowCounts(model.id, { source, bucket: 'hour' })).toEqual([
        { windowStartMicros: T0 + HOUR, predictions: 4, labeled: 4 },
      ]);
    });

    it("joins a window's labels whatever the labels of other windows and models", async () => {
      const other = await createTestModel(store, 'other', {});
      const otherColumns = await store.addColumns(
        other.id,
        columns.map(({ position: _, ...c }) => c),
      );
      const row = [1, 'DE', true, 'eu'];
      const window = (start: number, count: number, prefix: string) =>
        Array.from({ length: count }, (_, i) =>
          event(`${prefix}${i}`, start + i, row, { prediction: `${i % 2}` }),
        );
      await store.insertPredictions(model.id, columns, window(T0, 6, 'a'));
      await store.insertPredictions(model.id, columns, window(T0 + HOUR, 6, 'b'));
      await store.insertPredictions(other.id, otherColumns, window(T0, 6, 'a'));
      const labelAll = (prefix: string, count: number, value: string) =>
        Array.from({ length: count }, (_, i) => ({
          id: `${prefix}${i}`,
          label: value,
          labelNumber: Number(value),
          timestampMicros: T0 + 3 * HOUR,
        }));
      await store.upsertLabels(model.id, labelAll('a', 3, '1'));
      const source = { kind: 'predictions' as const, fromMicros: T0, toMicros: T0 + HOUR };
      const read = () =>
        Promise.all([
          store.windowCounts(model.id, { source, bucket: 'hour' }),
          store.confusionCounts(model.id, { source }),
          store
            .readWindowRows(model.id, columns, {
              source,
              numeric: [{ field: 'label_num' }],
              text: [{ field: 'label' }],
              labels: true,
              violations: false,
              limit: 100,
            })
            .then((rows) => [[...rows.numeric[0]!], rows.text[0]]),
        ]);
      const before = await read();
      expect(before[0]).toEqual([{ windowStartMicros: T0, predictions: 6, labeled: 3 }]);
      expect(before[2]).toEqual([
        [1, 1, 1, Number.NaN, Number.NaN, Number.NaN],
        ['1', '1', '1', null, null, null],
      ]);
      // Labels of the next window, of the other model's same ids, and of ids not predicted yet.
      await store.upsertLabels(model.id, labelAll('b', 6, '0'));
      await store.upsertLabels(other.id, labelAll('a', 6, '0'));
      await store.upsertLabels(model.id, labelAll('c', 6, '0'));
      expect(await read()).toEqual(before);
      expect(
        await store.windowCounts(model.id, {
          source: { kind: 'predictions', fromMicros: T0 + HOUR, toMicros: T0 + 2 * HOUR },
          bucket: 'hour',
        }),
      ).toEqual([{ windowStartMicros: T0 + HOUR, predictions: 6, labeled: 6 }]);
      // The waiting ones join their window once it has their predictions.
      await store.insertPredictions(model.id, columns, window(T0 + 2 * HOUR, 6, 'c'));
      expect(
        await store.confusionCounts(model.id, {
          source: { kind: 'predictions', fromMicros: T0 + 2 * HOUR, toMicros: T0 + 3 * HOUR },
        }),
      ).toEqual([
        { windowStartMicros: null, prediction: '0', label: '0', count: 3 },
        { windowStartMicros: null, prediction: '1', label: '0', count: 3 },
      ]);
      expect(await read()).toEqual(before);
    });

    it('stores only the new ids of a batch that overlaps stored ones, then carries on', async () => {
      const batch = (from: number, to: number) =>
        Array.from({ length: to - from }, (_, i) =>
          event(`o${from + i}`, T0 + from + i, [from + i, 'DE', true, 'eu']),
        );
      expect(await store.insertPredictions(model.id, columns, batch(0, 100))).toBe(100);
      for (let round = 0; round < 3; round++) {
        expect(await store.insertPredictions(model.id, columns, batch(50, 150 + round))).toBe(
          round === 0 ? 50 : 1,
        );
      }
      expect(await store.insertPredictions(model.id, columns, batch(1000, 1010))).toBe(10);
      const [counts] = await store.windowCounts(model.id, {
        source: { kind: 'predictions' },
        bucket: 'week',
      });
      expect(counts?.predictions).toBe(162);
    });

    it('stores predictions given by column exactly as the same records given by row', async () => {
      const when = [T0, T0 + 1, T0 + HOUR, T0 + 2 * HOUR];
      const records = (prefix: string) => [
        event(`${prefix}a`, when[0]!, [10.5, 'DE', true, 'eu'], { scores: { '0': 0.1, '1': 0.9 } }),
        event(`${prefix}b`, when[1]!, [null, 'FR', false, null], { violations: ['missing_feature:amount'] }),
        event(`${prefix}c`, when[2]!, [3, null, null, null], {
          invalid: { country: 7 },
          label: '0',
          labelNumber: 0,
          version: null,
          score: null,
        }),
        event(`${prefix}d`, when[3]!, [null, null, null, null], { prediction: 'x', predictionNumber: null }),
      ];
      expect(await store.insertPredictions(model.id, columns, records('row-'))).toBe(4);
      const batch = toEventColumns(columns, records('col-'));
      expect(await store.insertPredictionColumns(model.id, columns, batch)).toBe(4);
      // Re-sent ids are skipped; a batch mixing stored and new ids stores only the new ones.
      expect(await store.insertPredictionColumns(model.id, columns, batch)).toBe(0);
      const mixed = toEventColumns(columns, [
        event('col-a', T0, [1, 'DE', true, 'eu']),
        event('col-e', T0 + 5, [2, 'US', true, 'us'], { label: '1', labelNumber: 1 }),
      ]);
      expect(await store.insertPredictionColumns(model.id, columns, mixed)).toBe(1);
      for (const suffix of ['a', 'b', 'c', 'd']) {
        const byRow = await store.getPrediction(model.id, columns, `row-${suffix}`);
        const byColumn = await store.getPrediction(model.id, columns, `col-${suffix}`);
        expect(byColumn).toEqual({ ...byRow, id: `col-${suffix}` });
      }
      expect(await store.getPrediction(model.id, columns, 'col-e')).toMatchObject({
        features: { amount: 2, country: 'US', is_new: true },
        segments: { region: 'us' },
        label: '1',
      });
      expect((await store.getPrediction(model.id, columns, 'col-a'))?.features.amount).toBe(10.5);
    });

    it('appends columnar batches larger than one data chunk', async () => {
      const records = Array.from({ length: 5000 }, (_, i) =>
        event(`big${i}`, T0 + i, [i % 7 === 0 ? null : i / 2, `c${i % 3}`, i % 2 === 0, 'eu']),
      );
      expect(await store.insertPredictionColumns(model.id, columns, toEventColumns(columns, records))).toBe(
        5000,
      );
      const [summary] = await store.numericSummaries(model.id, columns, {
        source: { kind: 'predictions' },
        columns: ['amount'],
      });
      const amounts = records.map((r) => r.values[0]).filter((v): v is number => v !== null);
      expect(summary).toMatchObject({ count: amounts.length, min: 0.5, max: 4999 / 2 });
      expect((await store.getPrediction(model.id, columns, 'big4097'))?.features).toEqual({
        amount: 4097 / 2,
        country: 'c2',
        is_new: false,
      });
    });

    it('stores a large columnar batch exactly as the same rows by row, whatever its strings and nulls', async () => {
      const wide = await createTestModel(store, 'wide');
      const wideColumns = await store.addColumns(wide.id, [
        { name: 'amount', role: 'feature', type: 'numeric', declared: true },
        { name: 'city', role: 'feature', type: 'categorical', declared: true },
        { name: 'note', role: 'feature', type: 'text', declared: true },
        { name: 'seen_at', role: 'feature', type: 'timestamp', declared: true },
        { name: 'is_new', role: 'feature', type: 'boolean', declared: true },
        { name: 'tier', role: 'segment', type: 'categorical', declared: true },
      ]);
      // 300 cities (more than 8-bit ENUM indices hold), the empty string, a NUL inside a value,
      // instants before 1970, nulls everywhere, repeated violations, more rows than one chunk.
      const city = (i: number) =>
        i % 11 === 0 ? null : i === 7 ? '' : i === 8 ? 'nul\u0000inside' : `city-${i % 300}`;
      const records = (prefix: string) =>
        Array.from({ length: 4500 }, (_, i) =>
          event(
            `${prefix}${i}`,
            T0 + i * 1000,
            [
              i % 13 === 0 ? null : i * 0.25 - 100,
              city(i),
              i % 17 === 0 ? null : `free text ${i} ✓`,
              i % 5 === 0 ? null : (i - 2000) * 86_400_000_000,
              i % 3 === 0 ? null : i % 2 === 0,
              i % 4 === 0 ? null : `t${i % 4}`,
            ],
            {
              version: i % 9 === 0 ? null : `v${i % 2}`,
              prediction: i % 6 === 0 ? null : String(i % 3),
              predictionNumber: i % 6 === 0 ? null : i % 3,
              score: i % 7 === 0 ? null : i / 4500,
              scores: i % 10 === 0 ? { a: 0.25, b: 0.75 } : null,
              violations: i % 8 === 0 ? ['missing_feature:amount'] : [],
              invalid: i % 100 === 0 ? { amount: 'n/a' } : null,
            },
          ),
        );
      expect(await store.insertPredictions(wide.id, wideColumns, records('row-'))).toBe(4500);
      expect(
        await store.insertPredictionColumns(
          wide.id,
          wideColumns,
          toEventColumns(wideColumns, records('col-')),
        ),
      ).toBe(4500);
      const stored = await store.listPredictions(wide.id, wideColumns, { limit: 10_000 });
      const byId = new Map(stored.map((e) => [e.id, e]));
      for (let i = 0; i < 4500; i++) {
        const byRow = byId.get(`row-${i}`);
        expect(byRow).toBeDefined();
        expect(byId.get(`col-${i}`)).toEqual({ ...byRow, id: `col-${i}` });
      }
      expect(byId.get('col-299')?.features).toMatchObject({
        city: 'city-299',
        seen_at: '1965-05-06T00:00:00.000Z',
      });
    });

    it('pages predictions by time and id', async () => {
      const records = Array.from({ length: 25 }, (_, i) =>
        event(`r${String(i).padStart(2, '0')}`, T0 + Math.floor(i / 5) * HOUR, [i, 'DE', true, 'eu'], {
          version: i % 2 === 0 ? 'v1' : 'v2',
        }),
      );
      await store.insertPredictions(model.id, columns, records);
      const seen: string[] = [];
      let after: { timestampMicros: number; id: string } | undefined;
      for (;;) {
        const page = await store.listPredictions(model.id, columns, {
          limit: 7,
          ...(after ? { after } : {}),
        });
        seen.push(...page.map((p) => p.id));
        if (page.length < 7) break;
        const last = page[page.length - 1]!;
        after = { timestampMicros: last.timestampMicros, id: last.id };
      }
      expect(seen).toEqual(records.map((r) => r.id));
      const ranged = await store.listPredictions(model.id, columns, {
        limit: 100,
        fromMicros: T0 + HOUR,
        toMicros: T0 + 3 * HOUR,
        version: 'v1',
      });
      expect(ranged.map((p) => p.id)).toEqual(['r06', 'r08', 'r10', 'r12', 'r14']);

      const newest: string[] = [];
      let before: { timestampMicros: number; id: string } | undefined;
      for (;;) {
        const page = await store.listPredictions(model.id, columns, {
          limit: 10,
          newestFirst: true,
          ...(before ? { after: before } : {}),
        });
        newest.push(...page.map((p) => p.id));
        if (page.length < 10) break;
        before = { timestampMicros: page.at(-1)!.timestampMicros, id: page.at(-1)!.id };
      }
      expect(newest).toEqual(records.map((r) => r.id).reverse());
    });

    it('aggregates inside the engine: counts, histograms, summaries, categories, confusion', async () => {
      const records = [
        event('a', T0, [1, 'DE', true, 'eu'], { prediction: '1' }),
        event('b', T0 + 10, [2, 'DE', true, 'eu'], { prediction: '0' }),
        event('c', T0 + 20, [3, 'FR', false, 'eu'], { prediction: '1' }),
        event('d', T0 + HOUR, [10, null, false, 'us'], { prediction: '0' }),
        event('e', T0 + HOUR + 1, [null, 'US', false, 'us'], { prediction: '1' }),
      ];
      await store.insertPredictions(model.id, columns, records);
      await store.upsertLabels(model.id, [
        { id: 'a', label: '1', labelNumber: 1, timestampMicros: T0 },
        { id: 'b', label: '1', labelNumber: 1, timestampMicros: T0 },
        { id: 'd', label: '0', labelNumber: 0, timestampMicros: T0 },
      ]);
      const source = { kind: 'predictions' as const };
      expect(await store.windowCounts(model.id, { source, bucket: 'hour' })).toEqual([
        { windowStartMicros: T0, predictions: 3, labeled: 2 },
        { windowStartMicros: T0 + HOUR, predictions: 2, labeled: 1 },
      ]);
      const histograms = await store.histograms(model.id, columns, {
        source,
        edges: { amount: [Number.NEGATIVE_INFINITY, 2, 5, Number.POSITIVE_INFINITY] },
      });
      expect(histograms).toEqual([
        { windowStartMicros: null, column: 'amount', counts: [1, 2, 1], nulls: 1 },
      ]);
      const byHour = await store.histograms(model.id, columns, {
        source,
        bucket: 'hour',
        edges: { amount: [Number.NEGATIVE_INFINITY, 2, 5, Number.POSITIVE_INFINITY] },
      });
      expect(byHour.map((h) => h.counts)).toEqual([
        [1, 2, 0],
        [0, 0, 1],
      ]);
      const [summary] = await store.numericSummaries(model.id, columns, {
        source,
        columns: ['amount'],
        quantiles: [0, 0.5, 1],
      });
      expect(summary).toMatchObject({
        count: 4,
        nulls: 1,
        min: 1,
        max: 10,
        mean: 4,
        quantiles: [1, 2.5, 10],
      });
      expect(summary!.std).toBeCloseTo(
        Math.sqrt(((1 - 4) ** 2 + (2 - 4) ** 2 + (3 - 4) ** 2 + (10 - 4) ** 2) / 3),
        12,
      );
      const categories = await store.categoryCounts(model.id, columns, { source, columns: ['country'] });
      expect(new Map(categories.map((c) => [c.value, c.count]))).toEqual(
        new Map<string | null, number>([
          ['DE', 2],
          ['FR', 1],
          ['US', 1],
          [null, 1],
        ]),
      );
      const confusion = await store.confusionCounts(model.id, { source });
      expect(confusion).toEqual([
        { windowStartMicros: null, prediction: '0', label: '0', count: 1 },
        { windowStartMicros: null, prediction: '0', label: '1', count: 1 },
        { windowStartMicros: null, prediction: '1', label: '1', count: 1 },
      ]);
    });

    it('profiles windows in the engine: bins with sums, categories, confusion, regression sums, violations', async () => {
      await store.insertPredictions(model.id, columns, [
        event('a', T0, [1, 'DE', true, 'eu'], { prediction: '1', predictionNumber: 1 }),
        event('b', T0 + 10, [2, 'DE', true, 'eu'], {
          prediction: '0',
          predictionNumber: 0,
          violations: ['missing_feature:x'],
        }),
        event('c', T0 + 20, [3, 'FR', false, 'eu'], { prediction: '1', predictionNumber: 1 }),
        event('d', T0 + HOUR, [10, null, false, 'us'], {
          prediction: '0',
          predictionNumber: 0,
          violations: ['missing_feature:x', 'unseen_category:country'],
        }),
        event('e', T0 + HOUR + 1, [null, 'US', false, 'us'], { prediction: '1', predictionNumber: 1 }),
      ]);
      await store.upsertLabels(model.id, [
        { id: 'a', label: '1', labelNumber: 1, timestampMicros: T0 },
        { id: 'b', label: '1', labelNumber: 1, timestampMicros: T0 },
        { id: 'd', label: '0', labelNumber: 0, timestampMicros: T0 },
      ]);
      const profiles = await store.profile(model.id, columns, {
        source: { kind: 'predictions' },
        bucketMicros: HOUR,
        numeric: [
          {
            key: 'amount',
            target: { column: 'amount' },
            edges: [Number.NEGATIVE_INFINITY, 2, 5, Number.POSITIVE_INFINITY],
          },
        ],
        categorical: [
          { key: 'country', target: { column: 'country' } },
          { key: 'prediction', target: { field: 'prediction' } },
        ],
        confusion: true,
        regression: true,
        violations: true,
      });
      expect(profiles.map((p) => [p.window, p.rows, p.labeled])).toEqual([
        [T0, 3, 2],
        [T0 + HOUR, 2, 1],
      ]);
      const [first, second] = profiles;
      expect(first!.numeric.amount).toMatchObject({
        counts: [1, 2, 0],
        sums: [1, 5, 0],
        nulls: 0,
        min: 1,
        max: 3,
        mean: 2,
      });
      expect(second!.numeric.amount).toMatchObject({ counts: [0, 0, 1], sums: [0, 0, 10], nulls: 1 });
      expect(first!.categorical.country).toEqual({ counts: { DE: 2, FR: 1 }, nulls: 0, otherCount: 0 });
      expect(second!.categorical.country).toEqual({ counts: { US: 1 }, nulls: 1, otherCount: 0 });
      expect(first!.categorical.prediction!.counts).toEqual({ '0': 1, '1': 2 });
      expect(first!.confusion).toEqual([
        { prediction: '0', label: '1', count: 1 },
        { prediction: '1', label: '1', count: 1 },
      ]);
      expect(first!.regression).toMatchObject({ count: 2, sumAbsError: 1, sumSquaredError: 1, sumLabel: 2 });
      expect(first!.violations).toEqual({ 'missing_feature:x': 1 });
      expect(second!.violations).toEqual({ 'missing_feature:x': 1, 'unseen_category:country': 1 });

      // A fine histogram (many evenly spaced edges), split by prediction.
      const fine = [
        Number.NEGATIVE_INFINITY,
        ...Array.from({ length: 99 }, (_, k) => (k + 1) / 10),
        Number.POSITIVE_INFINITY,
      ];
      const [all] = await store.profile(model.id, columns, {
        source: { kind: 'predictions' },
        numeric: [
          { key: 'amount', target: { column: 'amount' }, edges: fine },
          {
            key: 'ones',
            target: { column: 'amount' },
            edges: fine,
            where: { field: 'prediction', equals: '1' },
          },
        ],
      });
      const nonZero = (counts: number[]) =>
        Object.fromEntries(counts.flatMap((c, k) => (c > 0 ? [[k, c]] : [])));
      expect(nonZero(all!.numeric.amount!.counts)).toEqual({ 10: 1, 20: 1, 30: 1, 99: 1 });
      expect(nonZero(all!.numeric.ones!.counts)).toEqual({ 10: 1, 30: 1 });
      expect(all!.numeric.ones!.sums[30]).toBe(3);

      // Counts only: the same counts and means as the full histogram, values on an edge in the upper bin.
      const edgeSets = [
        [2, 5],
        [1, 2, 3, 10],
        [-1, 0, 3],
        [0, 10.5],
        [2.9999999999999996, 3],
      ];
      for (const inner of edgeSets) {
        const edges = [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY];
        const request = (countsOnly: boolean) =>
          store.profile(model.id, columns, {
            source: { kind: 'predictions' },
            bucketMicros: HOUR,
            numeric: [{ key: 'amount', target: { column: 'amount' }, edges, countsOnly }],
          });
        const [full, counted] = await Promise.all([request(false), request(true)]);
        expect(counted.map((p) => p.numeric.amount!.counts)).toEqual(
          full.map((p) => p.numeric.amount!.counts),
        );
        expect(counted.map((p) => [p.numeric.amount!.mean, p.numeric.amount!.nulls])).toEqual(
          full.map((p) => [p.numeric.amount!.mean, p.numeric.amount!.nulls]),
        );
        expect(counted[0]!.numeric.amount).toMatchObject({ min: null, max: null, std: null });
      }
      // Counts-only histograms of one column requested together (drift's bins and data quality's
      // range share one count): each gets exactly its own bins.
      const together = await store.profile(model.id, columns, {
        source: { kind: 'predictions' },
        bucketMicros: HOUR,
        numeric: edgeSets.map((inner, k) => ({
          key: `amount${k}`,
          target: { column: 'amount' },
          edges: [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY],
          countsOnly: true,
        })),
      });
      for (const [k, inner] of edgeSets.entries()) {
        const alone = await store.profile(model.id, columns, {
          source: { kind: 'predictions' },
          bucketMicros: HOUR,
          numeric: [
            {
              key: 'amount',
              target: { column: 'amount' },
              edges: [Number.NEGATIVE_INFINITY, ...inner, Number.POSITIVE_INFINITY],
            },
          ],
        });
        expect(together.map((p) => p.numeric[`amount${k}`]!.counts)).toEqual(
          alone.map((p) => p.numeric.amount!.counts),
        );
      }
      const [onEdges] = await store.profile(model.id, columns, {
        source: { kind: 'predictions', toMicros: T0 + HOUR },
        numeric: [
          {
            key: 'amount',
            target: { column: 'amount' },
            edges: [Number.NEGATIVE_INFINITY, 1, 2, 3, Number.POSITIVE_INFINITY],
            countsOnly: true,
          },
        ],
      });
      expect(onEdges!.numeric.amount!.counts).toEqual([0, 1, 1, 1]);

      // The newest N rows, one segment, and the most frequent categories only.
      const [last] = await store.profile(model.id, columns, {
        source: { kind: 'predictions', lastN: 2, segment: { name: 'region', value: 'eu' } },
        categorical: [{ key: 'country', target: { column: 'country' }, limit: 1 }],
      });
      expect(last).toMatchObject({ window: null, rows: 2 });
      expect(last!.categorical.country).toEqual({ counts: { DE: 1 }, nulls: 0, otherCount: 1 });
      // One column twice with other limits, beside the prediction, per window: each as alone.
      const categoricalSpecs = [
        { key: 'all', target: { column: 'country' } },
        { key: 'top', target: { column: 'country' }, limit: 1 },
        { key: 'prediction', target: { field: 'prediction' as const } },
      ];
      const categories = await store.profile(model.id, columns, {
        source: { kind: 'predictions' },
        bucketMicros: HOUR,
        categorical: categoricalSpecs,
      });
      expect(categories.some((p) => p.categorical.all!.nulls > 0)).toBe(true);
      expect(categories.some((p) => p.categorical.top!.otherCount > 0)).toBe(true);
      for (const spec of categoricalSpecs) {
        const alone = await store.profile(model.id, columns, {
          source: { kind: 'predictions' },
          bucketMicros: HOUR,
          categorical: [spec],
        });
        expect(categories.map((p) => p.categorical[spec.key])).toEqual(
          alone.map((p) => p.categorical[spec.key]),
        );
      }

      // Only some windows (not adjacent, one empty): exactly those windows of the whole range.
      const measures: Omit<ProfileRequest, 'source'> = {
        bucketMicros: HOUR,
        numeric: [
          {
            key: 'amount',
            target: { column: 'amount' },
            edges: [Number.NEGATIVE_INFINITY, 2, Number.POSITIVE_INFINITY],
          },
        ],
      };
      const everyWindow = await store.profile(model.id, columns, {
        source: { kind: 'predictions' },
        ...measures,
      });
      expect(everyWindow.length).toBeGreaterThanOrEqual(2);
      const picked = [
        everyWindow[0]!.window!,
        everyWindow.at(-1)!.window!,
        everyWindow.at(-1)!.window! + 50 * HOUR,
      ];
      expect(
        await store.profile(model.id, columns, {
          source: { kind: 'predictions', windowStarts: picked },
          ...measures,
        }),
      ).toEqual(everyWindow.filter((p) => picked.includes(p.window!)));
      expect(
        await store.profile(model.id, columns, {
          source: { kind: 'predictions', windowStarts: [] },
          ...measures,
        }),
      ).toEqual([]);

      // One window without buckets (one ungrouped aggregate): the same numbers as that window
      // among buckets, and no profile at all for a range without rows.
      const oneWindow: Omit<ProfileRequest, 'source'> = {
        numeric: [
          {
            key: 'amount',
            target: { column: 'amount' },
            edges: [Number.NEGATIVE_INFINITY, 2, Number.POSITIVE_INFINITY],
            quantiles: [0.5],
          },
          {
            key: 'deciles',
            target: { column: 'amount' },
            edges: [Number.NEGATIVE_INFINITY, 1, 2, 3, 4, Number.POSITIVE_INFINITY],
            countsOnly: true,
          },
        ],
        categorical: [{ key: 'country', target: { column: 'country' } }],
        violations: true,
      };
      const bucketed = await store.profile(model.id, columns, {
        source: { kind: 'predictions' },
        bucketMicros: HOUR,
        ...oneWindow,
      });
      expect(bucketed.length).toBeGreaterThanOrEqual(2);
      for (const inBuckets of bucketed) {
        const alone = await store.profile(model.id, columns, {
          source: { kind: 'predictions', fromMicros: inBuckets.window!, toMicros: inBuckets.window! + HOUR },
          ...oneWindow,
        });
        expect(alone).toEqual([{ ...inBuckets, window: null }]);
      }
      expect(
        await store.profile(model.id, columns, {
          source: { kind: 'predictions', fromMicros: bucketed.at(-1)!.window! + 50 * HOUR },
          ...oneWindow,
        }),
      ).toEqual([]);
    });

    it('profiles many requests of several models at once, each exactly as alone', async () => {
      const other = await createTestModel(store, 'churn', {});
      const otherColumns = await store.addColumns(other.id, [
        { name: 'amount', role: 'feature', type: 'numeric', declared: true },
        { name: 'country', role: 'feature', type: 'categorical', declared: true },
      ]);
      await store.insertPredictions(model.id, columns, [
        event('a', T0, [1, 'DE', true, 'eu'], { prediction: '1', predictionNumber: 1 }),
        event('b', T0 + 10, [2.5, 'DE', true, 'eu'], { prediction: '0', violations: ['missing_feature:x'] }),
        event('c', T0 + HOUR, [10, null, false, 'us'], { prediction: '0', predictionNumber: 0 }),
      ]);
      await store.insertPredictions(other.id, otherColumns, [
        event('x', T0 + 5, [7, 'FR'], { prediction: '1' }),
        event('y', T0 + 6, [-3, 'FR'], { prediction: '1' }),
      ]);
      await store.upsertLabels(model.id, [{ id: 'a', label: '1', labelNumber: 1, timestampMicros: T0 }]);
      const open = [Number.NEGATIVE_INFINITY, Number.POSITIVE_INFINITY];
      const measures = (inner: number[]) => ({
        numeric: [
          { key: 'n', target: { column: 'amount' }, edges: [open[0]!, ...inner, open[1]!] },
          { key: 'c', target: { column: 'amount' }, edges: [open[0]!, ...inner, open[1]!], countsOnly: true },
          { key: 'q', target: { column: 'amount' }, edges: open, quantiles: [0.1, 0.5] },
        ],
        categorical: [{ key: 'country', target: { column: 'country' } }],
        violations: true,
      });
      const window = { kind: 'predictions' as const, fromMicros: T0, toMicros: T0 + HOUR };
      const items = [
        // The same shape on two models' tables with different edges: merged into one statement.
        { modelId: model.id, columns, request: { source: window, ...measures([2, 5, 8]) } },
        { modelId: other.id, columns: otherColumns, request: { source: window, ...measures([0, 6, 9]) } },
        { modelId: model.id, columns, request: { source: window, ...measures([1, 2]) } },
        // Other shapes: windows by the hour, labels, an empty window, an unknown column (an error).
        {
          modelId: model.id,
          columns,
          request: { source: { kind: 'predictions' as const }, bucketMicros: HOUR },
        },
        { modelId: model.id, columns, request: { source: window, confusion: true, regression: true } },
        {
          modelId: other.id,
          columns: otherColumns,
          request: { source: { ...window, fromMicros: T0 + HOUR } },
        },
        {
          modelId: other.id,
          columns: otherColumns,
          request: { source: window, categorical: [{ key: 'k', target: { column: 'missing' } }] },
        },
      ];
      const together = await store.profileMany(items);
      const alone = await Promise.allSettled(
        items.map(({ modelId, columns: c, request }) => store.profile(modelId, c, request)),
      );
      expect(together.map((r) => r.status)).toEqual(alone.map((r) => r.status));
      expect(together.at(-1)).toMatchObject({ status: 'rejected' });
      together.forEach((result, i) => {
        if (result.status === 'fulfilled')
          expect(result.value).toEqual((alone[i] as PromiseFulfilledResult<unknown>).value);
        else expect(String(result.reason)).toBe(String((alone[i] as PromiseRejectedResult).reason));
      });
      const [mine, theirs] = together as PromiseFulfilledResult<WindowProfile[]>[];
      expect(mine!.value[0]!.numeric.n!.counts).toEqual([1, 1, 0, 0]);
      expect(theirs!.value[0]!.numeric.c!.counts).toEqual([1, 0, 1, 0]);
      expect(await store.profileMany([])).toEqual([]);
    });

    it('profiles reference chunks in order, with the reference labels', async () => {
      const dataset = await store.createReferenceDataset({
        modelId: model.id,
        name: 'train',
        versionId: null,
      });
      await store.insertReference(
        model.id,
        dataset.id,
        columns,
        Array.from({ length: 10 }, (_, i) =>
          event(`r${i}`, T0 + i, [i, 'DE', true, 'eu'], {
            label: i < 5 ? '0' : '1',
            labelNumber: i < 5 ? 0 : 1,
          }),
        ),
      );
      const chunks = await store.profile(model.id, columns, {
        source: { kind: 'reference', datasetId: dataset.id, chunks: 2 },
        numeric: [{ key: 'amount', target: { column: 'amount' }, edges: [0, 100] }],
        categorical: [{ key: 'label', target: { field: 'label' } }],
      });
      expect(
        chunks.map((c) => [c.window, c.rows, c.numeric.amount!.sums[0], c.categorical.label!.counts]),
      ).toEqual([
        [0, 5, 10, { '0': 5 }],
        [1, 5, 35, { '1': 5 }],
      ]);
    });

    it('keeps reference datasets apart from traffic', async () => {
      const dataset = await store.createReferenceDataset({
        modelId: model.id,
        name: 'train',
        versionId: null,
      });
      await store.insertReference(model.id, dataset.id, columns, [
        event('r1', T0, [1, 'DE', true, 'eu'], { label: '1', labelNumber: 1 }),
        event('r2', T0, [2, 'FR', true, 'eu'], { label: '0', labelNumber: 0, prediction: '1' }),
      ]);
      expect((await store.getReferenceDataset(model.id, 'train'))?.rowCount).toBe(2);
      const source = { kind: 'reference' as const, datasetId: dataset.id };
      const [summary] = await store.numericSummaries(model.id, columns, { source, columns: ['amount'] });
      expect(summary).toMatchObject({ count: 2, min: 1, max: 2 });
      expect(await store.confusionCounts(model.id, { source })).toEqual([
        { windowStartMicros: null, prediction: '1', label: '0', count: 1 },
        { windowStartMicros: null, prediction: '1', label: '1', count: 1 },
      ]);
      expect(await store.windowCounts(model.id, { source: { kind: 'predictions' }, bucket: 'day' })).toEqual(
        [],
      );
      await store.clearReferenceDataset(dataset.id);
      expect((await store.getReferenceDataset(model.id, 'train'))?.rowCount).toBe(0);
    });

    it('stores a reference upload all-or-nothing: schema, columns, dataset, replacement and rows', async () => {
      const bare = await createTestModel(store, 'bare');
      const schema = {
        features: [
          { name: 'x', type: 'numeric' as const },
          { name: 'city', type: 'categorical' as const },
        ],
        prediction_field: 'prediction',
        label_field: 'label',
        id_field: 'id',
        timestamp_field: 'timestamp',
        segments: [],
        sensitive_attributes: [],
      };
      const layout = [
        { name: 'x', role: 'feature' as const, type: 'numeric' as const, declared: true },
        { name: 'city', role: 'feature' as const, type: 'categorical' as const, declared: true },
        { name: 'extra', role: 'feature' as const, type: 'numeric' as const, declared: false },
      ];
      // More rows than one data chunk, and the last one cannot be stored (no valid time).
      const rows = Array.from({ length: 3000 }, (_, i) => event(`r${i}`, T0 + i, [i, `c${i % 3}`, i * 2]));
      const broken = [...rows.slice(0, -1), event('bad', Number.NaN, [1, 'c0', 2])];
      const upload = {
        modelId: bare.id,
        schema: { schema, source: 'inferred' as const },
        dataset: { name: 'train', versionId: null },
        replace: false,
        columns: layout,
        records: broken,
      };
      await expect(store.storeReferenceUpload(upload)).rejects.toThrow();
      expect((await store.getModel(projectId, 'bare'))?.schema).toBeNull();
      expect(await store.listColumns(bare.id)).toEqual([]);
      expect(await store.listReferenceDatasets(bare.id)).toEqual([]);

      const stored = await store.storeReferenceUpload({ ...upload, records: rows.slice(0, 10) });
      expect(stored.dataset).toMatchObject({ name: 'train', rowCount: 10, versionId: null });
      expect(stored.columns.map((c) => [c.name, c.type, c.declared])).toEqual([
        ['x', 'numeric', true],
        ['city', 'categorical', true],
        ['extra', 'numeric', false],
      ]);
      expect(await store.listColumns(bare.id)).toEqual(stored.columns);
      expect(await store.getModel(projectId, 'bare')).toMatchObject({ schema, schemaSource: 'inferred' });
      const source = { kind: 'reference' as const, datasetId: stored.dataset.id };
      const [extra] = await store.numericSummaries(bare.id, stored.columns, { source, columns: ['extra'] });
      expect(extra).toMatchObject({ count: 10, min: 0, max: 18 });

      // A replacement that fails keeps the rows it would have replaced.
      const replace = { ...upload, schema: undefined, replace: true, records: broken };
      await expect(store.storeReferenceUpload(replace)).rejects.toThrow();
      expect((await store.getReferenceDataset(bare.id, 'train'))?.rowCount).toBe(10);
      const replaced = await store.storeReferenceUpload({ ...replace, records: rows.slice(0, 3) });
      expect(replaced.dataset.rowCount).toBe(3);
      // Columns are found by role, name and type, in any order; a new type is a new column.
      const appended = await store.storeReferenceUpload({
        ...replace,
        replace: false,
        columns: [
          { name: 'city', role: 'feature', type: 'categorical', declared: true },
          { name: 'x', role: 'feature', type: 'categorical', declared: false },
        ],
        records: [event('s1', T0, ['c9', 'seven'])],
      });
      expect(appended.dataset.rowCount).toBe(4);
      expect(appended.columns.map((c) => [c.name, c.type, c.position])).toEqual([
        ['x', 'numeric', 0],
        ['city', 'categorical', 1],
        ['extra', 'numeric', 2],
        ['x', 'categorical', 3],
      ]);
      const cities = await store.categoryCounts(bare.id, appended.columns, {
        source,
        columns: ['city'],
      });
      expect(cities.find((c) => c.value === 'c9')?.count).toBe(1);
    });

    it('commits a schema together with its columns, hundreds at once', async () => {
      const features = (n: number, type: 'numeric' | 'categorical') =>
        Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type }));
      const schema = (n: number, type: 'numeric' | 'categorical') => ({
        features: features(n, type),
        prediction_field: 'prediction',
        label_field: 'label',
        id_field: 'id',
        timestamp_field: 'timestamp',
        segments: ['zone'],
        sensitive_attributes: [],
      });
      const wide = await store.createModel({
        projectId,
        name: 'wide',
        task: 'regression',
        description: null,
        tags: {},
        schema: schema(300, 'numeric'),
        schemaSource: 'declared',
      });
      let stored = await store.listColumns(wide.id);
      expect(stored).toHaveLength(301);
      expect(stored.every((c) => c.declared)).toBe(true);
      const cols = stored;
      await store.insertPredictions(wide.id, cols, [
        event(
          'w1',
          T0,
          cols.map((c, i) => (c.role === 'segment' ? 'north' : i)),
        ),
      ]);

      // Retyping every feature adds 300 columns (more than ALTER TABLE handles well); the old ones keep their data.
      const updated = await store.updateModel(wide.id, { schema: schema(300, 'categorical') });
      expect(updated.schema?.features[0]?.type).toBe('categorical');
      stored = await store.listColumns(wide.id);
      expect(stored).toHaveLength(601);
      expect(stored.filter((c) => c.declared).map((c) => `${c.name}:${c.type}`)).toEqual([
        'zone:categorical',
        ...features(300, 'categorical').map((f) => `${f.name}:categorical`),
      ]);
      const [event1] = await store.listPredictions(wide.id, stored, { limit: 10 });
      expect(event1?.features.f7).toBe(7);
      expect(event1?.segments).toEqual({ zone: 'north' });
      // Rows written with an older column list still land (the rest of the row is empty).
      await store.insertPredictions(wide.id, cols, [
        event(
          'w2',
          T0 + 1,
          cols.map(() => null),
        ),
      ]);
      await store.insertPredictions(wide.id, stored, [
        event(
          'w3',
          T0 + 2,
          stored.map((c) => (c.type === 'categorical' ? 'x' : 1)),
        ),
      ]);
      expect((await store.listPredictions(wide.id, stored, { limit: 10 })).map((e) => e.id)).toEqual([
        'w1',
        'w2',
        'w3',
      ]);
    });

    it('reads reference rows back in the order they were stored, a page at a time', async () => {
      const train = await store.createReferenceDataset({ modelId: model.id, name: 'train', versionId: null });
      const other = await store.createReferenceDataset({ modelId: model.id, name: 'other', versionId: null });
      await store.insertReference(model.id, other.id, columns, [event('o1', T0, [9, 'US', false, 'na'])]);
      await store.insertReference(model.id, train.id, columns, [
        event('b', T0 + HOUR, [1, 'DE', true, 'eu'], { label: '1', labelNumber: 1 }),
        event('a', T0, [2, null, null, null], { violations: ['missing_feature:country'] }),
      ]);
      await store.insertReference(model.id, train.id, columns, [event('c', T0, [3, 'FR', false, 'eu'])]);
      const first = await store.listReferenceRows(model.id, columns, train.id, { limit: 2 });
      expect(first.map((r) => r.id)).toEqual(['b', 'a']);
      expect(first[0]).toMatchObject({
        timestampMicros: T0 + HOUR,
        label: '1',
        features: { amount: 1, country: 'DE', is_new: true },
        segments: { region: 'eu' },
      });
      expect(first[1]?.violations).toEqual(['missing_feature:country']);
      const rest = await store.listReferenceRows(model.id, columns, train.id, {
        limit: 2,
        afterPosition: first[1]!.position,
      });
      expect(rest.map((r) => r.id)).toEqual(['c']);
    });

    it('remembers reference uploads by key until they are forgotten', async () => {
      const dataset = await store.createReferenceDataset({
        modelId: model.id,
        name: 'train',
        versionId: null,
      });
      expect(await store.referenceUploads.find(dataset.id, 'k1')).toBeNull();
      await store.referenceUploads.record(dataset.id, 'k1', { accepted: 3 });
      await store.referenceUploads.record(dataset.id, 'k1', { accepted: 4 });
      expect(await store.referenceUploads.find(dataset.id, 'k1')).toEqual({ accepted: 4 });
      await store.referenceUploads.forget(dataset.id);
      expect(await store.referenceUploads.find(dataset.id, 'k1')).toBeNull();
    });

    it('deletes a model with everything stored for it, and nothing of other models', async () => {
      const other = await store.createModel({ ...model, name: 'kept' });
      const otherColumns = await store.addColumns(other.id, [
        { name: 'amount', role: 'feature', type: 'numeric', declared: true },
      ]);
      await store.insertPredictions(other.id, otherColumns, [event('k1', T0, [1], { label: '0' })]);
      await store.createModelVersion({
        modelId: model.id,
        name: 'v1',
        artifactUri: null,
        params: {},
        metrics: {},
        tags: {},
        description: null,
      });
      await store.insertPredictions(model.id, columns, [event('p1', T0, [1, 'DE', true, 'eu'])]);
      await store.upsertLabels(model.id, [{ id: 'p1', label: '1', labelNumber: 1, timestampMicros: T0 }]);
      const dataset = await store.createReferenceDataset({
        modelId: model.id,
        name: 'train',
        versionId: null,
      });
      await store.insertReference(model.id, dataset.id, columns, [event('r1', T0, [1, 'DE', true, 'eu'])]);
      await store.referenceUploads.record(dataset.id, 'k', {});

      await store.deleteModel(model.id);
      expect((await store.listModels(projectId)).map((m) => m.name)).toEqual(['kept']);
      expect(await store.getModel(projectId, 'fraud')).toBeNull();
      expect(await store.listColumns(model.id)).toEqual([]);
      expect(await store.listModelVersions(model.id)).toEqual([]);
      expect(await store.referenceUploads.find(dataset.id, 'k')).toBeNull();
      expect((await store.getPrediction(other.id, otherColumns, 'k1'))?.label).toBe('0');

      // The name is free again, and the new model starts empty.
      const again = await store.createModel({ ...model, name: 'fraud' });
      expect(again.id).not.toBe(model.id);
      expect(await store.listPredictions(again.id, [], { limit: 10 })).toEqual([]);
      expect(await store.listReferenceDatasets(again.id)).toEqual([]);
      await store.insertPredictions(again.id, [], [event('p1', T0, [])]);
      expect((await store.getPrediction(again.id, [], 'p1'))?.label).toBeNull();
    });
  });

  describeProfilePartials(openStore);
  if (options.profilesOnly) return;
  describeMonitoringStore(openStore);
  describeOutbox(engine, openStore);
  describeAlertStore(openStore);
  describeSamples(openStore);
  describePredictionCounts(openStore);
  describeReferenceBaselines(openStore);
  describeOverviewStore(openStore);
  describeUserStore(engine, openStore);
  describeTrackingStore(openStore);
  describeRegistryStore(openStore);
  describeComparisonStore(openStore);
  describeAuditStore(openStore);
}

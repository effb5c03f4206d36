/** The alerting part of the storage contract, run for every engine by `describeStore`. */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AlertRuleSpec } from '../domain/index.js';
import { AlertRuleNameTakenError, type EvaluationBatch, type NewAlert } from './alerts.js';
import { openStoreWithModel } from './suite-support.js';
import type { ModelRow, Store } from './types.js';

const NOW = Date.UTC(2026, 0, 6);
const HOUR_US = 3_600_000_000;

const spec: AlertRuleSpec = {
  type: 'static',
  enabled: true,
  severity: 'critical',
  match: [{ label: 'monitor', op: '=', value: 'drift' }],
  for_windows: { breaches: 2, of: 3 },
  labels: { team: 'risk' },
  annotations: { runbook_url: 'https://runbooks/drift' },
  channels: ['ops'],
  group_by: ['model'],
  group_wait_seconds: 1,
  group_interval_seconds: 300,
  repeat_interval_seconds: 14400,
};

export function describeAlertStore(openStore: () => Promise<Store>): void {
  describe('alerting', () => {
    let store: Store;
    let model: ModelRow;

    const alert = (fp: string, extra: Partial<NewAlert> = {}): NewAlert => ({
      fingerprint: fp,
      projectId: model.projectId,
      modelId: model.id,
      ruleId: null,
      ruleName: 'default-critical',
      state: 'firing',
      labels: { model: 'churn', feature: fp, severity: 'critical' },
      annotations: { summary: `drift of ${fp}` },
      value: 0.4,
      thresholdLower: null,
      thresholdUpper: 0.1,
      windowStartMicros: 0,
      windowEndMicros: HOUR_US,
      activeAtMs: NOW,
      firedAtMs: NOW,
      resolvedAtMs: null,
      updatedAtMs: NOW,
      groupIds: ['g1'],
      ...extra,
    });

    const apply = (inserts: NewAlert[], cursor = 1) =>
      store.alerts.applyEvaluation({
        cursor,
        series: [],
        insertAlerts: inserts,
        updateAlerts: [],
        deleteAlerts: [],
        groups: [],
      });

    beforeEach(async () => {
      ({ store, model } = await openStoreWithModel(openStore, 'churn'));
    });

    afterEach(async () => {
      await store.close();
    });

    it('creates, lists, renames and deletes rules; names are unique per model', async () => {
      expect(await store.getModelById(model.id)).toMatchObject({ name: 'churn' });
      expect(await store.getModelById(model.id + 100)).toBeNull();
      const byId = await store.getModelsByIds([model.id, model.id + 100, model.id]);
      expect([...byId.keys()]).toEqual([model.id]);
      expect(byId.get(model.id)).toEqual(await store.getModelById(model.id));
      expect((await store.getModelsByIds([])).size).toBe(0);
      const created = await store.alerts.createRule({ modelId: model.id, name: 'drift', spec, nowMs: NOW });
      expect(created).toMatchObject({ modelId: model.id, name: 'drift', spec, createdAtMs: NOW });
      await expect(
        store.alerts.createRule({ modelId: model.id, name: 'drift', spec, nowMs: NOW }),
      ).rejects.toThrow(AlertRuleNameTakenError);
      const renamed = await store.alerts.updateRule(created.id, { name: 'drift-2' }, NOW + 1);
      expect(renamed).toMatchObject({ id: created.id, name: 'drift-2', spec, updatedAtMs: NOW + 1 });
      expect((await store.alerts.rulesOfModels([model.id])).map((r) => r.name)).toEqual(['drift-2']);
      expect(await store.alerts.getRule(model.id, 'drift')).toBeNull();
      expect(await store.alerts.deleteRule(created.id, NOW)).toBe(true);
      expect(await store.alerts.listRules(model.id)).toEqual([]);
      expect(await store.alerts.deleteRule(created.id, NOW)).toBe(false);
      expect(await store.alerts.updateRule(created.id, { name: 'x' }, NOW)).toBeNull();
    });

    it('writes alerts, series state, groups and the cursor together', async () => {
      expect(await store.alerts.cursor()).toBe(0);
      await store.alerts.applyEvaluation({
        cursor: 42,
        series: [
          {
            fingerprint: 'a',
            modelId: model.id,
            ruleId: null,
            windows: [
              {
                startMicros: 0,
                endMicros: HOUR_US,
                seq: 42,
                value: 0.4,
                lower: null,
                upper: 0.1,
                outcome: 'breach',
              },
            ],
            detector: { kind: 'page_hinkley', n: 3 },
            lastFedMicros: 0,
          },
        ],
        insertAlerts: [alert('a'), alert('b', { state: 'pending', firedAtMs: null })],
        updateAlerts: [],
        deleteAlerts: [],
        groups: [
          {
            id: 'g1',
            projectId: model.projectId,
            kind: 'alert',
            channel: 'ops',
            groupKey: '{model="churn"}',
            groupLabels: { model: 'churn' },
            waitMs: 1000,
            intervalMs: 300_000,
            repeatMs: 14_400_000,
          },
        ],
      });
      expect(await store.alerts.cursor()).toBe(42);
      const [series] = await store.alerts.seriesStates(['a', 'zz']);
      expect(series).toMatchObject({
        fingerprint: 'a',
        detector: { kind: 'page_hinkley', n: 3 },
        lastFedMicros: 0,
      });
      expect(series!.windows[0]).toMatchObject({ seq: 42, outcome: 'breach' });

      const open = await store.alerts.openAlerts(['a', 'b']);
      expect(open.map((a) => [a.fingerprint, a.state]).sort()).toEqual([
        ['a', 'firing'],
        ['b', 'pending'],
      ]);
      const a = open.find((x) => x.fingerprint === 'a')!;
      expect(a).toMatchObject({
        labels: { feature: 'a' },
        value: 0.4,
        thresholdUpper: 0.1,
        groupIds: ['g1'],
      });
      expect((await store.alerts.firingAlerts()).map((x) => x.fingerprint)).toEqual(['a']);

      // Resolve a, drop b, in one more batch.
      const b = open.find((x) => x.fingerprint === 'b')!;
      await store.alerts.applyEvaluation({
        cursor: 43,
        series: [],
        insertAlerts: [],
        updateAlerts: [{ ...a, state: 'resolved', resolvedAtMs: NOW + 5 }],
        deleteAlerts: [b.id],
        groups: [],
      });
      expect(await store.alerts.openAlerts(['a', 'b'])).toEqual([]);
      expect((await store.alerts.latestAlerts(['a', 'b']))[0]).toMatchObject({
        id: a.id,
        resolvedAtMs: NOW + 5,
      });

      const [group] = await store.alerts.groupsToCheck(['g1']);
      expect(group).toMatchObject({ id: 'g1', lastNotifiedFiring: [], notifyCount: 0, pendingSinceMs: null });
      await store.alerts.updateGroup('g1', {
        lastNotifiedFiring: ['a'],
        notifyCount: 1,
        lastNotifiedAtMs: NOW,
      });
      // A group with something notified is checked even when no id is asked for.
      expect((await store.alerts.groupsToCheck([]))[0]).toMatchObject({
        lastNotifiedFiring: ['a'],
        notifyCount: 1,
      });
    });

    it('lists alerts newest first with filters and a cursor; acknowledges and comments', async () => {
      await apply([
        alert('a'),
        alert('b'),
        alert('c', { state: 'resolved', labels: { severity: 'warning' } }),
      ]);
      const all = await store.alerts.listAlerts({ projectId: model.projectId, limit: 2 });
      expect(all.map((a) => a.fingerprint)).toEqual(['c', 'b']);
      const next = await store.alerts.listAlerts({
        projectId: model.projectId,
        limit: 2,
        beforeId: all[1]!.id,
      });
      expect(next.map((a) => a.fingerprint)).toEqual(['a']);
      expect(
        (await store.alerts.listAlerts({ projectId: model.projectId, limit: 9, state: 'firing' })).map(
          (a) => a.fingerprint,
        ),
      ).toEqual(['b', 'a']);
      expect(
        (await store.alerts.listAlerts({ projectId: model.projectId, limit: 9, severity: 'warning' })).map(
          (a) => a.fingerprint,
        ),
      ).toEqual(['c']);
      expect(await store.alerts.listAlerts({ projectId: model.projectId + 1, limit: 9 })).toEqual([]);

      const acked = await store.alerts.acknowledge(next[0]!.id, 'ana', NOW + 7);
      expect(acked).toMatchObject({ acknowledgedBy: 'ana', acknowledgedAtMs: NOW + 7 });
      expect(await store.alerts.acknowledge(999_999, 'ana', NOW)).toBeNull();
      await store.alerts.addComment({ alertId: acked!.id, author: 'ana', body: 'looking', nowMs: NOW });
      await store.alerts.addComment({ alertId: acked!.id, author: 'bo', body: 'retraining', nowMs: NOW + 1 });
      expect((await store.alerts.listComments(acked!.id)).map((c) => [c.author, c.body])).toEqual([
        ['ana', 'looking'],
        ['bo', 'retraining'],
      ]);
    });

    it('closes the default rules’ alerts when a model gets its first rule, and a rule’s alerts when it changes', async () => {
      await apply([alert('a'), alert('p', { state: 'pending', firedAtMs: null })]);
      const rule = await store.alerts.createRule({ modelId: model.id, name: 'drift', spec, nowMs: NOW + 9 });
      expect((await store.alerts.latestAlerts(['a']))[0]).toMatchObject({
        state: 'resolved',
        resolvedAtMs: NOW + 9,
      });
      expect(await store.alerts.openAlerts(['p'])).toEqual([]);
      await apply([alert('r', { ruleId: rule.id, ruleName: 'drift' })], 2);
      await store.alerts.updateRule(rule.id, { spec: { ...spec, severity: 'warning' } }, NOW + 10);
      expect((await store.alerts.latestAlerts(['r']))[0]).toMatchObject({
        state: 'resolved',
        resolvedAtMs: NOW + 10,
      });
    });

    it('answers the engine’s reads as the tables hold them, after its batches and after other writes', async () => {
      const window = { startMicros: 0, endMicros: HOUR_US, seq: 1, value: 0.4, lower: null, upper: 0.1 };
      const series = (outcome: 'breach' | 'ok') => ({
        fingerprint: 'a',
        modelId: model.id,
        ruleId: null,
        windows: [{ ...window, outcome }],
        detector: null,
        lastFedMicros: null,
      });
      const batch = (cursor: number, changes: Partial<EvaluationBatch>) =>
        store.alerts.applyEvaluation({
          cursor,
          series: [],
          insertAlerts: [],
          updateAlerts: [],
          deleteAlerts: [],
          groups: [],
          ...changes,
        });
      expect(await store.alerts.seriesStates(['a'])).toEqual([]);
      expect(await store.alerts.openAlerts(['a'])).toEqual([]);
      expect(await store.alerts.rulesOfModels([model.id])).toEqual([]);
      await batch(1, { series: [series('breach')], insertAlerts: [alert('a')] });
      const [stored] = await store.alerts.listAlerts({ projectId: model.projectId, limit: 1 });
      const [open] = await store.alerts.openAlerts(['a', 'a']);
      expect(open).toEqual(stored);
      const [state] = await store.alerts.seriesStates(['a']);
      expect(state).toEqual(series('breach'));
      // What a caller does with what it read changes nothing stored.
      state!.windows.push({ ...window, outcome: 'ok' });
      open!.labels.feature = 'changed';
      expect(await store.alerts.seriesStates(['a'])).toEqual([series('breach')]);
      expect((await store.alerts.openAlerts(['a']))[0]).toEqual(stored);

      // Acknowledged after the engine read the alert: its update keeps the acknowledgement.
      const before = (await store.alerts.openAlerts(['a']))[0]!;
      await store.alerts.acknowledge(before.id, 'ana', NOW + 3);
      await batch(2, {
        series: [series('ok')],
        updateAlerts: [{ ...before, value: 0.9, updatedAtMs: NOW + 4 }],
      });
      expect(await store.alerts.getAlert(before.id)).toMatchObject({
        value: 0.9,
        acknowledgedBy: 'ana',
        acknowledgedAtMs: NOW + 3,
      });
      expect((await store.alerts.openAlerts(['a']))[0]).toMatchObject({ value: 0.9 });
      expect(await store.alerts.seriesStates(['a'])).toEqual([series('ok')]);

      const rule = await store.alerts.createRule({ modelId: model.id, name: 'drift', spec, nowMs: NOW + 5 });
      expect((await store.alerts.rulesOfModels([model.id, model.id + 1])).map((r) => r.name)).toEqual([
        'drift',
      ]);
      // The first rule closed the default rules' alerts and series.
      expect(await store.alerts.openAlerts(['a'])).toEqual([]);
      expect(await store.alerts.seriesStates(['a'])).toEqual([]);
      await store.alerts.deleteRule(rule.id, NOW + 6);
      expect(await store.alerts.rulesOfModels([model.id])).toEqual([]);

      await batch(3, { series: [series('breach')], insertAlerts: [alert('a')] });
      expect(await store.alerts.openAlerts(['a'])).toHaveLength(1);
      await store.deleteModel(model.id);
      expect(await store.alerts.openAlerts(['a'])).toEqual([]);
      expect(await store.alerts.seriesStates(['a'])).toEqual([]);
    });

    it('keeps silences, lists those in force, and expires them', async () => {
      const base = {
        projectId: model.projectId,
        matchers: [{ label: 'feature', op: '=~' as const, value: 'a.*' }],
        comment: 'planned retrain',
        createdBy: 'ana',
        nowMs: NOW,
      };
      const now = await store.alerts.createSilence({ ...base, startsAtMs: NOW, endsAtMs: NOW + 3_600_000 });
      const later = await store.alerts.createSilence({
        ...base,
        startsAtMs: NOW + 7_200_000,
        endsAtMs: NOW + 9_000_000,
      });
      const { nowMs: _, ...fields } = base;
      expect(now).toMatchObject({ ...fields, startsAtMs: NOW, endsAtMs: NOW + 3_600_000, createdAtMs: NOW });
      expect((await store.alerts.activeSilences(NOW + 1)).map((s) => s.id)).toEqual([now.id]);
      expect((await store.alerts.listSilences(model.projectId)).map((s) => s.id)).toEqual([later.id, now.id]);
      expect(
        (await store.alerts.listSilences(model.projectId, { activeAtMs: NOW + 7_200_000 })).map((s) => s.id),
      ).toEqual([later.id]);
      const expired = await store.alerts.expireSilence(now.id, NOW + 60_000);
      expect(expired).toMatchObject({ endsAtMs: NOW + 60_000 });
      expect(await store.alerts.activeSilences(NOW + 60_000)).toEqual([]);
      // Expiring a silence that has not started yet ends it before it starts.
      const unstarted = await store.alerts.expireSilence(later.id, NOW + 60_000);
      expect(unstarted!.endsAtMs).toBeLessThanOrEqual(unstarted!.startsAtMs);
      expect(await store.alerts.getSilence(12345)).toBeNull();
    });
  });
}

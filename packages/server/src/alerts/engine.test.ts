import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_GROUP_INTERVAL_SECONDS, DEFAULT_REPEAT_INTERVAL_SECONDS } from './defaults.js';
import { type Harness, harness, rule } from './engine.test-support.js';

const SEC = 1000;
const drifted = (n: number, value = 0.5) =>
  Object.fromEntries(Array.from({ length: n }, (_, i) => [`f${String(i).padStart(2, '0')}`, value]));

describe('alert engine', () => {
  let h: Harness;
  afterEach(async () => {
    await h.engine.stop();
    await h.store.close();
  });

  it('groups 30 drifting features into one notification, then one resolved notification', async () => {
    h = await harness();
    await h.window(0, drifted(30));
    await h.step();
    // Fresh group: waits group_wait before speaking.
    expect(h.notifier.sent).toHaveLength(0);
    await h.step(1 * SEC);
    expect(h.notifier.sent).toHaveLength(1);
    const [first] = h.notifier.sent;
    expect(first!.channel).toBe('ops');
    expect(first!.notification.status).toBe('firing');
    expect(first!.notification.alerts).toHaveLength(30);
    expect(first!.notification.groupLabels).toEqual({ model: 'fraud', monitor: 'feature-drift' });
    expect(first!.notification.commonLabels).toMatchObject({
      severity: 'critical',
      rule: 'default-critical',
    });
    const alert = first!.notification.alerts[0]!;
    expect(alert.annotations.description).toContain('0.5');
    expect(alert.annotations.dashboard_url).toMatch(
      /^http:\/\/vigil\.test\/models\/fraud\/monitors\/feature-drift\?feature=f00&metric=jensen_shannon&from=2026-01-05T00/,
    );
    // The default warning rule is inhibited by the critical one on the same series.
    expect(first!.notification.alerts.every((a) => a.labels.severity === 'critical')).toBe(true);

    // Nothing new: no notification until the repeat interval.
    await h.step(60 * SEC);
    expect(h.notifier.sent).toHaveLength(1);

    await h.window(1, drifted(30, 0.01));
    await h.step(DEFAULT_GROUP_INTERVAL_SECONDS * SEC);
    expect(h.notifier.sent).toHaveLength(2);
    expect(h.notifier.sent[1]!.notification.status).toBe('resolved');
    expect(h.notifier.sent[1]!.notification.alerts.every((a) => a.state === 'resolved' && a.endsAt)).toBe(
      true,
    );
    await h.step(DEFAULT_REPEAT_INTERVAL_SECONDS * SEC);
    expect(h.notifier.sent).toHaveLength(2);
    const listed = await h.store.alerts.listAlerts({
      projectId: h.model.projectId,
      limit: 100,
      state: 'resolved',
    });
    // 30 critical and 30 (inhibited, never notified) warnings.
    expect(listed).toHaveLength(60);
  });

  it('repeats an unchanged firing group after repeat_interval, unless acknowledged', async () => {
    h = await harness();
    await h.window(0, { amount: 0.5 });
    await h.step();
    await h.step(SEC);
    expect(h.notifier.sent).toHaveLength(1);
    await h.step(DEFAULT_REPEAT_INTERVAL_SECONDS * SEC);
    expect(h.notifier.sent).toHaveLength(2);
    expect(h.notifier.sent[1]!.dedupKey).not.toBe(h.notifier.sent[0]!.dedupKey);
    const [alert] = await h.store.alerts.listAlerts({
      projectId: h.model.projectId,
      limit: 10,
      state: 'firing',
      severity: 'critical',
    });
    await h.store.alerts.acknowledge(alert!.id, 'ana', h.clock.ms);
    await h.step(DEFAULT_REPEAT_INTERVAL_SECONDS * SEC);
    expect(h.notifier.sent).toHaveLength(2);
  });

  it('fires once N of the last M windows with data breach; insufficient data neither breaches nor heals', async () => {
    h = await harness();
    await h.store.alerts.createRule({
      modelId: h.model.id,
      name: 'drift',
      spec: rule({ for_windows: { breaches: 2, of: 3 }, group_wait_seconds: 0 }),
      nowMs: h.clock.ms,
    });
    const states = async () =>
      (await h.store.alerts.listAlerts({ projectId: h.model.projectId, limit: 10 })).map((a) => a.state);
    await h.window(0, { amount: 0.5 });
    await h.step();
    expect(await states()).toEqual(['pending']);
    await h.window(1, { amount: null });
    await h.step();
    expect(await states()).toEqual(['pending']);
    await h.window(2, { amount: 0.01 });
    await h.step();
    expect(await states()).toEqual(['pending']);
    await h.window(3, { amount: 0.4 });
    await h.step();
    expect(await states()).toEqual(['firing']);
    expect(h.notifier.sent).toHaveLength(1);
    // A gap does not resolve it.
    await h.window(4, { amount: null });
    await h.step();
    expect(await states()).toEqual(['firing']);
    // Re-evaluating window 3 (late labels) as healthy: 1 breach in the last 3 windows → resolved, pending again.
    await h.window(3, { amount: 0.02 });
    await h.step();
    expect(await states()).toEqual(['pending', 'resolved']);
  });

  it('drops a pending alert that heals before firing', async () => {
    h = await harness();
    await h.store.alerts.createRule({
      modelId: h.model.id,
      name: 'drift',
      spec: rule({ for_windows: { breaches: 2, of: 2 } }),
      nowMs: h.clock.ms,
    });
    await h.window(0, { amount: 0.5 });
    await h.step();
    await h.window(1, { amount: 0.01 });
    await h.window(2, { amount: 0.01 });
    await h.step(10 * SEC);
    expect(await h.store.alerts.listAlerts({ projectId: h.model.projectId, limit: 10 })).toEqual([]);
    expect(h.notifier.sent).toEqual([]);
  });

  it('silences mute notifications; expiry restores them', async () => {
    h = await harness();
    const silence = await h.store.alerts.createSilence({
      projectId: h.model.projectId,
      matchers: [{ label: 'feature', op: '=~', value: 'f0.' }],
      startsAtMs: h.clock.ms,
      endsAtMs: h.clock.ms + 3600 * SEC,
      comment: 'planned retrain',
      createdBy: 'ana',
      nowMs: h.clock.ms,
    });
    await h.window(0, drifted(5));
    await h.step();
    await h.step(60 * SEC);
    expect(h.notifier.sent).toEqual([]);
    // The alerts still change state while silenced.
    expect(
      await h.store.alerts.listAlerts({ projectId: h.model.projectId, limit: 10, state: 'firing' }),
    ).toHaveLength(10);
    await h.store.alerts.expireSilence(silence.id, h.clock.ms);
    await h.step();
    await h.step(SEC);
    expect(h.notifier.sent).toHaveLength(1);
    expect(h.notifier.sent[0]!.notification.alerts).toHaveLength(5);
  });

  it('inhibits drift alerts while the model gets no traffic', async () => {
    h = await harness();
    await h.window(0, { prediction_count: 0 }, h.traffic);
    await h.window(0, drifted(3));
    await h.step();
    await h.step(SEC);
    const sent = h.notifier.sent.flatMap((s) => s.notification.alerts.map((a) => a.labels.monitor));
    expect(sent).toEqual(['traffic']);
  });

  it('does not inhibit drift alerts on a traffic spike', async () => {
    h = await harness();
    await h.window(0, { prediction_count: 5000 }, h.traffic);
    await h.window(0, drifted(3));
    await h.step();
    await h.step(SEC);
    const sent = h.notifier.sent.flatMap((s) => s.notification.alerts.map((a) => a.labels.monitor)).sort();
    expect(sent).toEqual(['feature-drift', 'feature-drift', 'feature-drift', 'traffic']);
  });

  it('is restart-safe: a new engine resumes from the stored cursor and never repeats a notification', async () => {
    h = await harness();
    await h.window(0, drifted(3));
    await h.step();
    await h.step(SEC);
    expect(h.notifier.sent).toHaveLength(1);
    h.restart();
    await h.step(SEC);
    await h.step(60 * SEC);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('re-enqueues the same dedup key when the bookkeeping was lost after enqueueing', async () => {
    h = await harness();
    await h.window(0, drifted(2));
    await h.step();
    const updateGroup = h.store.alerts.updateGroup.bind(h.store.alerts);
    let fail = true;
    h.store.alerts.updateGroup = async (id, patch) => {
      if (fail && patch.notifyCount !== undefined) throw new Error('crash');
      return updateGroup(id, patch);
    };
    await h.step(SEC);
    fail = false;
    await h.step(SEC);
    // The outbox (here the recording notifier) keeps one delivery per (channel, dedup key).
    expect(h.notifier.sent).toHaveLength(1);
    await h.step(60 * SEC);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('sends a retraining trigger with evidence', async () => {
    h = await harness();
    await h.store.alerts.createRule({
      modelId: h.model.id,
      name: 'retrain',
      spec: rule({ channels: [], retrain_channel: 'airflow' }),
      nowMs: h.clock.ms,
    });
    await h.window(0, drifted(2));
    await h.step();
    await h.step(SEC);
    expect(h.notifier.sent).toHaveLength(1);
    const { notification, channel } = h.notifier.sent[0]!;
    expect(channel).toBe('airflow');
    expect(notification.kind).toBe('retrain');
    const evidence = notification.evidence as {
      alerts: { feature: string; results_url: string; windows: unknown[] }[];
    };
    expect(evidence.alerts.map((a) => a.feature).sort()).toEqual(['f00', 'f01']);
    expect(evidence.alerts[0]!.windows).toHaveLength(1);
    expect(evidence.alerts[0]!.results_url).toContain('/api/v1/models/fraud/results?monitor=feature-drift');
    // Resolution and repeats do not trigger retraining again.
    await h.window(1, drifted(2, 0.01));
    await h.step(DEFAULT_REPEAT_INTERVAL_SECONDS * SEC);
    expect(h.notifier.sent).toHaveLength(1);
  });

  it('runs a change detector on the series, with its state persisted across restarts', async () => {
    h = await harness();
    await h.store.alerts.createRule({
      modelId: h.model.id,
      name: 'ph',
      spec: rule({
        type: 'change_detector',
        detector: { method: 'page_hinkley', params: { minInstances: 5, threshold: 1, delta: 0.005 } },
        group_wait_seconds: 0,
      }),
      nowMs: h.clock.ms,
    });
    for (let i = 0; i < 10; i++) {
      await h.window(i, { amount: 0.05 });
      await h.step();
      if (i === 5) h.restart();
    }
    expect(await h.store.alerts.listAlerts({ projectId: h.model.projectId, limit: 10 })).toEqual([]);
    await h.window(10, { amount: 3 });
    await h.step();
    expect((await h.store.alerts.listAlerts({ projectId: h.model.projectId, limit: 10 }))[0]?.state).toBe(
      'firing',
    );
  });
});

/** Monitors, results and the health summary through the SDK, against a real Vigil server. */
import { startTestServer, type TestServer, waitForEvaluation } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilHttpError } from './errors.js';
import type { MonitorResult } from './types.js';

/** Two closed hours in the past, evaluated once and for all. */
const T0 = Date.UTC(2026, 10, 2, 8);
const HOUR_MS = 3_600_000;

let server: TestServer;
let api: VigilApi;

function row(i: number, shift: number) {
  // Deterministic spread: a quantile grid of the unit interval, no random numbers needed.
  const x = ((i * 7919) % 1000) / 1000 + shift;
  return { features: { amount: x, country: i % 3 === 0 ? 'FR' : 'DE' }, prediction: x > 0.5 ? 1 : 0 };
}

beforeAll(async () => {
  server = await startTestServer({
    monitoring: {
      falseAlarmsPerWeek: 1,
      debounceMs: 10,
      closeGraceMs: 0,
      defaultWindow: '1h',
      maxBackfillWindows: 100,
    },
  });
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
  await api.createModel({
    name: 'churn',
    task: 'binary_classification',
    schema: {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical' },
      ],
    },
  });
  await api.ingestReference(
    'churn',
    Array.from({ length: 2000 }, (_, i) => row(i, 0)),
  );
  const predictions = [0, 1].flatMap((hour) =>
    Array.from({ length: 600 }, (_, i) => ({
      id: `p-${hour}-${i}`,
      timestamp: T0 + hour * HOUR_MS + i * 1000,
      ...row(i, hour === 1 ? 2 : 0),
    })),
  );
  await api.ingestPredictions('churn', predictions);
  await waitForEvaluation(server, 'churn', { maxPolls: 400, pollMs: 25 });
});
afterAll(async () => {
  await server?.close();
});

describe('monitors through the SDK', () => {
  it('lists, creates, updates and deletes monitors', async () => {
    const defaults = await api.listMonitors('churn');
    expect(defaults.map((m) => m.name)).toContain('feature-drift');
    expect(defaults.every((m) => m.is_default)).toBe(true);

    const created = await api.createMonitor('churn', {
      name: 'amount-mean',
      config: {
        kind: 'custom_metric',
        metric: 'amount_mean',
        aggregate: 'mean',
        column: 'amount',
        threshold: { upper: 1 },
      },
    });
    expect(created).toMatchObject({
      name: 'amount-mean',
      kind: 'custom_metric',
      enabled: true,
      is_default: false,
    });
    expect(created.config.window).toEqual({ size: '1h' });
    expect((await api.getMonitor('churn', 'amount-mean')).kind).toBe('custom_metric');

    const disabled = await api.updateMonitor('churn', 'amount-mean', { enabled: false });
    expect(disabled.enabled).toBe(false);

    await api.deleteMonitor('churn', 'amount-mean');
    await expect(api.getMonitor('churn', 'amount-mean')).rejects.toMatchObject({ status: 404 });
  });

  it('passes the reason of a refused monitor through', async () => {
    const refused = api.createMonitor('churn', {
      name: 'bad',
      config: { kind: 'feature_drift', features: ['no_such_feature'] },
    });
    await expect(refused).rejects.toBeInstanceOf(VigilHttpError);
    await expect(refused).rejects.toMatchObject({
      status: 400,
      message: expect.stringContaining('no_such_feature'),
    });
    await expect(api.listMonitors('no-such-model')).rejects.toMatchObject({ status: 404 });
  });

  it('queries results with filters and pages through them', async () => {
    const drift = await api.listResults('churn', { monitor: 'feature-drift', feature: 'amount' });
    expect(drift.data.map((r) => [r.window_start, r.status])).toEqual([
      [new Date(T0).toISOString(), 'ok'],
      [new Date(T0 + HOUR_MS).toISOString(), 'alert'],
    ]);
    const alerts = await api.listResults('churn', { status: 'alert', from: new Date(T0 + HOUR_MS) });
    expect(alerts.data.length).toBeGreaterThan(0);
    expect(
      alerts.data.every(
        (r) => r.status === 'alert' && r.window_start === new Date(T0 + HOUR_MS).toISOString(),
      ),
    ).toBe(true);
    expect((await api.listResults('churn', { to: T0 })).data).toEqual([]);

    const all = (await api.listResults('churn', { limit: 10_000 })).data;
    expect(all.length).toBeGreaterThan(3);
    const firstPage = await api.listResults('churn', { limit: 2 });
    expect(firstPage.data).toEqual(all.slice(0, 2));
    expect(firstPage.next_cursor).not.toBeNull();
    const walked: MonitorResult[] = [];
    for await (const result of api.results('churn', { limit: 2 })) walked.push(result);
    expect(walked).toEqual(all);
  });

  it('summarises the health of every model', async () => {
    await api.createModel({ name: 'idle', task: 'regression' });
    const health = await api.modelHealth();
    expect(health.find((h) => h.model === 'churn')).toMatchObject({
      status: 'alerting',
      alerting_monitors: expect.arrayContaining(['feature-drift']),
    });
    expect(health.find((h) => h.model === 'idle')).toMatchObject({
      status: 'no_data',
      last_prediction_at: null,
    });
  });
});

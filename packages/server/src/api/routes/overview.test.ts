/** The overview of every model over real HTTP: one call, health, alerts, versions and traffic. */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import type { ModelOverview, Overview } from '../schemas/overview.js';

let server: TestServer;

async function json<T>(response: Response, status: number): Promise<T> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  return JSON.parse(body) as T;
}

beforeAll(async () => {
  server = await startTestServer();
  for (const name of ['churn', 'fraud', 'quiet']) {
    await json(await server.api('/api/v1/models', { json: { name, task: 'binary_classification' } }), 201);
  }
  await json(await server.api('/api/v1/models/quiet/versions', { json: { name: 'registered-1' } }), 201);
  const now = Date.now();
  const predictions = Array.from({ length: 30 }, (_, i) => ({
    id: `p${i}`,
    timestamp: new Date(now - i * 10 * 60_000).toISOString(),
    version: i === 0 ? 'v2' : 'v1',
    features: { age: 30 + i },
    prediction: 1,
    score: 0.7,
  }));
  await json(await server.api('/api/v1/models/churn/predictions', { json: predictions }), 200);
});
afterAll(async () => {
  await server?.close();
});

describe('GET /api/v1/overview', () => {
  it('answers every model in one call with its health, traffic and version', async () => {
    const overview = await json<Overview>(await server.api('/api/v1/overview'), 200);
    const byName = new Map<string, ModelOverview>(overview.data.map((m) => [m.model, m]));
    expect([...byName.keys()].sort()).toEqual(['churn', 'fraud', 'quiet']);
    const churn = byName.get('churn')!;
    expect(churn.traffic).toHaveLength(24);
    expect(churn.traffic.reduce((a, b) => a + b, 0)).toBe(30);
    expect(churn.current_version).toBe('v2');
    expect(churn.last_prediction_at).not.toBeNull();
    expect(['insufficient_data', 'ok', 'warning', 'alerting', 'error']).toContain(churn.status);
    expect(byName.get('fraud')).toMatchObject({
      status: 'no_data',
      last_prediction_at: null,
      current_version: null,
      open_alerts: 0,
    });
    expect(byName.get('quiet')!.current_version).toBe('registered-1');
    expect(overview.totals.models).toBe(3);
    expect(overview.totals.by_status.no_data).toBe(2);
    expect(overview.traffic_range.bucket_seconds).toBe(3600);
  });

  it('takes the sparkline range in hours and refuses a bad one with the field named', async () => {
    const week = await json<Overview>(await server.api('/api/v1/overview?hours=168'), 200);
    expect(week.traffic_range.bucket_seconds).toBe(7 * 3600);
    // Traffic is kept per hour: a range that is not a multiple of 24 hours rounds up to one.
    const hour = await json<Overview>(await server.api('/api/v1/overview?hours=1'), 200);
    expect(hour.traffic_range.bucket_seconds).toBe(3600);
    const range = Date.parse(hour.traffic_range.to) - Date.parse(hour.traffic_range.from);
    expect(range).toBe(24 * 3_600_000);
    const fifty = await json<Overview>(await server.api('/api/v1/overview?hours=50'), 200);
    expect(fifty.traffic_range.bucket_seconds).toBe(3 * 3600);
    const bad = await json<{ message: string }>(await server.api('/api/v1/overview?hours=0'), 400);
    expect(bad.message).toContain('hours');
  });

  it('agrees with GET /api/v1/health, which reads the same summaries', async () => {
    const overview = await json<Overview>(await server.api('/api/v1/overview'), 200);
    const health = await json<{
      data: { model: string; status: string; last_prediction_at: string | null }[];
    }>(await server.api('/api/v1/health'), 200);
    expect(health.data.map((h) => [h.model, h.status, h.last_prediction_at])).toEqual(
      overview.data.map((m) => [m.model, m.status, m.last_prediction_at]),
    );
  });

  it('does not count an inhibited alert as open, and lists it as inhibited by the one that mutes it', async () => {
    const projectId = (await server.store.ensureProject('default')).id;
    const fraud = (await server.store.getModel(projectId, 'fraud'))!;
    const now = Date.now();
    const series = { model: 'fraud', monitor: 'drift', feature: 'age', metric: 'psi' };
    const alert = (fingerprint: string, severity: string) => ({
      fingerprint,
      projectId,
      modelId: fraud.id,
      ruleId: null,
      ruleName: `default-${severity}`,
      state: 'firing' as const,
      labels: { ...series, severity },
      annotations: {},
      value: 0.4,
      thresholdLower: null,
      thresholdUpper: 0.2,
      windowStartMicros: now * 1000 - 3_600_000_000,
      windowEndMicros: now * 1000,
      activeAtMs: now,
      firedAtMs: now,
      resolvedAtMs: null,
      updatedAtMs: now,
      groupIds: [],
    });
    await server.store.alerts.applyEvaluation({
      cursor: 1,
      series: [],
      insertAlerts: [alert('inhibit-critical', 'critical'), alert('inhibit-warning', 'warning')],
      updateAlerts: [],
      deleteAlerts: [],
      groups: [],
    });
    const listed = await json<{ data: { id: number; severity: string; inhibited_by: number[] }[] }>(
      await server.api('/api/v1/alerts?model=fraud&state=firing'),
      200,
    );
    const critical = listed.data.find((a) => a.severity === 'critical')!;
    const warning = listed.data.find((a) => a.severity === 'warning')!;
    expect(critical.inhibited_by).toEqual([]);
    expect(warning.inhibited_by).toEqual([critical.id]);
    const single = await json<{ inhibited_by: number[] }>(
      await server.api(`/api/v1/alerts/${warning.id}`),
      200,
    );
    expect(single.inhibited_by).toEqual([critical.id]);

    const overview = await json<Overview>(await server.api('/api/v1/overview'), 200);
    expect(overview.data.find((m) => m.model === 'fraud')).toMatchObject({
      open_alerts: 1,
      unacknowledged_alerts: 1,
      inhibited_alerts: 1,
    });
    expect(overview.totals.open_alerts).toBe(1);
  });

  it('needs a key with the read scope', async () => {
    await json(await server.api('/api/v1/overview', { key: null }), 401);
  });
});

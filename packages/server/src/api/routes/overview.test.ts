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
    const bad = await json<{ message: string }>(await server.api('/api/v1/overview?hours=0'), 400);
    expect(bad.message).toContain('hours');
  });

  it('needs a key with the read scope', async () => {
    await json(await server.api('/api/v1/overview', { key: null }), 401);
  });
});

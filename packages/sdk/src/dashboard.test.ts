/** The dashboard's chart data and the demo through the SDK, against a real Vigil server. */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilHttpError } from './errors.js';

let server: TestServer;
let api: VigilApi;

beforeAll(async () => {
  server = await startTestServer();
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
});
afterAll(async () => server?.close());

it('starts the demo, reads its series, heat map and a feature, and removes it', async () => {
  const started = await api.startDemo({ hours: 2, rate_per_hour: 200 });
  expect(started).toMatchObject({ model: 'demo-churn', created: true, streaming: true });
  expect((await api.startDemo()).created).toBe(false);

  const now = Date.now();
  const series = await api.modelSeries('demo-churn', {
    from: new Date(now - 3 * 3_600_000),
    to: now,
    points: 6,
  });
  expect(series.step_seconds).toBe(1800);
  expect(series.traffic.reduce((s, p) => s + p.predictions, 0)).toBe(started.predictions);
  expect(series.predictions.classes.map((c) => c.value).sort()).toEqual(['churn', 'stay']);
  expect(series.segments).toEqual([{ name: 'region', values: ['east', 'north', 'south', 'west'] }]);

  const map = await api.driftMap('demo-churn', { points: 24 });
  expect(map.buckets.length).toBeGreaterThan(0);

  const tenure = await api.featureDetail('demo-churn', 'tenure_months', { from: now - 3 * 3_600_000 });
  expect(tenure).toMatchObject({ type: 'numeric', reference_dataset: 'training' });
  expect(tenure.distribution.reference.reduce((a, b) => a + b, 0)).toBe(4000);
  const contract = await api.featureDetail('demo-churn', 'contract', { segment: 'region=north' });
  expect(contract.distribution.categories).toContain('month-to-month');

  await expect(api.featureDetail('demo-churn', 'nope')).rejects.toBeInstanceOf(VigilHttpError);
  expect(await api.removeDemo()).toEqual(['demo-churn']);
  expect(await api.listModels()).toEqual([]);
});

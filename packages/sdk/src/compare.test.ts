/** Champion / challenger through the SDK against a real Vigil server. */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';

let server: TestServer;
let api: VigilApi;
const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);

beforeAll(async () => {
  server = await startTestServer({}, { now: () => T0 + 3_600_000 });
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
});

describe('compare through the SDK', () => {
  it('logs shadow predictions and compares the two versions paired', async () => {
    await api.createModel({ name: 'churn', task: 'binary_classification' });
    // 60 requests: the champion (version 1) is right on two thirds, the challenger on all.
    const labels = Array.from({ length: 60 }, (_, i) => (i % 2 === 0 ? 1 : 0));
    await api.ingestPredictions(
      'churn',
      labels.map((label, i) => ({
        id: `r${i}`,
        timestamp: T0 + i * 1000,
        version: '1',
        features: {},
        prediction: i % 3 === 0 ? 1 - label : label,
        score: i % 3 === 0 ? 0.4 : 0.6,
      })),
    );
    const shadow = labels.map((label, i) => ({
      id: `r${i}`,
      timestamp: T0 + i * 1000,
      prediction: label,
      score: 0.7,
    }));
    expect(await api.logShadowPredictions('churn', '2', shadow)).toEqual({ accepted: 60, duplicates: 0 });
    expect(await api.logShadowPredictions('churn', '2', shadow)).toEqual({ accepted: 0, duplicates: 60 });
    await api.ingestLabels(
      'churn',
      labels.map((label, i) => ({ id: `r${i}`, label })),
    );
    const result = await api.compare('churn', { a: '1', b: '2', from: new Date(T0), to: T0 + 3_600_000 });
    expect(result.overall).toMatchObject({ pairs: 60, labelled: 60 });
    const accuracy = result.overall.metrics.find((m) => m.metric === 'accuracy')!;
    expect(accuracy).toMatchObject({ a: 40 / 60, b: 1, test: 'mcnemar', better: 'b' });
    expect(accuracy.difference).toBeCloseTo(1 / 3, 12);
    await expect(api.compare('churn', { a: '1', b: 'champion' })).rejects.toMatchObject({ status: 404 });
  });
});

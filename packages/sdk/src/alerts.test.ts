/** Alert rules, alerts and silences through the SDK, against a real Vigil server. */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilHttpError } from './errors.js';

let server: TestServer;
let api: VigilApi;

beforeAll(async () => {
  server = await startTestServer();
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
  await api.createModel({ name: 'churn', task: 'binary_classification' });
});
afterAll(async () => {
  await server?.close();
});

describe('alerting through the SDK', () => {
  it('manages alert rules', async () => {
    const rule = await api.createAlertRule('churn', {
      name: 'drift',
      severity: 'critical',
      match: [{ label: 'kind', op: '=', value: 'feature_drift' }],
      for_windows: { breaches: 2, of: 3 },
    });
    expect(rule.spec).toMatchObject({ type: 'static', severity: 'critical', group_by: ['model', 'monitor'] });
    expect((await api.listAlertRules('churn')).map((r) => r.name)).toEqual(['drift']);
    const replaced = await api.replaceAlertRule('churn', 'drift', { name: 'drift', severity: 'warning' });
    expect(replaced.spec.severity).toBe('warning');
    expect((await api.getAlertRule('churn', 'drift')).id).toBe(rule.id);
    await api.deleteAlertRule('churn', 'drift');
    await expect(api.getAlertRule('churn', 'drift')).rejects.toBeInstanceOf(VigilHttpError);
  });

  it('lists alerts and manages silences', async () => {
    expect(await api.listAlerts({ model: 'churn', state: 'firing' })).toEqual({
      data: [],
      next_cursor: null,
    });
    await expect(api.getAlert(12345)).rejects.toMatchObject({ status: 404 });
    const silence = await api.createSilence({
      matchers: [{ label: 'model', value: 'churn' }],
      duration_seconds: 3600,
      comment: 'planned retrain',
    });
    expect(silence).toMatchObject({
      state: 'active',
      matchers: [{ label: 'model', op: '=', value: 'churn' }],
    });
    expect((await api.listSilences('active')).map((s) => s.id)).toEqual([silence.id]);
    expect((await api.expireSilence(silence.id)).state).toBe('expired');
    expect(await api.listSilences('active')).toEqual([]);
  });
});

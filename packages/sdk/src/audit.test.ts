/** The audit trail through the SDK, against a real Vigil server. */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { VigilApi } from './api.js';

let server: TestServer;
let api: VigilApi;

beforeAll(async () => {
  server = await startTestServer();
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
});
afterAll(async () => {
  await server?.close();
});

it('lists the changes made, filtered and paged', async () => {
  await api.createModel({ name: 'churn', task: 'binary_classification' });
  await api.createVersion('churn', { name: '1' });
  const page = await api.listAudit({ model: 'churn' });
  expect(page.data.map((e) => [e.entity_type, e.entity_id, e.action])).toEqual([
    ['model_version', 'churn/1', 'create'],
    ['model', 'churn', 'create'],
  ]);
  expect(page.data[1]).toMatchObject({
    model: 'churn',
    actor: { type: 'api_key', ref: expect.stringMatching(/^api-key:\d+$/) },
    before: null,
    after: { name: 'churn', task: 'binary_classification' },
    secrets_changed: false,
  });
  const first = await api.listAudit({ model: 'churn', limit: 1 });
  expect(first.next_cursor).not.toBeNull();
  const second = await api.listAudit({ model: 'churn', limit: 1, cursor: first.next_cursor! });
  expect(second.data[0]!.id).toBeLessThan(first.data[0]!.id);
  await expect(api.listAudit({ entity_type: 'dataset' as 'model' })).rejects.toMatchObject({ status: 400 });
});

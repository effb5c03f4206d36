import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

async function createKey(scope: 'admin' | 'write' | 'read'): Promise<string> {
  const response = await server.api('/api/v1/keys', { json: { name: `${scope}-key`, scope } });
  expect(response.status).toBe(201);
  return ((await response.json()) as { key: string }).key;
}

describe('authentication', () => {
  it('rejects a missing or wrong key with 401 and a clear message', async () => {
    const missing = await server.api('/api/v1/models', { key: null });
    expect(missing.status).toBe(401);
    expect(await missing.json()).toMatchObject({
      error: 'unauthorized',
      message: expect.stringContaining('Bearer'),
    });
    const wrong = await server.api('/api/v1/models', { key: 'vk_not-a-real-key' });
    expect(wrong.status).toBe(401);
  });

  it('enforces scopes: write keys register models, ingest and read, read keys only read', async () => {
    const writeKey = await createKey('write');
    const readKey = await createKey('read');
    expect((await server.api('/api/v1/models', { key: readKey })).status).toBe(200);
    expect((await server.api('/api/v1/models', { key: writeKey })).status).toBe(200);
    const keys = await server.api('/api/v1/keys', { key: writeKey });
    expect(keys.status).toBe(403);
    expect(await keys.json()).toMatchObject({
      error: 'forbidden',
      message: expect.stringContaining('"admin"'),
    });
    const create = await server.api('/api/v1/models', {
      key: readKey,
      json: { name: 'nope', task: 'regression' },
    });
    expect(create.status).toBe(403);
    // The key a serving process gets can register the model it logs to, but not change it.
    const registered = await server.api('/api/v1/models', {
      key: writeKey,
      json: { name: 'scoped', task: 'regression' },
    });
    expect(registered.status).toBe(201);
    // Registering again (`create_model(exist_ok=True)` in Python) looks the existing model up.
    const again = await server.api('/api/v1/models', {
      key: writeKey,
      json: { name: 'scoped', task: 'regression' },
    });
    expect(again.status).toBe(409);
    expect((await server.api('/api/v1/models/scoped', { key: writeKey })).status).toBe(200);
    const changed = await server.api('/api/v1/models/scoped', {
      key: writeKey,
      method: 'DELETE',
    });
    expect(changed.status).toBe(403);
    const ingest = await server.api('/api/v1/models/scoped/predictions', {
      key: writeKey,
      json: [{ features: { x: 1 }, prediction: 2.5 }],
    });
    expect(ingest.status).toBe(200);
    expect((await server.api('/api/v1/models/scoped/predictions', { key: readKey, json: [] })).status).toBe(
      403,
    );
  });

  it('stores keys hashed and honours revocation', async () => {
    const list = (await (await server.api('/api/v1/keys')).json()) as {
      data: { id: number; prefix: string }[];
    };
    expect(list.data.length).toBeGreaterThan(0);
    expect(JSON.stringify(list)).not.toContain(server.adminKey);
    const created = (await (
      await server.api('/api/v1/keys', { json: { name: 'temp', scope: 'read' } })
    ).json()) as { id: number; key: string };
    expect((await server.api(`/api/v1/keys/${created.id}`, { method: 'DELETE' })).status).toBe(204);
    // A fresh server process would reject it at once; this one may trust its cache for up to 10 s.
    expect((await server.api(`/api/v1/keys/${created.id}`, { method: 'DELETE' })).status).toBe(404);
  });
});

describe('model registry', () => {
  it('registers, lists and reads models with their schema', async () => {
    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical', categories: ['DE', 'FR'] },
      ],
      segments: ['region'],
      sensitive_attributes: ['country'],
    };
    const response = await server.api('/api/v1/models', {
      json: {
        name: 'fraud',
        task: 'binary_classification',
        description: 'card fraud',
        tags: { team: 'risk' },
        schema,
      },
    });
    expect(response.status).toBe(201);
    const model = await response.json();
    expect(model).toMatchObject({
      name: 'fraud',
      task: 'binary_classification',
      schema_source: 'declared',
      schema: {
        features: schema.features,
        prediction_field: 'prediction',
        label_field: 'label',
        segments: ['region'],
      },
    });
    const list = (await (await server.api('/api/v1/models')).json()) as { data: { name: string }[] };
    expect(list.data.map((m) => m.name)).toContain('fraud');
    expect(await (await server.api('/api/v1/models/fraud')).json()).toMatchObject({
      description: 'card fraud',
    });
  });

  it('answers 404 for unknown models, 409 for duplicates, 400 with field paths for bad bodies', async () => {
    const missing = await server.api('/api/v1/models/ghost');
    expect(missing.status).toBe(404);
    expect(((await missing.json()) as { message: string }).message).toContain('POST /api/v1/models');
    await server.api('/api/v1/models', { json: { name: 'dup', task: 'regression' } });
    const duplicate = await server.api('/api/v1/models', { json: { name: 'dup', task: 'regression' } });
    expect(duplicate.status).toBe(409);
    const bad = await server.api('/api/v1/models', { json: { name: 'bad model!', task: 'ranking' } });
    expect(bad.status).toBe(400);
    const body = (await bad.json()) as { error: string; message: string; details: { field: string }[] };
    expect(body.error).toBe('validation_failed');
    expect(body.details.map((d) => d.field).sort()).toEqual(['body.name', 'body.task']);
    const broken = await server.api('/api/v1/models', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{"name": ',
    });
    expect(broken.status).toBe(400);
    expect(((await broken.json()) as { message: string }).message).toMatch(/JSON/);
  });

  it('registers versions with params and metrics', async () => {
    await server.api('/api/v1/models', { json: { name: 'churn', task: 'binary_classification' } });
    const created = await server.api('/api/v1/models/churn/versions', {
      json: {
        name: 'v1',
        artifact_uri: 's3://m/churn/1',
        params: { depth: 6 },
        metrics: { auc: 0.9 },
        tags: { stage: 'prod' },
      },
    });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({
      model: 'churn',
      name: 'v1',
      params: { depth: 6 },
      metrics: { auc: 0.9 },
    });
    expect((await server.api('/api/v1/models/churn/versions', { json: { name: 'v1' } })).status).toBe(409);
    const list = (await (await server.api('/api/v1/models/churn/versions')).json()) as {
      data: { name: string }[];
    };
    expect(list.data.map((v) => v.name)).toEqual(['v1']);
  });

  it('edits a schema with PATCH', async () => {
    await server.api('/api/v1/models', { json: { name: 'editable', task: 'regression' } });
    const patched = await server.api('/api/v1/models/editable', {
      method: 'PATCH',
      json: { schema: { features: [{ name: 'x', type: 'numeric' }] } },
    });
    expect(patched.status).toBe(200);
    expect(await patched.json()).toMatchObject({
      schema_source: 'declared',
      schema: { features: [{ name: 'x' }] },
    });
  });
});

describe('operations', () => {
  it('serves health, readiness, metrics and the OpenAPI document', async () => {
    expect(await (await fetch(`${server.url}/healthz`)).json()).toEqual({ status: 'ok' });
    expect(await (await fetch(`${server.url}/readyz`)).json()).toEqual({ status: 'ready', engine: 'duckdb' });
    const metrics = await (await fetch(`${server.url}/metrics`)).text();
    expect(metrics).toContain('vigil_http_requests_total');
    expect(metrics).toContain('vigil_ingested_records_total');
    const spec = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      openapi: string;
      paths: Record<string, unknown>;
      components: { schemas: Record<string, unknown> };
    };
    expect(spec.openapi).toBe('3.1.0');
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/models',
        '/api/v1/models/{model}/predictions',
        '/api/v1/models/{model}/labels',
        '/api/v1/models/{model}/reference',
      ]),
    );
    expect(Object.keys(spec.components.schemas)).toEqual(
      expect.arrayContaining(['PredictionRecord', 'LabelRecord', 'IngestResult', 'Model', 'ModelSchema']),
    );
    expect((await fetch(`${server.url}/docs`)).status).toBe(200);
  });
});

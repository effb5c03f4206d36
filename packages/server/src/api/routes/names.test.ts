/** Names and ids are limited at creation to what URLs can address (issue: 101–200 characters answered 414). */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_NAME_LENGTH } from '../../domain/index.js';
import { startTestServer, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

describe('name and id lengths', () => {
  it('addresses a model, version, dataset and prediction of the longest allowed name through every URL', async () => {
    const name = `m${'x'.repeat(MAX_NAME_LENGTH - 1)}`;
    expect((await server.api('/api/v1/models', { json: { name, task: 'regression' } })).status).toBe(201);
    expect((await server.api(`/api/v1/models/${name}`)).status).toBe(200);
    const version = 'v'.repeat(MAX_NAME_LENGTH);
    expect((await server.api(`/api/v1/models/${name}/versions`, { json: { name: version } })).status).toBe(
      201,
    );
    const dataset = 'd'.repeat(MAX_NAME_LENGTH);
    const upload = await server.api(`/api/v1/models/${name}/reference?dataset=${dataset}`, {
      json: [{ x: 1, prediction: 2 }],
    });
    expect(upload.status).toBe(200);
    // An id of the longest length, of characters that take 3 bytes each and 9 characters encoded.
    const id = 'é€'.repeat(MAX_NAME_LENGTH / 2);
    const ingest = await server.api(`/api/v1/models/${name}/predictions`, {
      json: [{ id, features: { x: 1 }, prediction: 1 }],
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1, rejected: [] });
    const read = await server.api(`/api/v1/models/${name}/predictions/${encodeURIComponent(id)}`);
    expect(read.status).toBe(200);
    expect(await read.json()).toMatchObject({ id });
  });

  it('refuses longer names and ids at creation with a 400 that states the limit', async () => {
    const long = 'm'.repeat(MAX_NAME_LENGTH + 1);
    const model = await server.api('/api/v1/models', { json: { name: long, task: 'regression' } });
    expect(model.status).toBe(400);
    expect(((await model.json()) as { message: string }).message).toMatch(
      /body\.name: at most 200 characters/,
    );

    await server.api('/api/v1/models', { json: { name: 'short', task: 'regression' } });
    const version = await server.api('/api/v1/models/short/versions', { json: { name: long } });
    expect(version.status).toBe(400);
    expect(((await version.json()) as { message: string }).message).toMatch(/at most 200 characters/);
    const dataset = await server.api(`/api/v1/models/short/reference?dataset=${long}`, {
      json: [{ x: 1 }],
    });
    expect(dataset.status).toBe(400);
    expect(((await dataset.json()) as { message: string }).message).toMatch(
      /dataset: at most 200 characters/,
    );
    const ingest = await server.api('/api/v1/models/short/predictions', {
      json: [{ id: long, features: { x: 1 }, prediction: 1 }],
    });
    expect(await ingest.json()).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, error: 'id: longer than 200 characters' }],
    });
  });
});

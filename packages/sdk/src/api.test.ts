import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilHttpError, VigilNetworkError } from './errors.js';
import { type Receiver, startReceiver } from './test-support.js';

const fast = { retryBaseDelayMs: 20, retryMaxDelayMs: 200 };

let receiver: Receiver;
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

describe('VigilApi', () => {
  it('sends predictions as gzip NDJSON with ids, timestamps and the API key', async () => {
    const api = new VigilApi({ url: receiver.url, apiKey: 'k1', compression: true, ...fast });
    const result = await api.ingestPredictions('fraud model', [
      { features: { a: 1 }, prediction: true },
      { id: 'given', timestamp: 5, features: { a: 2 }, prediction: false, score: 0.2 },
    ]);
    expect(result).toEqual({ accepted: 2, rejected: [] });
    const [request] = receiver.requests;
    expect(request?.method).toBe('POST');
    expect(request?.path).toBe('/api/v1/models/fraud%20model/predictions');
    expect(request?.headers.authorization).toBe('Bearer k1');
    expect(request?.headers['content-type']).toBe('application/x-ndjson');
    expect(request?.headers['content-encoding']).toBe('gzip');
    const [first, second] = request?.records ?? [];
    expect(first?.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(typeof first?.timestamp).toBe('string');
    expect(second).toEqual({ id: 'given', timestamp: 5, features: { a: 2 }, prediction: false, score: 0.2 });
  });

  it('gzips by default except to a server on this machine', async () => {
    const encodings = new Map<string, string | null>();
    const fetch: typeof globalThis.fetch = async (input, init) => {
      const url = new URL(String(input));
      encodings.set(url.hostname, new Headers(init?.headers).get('content-encoding'));
      return new Response('{"accepted": 1, "rejected": []}', { status: 200 });
    };
    for (const url of [
      'http://localhost:8080',
      'http://127.0.0.1:8080',
      'http://127.8.0.1',
      'http://[::1]:8080',
      'https://vigil.example.com',
      'http://10.0.0.7:8080',
      'http://localhost.example.com',
    ]) {
      await new VigilApi({ url, fetch }).ingestLabels('m', [{ id: 'x', label: 1 }]);
    }
    expect(Object.fromEntries(encodings)).toEqual({
      localhost: null,
      '127.0.0.1': null,
      '127.8.0.1': null,
      '[::1]': null,
      'vigil.example.com': 'gzip',
      '10.0.0.7': 'gzip',
      'localhost.example.com': 'gzip',
    });
  });

  it('sends uncompressed bodies when compression is off, and keeps a URL path prefix', async () => {
    const api = new VigilApi({ url: `${receiver.url}/vigil`, compression: false });
    await api.ingestLabels('m', [{ id: 'x', label: 1 }]);
    const [request] = receiver.requests;
    expect(request?.path).toBe('/vigil/api/v1/models/m/labels');
    expect(request?.headers['content-encoding']).toBeUndefined();
    expect(request?.headers.authorization).toBeUndefined();
    expect(request?.records).toEqual([{ id: 'x', label: 1 }]);
  });

  it('sends reference content as it is, with version and dataset; Parquet is not gzipped', async () => {
    const api = new VigilApi({ url: receiver.url });
    receiver.respond(() => ({ status: 200, body: { accepted: 2, rejected: [] } }));
    await api.ingestReference(
      'm',
      { body: 'a,b\n1,2\n3,4\n', contentType: 'text/csv' },
      { version: 'v1', dataset: 'train' },
    );
    await api.ingestReference('m', {
      body: new Uint8Array([80, 65, 82, 49]),
      contentType: 'application/vnd.apache.parquet',
    });
    const [csv, parquet] = receiver.requests;
    expect(csv?.path).toBe('/api/v1/models/m/reference');
    expect(csv?.query.get('version')).toBe('v1');
    expect(csv?.query.get('dataset')).toBe('train');
    expect(csv?.headers['content-type']).toBe('text/csv');
    expect(csv?.body).toBe('a,b\n1,2\n3,4\n');
    expect(parquet?.headers['content-encoding']).toBeUndefined();
    expect(parquet?.rawBytes).toBe(4);
  });

  it('retries 5xx with growing backoff and sends the same ids again', async () => {
    receiver.respond((request, n) =>
      n < 3
        ? { status: 500, body: { error: 'internal', message: 'boom' } }
        : { status: 200, body: { accepted: request.records.length, rejected: [] } },
    );
    const retries: number[] = [];
    const api = new VigilApi({
      url: receiver.url,
      retryBaseDelayMs: 40,
      onRetry: (e) => retries.push(e.delayMs),
    });
    const result = await api.ingestPredictions('m', [{ features: {}, prediction: 1 }]);
    expect(result.accepted).toBe(1);
    expect(receiver.requests).toHaveLength(4);
    const ids = new Set(receiver.requests.map((r) => r.records[0]?.id));
    expect(ids.size).toBe(1);
    const gaps = receiver.requests.slice(1).map((r, i) => r.at - (receiver.requests[i]?.at ?? 0));
    expect(gaps[0]).toBeGreaterThanOrEqual(18);
    expect(gaps[1]).toBeGreaterThanOrEqual(38);
    expect(gaps[2]).toBeGreaterThanOrEqual(78);
    expect(retries).toHaveLength(3);
  });

  it('waits as long as Retry-After asks on 429 and 503', async () => {
    receiver.respond((request, n) => {
      if (n === 0) return { status: 503, headers: { 'retry-after': '1' } };
      if (n === 1) return { status: 429, headers: { 'retry-after': '0' } };
      return { status: 200, body: { accepted: request.records.length, rejected: [] } };
    });
    const api = new VigilApi({ url: receiver.url, retryBaseDelayMs: 1 });
    const result = await api.ingestLabels('m', [{ id: 'a', label: 'x' }]);
    expect(result.accepted).toBe(1);
    const [first, second] = receiver.requests;
    expect((second?.at ?? 0) - (first?.at ?? 0)).toBeGreaterThanOrEqual(990);
  });

  it('retries after the server closes the connection', async () => {
    receiver.respond((request, n) =>
      n === 0 ? 'destroy' : { status: 200, body: { accepted: request.records.length, rejected: [] } },
    );
    const api = new VigilApi({ url: receiver.url, ...fast });
    expect((await api.ingestPredictions('m', [{ features: {}, prediction: 1 }])).accepted).toBe(1);
    expect(receiver.requests).toHaveLength(2);
  });

  it('does not retry 4xx and reports the error body', async () => {
    receiver.respond(() => ({
      status: 403,
      body: { error: 'forbidden', message: 'key lacks scope ingest', details: { scope: 'ingest' } },
    }));
    const api = new VigilApi({ url: receiver.url, ...fast });
    const error = await api
      .ingestPredictions('m', [{ features: {}, prediction: 1 }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilHttpError);
    expect(error).toMatchObject({
      status: 403,
      code: 'forbidden',
      details: { scope: 'ingest' },
      isAuthError: true,
    });
    expect((error as Error).message).toContain('key lacks scope ingest');
    expect(receiver.requests).toHaveLength(1);
  });

  it('gives up after maxRetries', async () => {
    receiver.respond(() => ({ status: 502 }));
    const api = new VigilApi({ url: receiver.url, maxRetries: 2, ...fast });
    await expect(api.ingestLabels('m', [{ id: 'a', label: 1 }])).rejects.toMatchObject({
      status: 502,
      attempts: 3,
    });
    expect(receiver.requests).toHaveLength(3);
  });

  it('reports an unreachable server as a network error after retries', async () => {
    const url = receiver.url;
    await receiver.close();
    receiver = await startReceiver();
    const api = new VigilApi({ url, maxRetries: 2, ...fast });
    const error = await api.ingestLabels('m', [{ id: 'a', label: 1 }]).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(VigilNetworkError);
    expect(error).toMatchObject({ attempts: 3 });
  });

  it('does not retry a non-idempotent request after a 500', async () => {
    receiver.respond(() => ({ status: 500, body: { error: 'internal', message: 'x' } }));
    const api = new VigilApi({ url: receiver.url, ...fast });
    await expect(api.createModel({ name: 'm', task: 'binary_classification' })).rejects.toMatchObject({
      status: 500,
    });
    expect(receiver.requests).toHaveLength(1);
  });

  it('reads model and prediction listings', async () => {
    receiver.respond((request) => {
      if (request.path === '/api/v1/models')
        return { status: 200, body: { data: [{ name: 'm', task: 'regression' }] } };
      return { status: 200, body: { data: [], next_cursor: null } };
    });
    const api = new VigilApi({ url: receiver.url });
    expect(await api.listModels()).toEqual([{ name: 'm', task: 'regression' }]);
    const from = new Date('2025-01-01T00:00:00Z');
    expect(await api.listPredictions('m', { from, limit: 10 })).toEqual({ data: [], next_cursor: null });
    expect(receiver.requests[1]?.query.get('from')).toBe('2025-01-01T00:00:00.000Z');
    expect(receiver.requests[1]?.query.get('limit')).toBe('10');
    expect(receiver.requests[1]?.query.has('cursor')).toBe(false);
  });
});

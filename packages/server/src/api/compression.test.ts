import { request as httpRequest } from 'node:http';
import { brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';
import { COMPRESSION_THRESHOLD_BYTES, negotiateEncoding } from './compression.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
  // Enough models that the list is well over the threshold.
  for (let i = 0; i < 30; i++) {
    const created = await server.api('/api/v1/models', {
      json: { name: `compressed-model-${i}`, task: 'binary_classification', description: 'x'.repeat(40) },
    });
    expect(created.status).toBe(201);
  }
}, 60_000);
afterAll(() => server?.close());

interface RawAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The bytes as they crossed the wire. */
  body: Buffer;
}

/** A request whose answer is read as sent (fetch would decode it). */
function raw(
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: Buffer } = {},
): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const sent = httpRequest(
      `${server.url}${path}`,
      {
        method: options.method ?? 'GET',
        headers: { authorization: `Bearer ${server.adminKey}`, connection: 'close', ...options.headers },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks),
          }),
        );
        response.on('error', reject);
      },
    );
    sent.on('error', reject);
    sent.end(options.body);
  });
}

describe('negotiateEncoding', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip, deflate, br, zstd', 'br'],
    ['gzip, deflate', 'gzip'],
    ['br;q=0.5, gzip', 'gzip'],
    ['br;q=0, gzip;q=0', null],
    ['*', 'br'],
    ['*;q=0.3, gzip;q=0.5', 'gzip'],
    ['br;q=0, *', 'gzip'],
    ['GZIP', 'gzip'],
    ['br;q=not-a-number, gzip;q=0.1', 'gzip'],
    ['deflate', null],
  ] as const)('%s -> %s', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('compressed JSON answers', () => {
  it('sends a large JSON answer brotli or gzip encoded as asked, and plain without Accept-Encoding', async () => {
    const plain = await raw('/api/v1/models');
    expect(plain.status).toBe(200);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.body.length).toBeGreaterThan(COMPRESSION_THRESHOLD_BYTES);
    const expected = JSON.parse(plain.body.toString('utf8'));

    const br = await raw('/api/v1/models', { headers: { 'accept-encoding': 'gzip, deflate, br' } });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers.vary).toMatch(/accept-encoding/i);
    expect(br.body.length).toBeLessThan(plain.body.length / 3);
    expect(JSON.parse(brotliDecompressSync(br.body).toString('utf8'))).toEqual(expected);

    const gzip = await raw('/api/v1/models', { headers: { 'accept-encoding': 'gzip' } });
    expect(gzip.headers['content-encoding']).toBe('gzip');
    expect(JSON.parse(gunzipSync(gzip.body).toString('utf8'))).toEqual(expected);

    // fetch (undici) asks for compression and decodes it.
    const fetched = await server.api('/api/v1/models');
    expect(await fetched.json()).toEqual(expected);
  });

  it('leaves small answers and errors below the threshold as they are', async () => {
    const small = await raw('/api/v1/models/compressed-model-1', { headers: { 'accept-encoding': 'br' } });
    expect(small.status).toBe(200);
    expect(small.body.length).toBeLessThan(COMPRESSION_THRESHOLD_BYTES);
    expect(small.headers['content-encoding']).toBeUndefined();
    expect(small.headers['content-length']).toBe(String(small.body.length));
    const missing = await raw('/api/v1/models/no-such-model', { headers: { 'accept-encoding': 'br' } });
    expect(missing.status).toBe(404);
    expect(JSON.parse(missing.body.toString('utf8'))).toMatchObject({ error: 'not_found' });
  });

  it('answers a gzip NDJSON ingestion request, and compresses its answer only by Accept-Encoding', async () => {
    const rows = Array.from({ length: 200 }, (_, i) =>
      JSON.stringify({ id: `row-${i}`, features: { amount: i }, prediction: i % 2, score: 0.5 }),
    ).join('\n');
    const answer = await raw('/api/v1/models/compressed-model-2/predictions', {
      method: 'POST',
      headers: {
        'content-type': 'application/x-ndjson',
        'content-encoding': 'gzip',
        'accept-encoding': 'gzip',
      },
      body: gzipSync(rows),
    });
    expect(answer.status).toBe(200);
    const text =
      answer.headers['content-encoding'] === 'gzip'
        ? gunzipSync(answer.body).toString('utf8')
        : answer.body.toString('utf8');
    expect(JSON.parse(text)).toMatchObject({ accepted: 200 });
  });

  it('streams downloads unchanged, with their length, whatever the client accepts', async () => {
    const mlflow = async (path: string, json: unknown) => {
      const response = await server.api(`/api/2.0/mlflow/${path}`, { json });
      expect(response.status).toBe(200);
      return (await response.json()) as Record<string, unknown>;
    };
    const { experiment_id: experimentId } = await mlflow('experiments/create', { name: 'compression' });
    const { run } = (await mlflow('runs/create', { experiment_id: experimentId, start_time: 1 })) as {
      run: { info: { run_id: string } };
    };
    const file = `/api/2.0/mlflow-artifacts/artifacts/${experimentId}/${run.info.run_id}/artifacts/data.json`;
    const content = JSON.stringify(Array.from({ length: 500 }, (_, i) => ({ row: i, value: 'same' })));
    const put = await server.api(file, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: content,
    });
    expect(put.status).toBe(200);
    const download = await raw(file, { headers: { 'accept-encoding': 'br, gzip' } });
    expect(download.status).toBe(200);
    expect(download.headers['content-encoding']).toBeUndefined();
    expect(download.body.toString('utf8')).toBe(content);
  });
});

import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { childProcessTestTimeout } from '@vigil/server/testing';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { type RejectedLogRecord, VigilClient, type VigilClientOptions } from './client.js';
import { VigilDeliveryError, type VigilError, VigilHttpError, VigilQueueOverflowError } from './errors.js';
import { acceptAll, type Receiver, startReceiver, until } from './test-support.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(1) });

let receiver: Receiver;
let client: VigilClient | undefined;
let errors: VigilError[];

beforeEach(async () => {
  receiver = await startReceiver();
  errors = [];
});
afterEach(async () => {
  await client?.close();
  client = undefined;
  await receiver.close();
});

function makeClient(options: Partial<VigilClientOptions> = {}): VigilClient {
  client = new VigilClient({
    url: receiver.url,
    apiKey: 'secret',
    model: 'fraud',
    flushIntervalMs: 60_000,
    retryBaseDelayMs: 10,
    retryMaxDelayMs: 100,
    onError: (error) => errors.push(error),
    ...options,
  });
  return client;
}

const record = (i: number) => ({
  features: { amount: i, country: 'FR' },
  prediction: i % 2 === 0,
  score: i / 100,
});

describe('VigilClient batching', () => {
  it('returns ids at once, batches by size and sends gzip batches by column', async () => {
    const c = makeClient({ batchSize: 10, compression: true });
    const ids = Array.from({ length: 25 }, (_, i) => c.log(record(i)));
    expect(new Set(ids).size).toBe(25);
    const result = await c.flush();
    expect(result).toEqual({ accepted: 25, rejected: [], failed: 0, dropped: 0, errors: [] });
    // Two requests may be in flight at once, so they can arrive in either order.
    expect(receiver.requests.map((r) => r.records.length).sort((a, b) => b - a)).toEqual([10, 10, 5]);
    for (const request of receiver.requests) {
      expect(request.path).toBe('/api/v1/models/fraud/predictions');
      expect(request.headers['content-encoding']).toBe('gzip');
      // Batches this small take less room as columnar JSON than as Arrow.
      expect(request.headers['content-type']).toBe('application/vnd.vigil.columns+json');
      expect(request.headers.authorization).toBe('Bearer secret');
    }
    const sent = receiver.accepted();
    expect(sent.map((r) => r.id).sort()).toEqual([...ids].sort());
    expect(sent.find((r) => r.id === ids[3])).toMatchObject({
      features: { amount: 3, country: 'FR' },
      prediction: false,
      score: 0.03,
    });
    expect(Date.now() - Date.parse(String(sent[0]?.timestamp))).toBeLessThan(5000);
    expect(c.stats).toMatchObject({ pending: 0, accepted: 25 });
  });

  it('sends larger batches as Arrow, and columnar JSON from the first 415 on', async () => {
    const many = (from: number) =>
      Array.from({ length: 200 }, (_, i) =>
        c.log({ ...record(from + i), version: 'v1', segments: { region: 'eu' } }),
      );
    const c = makeClient({ batchSize: 200, maxInFlight: 1 });
    const first = many(0);
    await c.flush();
    expect(receiver.requests.map((r) => r.headers['content-type'])).toEqual([
      'application/vnd.apache.arrow.stream',
    ]);
    expect(receiver.accepted().map((r) => r.id)).toEqual(first);
    expect(receiver.accepted()[3]).toMatchObject({
      features: { amount: 3, country: 'FR' },
      prediction: false,
      score: 0.03,
      version: 'v1',
      segments: { region: 'eu' },
    });
    // An older server: 415 to Arrow. The batch is sent again as columnar JSON, and so are later ones.
    receiver.respond((request, n) =>
      request.headers['content-type']?.includes('arrow')
        ? { status: 415, body: { error: 'unsupported_media_type', message: 'no' } }
        : acceptAll(request, n),
    );
    const second = many(200);
    const third = many(400);
    const result = await c.flush();
    expect(result).toMatchObject({ accepted: 400, failed: 0 });
    expect(receiver.requests.slice(1).map((r) => r.headers['content-type'])).toEqual([
      'application/vnd.apache.arrow.stream',
      'application/vnd.vigil.columns+json',
      'application/vnd.vigil.columns+json',
    ]);
    expect(receiver.accepted().map((r) => r.id)).toEqual([...first, ...second, ...third]);
  });

  it('sends a batch whose columns mix kinds as columnar JSON', async () => {
    const c = makeClient({ batchSize: 100, maxInFlight: 1 });
    for (let i = 0; i < 100; i++) c.log({ features: { code: i % 2 ? 'a' : i }, prediction: 1 });
    await c.flush();
    expect(receiver.requests.map((r) => r.headers['content-type'])).toEqual([
      'application/vnd.vigil.columns+json',
    ]);
    expect(receiver.accepted()[2]?.features).toEqual({ code: 2 });
  });

  it('sends NDJSON lines when asked to, the same records as by column', async () => {
    const c = makeClient({ format: 'ndjson', batchSize: 10, maxInFlight: 1 });
    const ids = Array.from({ length: 12 }, (_, i) => c.log(record(i)));
    expect(await c.flush()).toMatchObject({ accepted: 12, dropped: 0 });
    expect(receiver.requests.map((r) => r.headers['content-type'])).toEqual([
      'application/x-ndjson',
      'application/x-ndjson',
    ]);
    expect(receiver.requests[0]?.body.split('\n')[0]).toBe(
      JSON.stringify({ ...record(0), id: ids[0], timestamp: receiver.accepted()[0]?.timestamp }),
    );
    expect(receiver.accepted().map((r) => r.id)).toEqual(ids);
  });

  it('lays records out by column, with null where a record has no value', async () => {
    const c = makeClient();
    c.log({
      id: 'a',
      version: 'v1',
      features: { amount: 1, country: 'FR' },
      prediction: 1,
      scores: { x: 0.5 },
    });
    c.log({ id: 'b', version: 'v1', features: { country: 'DE', extra: true }, prediction: 0, label: 1 });
    c.log({
      id: 'c',
      version: 'v1',
      timestamp: 5,
      features: { amount: 3 },
      prediction: 1,
      segments: { r: 'eu' },
    });
    await c.flush();
    const body = JSON.parse(receiver.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      length: 3,
      id: ['a', 'b', 'c'],
      version: 'v1',
      prediction: [1, 0, 1],
      label: [null, 1, null],
      scores: { x: [0.5, null, null] },
      features: { amount: [1, null, 3], country: ['FR', 'DE', null], extra: [null, true, null] },
      segments: { r: [null, null, 'eu'] },
    });
    expect((body.timestamp as unknown[])[2]).toBe(5);
    expect(body).not.toHaveProperty('score');
  });

  it('fills the timestamp at log time, not at send time', async () => {
    const c = makeClient();
    const before = Date.now();
    c.log(record(1));
    c.log({ ...record(2), timestamp: new Date('2024-05-01T00:00:00Z') });
    c.log({ ...record(3), timestamp: 1_700_000_000_000, id: 'mine' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await c.flush();
    const [a, b, d] = receiver.accepted();
    expect(Date.parse(String(a?.timestamp))).toBeGreaterThanOrEqual(before);
    expect(Date.parse(String(a?.timestamp))).toBeLessThan(before + 40);
    expect(b?.timestamp).toBe('2024-05-01T00:00:00.000Z');
    expect(d).toMatchObject({ id: 'mine', timestamp: 1_700_000_000_000 });
  });

  it('sends on the interval without flush', async () => {
    const c = makeClient({ flushIntervalMs: 30 });
    c.log(record(1));
    c.log(record(2));
    await until(() => receiver.accepted().length === 2);
    expect(receiver.requests).toHaveLength(1);
  });

  it('does not mutate or keep a reference to the logged object', async () => {
    const c = makeClient();
    const input = { features: { x: 1 }, prediction: 'a' };
    c.log(input);
    input.features.x = 99;
    await c.flush();
    expect(input).toEqual({ features: { x: 99 }, prediction: 'a' });
    expect(receiver.accepted()[0]?.features).toEqual({ x: 1 });
  });

  it('keeps at most maxInFlight requests open', async () => {
    let open = 0;
    let peak = 0;
    receiver.respond(async (request) => {
      open++;
      peak = Math.max(peak, open);
      await new Promise((resolve) => setTimeout(resolve, 30));
      open--;
      return acceptAll(request, 0);
    });
    const c = makeClient({ batchSize: 1, maxInFlight: 2 });
    for (let i = 0; i < 8; i++) c.log(record(i));
    expect((await c.flush()).accepted).toBe(8);
    expect(peak).toBe(2);
  });

  it('splits a batch the server finds too large (413)', async () => {
    receiver.respond((request) =>
      request.records.length > 2
        ? { status: 413, body: { error: 'payload_too_large', message: 'too large' } }
        : acceptAll(request, 0),
    );
    const c = makeClient({ batchSize: 8 });
    const ids = Array.from({ length: 8 }, (_, i) => c.log(record(i)));
    const result = await c.flush();
    expect(result.accepted).toBe(8);
    expect(receiver.accepted().map((r) => r.id)).toEqual(ids);
  });

  it('cuts batches at maxBatchBytes', async () => {
    const c = makeClient({ batchSize: 1000, maxBatchBytes: 500 });
    for (let i = 0; i < 10; i++) c.log({ features: { text: 'x'.repeat(150) }, prediction: i });
    await c.flush();
    expect(receiver.requests.length).toBeGreaterThanOrEqual(4);
    for (const request of receiver.requests) expect(request.body.length).toBeLessThanOrEqual(500);
  });
});

describe('VigilClient delivery failures', () => {
  it('retries 5xx, 503 with Retry-After and closed connections without duplicating ids', async () => {
    receiver.respond((request, n) => {
      if (n === 0) return { status: 500, body: { error: 'internal', message: 'x' } };
      if (n === 1) return { status: 503, headers: { 'retry-after': '0' } };
      if (n === 2) return 'destroy';
      return acceptAll(request, n);
    });
    const c = makeClient();
    const ids = [c.log(record(1)), c.log(record(2))];
    const result = await c.flush();
    expect(result).toMatchObject({ accepted: 2, failed: 0 });
    expect(receiver.requests).toHaveLength(4);
    for (const request of receiver.requests) expect(request.records.map((r) => r.id)).toEqual(ids);
    expect(errors).toEqual([]);
  });

  it('reports 4xx through onError and the flush result, without retrying', async () => {
    receiver.respond(() => ({ status: 401, body: { error: 'unauthorized', message: 'invalid API key' } }));
    const c = makeClient();
    c.log(record(1));
    c.log(record(2));
    const result = await c.flush();
    expect(receiver.requests).toHaveLength(1);
    expect(result).toMatchObject({ accepted: 0, failed: 2 });
    expect(errors).toHaveLength(1);
    const [error] = errors;
    expect(error).toBeInstanceOf(VigilDeliveryError);
    expect(error).toMatchObject({ kind: 'predictions', model: 'fraud', records: 2, code: 'unauthorized' });
    expect((error as VigilDeliveryError).cause).toBeInstanceOf(VigilHttpError);
    expect(result.errors).toEqual(errors);
    expect(c.stats.failed).toBe(2);
  });

  it('surfaces per-record rejections without retrying them', async () => {
    receiver.respond((request) => ({
      status: 200,
      body: {
        accepted: request.records.length - 1,
        rejected: [{ index: 1, id: request.records[1]?.id, error: 'features.amount: expected a number' }],
      },
    }));
    const seen: RejectedLogRecord[] = [];
    const c = makeClient({ onRejected: (rejected) => seen.push(...rejected) });
    const ids = [c.log(record(1)), c.log(record(2)), c.log(record(3))];
    const result = await c.flush();
    const expected = {
      kind: 'predictions',
      model: 'fraud',
      id: ids[1],
      error: 'features.amount: expected a number',
    };
    expect(result.accepted).toBe(2);
    expect(result.rejected).toEqual([expected]);
    expect(seen).toEqual([expected]);
    expect(c.stats).toMatchObject({ accepted: 2, rejected: 1 });
    expect(receiver.requests).toHaveLength(1);
  });

  it('drops records beyond maxQueue, never throws, and reports the count', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    receiver.respond(async (request) => {
      await gate;
      return acceptAll(request, 0);
    });
    const c = makeClient({ maxQueue: 5, batchSize: 2 });
    for (let i = 0; i < 8; i++) expect(() => c.log(record(i))).not.toThrow();
    expect(c.stats).toMatchObject({ pending: 5, dropped: 3 });
    const flushing = c.flush();
    release();
    const result = await flushing;
    expect(result.accepted).toBe(5);
    expect(result.dropped).toBe(3);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toBeInstanceOf(VigilQueueOverflowError);
    expect(errors[0]).toMatchObject({ dropped: 3, code: 'queue_full' });
  });

  it('reports a record that cannot be serialised and keeps the others', async () => {
    const c = makeClient();
    c.log({ features: { big: 1n as unknown as number }, prediction: 1 });
    c.log(record(1));
    const result = await c.flush();
    expect(result).toMatchObject({ accepted: 1, dropped: 1 });
    expect(errors[0]?.code).toBe('invalid_record');
  });
});

describe('VigilClient columnar batches', () => {
  it('leaves no trace of a record it drops half-way, and copies object values at call time', async () => {
    const c = makeClient();
    const tags = { a: 1 };
    c.log({ id: 'ok-1', features: { amount: 1, tags: tags as unknown as number }, prediction: 1 });
    c.log({ id: 'bad', features: { amount: 2, fresh: 'x', big: 1n as unknown as number }, prediction: 1 });
    c.log({ id: 'bad-2', features: 'nope' as unknown as Record<string, number>, prediction: 1 });
    c.log({ id: 'ok-2', features: { amount: 3 }, prediction: 0, segments: { r: 'eu' } });
    tags.a = 99;
    const result = await c.flush();
    expect(result).toMatchObject({ accepted: 2, dropped: 2 });
    expect(errors.map((e) => e.code)).toEqual(['invalid_record', 'invalid_record']);
    const body = JSON.parse(receiver.requests[0]?.body ?? '{}') as Record<string, unknown>;
    expect(body).toMatchObject({
      length: 2,
      id: ['ok-1', 'ok-2'],
      features: { amount: [1, 3], tags: [{ a: 1 }, null] },
      segments: { r: [null, 'eu'] },
    });
    for (const column of Object.values(body.features as Record<string, unknown[]>))
      expect(column).toHaveLength(2);
  });

  it('moves the record that would overflow maxBatchBytes to the next batch, whole', async () => {
    const c = makeClient({ batchSize: 1000, maxBatchBytes: 2000, maxInFlight: 1 });
    const ids = Array.from({ length: 40 }, (_, i) =>
      c.log({ features: { [`f${i % 7}`]: 'y'.repeat(40), amount: i }, prediction: i % 2 }),
    );
    await c.flush();
    expect(receiver.requests.length).toBeGreaterThan(1);
    for (const request of receiver.requests) expect(request.body.length).toBeLessThanOrEqual(2000);
    expect(receiver.accepted().map((r) => r.id)).toEqual(ids);
    expect(receiver.accepted()[39]).toMatchObject({
      features: { f4: 'y'.repeat(40), amount: 39 },
      prediction: 1,
    });
  });
});

describe('VigilClient models, labels and reference data', () => {
  it('routes records per model and kind', async () => {
    const c = makeClient({ model: undefined });
    const id = c.model('churn').log(record(1));
    c.model('churn').logLabel({ id, label: true });
    c.model('price').log({ features: { m2: 40 }, prediction: 1234.5 });
    c.log(record(2));
    const result = await c.flush();
    expect(result.accepted).toBe(3);
    expect(result.dropped).toBe(1);
    expect(errors[0]?.code).toBe('no_model');
    const paths = receiver.requests.map((r) => r.path).sort();
    expect(paths).toEqual([
      '/api/v1/models/churn/labels',
      '/api/v1/models/churn/predictions',
      '/api/v1/models/price/predictions',
    ]);
    const label = receiver.requests.find((r) => r.path.endsWith('/labels'))?.records[0];
    expect(label).toMatchObject({ id, label: true });
    expect(typeof label?.timestamp).toBe('string');
    expect(c.model('churn')).toBe(c.model('churn'));
  });

  it('uploads reference rows in chunks and maps rejection indices back', async () => {
    receiver.respond((request, n) => ({
      status: 200,
      body: { accepted: request.records.length - 1, rejected: [{ index: 0, id: null, error: `bad ${n}` }] },
    }));
    const c = makeClient({ batchSize: 2 });
    const rows = Array.from({ length: 5 }, (_, i) => ({ amount: i, prediction: 0 }));
    const result = await c.logReference(rows, { version: 'v2', dataset: 'training' });
    expect(result.accepted).toBe(2);
    expect(result.rejected.map((r) => r.index)).toEqual([0, 2, 4]);
    expect(receiver.requests.map((r) => r.records.length)).toEqual([2, 2, 1]);
    expect(receiver.requests[0]?.query.get('version')).toBe('v2');
    expect(receiver.requests[0]?.query.get('dataset')).toBe('training');
  });

  it('uploads reference file content with its content type', async () => {
    const c = makeClient();
    receiver.respond(() => ({ status: 200, body: { accepted: 1, rejected: [] } }));
    await c.model('other').logReference({ content: new Blob(['a,b\n1,2\n']), format: 'csv' });
    expect(receiver.requests[0]).toMatchObject({
      path: '/api/v1/models/other/reference',
      body: 'a,b\n1,2\n',
    });
    expect(receiver.requests[0]?.headers['content-type']).toBe('text/csv');
  });

  it('sends records directly with ingestPredictions', async () => {
    const c = makeClient();
    const result = await c.ingestPredictions([record(1), record(2)]);
    expect(result).toEqual({ accepted: 2, rejected: [] });
  });
});

describe('VigilClient lifecycle', () => {
  it('flush waits for batches already in flight', async () => {
    receiver.respond(async (request) => {
      await new Promise((resolve) => setTimeout(resolve, 80));
      return acceptAll(request, 0);
    });
    const c = makeClient({ batchSize: 2 });
    c.log(record(1));
    c.log(record(2));
    c.log(record(3));
    const result = await c.flush();
    expect(result.accepted).toBe(3);
    expect(c.stats.pending).toBe(0);
  });

  it('close flushes, then drops and reports later records', async () => {
    const c = makeClient();
    c.log(record(1));
    expect((await c.close()).accepted).toBe(1);
    c.log(record(2));
    expect(errors.map((e) => e.code)).toEqual(['client_closed']);
    expect((await c.flush()).dropped).toBe(1);
    expect(receiver.requests).toHaveLength(1);
  });

  it('rejects invalid options', () => {
    expect(() => new VigilClient({ url: receiver.url, batchSize: 0 })).toThrow(/batchSize/);
    expect(() => new VigilClient({ url: 'not a url' })).toThrow(/Invalid Vigil server URL/);
  });

  it('does not keep the process alive', async () => {
    const entry = fileURLToPath(new URL('./index.ts', import.meta.url));
    const script = `
      import { VigilClient } from ${JSON.stringify(entry)};
      const client = new VigilClient({ url: ${JSON.stringify(receiver.url)}, model: 'm', flushIntervalMs: 600000 });
      client.log({ features: {}, prediction: 1 });
    `;
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      stdio: 'inherit',
    });
    // A process the client kept alive would wait for its 10-minute flush, beyond the test's timeout.
    const code = await new Promise<number | null>((resolve) => child.on('exit', resolve));
    expect(code).toBe(0);
  });
});

/**
 * End-to-end tests of the SDK against a real Vigil server (real HTTP, real DuckDB store).
 */
import { readAllPredictions, startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { type RejectedLogRecord, VigilClient, type VigilClientOptions } from './client.js';
import type { VigilError } from './errors.js';
import type { PredictionInput } from './serialize.js';
import { collectingClient } from './test-support.js';
import type { StoredPrediction } from './types.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

/** A client of `server` that keeps every error it reports instead of printing it. */
function client(model: string, options: Partial<VigilClientOptions> = {}) {
  return collectingClient(server, model, options);
}

async function createModel(name: string): Promise<void> {
  const api = new VigilApi({ url: server.url, apiKey: server.adminKey });
  await api.createModel({ name, task: 'binary_classification' });
}

/** Every stored prediction of `model`, read page by page through `GET .../predictions`. */
function readAll(model: string, pageSize = 1000): Promise<StoredPrediction[]> {
  return readAllPredictions<StoredPrediction>(server, model, pageSize);
}

async function traffic(model: string): Promise<{ predictions: number; labeled: number }> {
  const response = await server.api(`/api/v1/models/${model}/traffic?bucket=day`);
  expect(response.status).toBe(200);
  const body = (await response.json()) as { data: { predictions: number; labeled: number }[] };
  return body.data.reduce(
    (sum, w) => ({ predictions: sum.predictions + w.predictions, labeled: sum.labeled + w.labeled }),
    { predictions: 0, labeled: 0 },
  );
}

const base = Date.parse('2025-03-01T00:00:00Z');
const countries = ['FR', 'DE', 'US', 'JP'];
const regions = ['eu', 'na', 'apac'];

function prediction(thread: number, i: number) {
  const n = thread * 100_000 + i;
  return {
    id: `t${thread}-${i}`,
    timestamp: new Date(base + n * 1000),
    features: { amount: (n % 997) * 1.25, country: countries[n % 4]!, returning: n % 2 === 0 },
    prediction: n % 5 === 0,
    score: (n % 100) / 100,
    segments: { region: regions[n % 3]! },
  };
}

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('VigilClient against a real server', () => {
  it('delivers thousands of predictions from concurrent producers once each, with late and early labels', async () => {
    const model = 'sdk-e2e-volume';
    await createModel(model);
    const { vigil, errors, rejected } = client(model, { batchSize: 300, maxInFlight: 3 });
    const threads = 4;
    const perThread = 1000;

    // A label that arrives before its prediction waits for it.
    vigil.logLabel({ id: 't0-7', label: 'early', timestamp: new Date(base) });
    const early = await vigil.flush();
    expect(early).toMatchObject({ accepted: 1, rejected: [], failed: 0, dropped: 0 });

    await Promise.all(
      Array.from({ length: threads }, async (_, thread) => {
        for (let i = 0; i < perThread; i++) {
          const id = vigil.log(prediction(thread, i));
          expect(id).toBe(`t${thread}-${i}`);
          if (i % 50 === 49) await tick();
        }
      }),
    );
    const logged = await vigil.flush();
    expect(logged).toMatchObject({ accepted: threads * perThread, rejected: [], failed: 0, dropped: 0 });

    // Late labels for every third prediction (t0-7 keeps its early label).
    const labeled = new Map<string, boolean>();
    for (let thread = 0; thread < threads; thread++) {
      for (let i = 0; i < perThread; i += 3) {
        const id = `t${thread}-${i}`;
        const label = (thread + i) % 2 === 0;
        labeled.set(id, label);
        vigil.logLabel({ id, label, timestamp: new Date(base + 10_000_000) });
      }
    }
    const labels = await vigil.close();
    expect(labels).toMatchObject({ accepted: labeled.size, rejected: [], failed: 0, dropped: 0 });
    expect(errors).toEqual([]);
    expect(rejected).toEqual([]);
    expect(vigil.stats).toEqual({
      pending: 0,
      accepted: 1 + threads * perThread + labeled.size,
      rejected: 0,
      failed: 0,
      dropped: 0,
    });

    const stored = await readAll(model, 700);
    const ids = stored.map((p) => p.id);
    expect(ids).toHaveLength(threads * perThread);
    expect(new Set(ids).size).toBe(threads * perThread);
    for (const p of stored) {
      const [, thread, i] = /^t(\d)-(\d+)$/.exec(p.id)!.map(Number) as [number, number, number];
      const sent = prediction(thread, i);
      expect(p.timestamp).toBe(sent.timestamp.toISOString());
      expect(p.features).toEqual(sent.features);
      // Binary outcomes are stored as classes 1 and 0.
      expect(p.prediction).toBe(sent.prediction ? 1 : 0);
      expect(p.score).toBe(sent.score);
      expect(p.segments).toEqual(sent.segments);
      const late = labeled.get(p.id);
      const label = p.id === 't0-7' ? 'early' : late === undefined ? null : late ? 1 : 0;
      expect(p.label, p.id).toBe(label);
    }

    const one = await server.api(`/api/v1/models/${model}/predictions/t3-999`);
    expect(one.status).toBe(200);
    expect(await one.json()).toMatchObject({
      id: 't3-999',
      features: prediction(3, 999).features,
      segments: { region: prediction(3, 999).segments.region },
      // 999 is a multiple of 3, so t3-999 got a late label: (3 + 999) is even, so true, stored as 1.
      label: 1,
    });
    const early7 = await vigil.api.getPrediction(model, 't0-7');
    expect(early7.label).toBe('early');
    expect(await traffic(model)).toEqual({ predictions: threads * perThread, labeled: labeled.size + 1 });
  });

  it('stores the same rows, rejections and violations whether it sends by column or as NDJSON', async () => {
    const records: PredictionInput[] = [
      { id: 'f1', timestamp: base, version: 'v1', features: { amount: 1, country: 'FR' }, prediction: 1 },
      {
        id: 'f2',
        version: 'v1',
        features: { country: 'DE', extra: 'x' },
        prediction: 0,
        label: 1,
        score: 0.4,
      },
      {
        id: 'f3',
        timestamp: base + 2,
        features: { amount: 'lots' },
        prediction: 1,
        scores: { a: 0.2, b: 0.8 },
      },
      { id: 'f4', features: { amount: 2 } } as unknown as {
        features: { amount: number };
        prediction: number;
      },
      { id: 'f5', timestamp: 'never', features: {}, prediction: 0 },
      { id: 'f1', features: { amount: 99 }, prediction: 0 },
      {
        id: 'f6',
        timestamp: new Date(base + 1),
        features: { returning: true },
        prediction: 'yes',
        segments: { r: 'eu' },
      },
    ];
    const results = [];
    for (const format of ['columns', 'ndjson'] as const) {
      const model = `sdk-e2e-format-${format}`;
      await createModel(model);
      const { vigil, errors, rejected } = client(model, { format });
      for (const record of records) vigil.log(record);
      const result = await vigil.close();
      expect(errors).toEqual([]);
      // f2 has no timestamp: it and its inline label are stamped with the time of logging.
      const stored = (await readAll(model)).map((p) =>
        p.id === 'f2' ? { ...p, timestamp: 'now', label_timestamp: 'now' } : p,
      );
      const refused = (list: readonly RejectedLogRecord[]) => list.map(({ model: _, ...r }) => r);
      results.push({
        result: { ...result, rejected: refused(result.rejected) },
        rejected: refused(rejected),
        stored,
      });
    }
    expect(results[0]!.result).toMatchObject({ accepted: 5, failed: 0, dropped: 0 });
    expect(results[0]!.rejected.map((r) => r.id)).toEqual(['f4', 'f5']);
    expect(results[0]).toEqual(results[1]);
  });

  it('stores re-sent records once, keeping the first version of each', async () => {
    const model = 'sdk-e2e-resend';
    await createModel(model);
    const { vigil, errors } = client(model, { batchSize: 200 });
    for (let i = 0; i < 500; i++) vigil.log(prediction(0, i));
    expect(await vigil.flush()).toMatchObject({ accepted: 500, failed: 0 });
    // The same ids again, as a client retrying after a lost answer would send them, with new values.
    for (let i = 250; i < 750; i++) vigil.log({ ...prediction(0, i), score: 0.5 });
    expect(await vigil.close()).toMatchObject({ accepted: 500, rejected: [], failed: 0 });
    expect(errors).toEqual([]);

    const stored = await readAll(model);
    expect(stored).toHaveLength(750);
    expect(new Set(stored.map((p) => p.id)).size).toBe(750);
    const byId = new Map(stored.map((p) => [p.id, p]));
    expect(byId.get('t0-300')?.score).toBe(prediction(0, 300).score);
    expect(byId.get('t0-600')?.score).toBe(0.5);
    expect(await traffic(model)).toEqual({ predictions: 750, labeled: 0 });
  });

  it('reports records the server refuses through onRejected and stores the others', async () => {
    const model = 'sdk-e2e-rejected';
    await createModel(model);
    const { vigil, errors, rejected } = client(model, { batchSize: 100 });
    for (let i = 0; i < 20; i++) vigil.log(prediction(1, i));
    // Refused: a timestamp that is not one, no prediction, a label without id.
    vigil.log({ id: 'bad-timestamp', timestamp: 'yesterday', features: { amount: 1 }, prediction: true });
    vigil.log({ id: 'bad-no-prediction', features: { amount: 1 } } as never);
    vigil.logLabel({ id: '', label: true });
    const result = await vigil.close();
    expect(errors).toEqual([]);
    expect(result.accepted).toBe(20);
    expect(result.failed).toBe(0);
    expect(rejected).toEqual(result.rejected);
    const byId = new Map(rejected.map((r) => [`${r.kind}:${r.id}`, r]));
    expect([...byId.keys()].sort()).toEqual([
      'labels:',
      'predictions:bad-no-prediction',
      'predictions:bad-timestamp',
    ]);
    for (const r of rejected) {
      expect(r.model).toBe(model);
      expect(r.error).toMatch(/\w/);
    }
    expect(byId.get('predictions:bad-no-prediction')?.error).toMatch(/prediction/);
    expect(vigil.stats.rejected).toBe(3);

    const stored = await readAll(model);
    expect(stored.map((p) => p.id).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `t1-${i}`).sort());
  });

  it('reads back a prediction stored with a feature value of the wrong type', async () => {
    const model = 'sdk-e2e-odd-feature';
    await createModel(model);
    const { vigil, errors, rejected } = client(model);
    vigil.log({ id: 'plain', features: { amount: 1 }, prediction: true });
    vigil.log({ id: 'odd', features: { amount: { value: 1 } as never }, prediction: true });
    expect(await vigil.close()).toMatchObject({ accepted: 2, rejected: [], failed: 0 });
    expect(errors).toEqual([]);
    expect(rejected).toEqual([]);
    const odd = await server.api(`/api/v1/models/${model}/predictions/odd`);
    expect(odd.status).toBe(200);
    const body = (await odd.json()) as StoredPrediction;
    expect(body.quality_violations).toEqual(['type_mismatch:amount']);
    expect(body.features.amount).toEqual({ value: 1 });
    expect((await readAll(model)).map((p) => p.id).sort()).toEqual(['odd', 'plain']);
  });

  it('uploads reference data as rows and as file content', async () => {
    const model = 'sdk-e2e-reference';
    await createModel(model);
    const { vigil } = client(model, { batchSize: 40 });
    const rows = Array.from({ length: 100 }, (_, i) => ({
      amount: i * 2.5,
      country: countries[i % 4]!,
      prediction: i % 3 === 0,
      score: i / 100,
      label: i % 4 === 0,
    }));
    const result = await vigil.logReference(rows, { dataset: 'training' });
    expect(result).toMatchObject({ accepted: 100, rejected: [] });

    const csv = `amount,country,prediction,score,label\n${rows
      .slice(0, 10)
      .map((r) => `${r.amount},${r.country},${r.prediction},${r.score},${r.label}`)
      .join('\n')}\n`;
    const fromFile = await vigil.logReference({ content: csv, format: 'csv' }, { dataset: 'validation' });
    expect(fromFile).toMatchObject({ accepted: 10, rejected: [] });
    await vigil.close();

    const response = await server.api(`/api/v1/models/${model}/reference`);
    expect(response.status).toBe(200);
    const datasets = ((await response.json()) as { data: { name: string; rows: number }[] }).data;
    expect(
      datasets.map(({ name, rows }) => ({ name, rows })).sort((a, b) => a.name.localeCompare(b.name)),
    ).toEqual([
      { name: 'training', rows: 100 },
      { name: 'validation', rows: 10 },
    ]);
    const modelAfter = await vigil.api.getModel(model);
    expect(modelAfter.schema_source).toBe('inferred');
    expect(modelAfter.schema?.features.map((f) => f.name).sort()).toEqual(['amount', 'country']);
  });
});

describe('VigilClient against an overloaded server', () => {
  let busy: TestServer;

  beforeAll(async () => {
    busy = await startTestServer({ maxConcurrentIngests: 1 });
  });
  afterAll(async () => {
    await busy?.close();
  });

  it('waits as Retry-After asks when the server answers 503, and still delivers everything', async () => {
    const model = 'sdk-e2e-overload';
    const api = new VigilApi({ url: busy.url, apiKey: busy.adminKey });
    await api.createModel({ name: model, task: 'binary_classification' });
    const statuses: number[] = [];
    const delays: number[] = [];
    const errors: VigilError[] = [];
    // Two producers with several requests open each: the server takes one at a time.
    const producers = Array.from(
      { length: 2 },
      () =>
        new VigilClient({
          url: busy.url,
          apiKey: busy.adminKey,
          model,
          batchSize: 250,
          maxInFlight: 3,
          flushIntervalMs: 10_000,
          // A batch may be turned away several times in a row on a slow machine.
          maxRetries: 30,
          onError: (error) => errors.push(error),
          onRetry: (event) => {
            if (event.status !== undefined) statuses.push(event.status);
            delays.push(event.delayMs);
          },
        }),
    );
    const perProducer = 1500;
    producers.forEach((vigil, p) => {
      for (let i = 0; i < perProducer; i++) vigil.log(prediction(p, i));
    });
    const results = await Promise.all(producers.map((vigil) => vigil.close()));
    expect(errors).toEqual([]);
    for (const result of results) {
      expect(result).toMatchObject({ accepted: perProducer, rejected: [], failed: 0, dropped: 0 });
    }
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set([503]));
    // The server asks for one second; the SDK waits exactly that, not its own backoff.
    expect(new Set(delays)).toEqual(new Set([1000]));

    const ids = new Set<string>();
    let cursor: string | null = null;
    do {
      const page = await api.listPredictions(model, { limit: 1000, ...(cursor ? { cursor } : {}) });
      for (const p of page.data) ids.add(p.id);
      cursor = page.next_cursor;
    } while (cursor !== null);
    expect(ids.size).toBe(2 * perProducer);
  }, 60_000);
});

describe('reference rows and model deletion', () => {
  it('uploads reference rows safely twice, reads them back page by page, and deletes the model', async () => {
    const api = new VigilApi({ url: server.url, apiKey: server.adminKey });
    await api.createModel({ name: 'sdk-reference', task: 'binary_classification' });
    const rows = [
      { x: 1, y_pred: 1, target: 1 },
      { x: 2, y_pred: 0, target: 1 },
      { x: 3, y_pred: 1, target: 0 },
    ];
    const first = await api.ingestReference('sdk-reference', rows, {
      dataset: 'train',
      idempotencyKey: 'u1',
    });
    const again = await api.ingestReference('sdk-reference', rows, {
      dataset: 'train',
      idempotencyKey: 'u1',
    });
    expect(first).toMatchObject({ accepted: 3 });
    expect(again).toMatchObject({ accepted: 3 });
    const page1 = await api.listReferenceRows('sdk-reference', 'train', { limit: 2 });
    expect(page1.data.map((r) => r.features)).toEqual([{ x: 1 }, { x: 2 }]);
    expect(page1.data[0]).toMatchObject({ prediction: 1, label: 1 });
    const page2 = await api.listReferenceRows('sdk-reference', 'train', {
      limit: 2,
      cursor: page1.next_cursor!,
    });
    expect(page2).toMatchObject({ data: [{ features: { x: 3 } }], next_cursor: null });

    await expect(api.deleteModel('sdk-reference', 'wrong')).rejects.toMatchObject({ status: 400 });
    expect(await api.deleteModel('sdk-reference', 'sdk-reference')).toEqual({ deleted: 'sdk-reference' });
    await expect(api.getModel('sdk-reference')).rejects.toMatchObject({ status: 404 });
  });
});

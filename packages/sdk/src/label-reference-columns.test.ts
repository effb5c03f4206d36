/**
 * `logLabelColumns`, `logReferenceColumns` and `logReference` of an apache-arrow Table against a
 * real server (real HTTP, real DuckDB store): the same stored labels and reference rows as
 * `logLabel` and `logReference` of rows, the same refusals, and a server without Arrow (415).
 */
import { readAllPredictions, startTestServer, type TestServer } from '@vigil/server/testing';
import { tableFromArrays } from 'apache-arrow';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilClient, type VigilClientOptions } from './client.js';
import { VigilRecordError } from './errors.js';
import { collectingClient, type Receiver, startReceiver } from './test-support.js';
import type { StoredPrediction } from './types.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
});

function client(model: string, options: Partial<VigilClientOptions> = {}) {
  return collectingClient(server, model, options);
}

const api = () => new VigilApi({ url: server.url, apiKey: server.adminKey });

/** The model's stored predictions, by id. */
async function readAll(model: string): Promise<StoredPrediction[]> {
  return (await readAllPredictions<StoredPrediction>(server, model)).sort((a, b) => (a.id < b.id ? -1 : 1));
}

/** The rows of a reference data set, without the id and time the server gives rows without them. */
async function referenceRows(model: string, dataset: string): Promise<unknown[]> {
  const rows: unknown[] = [];
  let cursor: string | undefined;
  do {
    const page = await api().listReferenceRows(model, dataset, { limit: 500, ...(cursor ? { cursor } : {}) });
    for (const { id: _id, timestamp: _timestamp, ...row } of page.data as Record<string, unknown>[])
      rows.push(row);
    cursor = page.next_cursor ?? undefined;
  } while (cursor !== undefined);
  return rows;
}

const base = Date.parse('2025-03-01T00:00:00Z');

describe('logLabelColumns against a real server', () => {
  it('stores the same labels as logLabel, refusing the same rows', async () => {
    for (const model of ['labels-by-column', 'labels-by-record']) {
      await api().createModel({ name: model, task: 'binary_classification' });
      const { vigil } = client(model);
      for (let i = 0; i < 30; i++) vigil.log({ id: `p${i}`, prediction: i % 2, features: { x: i } });
      expect((await vigil.close()).accepted).toBe(30);
    }
    // Row 3 has no label and row 4 a label for no prediction yet (kept until it arrives).
    const id = Array.from({ length: 30 }, (_, i) => (i === 4 ? 'later' : `p${i}`));
    const label = Array.from({ length: 30 }, (_, i) => (i === 3 ? null : i % 3 === 0 ? 1 : 0));
    const timestamp = Array.from({ length: 30 }, (_, i) => new Date(base + i * 1000));

    const byColumn = client('labels-by-column', { batchSize: 8 });
    byColumn.vigil.logLabelColumns({ id, label, timestamp });
    const columnResult = await byColumn.vigil.close();
    const byRecord = client('labels-by-record', { batchSize: 8 });
    for (let i = 0; i < 30; i++) {
      byRecord.vigil.logLabel({ id: id[i]!, label: label[i] as number, timestamp: timestamp[i]! });
    }
    const recordResult = await byRecord.vigil.close();

    expect(columnResult.accepted).toBe(recordResult.accepted);
    expect(columnResult.rejected.map((r) => r.id)).toEqual(recordResult.rejected.map((r) => r.id));
    expect(columnResult.rejected.map((r) => r.id)).toEqual(['p3']);
    expect(byColumn.errors).toEqual([]);
    const labels = (rows: StoredPrediction[]) => rows.map((r) => [r.id, r.label, r.label_timestamp]);
    expect(labels(await readAll('labels-by-column'))).toEqual(labels(await readAll('labels-by-record')));
    expect((await readAll('labels-by-column')).find((r) => r.id === 'p6')).toMatchObject({
      label: 1,
      label_timestamp: new Date(base + 6000).toISOString(),
    });
  });

  it('refuses unusable columns before sending, naming the column and the row', async () => {
    const { vigil } = client('labels-never-sent');
    expect(() => vigil.logLabelColumns({ id: ['a', 'b'], label: [1] })).toThrow(
      /Column "label" has 1 values, but column "id" has 2/,
    );
    expect(() => vigil.logLabelColumns({ id: ['a', 'b'], label: [1, 'x'] })).toThrow(
      /Column "label", row 1: expected a number/,
    );
    expect(() => vigil.logLabelColumns({ id: ['a', {} as never], label: [1, 0] })).toThrow(VigilRecordError);
    expect(() => vigil.logLabelColumns({ id: 'a' as never, label: [1] })).toThrow(/"id" must be an array/);
    expect(vigil.stats.pending).toBe(0);
    await vigil.close();
  });
});

describe('reference data by column against a real server', () => {
  const n = 500;
  const amount = new Float64Array(n).map((_, i) => i * 0.5);
  const country = Array.from({ length: n }, (_, i) => (i % 7 === 0 ? null : ['FR', 'DE', 'US'][i % 3]!));
  const prediction = Array.from({ length: n }, (_, i) => i % 2);
  const label = Array.from({ length: n }, (_, i) => (i % 5 === 0 ? 1 : 0));
  const rows = Array.from({ length: n }, (_, i) => ({
    amount: amount[i]!,
    ...(country[i] === null ? {} : { country: country[i] }),
    prediction: prediction[i]!,
    label: label[i]!,
  }));

  it('stores the same rows from columns, from a Table and from rows, replacing only with the first part', async () => {
    const model = 'reference-by-column';
    await api().createModel({ name: model, task: 'binary_classification' });
    const { vigil } = client(model, { batchSize: 200 });
    expect(await vigil.logReference(rows, { dataset: 'rows' })).toMatchObject({ accepted: n, rejected: [] });
    const columns = { amount, country, prediction, label };
    expect(await vigil.logReferenceColumns(columns, { dataset: 'columns' })).toEqual({
      accepted: n,
      rejected: [],
    });
    const table = tableFromArrays({ amount, country, prediction: Int32Array.from(prediction), label });
    expect(await vigil.logReference(table, { dataset: 'table' })).toMatchObject({
      accepted: n,
      rejected: [],
    });
    const fromRows = await referenceRows(model, 'rows');
    expect(fromRows).toHaveLength(n);
    expect(await referenceRows(model, 'columns')).toEqual(fromRows);
    expect(await referenceRows(model, 'table')).toEqual(fromRows);

    // Sent again: each part is recognised, nothing is stored twice.
    await vigil.logReferenceColumns(columns, { dataset: 'columns' });
    expect(await referenceRows(model, 'columns')).toHaveLength(n);
    // replace: the first part replaces the data set, the others add to it.
    const half = { amount: amount.subarray(0, 250), prediction: prediction.slice(0, 250) };
    await vigil.logReferenceColumns(half, { dataset: 'columns', replace: true });
    expect(await referenceRows(model, 'columns')).toHaveLength(250);
    await vigil.close();
  });

  it('reports the rows the server refuses, by their index in the columns', async () => {
    const model = 'reference-refused';
    await api().createModel({
      name: model,
      task: 'binary_classification',
      schema: { features: [{ name: 'amount', type: 'numeric' }] },
    } as never);
    const { vigil } = client(model, { batchSize: 4 });
    const result = await vigil.logReferenceColumns(
      { amount: [1, 2, 3, 4, 5, 6], prediction: [1, 0, null, 1, 0, null] },
      { dataset: 'd' },
    );
    const byRows = await vigil.logReference(
      [1, 2, 3, 4, 5, 6].map((x, i) => ({
        amount: x,
        ...(i % 3 === 2 ? {} : { prediction: i % 3 === 0 ? 1 : 0 }),
      })),
      { dataset: 'e' },
    );
    expect(result.accepted).toBe(byRows.accepted);
    expect(result.rejected.map((r) => r.index)).toEqual(byRows.rejected.map((r) => r.index));
    await vigil.close();
  });
});

describe('a server without Arrow (415)', () => {
  let receiver: Receiver;
  beforeAll(async () => {
    receiver = await startReceiver((request) =>
      request.headers['content-type'] === 'application/vnd.apache.arrow.stream'
        ? { status: 415, body: { error: 'unsupported_media_type', message: 'no Arrow here' } }
        : { status: 200, body: { accepted: request.records.length, rejected: [] } },
    );
  });
  afterAll(async () => {
    await receiver.close();
  });

  it('gets labels and reference rows as NDJSON, the same rows', async () => {
    const vigil = new VigilClient({ url: receiver.url, apiKey: 'k', model: 'm', onError: () => {} });
    vigil.logLabelColumns({ id: ['a', 'b'], label: ['x', null], timestamp: base });
    expect((await vigil.flush()).accepted).toBe(2);
    const labels = receiver.requests.filter((r) => r.path.endsWith('/labels'));
    expect(labels.map((r) => r.headers['content-type'])).toEqual([
      'application/vnd.apache.arrow.stream',
      'application/x-ndjson',
    ]);
    expect(labels[1]!.records).toEqual([
      { id: 'a', label: 'x', timestamp: base },
      { id: 'b', timestamp: base },
    ]);
    const result = await vigil.logReferenceColumns({ x: [1, 2], y: ['u', null] });
    expect(result.accepted).toBe(2);
    const reference = receiver.requests.filter((r) => r.path.endsWith('/reference'));
    expect(reference.at(-1)?.records).toEqual([{ x: 1, y: 'u' }, { x: 2 }]);
    await vigil.close();
  });
});

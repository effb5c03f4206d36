import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { FRAUD_SCHEMA, postBody } from './ingest.test-support.js';

let server: TestServer;

const schema = FRAUD_SCHEMA;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 1024 * 1024 });
  await server.api('/api/v1/models', { json: { name: 'fraud', task: 'binary_classification', schema } });
});
afterAll(async () => {
  await server.close();
});

function post(path: string, body: string | Buffer, headers: Record<string, string>) {
  return postBody(server, path, body, headers);
}

async function getPrediction(model: string, id: string) {
  const response = await server.api(`/api/v1/models/${model}/predictions/${encodeURIComponent(id)}`);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('logging predictions', () => {
  it('accepts a JSON array and reads each record back', async () => {
    const records = [
      {
        id: 'p1',
        timestamp: '2026-01-05T10:00:00Z',
        version: 'v1',
        features: { amount: 12.5, country: 'DE', is_new: true },
        prediction: 1,
        score: 0.91,
        segments: { region: 'eu' },
      },
      {
        id: 'p2',
        timestamp: 1767607260000,
        features: { amount: 3, country: 'FR', is_new: false },
        prediction: 0,
        score: 0.2,
      },
    ];
    const { status, body } = await post('/api/v1/models/fraud/predictions', JSON.stringify(records), {
      'content-type': 'application/json',
    });
    expect(status).toBe(200);
    expect(body).toEqual({ accepted: 2, rejected: [], quality_violations: 0, violations_by_kind: {} });
    const p1 = await getPrediction('fraud', 'p1');
    expect(p1.body).toMatchObject({
      id: 'p1',
      timestamp: '2026-01-05T10:00:00.000Z',
      version: 'v1',
      features: { amount: 12.5, country: 'DE', is_new: true },
      prediction: 1,
      score: 0.91,
      label: null,
      segments: { region: 'eu' },
      quality_violations: [],
    });
    expect((await getPrediction('fraud', 'p2')).body.timestamp).toBe('2026-01-05T10:01:00.000Z');
  });

  it('accepts gzip-compressed NDJSON and generates missing ids and timestamps', async () => {
    const lines = [
      { features: { amount: 1, country: 'US', is_new: false }, prediction: 0, score: 0.1 },
      { features: { amount: 2, country: 'US', is_new: true }, prediction: 1, score: 0.8 },
    ]
      .map((r) => JSON.stringify(r))
      .join('\n');
    const before = Date.now();
    const { status, body } = await post('/api/v1/models/fraud/predictions', gzipSync(lines), {
      'content-type': 'application/x-ndjson',
      'content-encoding': 'gzip',
    });
    expect(status).toBe(200);
    expect(body.accepted).toBe(2);
    const page = (await (
      await server.api(`/api/v1/models/fraud/predictions?from=${before - 1000}&limit=10`)
    ).json()) as { data: { id: string; features: { amount: number } }[] };
    const generated = page.data.filter((p) => p.features.amount === 1 || p.features.amount === 2);
    expect(generated).toHaveLength(2);
    expect(generated[0]!.id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('rejects only records that cannot be stored, saying which, and why', async () => {
    const records = [
      { id: 'ok-1', features: { amount: 1, country: 'DE', is_new: true }, prediction: 1 },
      { id: 'no-prediction', features: { amount: 1 } },
      'not a record',
      { id: 'bad-time', timestamp: 'last tuesday', features: {}, prediction: 0 },
      { id: 'ok-2', features: { amount: 2, country: 'DE', is_new: true }, prediction: 0 },
      { id: 'bad-features', features: [1, 2], prediction: 0 },
    ];
    const { status, body } = await post('/api/v1/models/fraud/predictions', JSON.stringify(records), {
      'content-type': 'application/json',
    });
    expect(status).toBe(200);
    expect(body.accepted).toBe(2);
    expect(body.rejected).toEqual([
      { index: 1, id: 'no-prediction', error: 'prediction: required' },
      { index: 2, id: null, error: 'expected an object, got the string "not a record"' },
      { index: 3, id: 'bad-time', error: expect.stringContaining('timestamp: cannot parse "last tuesday"') },
      { index: 5, id: 'bad-features', error: 'features: expected an object, got an array' },
    ]);
  });

  it('stores schema breaks and counts them as data-quality violations', async () => {
    const records = [
      { id: 'dq-type', features: { amount: 'lots', country: 'DE', is_new: true }, prediction: 1 },
      { id: 'dq-missing', features: { country: 'DE', is_new: true }, prediction: 1 },
      {
        id: 'dq-unknown',
        features: { amount: 1, country: 'DE', is_new: true, browser: 'firefox' },
        prediction: 1,
      },
      { id: 'dq-unseen', features: { amount: 1, country: 'XX', is_new: true }, prediction: 1 },
    ];
    const { body } = await post('/api/v1/models/fraud/predictions', JSON.stringify(records), {
      'content-type': 'application/json',
    });
    expect(body).toEqual({
      accepted: 4,
      rejected: [],
      quality_violations: 4,
      violations_by_kind: { missing_feature: 1, type_mismatch: 1, unknown_feature: 1, unseen_category: 1 },
    });
    const typed = await getPrediction('fraud', 'dq-type');
    expect(typed.body).toMatchObject({
      features: { amount: 'lots' },
      quality_violations: ['type_mismatch:amount'],
    });
    expect((await getPrediction('fraud', 'dq-missing')).body.quality_violations).toEqual([
      'missing_feature:amount',
    ]);
    expect((await getPrediction('fraud', 'dq-unknown')).body).toMatchObject({
      features: { browser: 'firefox' },
      quality_violations: ['unknown_feature:browser'],
    });
    expect((await getPrediction('fraud', 'dq-unseen')).body.quality_violations).toEqual([
      'unseen_category:country',
    ]);
  });

  it('is idempotent: re-sending a batch stores each id once', async () => {
    const batch = JSON.stringify(
      Array.from({ length: 50 }, (_, i) => ({
        id: `idem-${i}`,
        timestamp: '2025-06-01T00:00:00Z',
        features: { amount: i, country: 'DE', is_new: true },
        prediction: i % 2,
      })),
    );
    for (let attempt = 0; attempt < 3; attempt++) {
      const { body } = await post('/api/v1/models/fraud/predictions', batch, {
        'content-type': 'application/json',
      });
      expect(body.accepted).toBe(50);
    }
    const page = (await (
      await server.api(
        '/api/v1/models/fraud/predictions?from=2025-06-01T00:00:00Z&to=2025-06-02T00:00:00Z&limit=1000',
      )
    ).json()) as { data: unknown[] };
    expect(page.data).toHaveLength(50);
  });

  it('pages with a cursor and counts traffic per window', async () => {
    await server.api('/api/v1/models', { json: { name: 'pager', task: 'regression' } });
    const records = Array.from({ length: 30 }, (_, i) => ({
      id: `r${String(i).padStart(2, '0')}`,
      timestamp: `2026-02-01T${String(10 + Math.floor(i / 10)).padStart(2, '0')}:00:00Z`,
      version: i < 15 ? 'v1' : 'v2',
      features: { x: i },
      prediction: i * 1.5,
    }));
    await post('/api/v1/models/pager/predictions', JSON.stringify(records), {
      'content-type': 'application/json',
    });
    const ids: string[] = [];
    let cursor: string | null = null;
    do {
      const query: string = cursor ? `&cursor=${cursor}` : '';
      const page = (await (await server.api(`/api/v1/models/pager/predictions?limit=12${query}`)).json()) as {
        data: { id: string }[];
        next_cursor: string | null;
      };
      ids.push(...page.data.map((p) => p.id));
      cursor = page.next_cursor;
    } while (cursor);
    expect(ids).toEqual(records.map((r) => r.id));
    const v2 = (await (await server.api('/api/v1/models/pager/predictions?version=v2&limit=100')).json()) as {
      data: unknown[];
    };
    expect(v2.data).toHaveLength(15);
    const traffic = (await (await server.api('/api/v1/models/pager/traffic?bucket=hour')).json()) as {
      data: unknown[];
    };
    expect(traffic.data).toEqual([
      { window_start: '2026-02-01T10:00:00.000Z', predictions: 10, labeled: 0 },
      { window_start: '2026-02-01T11:00:00.000Z', predictions: 10, labeled: 0 },
      { window_start: '2026-02-01T12:00:00.000Z', predictions: 10, labeled: 0 },
    ]);
    const limit = await server.api('/api/v1/models/pager/predictions?limit=5000');
    expect(limit.status).toBe(400);
    expect((await server.api('/api/v1/models/pager/predictions?cursor=garbage')).status).toBe(400);
  });
});

describe('late labels', () => {
  it('joins labels that arrive after, and before, their predictions', async () => {
    await server.api('/api/v1/models', { json: { name: 'late', task: 'binary_classification' } });
    await post(
      '/api/v1/models/late/predictions',
      JSON.stringify([{ id: 'a', features: { x: 1 }, prediction: 1 }]),
      {
        'content-type': 'application/json',
      },
    );
    const labels = await post(
      '/api/v1/models/late/labels',
      JSON.stringify([
        { id: 'a', label: 0, timestamp: '2026-03-01T00:00:00Z' },
        { id: 'b', label: true },
        { label: 1 },
      ]),
      { 'content-type': 'application/json' },
    );
    expect(labels.body).toEqual({
      accepted: 2,
      rejected: [{ index: 2, id: null, error: 'id: required, a non-empty string' }],
    });
    expect((await getPrediction('late', 'a')).body).toMatchObject({
      label: 0,
      label_timestamp: '2026-03-01T00:00:00.000Z',
    });
    await post(
      '/api/v1/models/late/predictions',
      JSON.stringify([{ id: 'b', features: { x: 2 }, prediction: 1 }]),
      {
        'content-type': 'application/json',
      },
    );
    expect((await getPrediction('late', 'b')).body.label).toBe(1);
    const traffic = (await (await server.api('/api/v1/models/late/traffic?bucket=day')).json()) as {
      data: { labeled: number }[];
    };
    expect(traffic.data.reduce((n, w) => n + w.labeled, 0)).toBe(2);
  });
});

describe('reference data', () => {
  it('infers a schema from CSV and stores the rows', async () => {
    await server.api('/api/v1/models', { json: { name: 'credit', task: 'binary_classification' } });
    const csv = ['age,income,city,owns_home,signup,prediction,score,label']
      .concat(
        Array.from(
          { length: 40 },
          (_, i) =>
            `${20 + i},${1000 * i}.5,${['Berlin', 'Paris', 'Rome'][i % 3]},${i % 2 === 0},2025-01-${String((i % 28) + 1).padStart(2, '0')},${i % 2},0.${i % 10},${i % 2}`,
        ),
      )
      .join('\n');
    const { status, body } = await post('/api/v1/models/credit/reference?dataset=train', csv, {
      'content-type': 'text/csv',
    });
    expect(status).toBe(200);
    expect(body).toMatchObject({ accepted: 40, rejected: [], schema_inferred: true });
    const model = (await (await server.api('/api/v1/models/credit')).json()) as {
      schema_source: string;
      schema: { features: { name: string; type: string; categories?: string[] }[]; classes: string[] };
    };
    expect(model.schema_source).toBe('inferred');
    expect(model.schema.features).toEqual([
      { name: 'age', type: 'numeric' },
      { name: 'income', type: 'numeric' },
      { name: 'city', type: 'categorical', categories: ['Berlin', 'Paris', 'Rome'] },
      { name: 'owns_home', type: 'boolean' },
      { name: 'signup', type: 'timestamp' },
    ]);
    expect(model.schema.classes).toEqual(['0', '1']);
    const datasets = (await (await server.api('/api/v1/models/credit/reference')).json()) as {
      data: unknown[];
    };
    expect(datasets.data).toEqual([
      { name: 'train', version: null, rows: 40, created_at: expect.any(String) },
    ]);
  });

  it('leaves a column no schema could name out of the inferred schema, and still reads the model', async () => {
    await server.api('/api/v1/models', { json: { name: 'unnamed-column', task: 'regression' } });
    const upload = await server.api('/api/v1/models/unnamed-column/reference', {
      json: [{ '': 7, amount: 1.5, prediction: 2 }],
    });
    expect(upload.status).toBe(200);
    const model = await server.api('/api/v1/models/unnamed-column');
    expect(model.status).toBe(200);
    const body = (await model.json()) as { schema: { features: { name: string }[] } };
    expect(body.schema.features.map((f) => f.name)).toEqual(['amount']);
  });

  it('maps prefixed flat columns to segments and class scores, as vigil ingest does', async () => {
    await server.api('/api/v1/models', { json: { name: 'species', task: 'multiclass_classification' } });
    const csv =
      'petal,segment_region,score_cat,scores.dog,prediction,label\n1.5,eu,0.7,0.3,cat,dog\n2.5,us,0.2,0.8,dog,dog\n';
    const { body } = await post('/api/v1/models/species/reference', csv, { 'content-type': 'text/csv' });
    expect(body).toMatchObject({ accepted: 2, rejected: [], schema_inferred: true });
    const model = (await (await server.api('/api/v1/models/species')).json()) as {
      schema: { features: { name: string }[]; segments: string[]; classes: string[] };
    };
    expect(model.schema.features.map((f) => f.name)).toEqual(['petal']);
    expect(model.schema.segments).toEqual(['region']);
    expect(model.schema.classes).toEqual(['cat', 'dog']);
  });

  it('accepts Parquet and JSON rows, appends or replaces a dataset', async () => {
    await server.api('/api/v1/models', { json: { name: 'housing', task: 'regression' } });
    await server.api('/api/v1/models/housing/versions', { json: { name: 'v3' } });
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const file = join(server.dataDir, 'reference.parquet');
    await connection.run(
      `COPY (SELECT i::DOUBLE AS rooms, 'zone' || (i % 4) AS zone, i * 1000.0 AS prediction, i * 990.0 AS label
             FROM range(100) t(i)) TO '${file}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const parquet = readFileSync(file);
    const first = await post('/api/v1/models/housing/reference?version=v3', parquet, {
      'content-type': 'application/vnd.apache.parquet',
    });
    expect(first.body).toMatchObject({ accepted: 100, rejected: [], schema_inferred: true });
    const json = JSON.stringify([{ rooms: 3, zone: 'zone1', prediction: 10, label: 12 }]);
    await post('/api/v1/models/housing/reference?version=v3', json, { 'content-type': 'application/json' });
    let datasets = (await (await server.api('/api/v1/models/housing/reference')).json()) as {
      data: unknown[];
    };
    expect(datasets.data).toEqual([expect.objectContaining({ name: 'default', version: 'v3', rows: 101 })]);
    await post('/api/v1/models/housing/reference?replace=true', json, { 'content-type': 'application/json' });
    datasets = (await (await server.api('/api/v1/models/housing/reference')).json()) as { data: unknown[] };
    expect(datasets.data).toEqual([expect.objectContaining({ rows: 1 })]);
    // The same body again is the same upload: nothing more is stored…
    const again = await post('/api/v1/models/housing/reference?replace=false', json, {
      'content-type': 'application/json',
    });
    expect(again.body).toMatchObject({ accepted: 1, replayed: true });
    datasets = (await (await server.api('/api/v1/models/housing/reference')).json()) as { data: unknown[] };
    expect(datasets.data).toEqual([expect.objectContaining({ rows: 1 })]);
    // …unless it says it is another upload.
    await post('/api/v1/models/housing/reference', json, {
      'content-type': 'application/json',
      'idempotency-key': 'second-copy',
    });
    datasets = (await (await server.api('/api/v1/models/housing/reference')).json()) as { data: unknown[] };
    expect(datasets.data).toEqual([expect.objectContaining({ rows: 2 })]);
    const unknownVersion = await post('/api/v1/models/housing/reference?version=v9', json, {
      'content-type': 'application/json',
    });
    expect(unknownVersion.status).toBe(400);
    expect(unknownVersion.body.message).toContain('no version "v9"');
  });
});

describe('structurally broken input', () => {
  it('answers 4xx with what and where, and keeps serving', async () => {
    const brokenJson = await post('/api/v1/models/fraud/predictions', '[{"id": "x", ', {
      'content-type': 'application/json',
    });
    expect(brokenJson.status).toBe(400);
    expect(brokenJson.body.message).toMatch(/not valid JSON/);

    const ndjson = await post('/api/v1/models/fraud/predictions', '{"features":{},"prediction":1}\n{oops\n', {
      'content-type': 'application/x-ndjson',
    });
    expect(ndjson.status).toBe(200);
    expect(ndjson.body.accepted).toBe(1);
    expect(ndjson.body.rejected).toEqual([
      { index: 1, id: null, error: expect.stringMatching(/^line 2 is not valid JSON/) },
    ]);

    const media = await post('/api/v1/models/fraud/predictions', 'a,b\n1,2', { 'content-type': 'text/csv' });
    expect(media.status).toBe(415);
    expect(media.body.message).toContain('application/x-ndjson');

    const badGzip = await post('/api/v1/models/fraud/predictions', Buffer.from('not gzip at all'), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(badGzip.status).toBe(400);
    expect(badGzip.body.message).toMatch(/gzip/);

    const tooLarge = await post('/api/v1/models/fraud/predictions', `[${'1,'.repeat(600_000)}1]`, {
      'content-type': 'application/json',
    });
    expect(tooLarge.status).toBe(413);

    // A small gzip body that inflates past the limit is refused too.
    const bomb = await post('/api/v1/models/fraud/predictions', gzipSync(Buffer.alloc(5 * 1024 * 1024, 32)), {
      'content-type': 'application/json',
      'content-encoding': 'gzip',
    });
    expect(bomb.status).toBe(413);

    const empty = await post('/api/v1/models/fraud/predictions', '', { 'content-type': 'application/json' });
    expect(empty.status).toBe(400);

    // A quote never closed leaves the rest of the body unreadable; a row of the wrong width is only that row's rejection.
    const csv = await post('/api/v1/models/fraud/reference', 'a,b\n"1,2\n', { 'content-type': 'text/csv' });
    expect(csv.status).toBe(400);
    expect(csv.body.message).toMatch(/CSV/);
    const ragged = await post('/api/v1/models/fraud/reference', 'a,b\n1,2,3\n', {
      'content-type': 'text/csv',
    });
    expect(ragged.body).toMatchObject({
      accepted: 0,
      rejected: [{ index: 0, error: expect.stringMatching(/^line 2: /) }],
    });

    const parquet = await post('/api/v1/models/fraud/reference', Buffer.from('PAR1 nonsense'), {
      'content-type': 'application/vnd.apache.parquet',
    });
    expect(parquet.status).toBe(400);
    expect(parquet.body.message).toMatch(/Parquet/);

    // A Parquet file is small when its rows repeat; its row count is checked before reading it.
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const file = join(server.dataDir, 'many-rows.parquet');
    await connection.run(`COPY (SELECT 1.0 AS x FROM range(1000001)) TO '${file}' (FORMAT parquet)`);
    connection.closeSync();
    instance.closeSync();
    const manyRows = await post('/api/v1/models/fraud/reference', readFileSync(file), {
      'content-type': 'application/vnd.apache.parquet',
    });
    expect(manyRows.status).toBe(400);
    expect(manyRows.body.message).toContain('has 1000001 rows; upload at most 1000000 rows per request');

    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});

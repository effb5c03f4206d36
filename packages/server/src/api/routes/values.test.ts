/**
 * No value silently changed or dropped, and hostile values answered with a reason, over real
 * HTTP: timestamps, non-finite numbers, deep nesting, prototype keys, forged cursors, and
 * classification outputs outside what the schema declares.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { FRAUD_SCHEMA, postBody } from './ingest.test-support.js';

let server: TestServer;

const JSON_TYPE = { 'content-type': 'application/json' };
const NDJSON = { 'content-type': 'application/x-ndjson' };
const COLUMNS = { 'content-type': 'application/vnd.vigil.columns+json' };
const CSV = { 'content-type': 'text/csv' };

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 4 * 1024 * 1024 });
  const created = await server.api('/api/v1/models', {
    json: { name: 'clf', task: 'binary_classification', schema: { ...FRAUD_SCHEMA, classes: ['0', '1'] } },
  });
  expect(created.status).toBe(201);
});
afterAll(async () => {
  await server.close();
});

async function get(path: string) {
  const response = await server.api(path);
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const prediction = (id: string) => get(`/api/v1/models/clf/predictions/${encodeURIComponent(id)}`);

/** `depth` nested arrays around 1. */
const deep = (depth: number) => `${'['.repeat(depth)}1${']'.repeat(depth)}`;

describe('timestamps', () => {
  it('stores years 0001–0099 as written, rejects invalid offsets, reads epoch seconds as seconds', async () => {
    const records = [
      { id: 'ts-0050', prediction: 1, timestamp: '0050-06-15T00:00:00Z' },
      { id: 'ts-offset', prediction: 1, timestamp: '2026-01-01T00:00:00+99:99' },
      { id: 'ts-seconds', prediction: 1, timestamp: 1767607200 },
      { id: 'ts-micros', prediction: 1, timestamp: 1767607200123456 },
      { id: 'ts-ambiguous', prediction: 1, timestamp: 50_000_000_000 },
      { id: 'ts-hhmm', prediction: 1, timestamp: '2026-01-05T12:00:00+0200' },
    ];
    const { status, body } = await postBody(
      server,
      '/api/v1/models/clf/predictions',
      JSON.stringify(records),
      JSON_TYPE,
    );
    expect(status).toBe(200);
    expect(body.accepted).toBe(4);
    expect(body.rejected).toEqual([
      {
        index: 1,
        id: 'ts-offset',
        error: expect.stringMatching(
          /^timestamp: .*invalid UTC offset "\+99:99" \(hours 00 to 23, minutes 00 to 59\)/,
        ),
      },
      {
        index: 4,
        id: 'ts-ambiguous',
        error: expect.stringMatching(
          /^timestamp: the epoch number 50000000000 is ambiguous or out of range; epoch numbers must be seconds/,
        ),
      },
    ]);
    expect((await prediction('ts-0050')).body.timestamp).toBe('0050-06-15T00:00:00.000Z');
    expect((await prediction('ts-seconds')).body.timestamp).toBe('2026-01-05T10:00:00.000Z');
    expect((await prediction('ts-micros')).body.timestamp).toBe('2026-01-05T10:00:00.123456Z');
    expect((await prediction('ts-hhmm')).body.timestamp).toBe('2026-01-05T10:00:00.000Z');
  });

  it('applies the same rules to columnar bodies, labels and the from/to query parameters', async () => {
    const columns = {
      length: 3,
      id: ['col-0050', 'col-bad', 'col-seconds'],
      timestamp: ['0099-12-31T23:59:59Z', '2026-01-01T00:00:00-24:00', 1767607200],
      prediction: [1, 1, 0],
    };
    const posted = await postBody(server, '/api/v1/models/clf/predictions', JSON.stringify(columns), COLUMNS);
    expect(posted.body.accepted).toBe(2);
    expect(posted.body.rejected).toEqual([
      { index: 1, id: 'col-bad', error: expect.stringContaining('invalid UTC offset "-24:00"') },
    ]);
    expect((await prediction('col-0050')).body.timestamp).toBe('0099-12-31T23:59:59.000Z');

    const labels = [
      { id: 'col-seconds', label: 1, timestamp: 1767607260 },
      { id: 'col-0050', label: 0, timestamp: '2026-01-05T10:00:00+25:00' },
    ];
    const labelled = await postBody(server, '/api/v1/models/clf/labels', JSON.stringify(labels), JSON_TYPE);
    expect(labelled.body.accepted).toBe(1);
    expect(labelled.body.rejected).toEqual([
      { index: 1, id: 'col-0050', error: expect.stringContaining('invalid UTC offset "+25:00"') },
    ]);
    expect((await prediction('col-seconds')).body.label_timestamp).toBe('2026-01-05T10:01:00.000Z');

    const page = await get('/api/v1/models/clf/predictions?from=0001-01-01&to=0100-01-01&limit=10');
    expect(page.status).toBe(200);
    expect((page.body.data as { id: string }[]).map((r) => r.id)).toEqual(['ts-0050', 'col-0050']);
    const bySeconds = await get('/api/v1/models/clf/predictions?from=1767607200&to=1767607201&limit=10');
    expect((bySeconds.body.data as { id: string }[]).map((r) => r.id)).toContain('col-seconds');
    const bad = await get('/api/v1/models/clf/predictions?from=2026-01-01T00:00:00%2B99:99');
    expect(bad.status).toBe(400);
    expect(bad.body.message).toMatch(/^Query parameter "from": .*invalid UTC offset "\+99:99"/);
    const ambiguous = await get('/api/v1/models/clf/traffic?bucket=day&to=12345');
    expect(ambiguous.status).toBe(400);
    expect(ambiguous.body.message).toMatch(/^Query parameter "to": the epoch number "12345" is ambiguous/);
  });
});

describe('non-finite numbers', () => {
  it('flags 1e400, -1e400, "NaN" and "Infinity" as non_finite and keeps each raw value (JSON and NDJSON)', async () => {
    const body = [
      '{"id":"nf-1","prediction":1,"features":{"amount":1e400,"country":"DE","is_new":true}}',
      '{"id":"nf-2","prediction":1,"features":{"amount":-1e400,"country":"DE","is_new":true}}',
      '{"id":"nf-3","prediction":1,"features":{"amount":"NaN","country":"DE","is_new":true}}',
      '{"id":"nf-4","prediction":1,"features":{"amount":"Infinity","country":"DE","is_new":true}}',
      '{"id":"nf-5","prediction":1,"score":1e400,"features":{"amount":1,"country":"DE","is_new":1e400}}',
    ];
    const asJson = await postBody(
      server,
      '/api/v1/models/clf/predictions',
      `[${body.slice(0, 2).join(',')}]`,
      JSON_TYPE,
    );
    expect(asJson.body).toMatchObject({ accepted: 2, rejected: [], quality_violations: 2 });
    const asNdjson = await postBody(
      server,
      '/api/v1/models/clf/predictions',
      body.slice(2).join('\n'),
      NDJSON,
    );
    expect(asNdjson.body).toMatchObject({ accepted: 3, rejected: [], quality_violations: 3 });
    const expected: [string, unknown][] = [
      ['nf-1', 'Infinity'],
      ['nf-2', '-Infinity'],
      ['nf-3', 'NaN'],
      ['nf-4', 'Infinity'],
    ];
    for (const [id, raw] of expected) {
      const stored = (await prediction(id)).body;
      expect(stored.features, id).toEqual({ amount: raw, country: 'DE', is_new: true });
      expect(stored.quality_violations, id).toEqual(['non_finite:amount']);
    }
    const scored = (await prediction('nf-5')).body;
    expect(scored.score).toBeNull();
    expect(scored.features).toEqual({ amount: 1, country: 'DE', is_new: 'Infinity' });
    expect(scored.quality_violations).toEqual(['non_finite:score', 'non_finite:is_new']);
  });

  it('flags them in columnar bodies, CSV and class scores too', async () => {
    const columns =
      '{"length":2,"id":["nfc-1","nfc-2"],"prediction":[1,0],"scores":{"1":[1e400,0.5]},' +
      '"features":{"amount":[-1e400,"-inf"],"country":["DE","DE"],"is_new":[true,true]}}';
    const posted = await postBody(server, '/api/v1/models/clf/predictions', columns, COLUMNS);
    expect(posted.body).toMatchObject({ accepted: 2, rejected: [], quality_violations: 2 });
    const first = (await prediction('nfc-1')).body;
    expect(first.features).toEqual({ amount: '-Infinity', country: 'DE', is_new: true });
    expect(first.quality_violations).toEqual(['non_finite:scores.1', 'non_finite:amount']);
    expect((await prediction('nfc-2')).body.features).toEqual({
      amount: '-inf',
      country: 'DE',
      is_new: true,
    });

    await server.api('/api/v1/models', { json: { name: 'nf-ref', task: 'regression' } });
    const csv = 'x,y,prediction\n1.5,a,1\n1e400,b,2\nNaN,c,3\n';
    const reference = await postBody(server, '/api/v1/models/nf-ref/reference', csv, CSV);
    expect(reference.status).toBe(200);
    expect(reference.body).toMatchObject({ accepted: 3, quality_violations: 2 });
  });
});

describe('deep nesting', () => {
  it('rejects a record with a value nested 10,000 levels deep, and stores the others (JSON, NDJSON)', async () => {
    const json = `[{"id":"deep-1","prediction":1,"features":{"amount":${deep(10_000)}}},{"id":"deep-2","prediction":1}]`;
    const asJson = await postBody(server, '/api/v1/models/clf/predictions', json, JSON_TYPE);
    expect(asJson.status).toBe(200);
    expect(asJson.body.accepted).toBe(1);
    expect(asJson.body.rejected).toEqual([
      {
        index: 0,
        id: 'deep-1',
        error: expect.stringMatching(/^features\.amount.*nested more than 64 levels deep/),
      },
    ]);
    const ndjson = `{"id":"deep-3","prediction":1}\n{"id":"deep-4","prediction":${deep(10_000)}}\n{"id":"deep-5","prediction":1,"segments":{"region":{"a":${deep(5000)}}}}`;
    const asNdjson = await postBody(server, '/api/v1/models/clf/predictions', ndjson, NDJSON);
    expect(asNdjson.status).toBe(200);
    expect(asNdjson.body.accepted).toBe(1);
    expect(
      (asNdjson.body.rejected as { index: number; error: string }[]).map((r) => [r.index, r.error]),
    ).toEqual([
      [1, expect.stringMatching(/^prediction.*nested more than 64 levels deep/)],
      [2, expect.stringMatching(/^segments\.region\.a.*nested more than 64 levels deep/)],
    ]);
    const labels = await postBody(
      server,
      '/api/v1/models/clf/labels',
      `[{"id":"deep-2","label":${deep(10_000)}}]`,
      JSON_TYPE,
    );
    expect(labels.status).toBe(200);
    expect(labels.body.rejected).toEqual([
      { index: 0, id: 'deep-2', error: expect.stringMatching(/nested more than 64/) },
    ]);
    // A value within the limit is kept raw, as any other mismatch.
    await postBody(
      server,
      '/api/v1/models/clf/predictions',
      `[{"id":"deep-ok","prediction":1,"features":{"amount":${deep(60)}}}]`,
      JSON_TYPE,
    );
    expect((await prediction('deep-ok')).body.quality_violations).toContain('type_mismatch:amount');
  });

  it('rejects such a row of a columnar body, and answers 400 for such a value given for every row', async () => {
    const body = `{"length":2,"id":["deepc-1","deepc-2"],"prediction":[1,1],"features":{"amount":[${deep(10_000)},2]}}`;
    const posted = await postBody(server, '/api/v1/models/clf/predictions', body, COLUMNS);
    expect(posted.status).toBe(200);
    expect(posted.body.accepted).toBe(1);
    expect(posted.body.rejected).toEqual([
      {
        index: 0,
        id: 'deepc-1',
        error: expect.stringMatching(/^features\.amount.*nested more than 64 levels deep/),
      },
    ]);
    const scalar = `{"length":2,"prediction":[1,1],"version":{"v":${deep(10_000)}}}`;
    const refused = await postBody(server, '/api/v1/models/clf/predictions', scalar, COLUMNS);
    expect(refused.status).toBe(400);
    expect(refused.body.message).toMatch(/^version\.v.*nested more than 64 levels deep/);
  });

  it('answers 400, not 500, for a deeply nested body on other routes', async () => {
    const response = await server.api('/api/v1/models', {
      method: 'POST',
      headers: JSON_TYPE,
      body: `{"name":"deep","task":"regression","tags":{"a":${deep(10_000)}}}`,
    });
    expect(response.status).toBe(400);
    expect(((await response.json()) as { message: string }).message).toMatch(
      /nested more than 64 levels deep/,
    );
  });
});

describe('__proto__ and constructor keys', () => {
  it('rejects a record naming a feature "__proto__" with the reason, and keeps "constructor" as a feature', async () => {
    const body =
      '[{"id":"proto-1","prediction":1,"features":{"__proto__":{"polluted":1},"amount":1}},' +
      '{"id":"proto-2","prediction":1,"features":{"constructor":"c","toString":2,"amount":1}}]';
    const posted = await postBody(server, '/api/v1/models/clf/predictions', body, JSON_TYPE);
    expect(posted.status).toBe(200);
    expect(posted.body.rejected).toEqual([
      {
        index: 0,
        id: 'proto-1',
        error:
          'features: "__proto__" is not accepted as a name (it could change objects\' prototypes); rename it',
      },
    ]);
    const stored = (await prediction('proto-2')).body;
    expect(stored.features).toEqual({ amount: 1, constructor: 'c', toString: 2 });
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('answers a "__proto__" key with a specific 400 on every route, columnar bodies and CSV included', async () => {
    const model = await server.api('/api/v1/models', {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"name":"proto","task":"regression","tags":{"__proto__":"x"}}',
    });
    expect(model.status).toBe(400);
    expect(((await model.json()) as { message: string }).message).toBe(
      'body.tags: "__proto__" is not accepted as a name (it could change objects\' prototypes); rename it.',
    );
    const feature = await server.api('/api/v1/models', {
      json: {
        name: 'proto',
        task: 'regression',
        schema: { features: [{ name: '__proto__', type: 'numeric' }] },
      },
    });
    expect(feature.status).toBe(400);
    expect(((await feature.json()) as { message: string }).message).toMatch(
      /"__proto__" is not accepted as a feature name/,
    );
    const ok = await server.api('/api/v1/models', {
      method: 'POST',
      headers: JSON_TYPE,
      body: '{"name":"ctor","task":"regression","tags":{"constructor":"x"}}',
    });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { tags: unknown }).tags).toEqual({ constructor: 'x' });

    const columns = '{"length":1,"prediction":[1],"features":{"__proto__":[1]}}';
    const col = await postBody(server, '/api/v1/models/clf/predictions', columns, COLUMNS);
    expect(col.status).toBe(400);
    expect(col.body.message).toMatch(/^"features\.__proto__": "__proto__" is not accepted as a name/);
    const csv = await postBody(server, '/api/v1/models/ctor/reference', 'a,__proto__\n1,2\n', CSV);
    expect(csv.status).toBe(400);
    expect(csv.body.message).toMatch(/The CSV file has a column named "__proto__"/);
  });
});

describe('cursors', () => {
  it('answers 400 for a forged or malformed cursor', async () => {
    for (const text of [
      '[1e400,"x"]',
      '[1.5,"x"]',
      '["1","x"]',
      '{"a":1}',
      '[1]',
      'not json',
      `[1,"${'x'.repeat(2000)}"]`,
    ]) {
      const cursor = Buffer.from(text).toString('base64url');
      const { status, body } = await get(`/api/v1/models/clf/predictions?cursor=${cursor}`);
      expect(status, text).toBe(400);
      expect(body.message).toBe(
        'Query parameter "cursor" is not a cursor this server issued; use next_cursor as given.',
      );
    }
  });
});

describe('classification outputs', () => {
  it('flags scores outside [0, 1] and predictions, labels and class scores outside the declared classes', async () => {
    const features = { amount: 1, country: 'DE', is_new: true };
    const records = [
      { id: 'cls-1', prediction: 2, score: 1.7, features },
      { id: 'cls-2', prediction: '1', label: 'maybe', scores: { 0: -0.2, 1: 0.4, 7: 0.8 }, features },
      { id: 'cls-3', prediction: true, label: 0, score: 0.9, features },
    ];
    const posted = await postBody(
      server,
      '/api/v1/models/clf/predictions',
      JSON.stringify(records),
      JSON_TYPE,
    );
    expect(posted.body).toMatchObject({ accepted: 3, rejected: [], quality_violations: 2 });
    const first = (await prediction('cls-1')).body;
    expect(first).toMatchObject({ prediction: 2, score: 1.7 });
    expect(first.quality_violations).toEqual(['unknown_class:prediction', 'score_out_of_range:score']);
    expect((await prediction('cls-2')).body.quality_violations).toEqual([
      'unknown_class:label',
      'score_out_of_range:scores.0',
      'unknown_class:scores.7',
    ]);
    expect((await prediction('cls-3')).body.quality_violations).toEqual([]);
  });

  it('flags them the same way in columnar bodies and reference uploads', async () => {
    const columns = {
      length: 2,
      id: ['clsc-1', 'clsc-2'],
      prediction: [2, 0],
      score: [1.7, 0.1],
      features: { amount: [1, 1], country: ['DE', 'DE'], is_new: [true, true] },
    };
    const posted = await postBody(server, '/api/v1/models/clf/predictions', JSON.stringify(columns), COLUMNS);
    expect(posted.body).toMatchObject({ accepted: 2, rejected: [], quality_violations: 1 });
    expect((await prediction('clsc-1')).body.quality_violations).toEqual([
      'unknown_class:prediction',
      'score_out_of_range:score',
    ]);
    const csv = 'amount,country,is_new,prediction,score,label\n1,DE,true,1,0.5,1\n1,DE,true,3,1.5,2\n';
    const reference = await postBody(server, '/api/v1/models/clf/reference', csv, CSV);
    expect(reference.body).toMatchObject({ accepted: 2, rejected: [], quality_violations: 1 });
  });
});

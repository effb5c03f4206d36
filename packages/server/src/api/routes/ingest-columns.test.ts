import { gzipSync } from 'node:zlib';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { FRAUD_SCHEMA, postBody } from './ingest.test-support.js';

const COLUMNS = 'application/vnd.vigil.columns+json';
let server: TestServer;

const schema = FRAUD_SCHEMA;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 1024 * 1024 });
});
afterAll(async () => {
  await server.close();
});

let models = 0;
async function createModel(task: string, withSchema: boolean): Promise<string> {
  const name = `cols-${++models}`;
  const response = await server.api('/api/v1/models', {
    json: { name, task, ...(withSchema ? { schema } : {}) },
  });
  expect(response.status).toBe(201);
  return name;
}

async function post(model: string, body: string | Buffer, headers: Record<string, string>) {
  const { status, body: answer } = await postBody(
    server,
    `/api/v1/models/${model}/predictions`,
    body,
    headers,
  );
  return { status, body: answer };
}

async function stored(model: string): Promise<Record<string, unknown>[]> {
  const response = await server.api(`/api/v1/models/${model}/predictions?from=0&limit=1000`);
  const page = (await response.json()) as { data: Record<string, unknown>[] };
  return page.data;
}

type Row = Record<string, unknown>;

/**
 * The same rows by column, absent = null. Names follow `order` (the records' own key order):
 * a row's violations are listed in the order of the body's columns, as NDJSON lists them in
 * the order of the record's keys.
 */
function byColumn(records: Row[], order: string[]): string {
  const out: Row = { length: records.length };
  for (const field of ['id', 'timestamp', 'version', 'prediction', 'score', 'label']) {
    if (records.some((r) => r[field] !== undefined)) out[field] = records.map((r) => r[field] ?? null);
  }
  for (const field of ['scores', 'features', 'segments']) {
    const names = [...new Set(records.flatMap((r) => Object.keys((r[field] as object | undefined) ?? {})))];
    names.sort((a, b) => order.indexOf(a) - order.indexOf(b));
    if (names.length === 0) continue;
    out[field] = Object.fromEntries(
      names.map((name) => [name, records.map((r) => (r[field] as Row | undefined)?.[name] ?? null)]),
    );
  }
  return JSON.stringify(out);
}

const NAMES = ['a', 'b', 'amount', 'country', 'is_new', 'extra', 'when', 'region', 'shop'];
const ndjson = (records: Row[]) => records.map((r) => JSON.stringify(r)).join('\n');

describe('logging predictions by column', () => {
  it('stores rows, broadcasts scalars, accepts gzip and joins inline labels', async () => {
    const model = await createModel('binary_classification', true);
    const body = {
      length: 3,
      id: ['c1', 'c2', 'c3'],
      timestamp: [1767607200000, '2026-01-05T10:01:00Z', 1767607320000],
      version: 'v1',
      prediction: [1, 0, 1],
      score: [0.9, 0.2, null],
      label: [null, 0, null],
      features: { amount: [12.5, 3, null], country: ['DE', 'FR', 'US'], is_new: true },
      segments: { region: ['eu', null, 'us'] },
    };
    const { status, body: result } = await post(model, gzipSync(JSON.stringify(body)), {
      'content-type': COLUMNS,
      'content-encoding': 'gzip',
    });
    expect(status).toBe(200);
    expect(result).toMatchObject({ accepted: 3, rejected: [], quality_violations: 1 });
    const rows = await stored(model);
    expect(rows.map((r) => r.id)).toEqual(['c1', 'c2', 'c3']);
    expect(rows[0]).toMatchObject({
      timestamp: '2026-01-05T10:00:00.000Z',
      version: 'v1',
      features: { amount: 12.5, country: 'DE', is_new: true },
      prediction: 1,
      score: 0.9,
      label: null,
      segments: { region: 'eu' },
      quality_violations: [],
    });
    expect(rows[1]).toMatchObject({ label: 0, version: 'v1', segments: {} });
    expect(rows[2]).toMatchObject({ score: null, quality_violations: ['missing_feature:amount'] });
    // Re-sending stores nothing twice.
    expect((await post(model, JSON.stringify(body), { 'content-type': COLUMNS })).body.accepted).toBe(3);
    expect(await stored(model)).toHaveLength(3);
  });

  it('answers structural problems with a 400 naming the field and both lengths', async () => {
    const model = await createModel('binary_classification', true);
    const wrong = await post(model, JSON.stringify({ length: 2, prediction: [1], features: {} }), {
      'content-type': COLUMNS,
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toMatch(/Column "prediction" has 1 values, but "length" is 2/);
    const array = await post(model, '[{"prediction": 1}]', { 'content-type': COLUMNS });
    expect(array.status).toBe(400);
    const empty = await post(model, JSON.stringify({ length: 0 }), { 'content-type': COLUMNS });
    expect(empty).toEqual({
      status: 200,
      body: { accepted: 0, rejected: [], quality_violations: 0, violations_by_kind: {} },
    });
    expect(await stored(model)).toEqual([]);
  });

  it('documents the columnar body in OpenAPI', async () => {
    const spec = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody?: unknown } }>;
      components: { schemas: Record<string, { properties?: Record<string, unknown>; required?: string[] }> };
    };
    const body = JSON.stringify(spec.paths['/api/v1/models/{model}/predictions']?.post?.requestBody);
    expect(body).toContain('PredictionColumns');
    expect(body).toContain('PredictionRecord');
    const columns = spec.components.schemas.PredictionColumns;
    expect(Object.keys(columns?.properties ?? {})).toEqual([
      'length',
      'id',
      'timestamp',
      'version',
      'prediction',
      'score',
      'scores',
      'label',
      'features',
      'segments',
    ]);
    expect(columns?.required).toEqual(['length', 'prediction']);
  });

  it('stores, rejects and flags random records exactly as NDJSON does', async () => {
    const T0 = Date.UTC(2026, 0, 5);
    const anyValue = fc.oneof(
      fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
      fc.integer({ min: -3, max: 3 }),
      fc.constantFrom('DE', 'FR', 'XX', '1.5', 'yes', 'false', '', ' nan '),
      fc.boolean(),
      fc.constant([1]),
      fc.constant({ a: 1 }),
    );
    const subset = (names: string[], value: fc.Arbitrary<unknown>) =>
      fc
        .record(Object.fromEntries(names.map((n) => [n, value])), { requiredKeys: [] })
        .map((o) => Object.fromEntries(names.filter((n) => n in o).map((n) => [n, o[n]])));
    const record = fc.record(
      {
        id: fc.oneof(
          fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7', 'r8'),
          fc.integer({ min: 0, max: 9 }),
          fc.constant({ bad: true }),
        ),
        timestamp: fc.oneof(
          fc.integer({ min: 0, max: 86_400_000 }).map((ms) => T0 + ms),
          fc.constantFrom('2026-01-05T10:00:00Z', 'someday', '2026-01-06'),
        ),
        version: fc.constantFrom('v1', 'v2', 3),
        prediction: fc.oneof(fc.constantFrom(0, 1, 'yes', '2.5', true, ''), fc.constant({ p: 1 })),
        score: fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constantFrom('0.5', 'high')),
        // An empty scores object has no columnar twin (`scores: {}` is stored as such, absent scores as null).
        scores: subset(
          ['a', 'b'],
          fc.oneof(fc.double({ min: 0, max: 1, noNaN: true }), fc.constant('x')),
        ).filter((scores) => Object.keys(scores).length > 0),
        label: fc.constantFrom(0, 1, 'no', false, 7.5),
        features: subset(['amount', 'country', 'is_new', 'extra', 'when'], anyValue),
        segments: subset(
          ['region', 'shop'],
          fc.oneof(fc.constantFrom('eu', 'us', 4, true), fc.constant([2])),
        ),
      },
      { requiredKeys: ['id', 'timestamp'] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.array(record, { minLength: 1, maxLength: 12 }),
        fc.boolean(),
        fc.constantFrom('binary_classification', 'regression'),
        async (records, withSchema, task) => {
          const byRow = await createModel(task, withSchema);
          const byCol = await createModel(task, withSchema);
          const rowResult = await post(byRow, ndjson(records), { 'content-type': 'application/x-ndjson' });
          const colResult = await post(byCol, byColumn(records, NAMES), { 'content-type': COLUMNS });
          expect(colResult).toEqual(rowResult);
          expect(await stored(byCol)).toEqual(await stored(byRow));
        },
      ),
      { numRuns: 30 },
    );
  });
});

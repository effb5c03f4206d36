import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { postBody } from './ingest.test-support.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ maxColumnsPerModel: 3 });
});
afterAll(async () => {
  await server.close();
});

it('keeps values beyond the column limit raw and flags them, by record and by column', async () => {
  await server.api('/api/v1/models', { json: { name: 'wide', task: 'regression' } });
  const records = [
    { id: 'r1', features: { a: 1, b: 2, c: 3, d: 4 }, prediction: 1, segments: { s: 'x' } },
    { id: 'r2', features: { a: 5, e: 'five' }, prediction: 2 },
  ];
  const ndjson = await postBody(
    server,
    '/api/v1/models/wide/predictions',
    records.map((r) => JSON.stringify(r)).join('\n'),
    { 'content-type': 'application/x-ndjson' },
  );
  expect(ndjson.body).toMatchObject({ accepted: 2, rejected: [], quality_violations: 2 });
  const columnar = await postBody(
    server,
    '/api/v1/models/wide/predictions',
    JSON.stringify({ length: 1, id: ['r3'], prediction: [3], features: { a: [7], f: [8] } }),
    { 'content-type': 'application/vnd.vigil.columns+json' },
  );
  expect(columnar.body).toMatchObject({ accepted: 1, rejected: [], quality_violations: 1 });

  const read = async (id: string) =>
    (await (await server.api(`/api/v1/models/wide/predictions/${id}`)).json()) as Record<string, unknown>;
  expect(await read('r1')).toMatchObject({
    features: { a: 1, b: 2, c: 3, d: 4 },
    quality_violations: ['column_limit:d', 'column_limit:segments.s'],
  });
  expect(await read('r2')).toMatchObject({
    features: { a: 5, e: 'five' },
    quality_violations: ['column_limit:e'],
  });
  expect(await read('r3')).toMatchObject({
    features: { a: 7, f: 8 },
    quality_violations: ['column_limit:f'],
  });
});

it('holds the column limit for declared and inferred schemas too, with a 400 naming limit and count', async () => {
  const features = (n: number) => Array.from({ length: n }, (_, i) => ({ name: `f${i}`, type: 'numeric' }));
  const create = await server.api('/api/v1/models', {
    json: { name: 'too-wide', task: 'regression', schema: { features: features(3), segments: ['zone'] } },
  });
  expect(create.status).toBe(400);
  expect(await create.json()).toMatchObject({
    error: 'too_many_columns',
    message: expect.stringMatching(/needs 4 columns.*limit is 3 .*VIGIL_MAX_COLUMNS_PER_MODEL/),
  });
  expect((await server.api('/api/v1/models/too-wide')).status).toBe(404);

  await server.api('/api/v1/models', {
    json: { name: 'narrow', task: 'regression', schema: { features: features(2) } },
  });
  const patch = await server.api('/api/v1/models/narrow', {
    method: 'PATCH',
    json: { schema: { features: [{ name: 'f0', type: 'categorical' }, ...features(2).slice(1)] } },
  });
  expect(patch.status).toBe(200);
  // f0 retyped took the third column; retyping f1 would take a fourth.
  const over = await server.api('/api/v1/models/narrow', {
    method: 'PATCH',
    json: {
      schema: {
        features: [
          { name: 'f0', type: 'categorical' },
          { name: 'f1', type: 'boolean' },
        ],
      },
    },
  });
  expect(over.status).toBe(400);
  expect(((await over.json()) as { message: string }).message).toMatch(
    /has 3 columns and this schema adds 1.*4 in all; the limit is 3/,
  );

  await server.api('/api/v1/models', { json: { name: 'inferred', task: 'regression' } });
  const upload = await server.api('/api/v1/models/inferred/reference', {
    json: [{ a: 1, b: 2, c: 3, d: 4, prediction: 1 }],
  });
  expect(upload.status).toBe(400);
  expect(((await upload.json()) as { message: string }).message).toMatch(/needs 4 columns.*limit is 3/);
  const model = (await (await server.api('/api/v1/models/inferred')).json()) as { schema: unknown };
  expect(model.schema).toBeNull();
  expect(
    ((await (await server.api('/api/v1/models/inferred/reference')).json()) as { data: unknown[] }).data,
  ).toEqual([]);
});

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

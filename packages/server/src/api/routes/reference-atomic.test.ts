/**
 * A reference upload happens entirely or not at all: the inferred schema, new columns,
 * the dataset, a replacement and the rows.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { postBody } from './ingest.test-support.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** A Parquet file written by DuckDB from `select`. */
async function parquet(name: string, select: string): Promise<Buffer> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const file = join(server.dataDir, `${name}.parquet`);
  await connection.run(`COPY (${select}) TO '${file}' (FORMAT parquet)`);
  connection.closeSync();
  instance.closeSync();
  return readFileSync(file);
}

const PARQUET = { 'content-type': 'application/vnd.apache.parquet' };
const JSON_BODY = { 'content-type': 'application/json' };

async function model(name: string) {
  return (await (await server.api(`/api/v1/models/${name}`)).json()) as { schema: unknown };
}

async function datasets(name: string) {
  return ((await (await server.api(`/api/v1/models/${name}/reference`)).json()) as { data: unknown[] }).data;
}

describe('reference uploads are all-or-nothing', () => {
  it('keeps the rows a failed replace=true upload would have replaced', async () => {
    await server.api('/api/v1/models', { json: { name: 'keep', task: 'regression' } });
    const rows = Array.from({ length: 10 }, (_, i) => ({ x: i, prediction: i }));
    const first = await postBody(server, '/api/v1/models/keep/reference', JSON.stringify(rows), JSON_BODY);
    expect(first.body).toMatchObject({ accepted: 10 });
    // A struct of int64 values cannot be stored.
    const bad = await parquet(
      'keep',
      "SELECT i::DOUBLE AS x, i::DOUBLE AS prediction, {'a': i::BIGINT} AS nested FROM range(5) t(i)",
    );
    const replaced = await postBody(server, '/api/v1/models/keep/reference?replace=true', bad, PARQUET);
    expect(replaced.status).toBe(400);
    expect(replaced.body.message).toContain('"nested"');
    expect(await datasets('keep')).toEqual([expect.objectContaining({ name: 'default', rows: 10 })]);
  });

  it('stores nothing of a large upload whose last row fails', async () => {
    await server.api('/api/v1/models', { json: { name: 'large', task: 'regression' } });
    // More rows than DuckDB's appender flushes on its own (204,800).
    const body = await parquet(
      'large',
      `SELECT i::DOUBLE AS x, i::DOUBLE AS prediction,
              CASE WHEN i = 209999 THEN {'a': i::BIGINT} END AS nested FROM range(210000) t(i)`,
    );
    const response = await postBody(server, '/api/v1/models/large/reference', body, PARQUET);
    expect(response.status).toBe(400);
    expect(await datasets('large')).toEqual([]);
    expect((await model('large')).schema).toBeNull();
  }, 30_000);

  it('does not save an inferred schema when the version is unknown', async () => {
    await server.api('/api/v1/models', { json: { name: 'noversion', task: 'regression' } });
    const rows = JSON.stringify([{ x: 1, prediction: 1 }]);
    const response = await postBody(server, '/api/v1/models/noversion/reference?version=v9', rows, JSON_BODY);
    expect(response.status).toBe(400);
    expect(response.body.message).toContain('no version "v9"');
    expect((await model('noversion')).schema).toBeNull();
    expect(await datasets('noversion')).toEqual([]);
    // The same upload without the version then infers the schema as usual.
    const ok = await postBody(server, '/api/v1/models/noversion/reference', rows, JSON_BODY);
    expect(ok.body).toMatchObject({ accepted: 1, schema_inferred: true });
    expect((await model('noversion')).schema).toMatchObject({ features: [{ name: 'x', type: 'numeric' }] });
  });

  it('leaves no empty dataset behind a Parquet struct column', async () => {
    await server.api('/api/v1/models', { json: { name: 'structs', task: 'regression' } });
    const body = await parquet(
      'structs',
      "SELECT i::DOUBLE AS prediction, {'a': i::BIGINT, 'b': 'x'} AS point FROM range(3) t(i)",
    );
    const response = await postBody(server, '/api/v1/models/structs/reference', body, PARQUET);
    expect(response.status).toBe(400);
    expect(response.body.message).toMatch(
      /Parquet column "point" \(struct<a: INT64, b: STRING>\) holds nested values/,
    );
    expect(await datasets('structs')).toEqual([]);
    expect((await model('structs')).schema).toBeNull();
  });
});

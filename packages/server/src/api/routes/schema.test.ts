/**
 * Schemas: names are unique, wide schemas are applied in one piece and quickly, and one
 * model's schema change does not hold up other models' ingestion.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DuckDbStore } from '../../storage/duckdb/store.js';
import { startTestServer, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

const features = (n: number, type = 'numeric', prefix = 'f') =>
  Array.from({ length: n }, (_, i) => ({ name: `${prefix}${i}`, type }));

async function error(response: Response) {
  return { status: response.status, body: (await response.json()) as { error: string; message: string } };
}

describe('schema names', () => {
  it('refuses repeated feature names, repeated segments and segments named like features', async () => {
    const repeated = {
      features: [...features(3), { name: 'f1', type: 'categorical' }, { name: 'f2', type: 'numeric' }],
    };
    const create = await error(
      await server.api('/api/v1/models', { json: { name: 'dupes', task: 'regression', schema: repeated } }),
    );
    expect(create.status).toBe(400);
    expect(create.body.message).toContain('Feature names must be unique; repeated: "f1", "f2"');
    expect((await server.api('/api/v1/models/dupes')).status).toBe(404);

    await server.api('/api/v1/models', { json: { name: 'dupes', task: 'regression' } });
    const patch = (schema: unknown) =>
      server.api('/api/v1/models/dupes', { method: 'PATCH', json: { schema } }).then(error);
    const many = await patch({
      features: Array.from({ length: 10_000 }, () => ({ name: 'x', type: 'numeric' })),
    });
    expect(many.status).toBe(400);
    expect(many.body.message).toContain('repeated: "x"');
    const segments = await patch({ features: features(2), segments: ['zone', 'zone'] });
    expect(segments.status).toBe(400);
    expect(segments.body.message).toContain('Segment names must be unique; repeated: "zone"');
    const both = await patch({ features: features(2), segments: ['f0'] });
    expect(both.status).toBe(400);
    expect(both.body.message).toContain('both a feature and a segment: "f0"');
    expect(
      ((await (await server.api('/api/v1/models/dupes')).json()) as { schema: unknown }).schema,
    ).toBeNull();
  });
});

describe('wide schemas', () => {
  it("applies 2,000 features at once and keeps other models' ingestion going meanwhile", async () => {
    await server.api('/api/v1/models', {
      json: { name: 'busy', task: 'regression', schema: { features: features(1) } },
    });
    // Rows to carry over into the wider tables.
    const rows = Array.from({ length: 500 }, (_, i) => ({ id: `a${i}`, features: { f0: i }, prediction: i }));
    expect((await server.api('/api/v1/models/busy/predictions', { json: rows })).status).toBe(200);
    await server.api('/api/v1/models', { json: { name: 'other', task: 'regression' } });
    const ingestOther = (i: number) =>
      server.api('/api/v1/models/other/predictions', {
        json: [{ id: `b${i}`, features: { y: i }, prediction: i }],
      });
    expect((await ingestOther(-1)).status).toBe(200);

    // The schema change is held between building the wider tables and swapping them in,
    // so the ingestions below run while it is under way however fast the machine is.
    const store = server.store as DuckDbStore;
    let reached!: () => void;
    const swapReached = new Promise<void>((resolve) => {
      reached = resolve;
    });
    let release!: () => void;
    const swapReleased = new Promise<void>((resolve) => {
      release = resolve;
    });
    store.beforeTableSwap = async () => {
      reached();
      await swapReleased;
    };
    let answered = false;
    const patch = server
      .api('/api/v1/models/busy', { method: 'PATCH', json: { schema: { features: features(2000) } } })
      .then((response) => {
        answered = true;
        return response;
      });
    await swapReached;
    for (let i = 0; i < 5; i++) expect((await ingestOther(i)).status).toBe(200);
    expect(answered).toBe(false);
    release();
    expect((await patch).status).toBe(200);
    store.beforeTableSwap = async () => {};

    // The schema and its columns arrived together: a record with every feature reads back whole.
    const record = Object.fromEntries(features(2000).map((f, i) => [f.name, i]));
    const ingest = await server.api('/api/v1/models/busy/predictions', {
      json: [{ id: 'wide', features: record, prediction: 1 }],
    });
    expect(await ingest.json()).toMatchObject({ accepted: 1, quality_violations: 0 });
    const read = (await (await server.api('/api/v1/models/busy/predictions/wide')).json()) as {
      features: Record<string, number>;
    };
    expect(read.features).toEqual(record);
    const old = (await (await server.api('/api/v1/models/busy/predictions/a7')).json()) as {
      features: Record<string, number>;
    };
    expect(old.features).toEqual({ f0: 7 });
  }, 60_000);
});

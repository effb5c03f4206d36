/**
 * Reference data as a new user meets it: naming or recognising the output columns, saying what
 * inference made of them, retrying an upload safely, bad CSV rows, reading rows back; and model
 * deletion.
 */
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

const CSV = { 'content-type': 'text/csv' };

function post(path: string, body: string, headers: Record<string, string> = CSV) {
  return postBody(server, path, body, headers);
}

async function createModel(name: string, extra: Record<string, unknown> = {}) {
  const response = await server.api('/api/v1/models', {
    json: { name, task: 'binary_classification', ...extra },
  });
  expect(response.status).toBe(201);
}

async function datasetRows(model: string): Promise<number> {
  const response = await server.api(`/api/v1/models/${model}/reference`);
  const { data } = (await response.json()) as { data: { rows: number }[] };
  return data[0]?.rows ?? 0;
}

const TRAIN = 'amount,country,y_pred,y_pred_proba,clf_target\n12.5,FR,1,0.9,1\n3,DE,0,0.2,0\n7,US,1,0.7,0\n';

describe('reference uploads', () => {
  it('refuses an unknown query parameter, naming it and the column option it resembles, and stores nothing', async () => {
    await createModel('misspelt');
    const { status, body } = await post(
      '/api/v1/models/misspelt/reference?label=clf_target&colour=red',
      TRAIN,
    );
    expect(status).toBe(400);
    const message = (body as { message: string }).message;
    expect(message).toContain('"label" (did you mean "label_column"?)');
    expect(message).toContain('"colour"');
    expect(await datasetRows('misspelt')).toBe(0);
    const model = (await (await server.api('/api/v1/models/misspelt')).json()) as { schema: unknown };
    expect(model.schema).toBeNull();
  });

  it('reads the prediction, score and label columns the upload names, and says what inference made of each column', async () => {
    await createModel('named');
    const { status, body } = await post('/api/v1/models/named/reference?label_column=clf_target', TRAIN);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      accepted: 3,
      schema_inferred: true,
      inferred: {
        features: ['amount', 'country'],
        prediction: 'y_pred',
        score: 'y_pred_proba',
        label: 'clf_target',
        id: null,
        timestamp: null,
      },
      replayed: false,
    });
    const model = (await (await server.api('/api/v1/models/named')).json()) as {
      schema: Record<string, unknown> & { features: { name: string }[] };
    };
    expect(model.schema.features.map((f) => f.name)).toEqual(['amount', 'country']);
    expect(model.schema).toMatchObject({
      prediction_field: 'y_pred',
      score_field: 'y_pred_proba',
      label_field: 'clf_target',
      classes: ['0', '1'],
    });
    const rows = (await (await server.api('/api/v1/models/named/reference/default/rows')).json()) as {
      data: Record<string, unknown>[];
    };
    expect(rows.data[0]).toMatchObject({
      features: { amount: 12.5, country: 'FR' },
      prediction: 1,
      score: 0.9,
      label: 1,
    });
  });

  it('creates the default monitors over predictions stored at the epoch and today', async () => {
    await createModel('epoch');
    const records = ['1970-01-01T00:00:00Z', '2026-01-05T10:00:00Z'].map((timestamp, i) => ({
      id: `p${i}`,
      timestamp,
      features: { amount: 3 + i, country: 'FR' },
      prediction: i,
      score: 0.5,
    }));
    const logged = await post('/api/v1/models/epoch/predictions', JSON.stringify(records), {
      'content-type': 'application/json',
    });
    expect(logged).toMatchObject({ status: 200, body: { accepted: 2 } });
    // Their windows are queued for evaluation in one statement, from 1970 to 2026.
    const { status } = await post('/api/v1/models/epoch/reference?label_column=clf_target', TRAIN);
    expect(status).toBe(200);
    const monitors = (await (await server.api('/api/v1/models/epoch/monitors')).json()) as {
      data: unknown[];
    };
    expect(monitors.data.length).toBeGreaterThan(0);
  });

  it('recognises the names NannyML and Evidently users give outputs when the model has no schema', async () => {
    await createModel('common');
    const csv = 'identifier,timestamp,x,prediction,probability,target\na,2026-01-05T10:00:00Z,1,1,0.8,1\n';
    const { body } = await post('/api/v1/models/common/reference', csv);
    expect(body.inferred).toEqual({
      features: ['x'],
      segments: [],
      id: 'identifier',
      timestamp: 'timestamp',
      prediction: 'prediction',
      score: 'probability',
      label: 'target',
    });
  });

  it('counts violations by kind, so that a zero-feature schema explains itself', async () => {
    await createModel('no-features', { schema: { features: [] } });
    const { body } = await post('/api/v1/models/no-features/reference', TRAIN, CSV);
    expect(body).toMatchObject({
      accepted: 3,
      quality_violations: 3,
      violations_by_kind: { unknown_feature: 3 },
    });
    const logged = await post(
      '/api/v1/models/no-features/predictions',
      JSON.stringify([{ features: { a: 1, b: 2 }, prediction: 1 }]),
      { 'content-type': 'application/json' },
    );
    expect(logged.body).toMatchObject({ quality_violations: 1, violations_by_kind: { unknown_feature: 1 } });
  });

  it('stores a re-sent upload once and answers it as the first time', async () => {
    await createModel('retry');
    const first = await post('/api/v1/models/retry/reference?dataset=train', TRAIN);
    const again = await post('/api/v1/models/retry/reference?dataset=train', TRAIN);
    expect(first.body).toMatchObject({ accepted: 3, replayed: false });
    expect(again.body).toMatchObject({ accepted: 3, rejected: [], replayed: true });
    const [both] = await Promise.all([
      post('/api/v1/models/retry/reference?dataset=other', TRAIN),
      post('/api/v1/models/retry/reference?dataset=other', TRAIN),
    ]);
    expect(both.status).toBe(200);
    const list = (await (await server.api('/api/v1/models/retry/reference')).json()) as {
      data: { name: string; rows: number }[];
    };
    expect(list.data.map((d) => [d.name, d.rows])).toEqual([
      ['train', 3],
      ['other', 3],
    ]);
    // A new Idempotency-Key is a new upload, even of the same bytes.
    const keyed = await post('/api/v1/models/retry/reference?dataset=train', TRAIN, {
      ...CSV,
      'idempotency-key': 'copy-2',
    });
    expect(keyed.body).toMatchObject({ accepted: 3, replayed: false });
    const keyedAgain = await post('/api/v1/models/retry/reference?dataset=train', TRAIN, {
      ...CSV,
      'idempotency-key': 'copy-2',
    });
    expect(keyedAgain.body).toMatchObject({ replayed: true });
    expect(list.data).toHaveLength(2);
    const rows = (await (await server.api('/api/v1/models/retry/reference')).json()) as {
      data: { rows: number }[];
    };
    expect(rows.data[0]?.rows).toBe(6);
  });

  it('rejects a CSV row with a wrong field count, with its line number, and stores the others', async () => {
    await createModel('ragged');
    const csv = 'x,prediction,label\n1,1,0\n2,1\n"multi\nline",0,1\n4,1,0,9\n5,0,0\n';
    const { status, body } = await post('/api/v1/models/ragged/reference', csv);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      accepted: 3,
      rejected: [
        { index: 1, id: null, error: 'line 3: 2 fields where the header has 3' },
        { index: 3, id: null, error: 'line 6: 4 fields where the header has 3' },
      ],
    });
    expect(await datasetRows('ragged')).toBe(3);
  });

  it('reads reference rows back a page at a time, in the order they were stored', async () => {
    await createModel('paged');
    const csv = `id,x,prediction\n${Array.from({ length: 5 }, (_, i) => `r${i},${i},1`).join('\n')}\n`;
    await post('/api/v1/models/paged/reference?dataset=train', csv);
    const ids: string[] = [];
    let cursor: string | null = null;
    let pages = 0;
    do {
      const query = new URLSearchParams({ limit: '2', ...(cursor ? { cursor } : {}) });
      const response = await server.api(`/api/v1/models/paged/reference/train/rows?${query}`);
      expect(response.status).toBe(200);
      const page = (await response.json()) as { data: { id: string }[]; next_cursor: string | null };
      ids.push(...page.data.map((r) => r.id));
      cursor = page.next_cursor;
      pages++;
    } while (cursor !== null);
    expect(ids).toEqual(['r0', 'r1', 'r2', 'r3', 'r4']);
    expect(pages).toBe(3);
    expect((await server.api('/api/v1/models/paged/reference/nope/rows')).status).toBe(404);
    const bad = await server.api('/api/v1/models/paged/reference/train/rows?cursor=WzFlNDAwXQ');
    expect(bad.status).toBe(400);
  });
});

describe('model deletion', () => {
  it('needs the admin scope and the name repeated, then removes the model and its data', async () => {
    await createModel('doomed');
    await post('/api/v1/models/doomed/reference', TRAIN);
    await post(
      '/api/v1/models/doomed/predictions',
      JSON.stringify([{ id: 'p1', features: { x: 1 }, prediction: 1 }]),
      {
        'content-type': 'application/json',
      },
    );
    await post('/api/v1/models/doomed/labels', JSON.stringify([{ id: 'p1', label: 1 }]), {
      'content-type': 'application/json',
    });
    const keyResponse = await server.api('/api/v1/keys', { json: { name: 'writer', scope: 'write' } });
    const writeKey = ((await keyResponse.json()) as { key: string }).key;

    const unconfirmed = await server.api('/api/v1/models/doomed', { method: 'DELETE' });
    expect(unconfirmed.status).toBe(400);
    expect(((await unconfirmed.json()) as { message: string }).message).toContain('?confirm=doomed');
    expect((await server.api('/api/v1/models/doomed?confirm=other', { method: 'DELETE' })).status).toBe(400);
    expect(
      (await server.api('/api/v1/models/doomed?confirm=doomed', { method: 'DELETE', key: writeKey })).status,
    ).toBe(403);
    expect((await server.api('/api/v1/models/doomed')).status).toBe(200);

    const deleted = await server.api('/api/v1/models/doomed?confirm=doomed', { method: 'DELETE' });
    expect(deleted.status).toBe(200);
    expect(await deleted.json()).toEqual({ deleted: 'doomed' });
    expect((await server.api('/api/v1/models/doomed')).status).toBe(404);
    expect((await server.api('/api/v1/models/doomed/predictions/p1')).status).toBe(404);

    // The name is free again, for a model that starts empty.
    await createModel('doomed');
    const page = (await (await server.api('/api/v1/models/doomed/predictions')).json()) as {
      data: unknown[];
    };
    expect(page.data).toEqual([]);
    expect(await datasetRows('doomed')).toBe(0);
  });
});

import { gzipSync } from 'node:zlib';
import {
  Binary,
  Bool,
  Dictionary,
  Field,
  Float64,
  Int32,
  List,
  makeData,
  makeVector,
  RecordBatch,
  Schema,
  Struct,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';
import { FRAUD_SCHEMA, postBody } from './ingest.test-support.js';

const ARROW = 'application/vnd.apache.arrow.stream';
const COLUMNS = 'application/vnd.vigil.columns+json';
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ maxBodyBytes: 1024 * 1024 });
});
afterAll(async () => {
  await server.close();
});

let models = 0;
async function createModel(task = 'binary_classification', withSchema = true): Promise<string> {
  const name = `arrow-${++models}`;
  const response = await server.api('/api/v1/models', {
    json: { name, task, ...(withSchema ? { schema: FRAUD_SCHEMA } : {}) },
  });
  expect(response.status).toBe(201);
  return name;
}

function post(model: string, body: string | Buffer, headers: Record<string, string>, kind = 'predictions') {
  return postBody(server, `/api/v1/models/${model}/${kind}`, body, headers);
}

async function stored(model: string): Promise<Record<string, unknown>[]> {
  const response = await server.api(`/api/v1/models/${model}/predictions?from=0&limit=1000`);
  return ((await response.json()) as { data: Record<string, unknown>[] }).data;
}

function arrow(columns: Record<string, Vector>): Buffer {
  return Buffer.from(tableToIPC(new Table(columns), 'stream'));
}

const T0 = Date.UTC(2026, 0, 5);

describe('logging predictions as Arrow IPC', () => {
  it('stores rows as the columnar JSON body does, accepts gzip, and stores re-sent ids once', async () => {
    const viaArrow = await createModel();
    const viaJson = await createModel();
    const body = arrow({
      id: vectorFromArray(['a1', 'a2', 'a3'], new Utf8()),
      timestamp: vectorFromArray(
        [new Date(T0), new Date(T0 + 60_000), new Date(T0 + 120_000)],
        new TimestampMillisecond(),
      ),
      prediction: vectorFromArray([1, 0, 1], new Float64()),
      score: vectorFromArray([0.9, 0.2, null], new Float64()),
      label: vectorFromArray([null, 0, null], new Float64()),
      amount: vectorFromArray([12.5, 3, null], new Float64()),
      country: vectorFromArray(['DE', 'FR', 'XX'], new Dictionary(new Utf8(), new Int32())),
      'features.is_new': vectorFromArray([true, false, null], new Bool()),
      'segments.region': vectorFromArray(['eu', null, 'us'], new Utf8()),
    });
    const json = JSON.stringify({
      length: 3,
      id: ['a1', 'a2', 'a3'],
      timestamp: [T0, T0 + 60_000, T0 + 120_000],
      prediction: [1, 0, 1],
      score: [0.9, 0.2, null],
      label: [null, 0, null],
      features: { amount: [12.5, 3, null], country: ['DE', 'FR', 'XX'], is_new: [true, false, null] },
      segments: { region: ['eu', null, 'us'] },
    });
    const answer = await post(viaArrow, gzipSync(body), {
      'content-type': ARROW,
      'content-encoding': 'gzip',
    });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual((await post(viaJson, json, { 'content-type': COLUMNS })).body);
    expect(answer.body).toMatchObject({ accepted: 3, rejected: [] });
    expect(await stored(viaArrow)).toEqual(await stored(viaJson));
    const rows = await stored(viaArrow);
    expect(rows[0]).toMatchObject({
      id: 'a1',
      timestamp: '2026-01-05T00:00:00.000Z',
      features: { amount: 12.5, country: 'DE', is_new: true },
      segments: { region: 'eu' },
    });
    expect(rows[2]?.quality_violations).toEqual([
      'unseen_category:country',
      'missing_feature:amount',
      'missing_feature:is_new',
    ]);
    expect((await post(viaArrow, body, { 'content-type': ARROW })).body.accepted).toBe(3);
    expect(await stored(viaArrow)).toHaveLength(3);
  });

  it('rejects bad rows with their index, id and reason, and flags values of the wrong type', async () => {
    const model = await createModel();
    const body = arrow({
      id: vectorFromArray(['b1', 'b2', 'b3'], new Utf8()),
      timestamp: vectorFromArray(['2026-01-05T10:00:00Z', 'someday', '2026-01-05T10:02:00Z'], new Utf8()),
      prediction: vectorFromArray([1, 1, null], new Float64()),
      // A string column for a numeric feature: stored raw with a violation, as JSON strings are.
      amount: vectorFromArray(['12.5', 'lots', null], new Utf8()),
    });
    const { status, body: result } = await post(model, body, { 'content-type': ARROW });
    expect(status).toBe(200);
    expect(result.accepted).toBe(1);
    expect(result.rejected).toEqual([
      { index: 1, id: 'b2', error: expect.stringMatching(/^timestamp: /) },
      { index: 2, id: 'b3', error: 'prediction: required' },
    ]);
    const [row] = await stored(model);
    expect(row).toMatchObject({ id: 'b1', features: { amount: 12.5 } });
  });

  it('reads a dictionary with repeated, null and unused entries as the strings its indices name', async () => {
    const viaArrow = await createModel();
    const viaJson = await createModel();
    // Entries: "FR" twice, a null entry, "US" never used; rows point at each, one row is null.
    const words = vectorFromArray(['FR', 'DE', 'FR', null, 'US', 'XX'], new Utf8());
    const indices = Int32Array.from([0, 1, 2, 3, 0, 5, 0]);
    const valid = Uint8Array.of(0b1101_1111);
    const country = makeVector(
      makeData({
        type: new Dictionary(new Utf8(), new Int32()),
        length: 7,
        nullCount: 1,
        nullBitmap: valid,
        data: indices,
        dictionary: words,
      }),
    );
    const ids = ['d1', 'd2', 'd3', 'd4', 'd5', 'd6', 'd7'];
    const body = arrow({
      id: vectorFromArray(ids, new Utf8()),
      timestamp: vectorFromArray(
        ids.map((_, i) => T0 + i),
        new Float64(),
      ),
      prediction: vectorFromArray([1, 0, 1, 0, 1, 0, 1], new Float64()),
      country,
      'segments.region': vectorFromArray(
        ['eu', 'eu', null, 'us', 'eu', 'us', 'eu'],
        new Dictionary(new Utf8(), new Int32()),
      ),
    });
    const json = JSON.stringify({
      length: 7,
      id: ids,
      timestamp: ids.map((_, i) => T0 + i),
      prediction: [1, 0, 1, 0, 1, 0, 1],
      features: { country: ['FR', 'DE', 'FR', null, 'FR', null, 'FR'] },
      segments: { region: ['eu', 'eu', null, 'us', 'eu', 'us', 'eu'] },
    });
    const answer = await post(viaArrow, body, { 'content-type': ARROW });
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual((await post(viaJson, json, { 'content-type': COLUMNS })).body);
    const rows = await stored(viaArrow);
    expect(rows).toEqual(await stored(viaJson));
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(ids.map((id) => (byId.get(id)!.features as Record<string, unknown>).country ?? null)).toEqual([
      'FR',
      'DE',
      'FR',
      null,
      'FR',
      null,
      'FR',
    ]);
    expect(byId.get('d4')?.quality_violations).toEqual(expect.arrayContaining(['missing_feature:country']));
  });

  it('stores every format identically: JSON records, NDJSON, columnar JSON and Arrow (property)', async () => {
    const seed = 20261202;
    console.log(`fast-check seed for the format property: ${seed}`);
    // `dict`: strings as an Arrow dictionary column, which the checks read as entries and indices.
    type Kind = 'float' | 'utf8' | 'bool' | 'dict';
    const valuesOf: Record<Kind, fc.Arbitrary<unknown>> = {
      float: fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e6, max: 1e6 }),
        fc.integer({ min: -3, max: 3 }),
      ),
      utf8: fc.constantFrom('DE', 'FR', 'XX', '1.5', 'yes', 'false', '', ' nan '),
      bool: fc.boolean(),
      dict: fc.constantFrom('DE', 'FR', 'XX', '1.5', 'yes', 'false', '', ' nan ', 'a\u0000b'),
    };
    const arrowType = {
      float: () => new Float64(),
      utf8: () => new Utf8(),
      bool: () => new Bool(),
      dict: () => new Dictionary(new Utf8(), new Int32()),
    };
    const FEATURES = ['amount', 'country', 'is_new', 'extra'];
    const kinds = fc.record({
      prediction: fc.constantFrom<Kind>('float', 'utf8', 'bool', 'dict'),
      label: fc.constantFrom<Kind>('float', 'utf8', 'bool', 'dict'),
      score: fc.constantFrom<Kind>('float', 'utf8'),
      timestamp: fc.constantFrom('ms', 'iso', 'arrow'),
      features: fc.tuple(...FEATURES.map(() => fc.constantFrom<Kind>('float', 'utf8', 'bool', 'dict'))),
      region: fc.constantFrom<Kind>('utf8', 'float', 'dict'),
    });
    const batch = kinds.chain((k) =>
      fc
        .array(
          fc.record({
            id: fc.constantFrom('r1', 'r2', 'r3', 'r4', 'r5', 'r6'),
            ms: fc.integer({ min: 0, max: 86_400_000 }),
            badTime: fc.boolean(),
            prediction: fc.option(valuesOf[k.prediction], { freq: 6 }),
            score: fc.option(
              k.score === 'float' ? fc.double({ min: 0, max: 1.5, noNaN: true }) : valuesOf.utf8,
            ),
            scoreA: fc.option(fc.double({ min: 0, max: 1, noNaN: true })),
            label: fc.option(valuesOf[k.label]),
            version: fc.option(fc.constantFrom('v1', 'v2')),
            features: fc.tuple(...k.features.map((kind) => fc.option(valuesOf[kind]))),
            region: fc.option(valuesOf[k.region]),
          }),
          { minLength: 1, maxLength: 10 },
        )
        .map((rows) => ({ kinds: k, rows })),
    );
    await fc.assert(
      fc.asyncProperty(
        batch,
        fc.constantFrom('binary_classification', 'regression'),
        fc.boolean(),
        async ({ kinds: k, rows }, task, withSchema) => {
          const timestamp = (r: (typeof rows)[number]) =>
            r.badTime ? 'someday' : k.timestamp === 'iso' ? new Date(T0 + r.ms).toISOString() : T0 + r.ms;
          const records = rows.map((r) => {
            const features: Record<string, unknown> = {};
            FEATURES.forEach((name, i) => {
              if (r.features[i] !== null) features[name] = r.features[i];
            });
            return {
              id: r.id,
              timestamp: timestamp(r),
              version: r.version,
              prediction: r.prediction,
              score: r.score,
              ...(r.scoreA === null ? {} : { scores: { a: r.scoreA } }),
              label: r.label,
              features,
              segments: r.region === null ? {} : { region: r.region },
            };
          });
          const columnar = {
            length: rows.length,
            id: records.map((r) => r.id),
            timestamp: records.map((r) => r.timestamp),
            version: records.map((r) => r.version),
            prediction: records.map((r) => r.prediction),
            score: records.map((r) => r.score),
            label: records.map((r) => r.label),
            scores: { a: rows.map((r) => r.scoreA) },
            features: Object.fromEntries(FEATURES.map((name, i) => [name, rows.map((r) => r.features[i])])),
            segments: { region: rows.map((r) => r.region) },
          };
          // Arrow columns are typed: a numeric id goes as text, which is how the server keeps ids.
          const badTimes = rows.some((r) => r.badTime);
          const arrowTimestamp =
            k.timestamp === 'arrow' && !badTimes
              ? vectorFromArray(
                  rows.map((r) => new Date(T0 + r.ms)),
                  new TimestampMillisecond(),
                )
              : k.timestamp === 'ms' && !badTimes
                ? vectorFromArray(
                    rows.map((r) => T0 + r.ms),
                    new Float64(),
                  )
                : vectorFromArray(
                    rows.map((r) => String(timestamp(r))),
                    new Utf8(),
                  );
          const body = arrow({
            id: vectorFromArray(
              records.map((r) => String(r.id)),
              new Utf8(),
            ),
            timestamp: arrowTimestamp,
            version: vectorFromArray(
              rows.map((r) => r.version),
              new Utf8(),
            ),
            prediction: vectorFromArray(
              rows.map((r) => r.prediction),
              arrowType[k.prediction](),
            ),
            score: vectorFromArray(
              rows.map((r) => r.score),
              arrowType[k.score](),
            ),
            'scores.a': vectorFromArray(
              rows.map((r) => r.scoreA),
              new Float64(),
            ),
            label: vectorFromArray(
              rows.map((r) => r.label),
              arrowType[k.label](),
            ),
            ...Object.fromEntries(
              FEATURES.map((name, i) => [
                name,
                vectorFromArray(
                  rows.map((r) => r.features[i]),
                  arrowType[k.features[i]!](),
                ),
              ]),
            ),
            'segments.region': vectorFromArray(
              rows.map((r) => r.region),
              arrowType[k.region](),
            ),
          });
          const names = await Promise.all([1, 2, 3, 4].map(() => createModel(task, withSchema)));
          const answers = [
            await post(names[0]!, JSON.stringify(records), { 'content-type': 'application/json' }),
            await post(names[1]!, records.map((r) => JSON.stringify(r)).join('\n'), {
              'content-type': 'application/x-ndjson',
            }),
            await post(names[2]!, JSON.stringify(columnar), { 'content-type': COLUMNS }),
            await post(names[3]!, body, { 'content-type': ARROW }),
          ];
          for (const answer of answers) expect(answer.status).toBe(200);
          for (const answer of answers.slice(1)) expect(answer.body).toEqual(answers[0]!.body);
          const rowsStored = await Promise.all(names.map(stored));
          for (const other of rowsStored.slice(1)) expect(other).toEqual(rowsStored[0]);
        },
      ),
      { seed, numRuns: 15 },
    );
  });
});

describe('Arrow bodies that cannot be read', () => {
  const valid = () =>
    arrow({
      id: vectorFromArray(['x1', 'x2', 'x3', 'x4'], new Utf8()),
      prediction: vectorFromArray([1, 0, 1, 0], new Float64()),
      amount: vectorFromArray([1.5, 2.5, null, 4], new Float64()),
      country: vectorFromArray(['DE', 'FR', 'DE', null], new Dictionary(new Utf8(), new Int32())),
    });

  it('answers garbage, a JSON body sent as Arrow, and an empty schema with a 400', async () => {
    const model = await createModel();
    for (const body of [Buffer.from('not arrow at all, just text'), Buffer.from('[{"prediction": 1}]')]) {
      const answer = await post(model, body, { 'content-type': ARROW });
      expect(answer.status).toBe(400);
      expect(answer.body.message).toMatch(/not a usable Arrow IPC stream/);
    }
    const empty = await post(model, Buffer.from(tableToIPC(new Table({}), 'stream')), {
      'content-type': ARROW,
    });
    expect(empty.status).toBe(400);
  });

  it('answers a stream cut short anywhere with a 400 and stores nothing', async () => {
    const model = await createModel();
    const body = valid();
    for (let cut = 1; cut < body.length; cut += 29) {
      const answer = await post(model, body.subarray(0, cut), { 'content-type': ARROW });
      expect(answer.status, `cut at ${cut} of ${body.length}`).toBe(400);
      expect(answer.body.message).toMatch(/Arrow IPC stream/);
    }
    expect(await stored(model)).toEqual([]);
  });

  it('answers damaged bytes with a 200 or a clear 400, never a 500 (fixed seed)', async () => {
    const model = await createModel();
    const body = valid();
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat(body.length - 1), fc.integer({ min: 0, max: 255 })), {
          minLength: 1,
          maxLength: 4,
        }),
        async (flips) => {
          const damaged = Buffer.from(body);
          for (const [at, byte] of flips) damaged[at] = byte;
          const answer = await post(model, damaged, { 'content-type': ARROW });
          expect([200, 400]).toContain(answer.status);
        },
      ),
      { seed: 11, numRuns: 30 },
    );
  });

  it('refuses nested and binary columns by name before storing anything', async () => {
    const model = await createModel();
    const list = vectorFromArray([[1], [2]], new List(new Field('item', new Float64(), true)));
    const struct = vectorFromArray([{ a: 1 }, { a: 2 }], new Struct([new Field('a', new Float64(), true)]));
    const binary = vectorFromArray([new Uint8Array([1]), new Uint8Array([2])], new Binary());
    const answer = await post(
      model,
      arrow({
        prediction: vectorFromArray([1, 0], new Float64()),
        history: list,
        meta: struct,
        blob: binary,
      }),
      { 'content-type': ARROW },
    );
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(
      /"history" \(List<Float64>\), "meta" \(Struct<\{a:Float64\}>\), "blob" \(Binary\)/,
    );
    expect(await stored(model)).toEqual([]);
  });

  it('answers a stream whose messages claim more values than their buffers hold with a 400', async () => {
    const model = await createModel();
    // A batch that says 1,000 rows with buffers for 2.
    const prediction = makeData({
      type: new Float64(),
      length: 1000,
      nullCount: 0,
      data: new Float64Array([1, 0]),
    });
    const schema = new Schema([new Field('prediction', new Float64(), false)]);
    const batch = new RecordBatch(
      schema,
      makeData({ type: new Struct(schema.fields), length: 1000, nullCount: 0, children: [prediction] }),
    );
    const lying = Buffer.from(tableToIPC(new Table([batch]), 'stream'));
    const answer = await post(model, lying, { 'content-type': ARROW });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/column "prediction": .*fewer than 1000 values/);
    // Dictionary indices past the dictionary's end.
    const dictionary = vectorFromArray(['DE', 'FR'], new Utf8());
    const country = makeData({
      type: new Dictionary(new Utf8(), new Int32()),
      length: 2,
      nullCount: 0,
      data: new Int32Array([0, 7]),
      dictionary,
    });
    const outOfRange = arrow({
      prediction: vectorFromArray([1, 0], new Float64()),
      country: makeVector(country),
    });
    const second = await post(model, outOfRange, { 'content-type': ARROW });
    expect(second.status).toBe(400);
    expect(second.body.message).toMatch(/column "country": row 1 points at dictionary entry 7 of 2/);
    expect(await stored(model)).toEqual([]);
  });

  it('answers an oversized body with a 413 and too many rows with a 400', async () => {
    const model = await createModel();
    const n = 200_001;
    const big = arrow({ prediction: makeVector(new Float64Array(n)) });
    expect((await post(model, big, { 'content-type': ARROW })).status).toBe(413);
    const many = arrow({ prediction: makeVector(new Float64Array(n)) });
    const gz = gzipSync(many);
    expect(gz.length).toBeLessThan(1024 * 1024);
    // Decompressed past the body limit too: a 413.
    expect((await post(model, gz, { 'content-type': ARROW, 'content-encoding': 'gzip' })).status).toBe(413);
  });
});

describe('labels and reference data as Arrow', () => {
  it('joins labels sent as Arrow to their predictions', async () => {
    const model = await createModel();
    await post(
      model,
      JSON.stringify([
        { id: 'l1', prediction: 1 },
        { id: 'l2', prediction: 0 },
      ]),
      {
        'content-type': 'application/json',
      },
    );
    const labels = arrow({
      id: vectorFromArray(['l1', 'l2', null], new Utf8()),
      label: vectorFromArray([1, null, 0], new Float64()),
    });
    const answer = await post(model, labels, { 'content-type': ARROW }, 'labels');
    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({
      accepted: 1,
      rejected: [
        { index: 1, id: 'l2', error: 'label: required' },
        { index: 2, id: null, error: 'id: required, a non-empty string' },
      ],
    });
    const rows = await stored(model);
    expect(rows.find((r) => r.id === 'l1')?.label).toBe(1);
  });

  it('stores reference rows sent as Arrow as the same rows sent as CSV', async () => {
    const viaArrow = await createModel('binary_classification', false);
    const viaCsv = await createModel('binary_classification', false);
    const csv = 'amount,country,is_new,y_pred,target\n12.5,DE,true,1,1\n3,FR,false,0,1\n,US,,1,0\n';
    const body = arrow({
      amount: vectorFromArray([12.5, 3, null], new Float64()),
      country: vectorFromArray(['DE', 'FR', 'US'], new Utf8()),
      is_new: vectorFromArray([true, false, null], new Bool()),
      y_pred: vectorFromArray([1, 0, 1], new Int32()),
      target: vectorFromArray([1, 1, 0], new Int32()),
    });
    const a = await post(viaArrow, body, { 'content-type': ARROW }, 'reference');
    const c = await post(viaCsv, csv, { 'content-type': 'text/csv' }, 'reference');
    expect(a.status).toBe(200);
    expect(a.body.accepted).toBe(3);
    expect(a.body.replayed).toBe(false);
    expect(a.body.inferred).toEqual(c.body.inferred);
    const rowsOf = async (model: string) =>
      (
        (await (await server.api(`/api/v1/models/${model}/reference/default/rows?limit=10`)).json()) as {
          data: unknown[];
        }
      ).data;
    // CSV carries text, Arrow carries types: the stored values are the same once typed by the schema.
    expect((await rowsOf(viaArrow)).length).toBe(3);
    const schema = (await (await server.api(`/api/v1/models/${viaArrow}`)).json()) as {
      schema: { features: unknown[] };
    };
    expect(schema.schema.features).toEqual([
      { name: 'amount', type: 'numeric' },
      { name: 'country', type: 'categorical', categories: ['DE', 'FR', 'US'] },
      { name: 'is_new', type: 'boolean' },
    ]);
    // An upload is known by its bytes, also when the body's memory went through the guard's
    // worker and back (bodies this large own their memory, which is handed over, not copied).
    const large = (first: number) =>
      arrow({
        amount: vectorFromArray(
          Array.from({ length: 3000 }, (_, i) => first + i),
          new Float64(),
        ),
        target: vectorFromArray(
          Array.from({ length: 3000 }, (_, i) => i % 2),
          new Int32(),
        ),
      });
    const uploads = [];
    for (const upload of [large(0), large(0), large(1)]) {
      uploads.push((await post(viaArrow, upload, { 'content-type': ARROW }, 'reference')).body.replayed);
    }
    expect(uploads).toEqual([false, true, false]);
  });

  it('documents the Arrow content type in OpenAPI', async () => {
    const spec = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as {
      paths: Record<string, { post?: { requestBody?: { content?: Record<string, { schema: unknown }> } } }>;
    };
    for (const path of ['predictions', 'labels', 'reference']) {
      const content = spec.paths[`/api/v1/models/{model}/${path}`]?.post?.requestBody?.content ?? {};
      expect(content[ARROW]?.schema).toEqual({ type: 'string', format: 'binary' });
      expect(content['application/json']).toBeDefined();
    }
  });

  it('accounts in the metrics for each stage of a request and for the group commit that stored it', async () => {
    const model = await createModel();
    const count = (text: string, sample: string) =>
      Number(new RegExp(`^${sample.replace(/[{}]/g, '\\$&')} (\\S+)$`, 'm').exec(text)?.[1] ?? Number.NaN);
    const metrics = async () => (await server.api('/metrics')).text();
    const before = await metrics();
    const body = arrow({
      id: vectorFromArray(['m1', 'm2'], new Utf8()),
      timestamp: vectorFromArray([new Date(T0), new Date(T0 + 1000)], new TimestampMillisecond()),
      prediction: vectorFromArray([1, 0], new Float64()),
      amount: vectorFromArray([1, 2], new Float64()),
    });
    expect((await post(model, body, { 'content-type': ARROW })).status).toBe(200);
    const after = await metrics();
    for (const stage of ['receive', 'decode', 'check', 'store']) {
      const sample = `vigil_ingest_stage_duration_seconds_count{stage="${stage}"}`;
      expect(count(after, sample) - (count(before, sample) || 0)).toBe(1);
    }
    expect(count(after, 'vigil_store_group_commits_total')).toBeGreaterThan(
      count(before, 'vigil_store_group_commits_total'),
    );
    expect(count(after, 'vigil_store_writer_held_seconds_total')).toBeGreaterThan(0);
    expect(count(after, 'vigil_process_event_loop_busy_seconds_total')).toBeGreaterThan(0);
  });
});

/**
 * `logColumns` and `logTable` against a real server (real HTTP, real DuckDB store): the rows
 * they store, the rows the server refuses, and the batches the client refuses before sending.
 */
import { readAllPredictions, startTestServer, type TestServer } from '@vigil/server/testing';
import { tableFromArrays } from 'apache-arrow';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import type { FlushResult, RejectedLogRecord, VigilClientOptions } from './client.js';
import type { PredictionColumnsInput } from './column-batch.js';
import { VigilRecordError } from './errors.js';
import { collectingClient } from './test-support.js';
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

async function createModel(name: string, schema?: unknown): Promise<void> {
  const api = new VigilApi({ url: server.url, apiKey: server.adminKey });
  await api.createModel({ name, task: 'binary_classification', ...(schema ? { schema } : {}) } as never);
}

/** The model's stored predictions, by id. */
async function readAll(model: string): Promise<StoredPrediction[]> {
  return (await readAllPredictions<StoredPrediction>(server, model)).sort((a, b) => (a.id < b.id ? -1 : 1));
}

const base = Date.parse('2025-03-01T00:00:00Z');
const countries = ['FR', 'DE', 'US', 'JP'];

/** 40 rows (fixed, no randomness) as columns, and the same rows as records for `log`. */
function rows(n = 40) {
  const id = Array.from({ length: n }, (_, i) => `c${i}`);
  // Row 0 has every feature, so log() lists them in the order the columns give them.
  const amount = new Float64Array(n).map((_, i) => (i % 7) * 1.5 - 2);
  const count = Array.from({ length: n }, (_, i) => (i % 5 === 1 ? null : i));
  const country = Array.from({ length: n }, (_, i) => (i % 6 === 1 ? null : countries[i % 4]!));
  const returning = Array.from({ length: n }, (_, i) => i % 2 === 0);
  // Dates become ISO-8601 strings, which a string column may mix with them.
  const timestamp = Array.from({ length: n }, (_, i) =>
    i === 3 ? 'never' : i % 2 ? new Date(base + i * 1000) : new Date(base + i * 1000).toISOString(),
  );
  const prediction = Array.from({ length: n }, (_, i) => (i === 5 ? null : i % 3 === 0 ? 1 : 0));
  const score = new Float64Array(n).map((_, i) => i / n);
  const region = Array.from({ length: n }, (_, i) => (i % 2 ? 'eu' : 'na'));
  const columns: PredictionColumnsInput = {
    id,
    timestamp,
    version: 'v2',
    prediction,
    score,
    features: { amount, count, country, returning },
    segments: { region },
  };
  const records = id.map((rowId, i) => ({
    id: rowId,
    timestamp: timestamp[i]!,
    version: 'v2',
    prediction: prediction[i] as number,
    score: score[i]!,
    features: {
      amount: amount[i]!,
      ...(count[i] === null ? {} : { count: count[i]! }),
      ...(country[i] === null ? {} : { country: country[i]! }),
      returning: returning[i]!,
    },
    segments: { region: region[i]! },
  }));
  return { columns, records };
}

const schema = {
  features: [
    { name: 'amount', type: 'numeric' },
    // Declared numeric but sent as booleans: a type-mismatch violation for every row.
    { name: 'returning', type: 'numeric' },
    { name: 'country', type: 'categorical', categories: ['FR', 'DE', 'US'] },
    { name: 'missing', type: 'numeric' },
  ],
};

describe('logColumns against a real server', () => {
  it('stores the same rows, refusals and violations as log() of the same records', async () => {
    const { columns, records } = rows();
    const results: { result: FlushResult; rejected: RejectedLogRecord[]; stored: StoredPrediction[] }[] = [];
    for (const how of ['columns', 'log', 'columns-json'] as const) {
      const model = `columns-parity-${how}`;
      await createModel(model, schema);
      // A small batch size: the column batch goes in several requests.
      const { vigil, errors, rejected } = client(model, {
        batchSize: 16,
        ...(how === 'columns-json' ? { format: 'columns' as const } : {}),
      });
      if (how === 'log') for (const record of records) vigil.log(record);
      else expect(vigil.logColumns(columns)).toEqual(columns.id);
      const result = await vigil.close();
      expect(errors).toEqual([]);
      results.push({ result, rejected, stored: await readAll(model) });
    }
    const [byColumn, byRecord, byJson] = results;
    expect(byColumn!.result).toMatchObject({ accepted: 38, failed: 0, dropped: 0 });
    expect(byColumn!.rejected.map((r) => r.id)).toEqual(['c3', 'c5']);
    expect(byColumn!.stored).toHaveLength(38);
    const c1 = byColumn!.stored.find((p) => p.id === 'c1')!;
    expect(c1.quality_violations).toEqual(expect.arrayContaining(['missing_feature:missing']));
    expect(
      byColumn!.stored.some((p) => p.quality_violations.some((v) => v.startsWith('unseen_category'))),
    ).toBe(true);
    // Model names differ; everything else is the same. A row's violations follow the order in
    // which its batch first shows each feature, which for log() depends on where a batch starts.
    const strip = (r: (typeof results)[number]) => ({
      result: { ...r.result, rejected: r.result.rejected.map(({ model: _, ...x }) => x) },
      rejected: r.rejected.map(({ model: _, ...x }) => x),
      stored: r.stored.map((p) => ({ ...p, quality_violations: [...p.quality_violations].sort() })),
    });
    expect(strip(byColumn!)).toEqual(strip(byRecord!));
    expect(strip(byJson!)).toEqual(strip(byRecord!));
  });

  it('fills in ids and the time of the call, and stores a re-sent batch once', async () => {
    const model = 'columns-ids';
    await createModel(model);
    const { vigil, errors } = client(model);
    const before = Date.now();
    const ids = vigil.logColumns({ prediction: [1, 0, 1], features: { x: new Float32Array([0.5, 1, 2]) } });
    expect(ids).toHaveLength(3);
    expect(new Set(ids).size).toBe(3);
    expect(await vigil.flush()).toMatchObject({ accepted: 3, failed: 0 });
    // The same ids again, as a retry after a lost answer would send them, with other values.
    vigil.logColumns({ id: ids, prediction: [0, 0, 0], features: { x: [9, 9, 9] } });
    expect(await vigil.close()).toMatchObject({ accepted: 3, rejected: [], failed: 0 });
    expect(errors).toEqual([]);
    const stored = await readAll(model);
    expect(stored.map((p) => p.id).sort()).toEqual([...ids].sort());
    const byId = new Map(stored.map((p) => [p.id, p]));
    expect(ids.map((id) => byId.get(id)!.features.x)).toEqual([0.5, 1, 2]);
    for (const p of stored) {
      expect(Date.parse(p.timestamp)).toBeGreaterThanOrEqual(before - 1);
      expect(Date.parse(p.timestamp)).toBeLessThanOrEqual(Date.now());
    }
  });

  it('refuses columns of different lengths, naming both columns, and sends nothing', async () => {
    const model = 'columns-lengths';
    await createModel(model);
    const { vigil } = client(model);
    const call = () =>
      vigil.logColumns({
        id: ['a', 'b', 'c'],
        prediction: [1, 0, 1],
        features: { amount: new Float64Array(3), country: ['FR', 'DE'] },
      });
    expect(call).toThrow(VigilRecordError);
    expect(call).toThrow(
      'Column "features.country" has 2 values, but column "id" has 3; give every column one value per row (null where absent).',
    );
    expect(await vigil.close()).toMatchObject({ accepted: 0, failed: 0, dropped: 0 });
    expect(await readAll(model)).toEqual([]);
  });

  it('refuses a value of the wrong kind or an object, naming the column and the row', async () => {
    const { vigil } = client('columns-types');
    expect(() =>
      vigil.logColumns({ prediction: [1, 0], features: { amount: [1.5, 'lots'] as never } }),
    ).toThrow(
      'Column "features.amount", row 1: expected a number like row 0 (a column holds numbers, null where absent), got the string "lots".',
    );
    expect(() =>
      vigil.logColumns({ prediction: [1, 0, 1], features: { flag: [null, true, 3] as never } }),
    ).toThrow(
      'Column "features.flag", row 2: expected a boolean like row 1 (a column holds booleans, null where absent), got the number 3.',
    );
    expect(() => vigil.logColumns({ prediction: [1], features: { nested: [{ a: 1 }] as never } })).toThrow(
      'Column "features.nested", row 0: an object cannot be sent; a column holds numbers, strings or booleans (null where absent).',
    );
    expect(() => vigil.logColumns({ prediction: [1], features: { x: 3 as never } })).toThrow(
      'Column "features.x" is the number 3; give an array (or typed array) with one value per row.',
    );
    expect(() => vigil.logColumns({ prediction: [1], feature: {} } as never)).toThrow(
      'Unknown field "feature"',
    );
    expect(() => vigil.logColumns({ id: ['a', 7n as never], prediction: [1, 1] })).toThrow(
      'Column "id", row 1: expected a string, got a bigint value.',
    );
    expect(await vigil.close()).toMatchObject({ accepted: 0, failed: 0, dropped: 0 });
  });

  it('sends nothing for an empty batch and refuses one without any column', async () => {
    const model = 'columns-empty';
    await createModel(model);
    const { vigil, errors } = client(model);
    expect(vigil.logColumns({ id: [], prediction: [], features: { x: new Float64Array(0) } })).toEqual([]);
    expect(() => vigil.logColumns({ version: 'v1' })).toThrow('logColumns needs at least one column');
    expect(await vigil.close()).toEqual({ accepted: 0, rejected: [], failed: 0, dropped: 0, errors: [] });
    expect(errors).toEqual([]);
    expect(vigil.stats).toMatchObject({ pending: 0, accepted: 0 });
  });

  it('drops a batch logged after close() and reports it like log()', async () => {
    const { vigil, errors } = client('columns-closed');
    await vigil.close();
    vigil.logColumns({ prediction: [1, 0, 1] });
    expect(vigil.stats.dropped).toBe(3);
    expect(errors.map((e) => e.code)).toEqual(['client_closed']);
  });
});

describe('logTable against a real server', () => {
  it('stores an apache-arrow Table as the same rows as logColumns', async () => {
    const n = 30;
    const id = Array.from({ length: n }, (_, i) => `t${i}`);
    const amount = new Float64Array(n).map((_, i) => i * 0.25);
    const country = Array.from({ length: n }, (_, i) => countries[i % 4]!);
    const timestamp = new Float64Array(n).map((_, i) => base + i);
    const prediction = new Float64Array(n).map((_, i) => i % 2);
    const results = [];
    for (const how of ['table', 'columns'] as const) {
      const model = `table-${how}`;
      await createModel(model);
      const { vigil, errors } = client(model, { batchSize: 12 });
      if (how === 'table') {
        vigil.logTable(tableFromArrays({ id, timestamp, prediction, 'features.amount': amount, country }));
      } else {
        vigil.logColumns({ id, timestamp, prediction, features: { amount, country } });
      }
      expect(await vigil.close()).toMatchObject({ accepted: n, rejected: [], failed: 0 });
      expect(errors).toEqual([]);
      results.push(await readAll(model));
    }
    expect(results[0]).toHaveLength(n);
    expect(results[0]).toEqual(results[1]);
  });

  it('gives a table without ids random ones and sends nothing for an empty table', async () => {
    const model = 'table-no-ids';
    await createModel(model);
    const { vigil } = client(model);
    vigil.logTable(tableFromArrays({ prediction: new Float64Array([1, 0]), x: new Float64Array([3, 4]) }));
    vigil.logTable(tableFromArrays({ prediction: new Float64Array(0) }));
    expect(await vigil.close()).toMatchObject({ accepted: 2, failed: 0 });
    const stored = await readAll(model);
    expect(stored.map((p) => p.features.x).sort()).toEqual([3, 4]);
    expect(() => vigil.logTable({} as never)).toThrow('logTable takes an apache-arrow Table.');
  });
});

describe('logColumns and log() store the same rows (property)', () => {
  it('for random batches: same answers, same stored rows, same violations', async () => {
    const row = fc.record({
      id: fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7'),
      ms: fc.integer({ min: 0, max: 86_400_000 }),
      badTime: fc.boolean(),
      prediction: fc.option(fc.constantFrom(0, 1), { freq: 6 }),
      score: fc.option(fc.double({ min: 0, max: 1.5, noNaN: true })),
      amount: fc.option(fc.double({ min: -1e6, max: 1e6, noNaN: true, noDefaultInfinity: true })),
      country: fc.option(fc.constantFrom('FR', 'DE', 'XX', '', '1.5')),
      flag: fc.option(fc.boolean()),
      region: fc.option(fc.constantFrom('eu', 'na')),
    });
    let runs = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.boolean(), async (rows, iso) => {
        runs++;
        // A timestamp column holds one kind: epoch milliseconds, or text (then a bad one may appear).
        const timestamp = rows.map((r) =>
          iso ? (r.badTime ? 'someday' : new Date(base + r.ms).toISOString()) : base + r.ms,
        );
        const records = rows.map((r, i) => ({
          id: r.id,
          timestamp: timestamp[i]!,
          prediction: r.prediction as number,
          ...(r.score === null ? {} : { score: r.score }),
          features: {
            ...(r.amount === null ? {} : { amount: r.amount }),
            ...(r.country === null ? {} : { country: r.country }),
            ...(r.flag === null ? {} : { flag: r.flag }),
          },
          ...(r.region === null ? {} : { segments: { region: r.region } }),
        }));
        const columns: PredictionColumnsInput = {
          id: rows.map((r) => r.id),
          timestamp,
          prediction: rows.map((r) => r.prediction),
          score: rows.map((r) => r.score),
          features: {
            amount: rows.map((r) => r.amount),
            country: rows.map((r) => r.country),
            flag: rows.map((r) => r.flag),
          },
          segments: { region: rows.map((r) => r.region) },
        };
        const results = [];
        for (const how of ['log', 'columns'] as const) {
          const model = `columns-property-${runs}-${how}`;
          await createModel(model, schema);
          // One request at a time: of an id repeated in two batches, the first batch's row is stored.
          const { vigil, errors, rejected } = client(model, { batchSize: 5, maxInFlight: 1 });
          if (how === 'log') for (const record of records) vigil.log(record);
          else vigil.logColumns(columns);
          const result = await vigil.close();
          expect(errors).toEqual([]);
          results.push({
            accepted: result.accepted,
            rejected: rejected.map(({ model: _, ...r }) => r),
            stored: (await readAll(model)).map((p) => ({
              ...p,
              quality_violations: [...p.quality_violations].sort(),
            })),
          });
        }
        expect(results[1]).toEqual(results[0]);
      }),
      { numRuns: 8 },
    );
    // Each run starts two models and waits for their rows: slow on a busy machine, not timed.
  }, 180_000);
});

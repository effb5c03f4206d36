/**
 * `vigil ingest` of CSV and Parquet predictions read by column, against a real server over HTTP:
 * the rows it stores are those the row reader's records store, and wrong input is refused or
 * reported as it was before (bad values in a column, a missing column, a truncated file).
 */
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { type PredictionRecord, VigilApi } from '@vigil/sdk';
import { readAllPredictions, startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { ColumnMapping, columnNames, toPrediction } from './mapping.js';
import { openSource, rowId } from './sources.js';

let dir: string;
let server: TestServer;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-ingest-columns-'));
  server = await startTestServer();
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

async function file(name: string, content: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

/** A Parquet file of `select` written by DuckDB, with row groups of `rowGroup` rows. */
async function parquet(name: string, select: string, rowGroup = 100_000): Promise<string> {
  const path = join(dir, name);
  const db = await DuckDBInstance.create(':memory:');
  const connection = await db.connect();
  await connection.run(`COPY (${select}) TO '${path}' (FORMAT parquet, ROW_GROUP_SIZE ${rowGroup})`);
  connection.closeSync();
  db.closeSync();
  return path;
}

async function createModel(name: string, task = 'binary_classification'): Promise<void> {
  const response = await server.api('/api/v1/models', { json: { name, task } });
  expect(response.status).toBe(201);
}

type Stored = Record<string, unknown> & { id: string; timestamp: string };

/** The model's stored predictions, by id. */
async function readAll(model: string): Promise<Stored[]> {
  const all = await readAllPredictions<Stored>(server, model);
  return all.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

const ingest = (path: string, model: string, ...more: string[]) =>
  runVigil(
    ['ingest', path, '--model', model, '--url', server.url, ...more],
    { VIGIL_API_KEY: server.adminKey },
    dir,
  );

/**
 * The rows of `path` as the row reader makes them into records (the CLI's path before it read
 * by column), sent as JSON records to `model`.
 */
async function ingestRowByRow(path: string, format: 'csv' | 'parquet', model: string, version?: string) {
  const mapping = new ColumnMapping(columnNames(null, { segments: ['region'] }));
  const source = await openSource({ file: path, format, gzipped: false });
  const records: PredictionRecord[] = [];
  for await (const chunk of source.chunks) {
    for (const record of chunk) {
      if (record.error !== undefined) continue;
      const prediction = toPrediction(record.row, version, mapping);
      prediction.id ??= rowId(path, record);
      records.push(prediction);
    }
  }
  const api = new VigilApi({ url: server.url, apiKey: server.adminKey });
  return api.ingestPredictions(model, records);
}

/** Stored rows without the time a row without one got when it arrived. */
function comparable(rows: Stored[], hasTimestamp: (row: Stored) => boolean): unknown[] {
  return rows.map((row) => (hasTimestamp(row) ? row : { ...row, timestamp: 'arrival' }));
}

describe('vigil ingest reads CSV and Parquet predictions by column', () => {
  it('stores the same CSV rows as the row reader, cell for cell', async () => {
    // Quoted cells (commas, quotes, line breaks), CRLF, empty cells, codes with leading zeros,
    // booleans, a feature mixing numbers and text (sent as records), a score that is not a
    // number (dropped, as before), an empty version (filled by --version) and segments.
    const lines = [
      'id,timestamp,version,amount,code,flag,note,mixed,prediction,score,score_a,segment_region',
      'a1,2025-01-01T00:00:00Z,v7,12.5,007,true,"one, two",1,yes,0.5,0.25,eu',
      'a2,,,-3e2,12,FALSE,"say ""hi""",x,no,abc,,na',
      ',2025-01-01T00:01:00Z,,,,,"line\r\nbreak",2,yes,,0.75,',
      'a4,1735689720000,v8,0.1,0100,,plain,,no,1,1,eu',
    ];
    const csv = await file('mixed.csv', `${lines.join('\r\n')}\r\n`);
    await createModel('columns-csv');
    await createModel('rows-csv');
    const result = await ingest(csv, 'columns-csv', '--version', 'v0', '--segment-columns', 'region');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/4 accepted, 0 rejected/);
    const rows = await ingestRowByRow(csv, 'csv', 'rows-csv', 'v0');
    expect(rows.rejected).toEqual([]);
    const byColumn = await readAll('columns-csv');
    const byRow = await readAll('rows-csv');
    expect(byColumn).toHaveLength(4);
    const timed = (row: Stored) => row.id !== 'a2';
    expect(comparable(byColumn, timed)).toEqual(comparable(byRow, timed));
    expect(byColumn.find((r) => r.id === 'a1')).toMatchObject({
      version: 'v7',
      features: { amount: 12.5, code: '007', flag: true, note: 'one, two' },
      prediction: 'yes',
      score: 0.5,
      scores: { a: 0.25 },
      segments: { region: 'eu' },
    });
    expect(byColumn.find((r) => r.id === 'a2')).toMatchObject({ version: 'v0', score: null });
  });

  it('stores the same Parquet rows as the row reader, in several row groups and batches', async () => {
    const select = `SELECT 'p' || i AS id, TIMESTAMP '2025-01-01' + to_seconds(i) AS timestamp,
      (i % 2)::INT AS prediction, (i % 10) / 10 AS score, i * 1.5 AS amount, i::BIGINT AS big,
      i::INTEGER AS small, CASE WHEN i % 3 = 0 THEN NULL ELSE 'c' || (i % 4) END AS country,
      i % 5 = 0 AS flag, CASE WHEN i % 2 = 0 THEN 'eu' ELSE 'na' END AS region
      FROM range(2500) r(i)`;
    const path = await parquet('typed.parquet', select, 1000);
    await createModel('columns-parquet');
    await createModel('rows-parquet');
    const result = await ingest(
      path,
      'columns-parquet',
      '--batch-size',
      '700',
      '--segment-columns',
      'region',
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/2,500 accepted, 0 rejected/);
    expect((await ingestRowByRow(path, 'parquet', 'rows-parquet')).rejected).toEqual([]);
    const byColumn = await readAll('columns-parquet');
    expect(byColumn).toHaveLength(2500);
    expect(byColumn).toEqual(await readAll('rows-parquet'));
    expect(byColumn.find((r) => r.id === 'p3')).toMatchObject({
      timestamp: '2025-01-01T00:00:03.000Z',
      features: { amount: 4.5, big: 3, small: 3, flag: false },
      prediction: 1,
      score: 0.3,
      segments: { region: 'na' },
    });
  });

  it('reads a gzipped CSV file by column, with the ids of the row reader for rows without one', async () => {
    const body = Array.from({ length: 40 }, (_, i) => `${i * 0.5},${i % 3 ? 'x' : 'y'},${i % 2}`).join('\n');
    const csv = await file('gzipped.csv.gz', gzipSync(`amount,kind,prediction\n${body}\n`));
    await createModel('gzip-columns');
    await createModel('gzip-rows');
    const result = await ingest(csv, 'gzip-columns', '--batch-size', '9');
    expect(result.stdout).toMatch(/40 accepted, 0 rejected/);
    const mapping = new ColumnMapping(columnNames(null, {}));
    const source = await openSource({ file: csv, format: 'csv', gzipped: true });
    const records: PredictionRecord[] = [];
    for await (const chunk of source.chunks) {
      for (const record of chunk)
        records.push({ ...toPrediction(record.row, undefined, mapping), id: rowId(csv, record) });
    }
    await new VigilApi({ url: server.url, apiKey: server.adminKey }).ingestPredictions('gzip-rows', records);
    const withoutTime = (rows: Stored[]) => rows.map(({ timestamp: _t, ...row }) => row);
    expect(withoutTime(await readAll('gzip-columns'))).toEqual(withoutTime(await readAll('gzip-rows')));
  });

  it('gives Parquet rows without an id the ids the row reader gave them', async () => {
    const path = await parquet(
      'no-ids.parquet',
      `SELECT i::BIGINT AS n, 'x' || i AS word, NULL::DOUBLE AS empty, (i % 2)::INT AS prediction FROM range(30) r(i)`,
      10,
    );
    await createModel('no-ids-columns');
    await createModel('no-ids-rows');
    expect((await ingest(path, 'no-ids-columns', '--batch-size', '7')).code).toBe(0);
    await ingestRowByRow(path, 'parquet', 'no-ids-rows');
    const ids = (rows: Stored[]) => rows.map((r) => r.id);
    expect(ids(await readAll('no-ids-columns'))).toEqual(ids(await readAll('no-ids-rows')));
    // Again: every row is already there.
    expect((await ingest(path, 'no-ids-columns', '--batch-size', '11')).stdout).toMatch(/30 accepted/);
    expect(await readAll('no-ids-columns')).toHaveLength(30);
  });

  it('reports the rows the server refuses for a bad value, with their line numbers', async () => {
    await createModel('bad-values');
    const csv = await file(
      'bad-values.csv',
      'id,timestamp,amount,prediction\n' +
        'b1,2025-01-01T00:00:00Z,1,a\n' +
        'b2,not a date,2,b\n' +
        'b3,2025-01-01T00:00:02Z,three,a\n' +
        'b4,2025-01-01T00:00:03Z,4,\n' +
        'b5,2025-01-01T00:00:04Z,5,b\n',
    );
    const result = await ingest(csv, 'bad-values', '--batch-size', '2');
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^predictions → model 'bad-values': 3 accepted, 2 rejected \(5 rows in /);
    expect(lines[1]).toMatch(/^ {2}line 3 \(id b2\): timestamp/);
    expect(lines[2]).toMatch(/^ {2}line 5 \(id b4\): prediction/);
    // Text in a column of numbers is not refused: the server stores it as it does from records.
    expect((await readAll('bad-values')).map((r) => r.id)).toEqual(['b1', 'b3', 'b5']);
  });

  it('sends CSV and Parquet labels by column, listing a row without a label with its line', async () => {
    await createModel('labels-by-column');
    const predictions = await file('labelled.csv', 'id,amount,prediction\nl1,1,a\nl2,2,b\nl3,3,a\n');
    expect((await ingest(predictions, 'labels-by-column')).code).toBe(0);
    const labels = await file(
      'labels.csv',
      'id,label,timestamp,ignored\nl1,b,2025-01-02T00:00:00Z,x\nl2,,2025-01-02T00:00:00Z,y\nl3,a,,z\n',
    );
    const result = await ingest(labels, 'labels-by-column', '--kind', 'labels');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/^labels → model 'labels-by-column': 2 accepted, 1 rejected/);
    expect(result.stdout).toMatch(/\n {2}line 3 \(id l2\): label/);
    const stored = await readAll('labels-by-column');
    expect(stored.map((r) => [r.id, r.label, r.label_timestamp !== null])).toEqual([
      ['l1', 'b', true],
      ['l2', null, false],
      ['l3', 'a', true],
    ]);
    expect(stored[0]?.label_timestamp).toBe('2025-01-02T00:00:00.000Z');

    const pq = await parquet('labels.parquet', `SELECT 'l' || i AS id, 'c' AS label FROM range(1, 4) r(i)`);
    const fromParquet = await ingest(pq, 'labels-by-column', '--kind', 'labels');
    expect(fromParquet.stdout).toMatch(/3 accepted, 0 rejected/);
    expect((await readAll('labels-by-column')).map((r) => r.label)).toEqual(['c', 'c', 'c']);
  });

  it('refuses a file without the prediction column before sending anything', async () => {
    await createModel('missing-column');
    const csv = await file('no-prediction.csv', 'id,amount\nm1,1\n');
    const fromCsv = await ingest(csv, 'missing-column');
    expect(fromCsv.code).toBe(2);
    expect(fromCsv.stderr).toMatch(
      /has no 'prediction' column, needed for --kind predictions \(columns: id, amount\)/,
    );
    const pq = await parquet(
      'no-prediction.parquet',
      `SELECT 'm' || i AS id, i AS amount FROM range(3) r(i)`,
    );
    const fromParquet = await ingest(pq, 'missing-column');
    expect(fromParquet.code).toBe(2);
    expect(fromParquet.stderr).toMatch(/has no 'prediction' column/);
    expect(await readAll('missing-column')).toEqual([]);
  });

  it('lists the cut-off last row of a truncated CSV file and stores the rest', async () => {
    await createModel('truncated-csv');
    const csv = await file('truncated.csv', 'id,amount,prediction\nt1,1,a\nt2,2,b\nt3,3');
    const result = await ingest(csv, 'truncated-csv');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/2 accepted, 1 rejected/);
    expect(result.stdout).toContain('  line 4: 2 fields where the header has 3');
    expect((await readAll('truncated-csv')).map((r) => r.id)).toEqual(['t1', 't2']);

    const quoted = await file('open-quote.csv', 'id,amount,prediction\nq1,1,a\nq2,"2,b\n');
    const open = await ingest(quoted, 'truncated-csv');
    expect(open.code).toBe(2);
    expect(open.stderr).toMatch(/open-quote\.csv: .*quote/i);
  });

  it('refuses a truncated Parquet file', async () => {
    await createModel('truncated-parquet');
    const whole = await readFile(
      await parquet(
        'whole.parquet',
        `SELECT 'w' || i AS id, i AS amount, 1 AS prediction FROM range(100) r(i)`,
      ),
    );
    const cut = await file('cut.parquet', whole.subarray(0, whole.length >> 1));
    const result = await ingest(cut, 'truncated-parquet');
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cut\.parquet is not a readable Parquet file/);
    expect(await readAll('truncated-parquet')).toEqual([]);
  });
});

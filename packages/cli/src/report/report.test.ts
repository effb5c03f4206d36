import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { SAMPLE_HEADER, sampleRows, toCsv, toNdjson } from './report.test-support.js';
import type { ReportData } from './types.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-report-'));
const reference = sampleRows({ rows: 3000, shift: 0, seed: 1 });
const same = sampleRows({ rows: 1000, shift: 0, seed: 2 });
const shifted = sampleRows({ rows: 1000, shift: 1, seed: 3 });

beforeAll(async () => {
  await writeFile(join(dir, 'train.csv'), toCsv(SAMPLE_HEADER, reference));
  await writeFile(join(dir, 'same.csv'), toCsv(SAMPLE_HEADER, same));
  await writeFile(join(dir, 'shifted.csv'), toCsv(SAMPLE_HEADER, shifted));
  await writeFile(join(dir, 'shifted.ndjson.gz'), gzipSync(toNdjson(SAMPLE_HEADER, shifted)));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function report(args: string[]) {
  const result = await runVigil(['report', ...args], {}, dir);
  return result;
}

async function readJson(name: string): Promise<ReportData> {
  return JSON.parse(await readFile(join(dir, name), 'utf8')) as ReportData;
}

const roles = ['--target', 'y', '--prediction', 'y_hat', '--score', 'p'];

describe('vigil report', () => {
  it('finds the shifted features, writes HTML and JSON, and gates CI with --fail-on', async () => {
    const result = await report([
      '--reference',
      'train.csv',
      '--current',
      'shifted.csv',
      ...roles,
      '--out',
      'out/shifted.html',
      '--json',
      'out/shifted.json',
      '--fail-on',
      'drift',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(1);
    expect(result.stdout).toMatch(/Failed checks \(--fail-on\): drift/);
    const json = await readJson('out/shifted.json');
    expect(json.summary.drifted_features.sort()).toEqual(['age', 'plan']);
    const byName = Object.fromEntries(json.drift.features.map((d) => [d.column, d]));
    expect(byName.income!.status).toBe('ok');
    expect(byName.region!.status).toBe('ok');
    expect(byName.active!.type).toBe('categorical');
    expect(byName.age!.method).toBe('jensen_shannon');
    expect(byName.age!.value).toBeGreaterThan(byName.age!.threshold!);
    expect(json.columns.find((c) => c.name === 'active')!.type).toBe('boolean');
    const html = await readFile(join(dir, 'out/shifted.html'), 'utf8');
    // Self-contained: nothing fetched from elsewhere.
    expect(html).not.toMatch(/<script|<link|https?:\/\/|src=/);
    expect(html).toContain('2 of 5 features drifted');
  });

  it('passes the same data, and reads NDJSON with gzip as it reads CSV', async () => {
    const ok = await report([
      '--reference',
      'train.csv',
      '--current',
      'same.csv',
      ...roles,
      '--out',
      'same.html',
      '--fail-on',
      'drift',
      'quality',
    ]);
    expect(ok.code).toBe(0);
    const csv = await report([
      '--reference',
      'train.csv',
      '--current',
      'shifted.csv',
      ...roles,
      '--out',
      'a.html',
      '--json',
      'a.json',
    ]);
    const ndjson = await report([
      '--reference',
      'train.csv',
      '--current',
      'shifted.ndjson.gz',
      ...roles,
      '--out',
      'b.html',
      '--json',
      'b.json',
    ]);
    expect(csv.code).toBe(0);
    expect(ndjson.code).toBe(0);
    const [a, b] = [await readJson('a.json'), await readJson('b.json')];
    expect(b.drift.features.map((d) => [d.column, d.value, d.threshold])).toEqual(
      a.drift.features.map((d) => [d.column, d.value, d.threshold]),
    );
  });

  it('gates CI on fairness between the groups of --segment', async () => {
    // Fair by construction: each region selects exactly half its rows, every prediction right.
    const column = (name: string) => SAMPLE_HEADER.indexOf(name);
    const regions = ['north', 'south', 'east', 'west'];
    const fairRows = same.map((r, k) => {
      const row = [...r];
      row[column('region')] = regions[k % 4]!;
      row[column('y_hat')] = Math.floor(k / 4) % 2;
      row[column('y')] = row[column('y_hat')]!;
      return row;
    });
    // Unfair: the model never selects anyone in the west.
    const unfair = fairRows.map((r) => (r[column('region')] === 'west' ? r.with(column('y_hat'), 0) : r));
    await writeFile(join(dir, 'fair.csv'), toCsv(SAMPLE_HEADER, fairRows));
    await writeFile(join(dir, 'unfair.csv'), toCsv(SAMPLE_HEADER, unfair));
    const gate = (current: string, json: string) =>
      report([
        '--reference',
        'train.csv',
        '--current',
        current,
        ...roles,
        '--segment',
        'region',
        '--out',
        `${json}.html`,
        '--json',
        json,
        '--fail-on',
        'fairness',
      ]);
    const fair = await gate('fair.csv', 'fair.json');
    expect(fair.stderr).toBe('');
    expect(fair.code).toBe(0);
    expect((await readJson('fair.json')).summary.checks.fairness).toBe('pass');
    const failed = await gate('unfair.csv', 'unfair.json');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/fairness alerts/);
    expect(failed.stdout).toMatch(/Failed checks \(--fail-on\): fairness/);
    const json = await readJson('unfair.json');
    expect(json.summary.checks.fairness).toBe('fail');
    expect(json.summary.fairness_alerts).toBeGreaterThan(0);
    expect(json.fairness!.metrics.find((m) => m.metric === 'demographic_parity_ratio')!.status).toBe('alert');
    // Without --segment there is nothing to gate on.
    const none = await report([
      '--reference',
      'train.csv',
      '--current',
      'unfair.csv',
      ...roles,
      '--out',
      'n.html',
      '--json',
      'n.json',
      '--fail-on',
      'fairness',
    ]);
    expect(none.code).toBe(0);
    expect((await readJson('n.json')).summary.checks.fairness).toBe('not_evaluated');
  });

  it('gives the same numbers for files larger than its memory budget as in memory', async () => {
    // 40,000 rows: several chunks per column, nearly all beyond a 256 KiB budget.
    await writeFile(
      join(dir, 'big-train.csv'),
      toCsv(SAMPLE_HEADER, sampleRows({ rows: 40_000, shift: 0, seed: 31 })),
    );
    await writeFile(
      join(dir, 'big-current.csv'),
      toCsv(SAMPLE_HEADER, sampleRows({ rows: 20_000, shift: 0.3, seed: 32 })),
    );
    const run = (json: string, budget: string[]) =>
      report([
        ...['--reference', 'big-train.csv', '--current', 'big-current.csv', ...roles, '--segment', 'region'],
        ...['--out', `${json}.html`, '--json', json, ...budget],
      ]);
    const inMemory = await run('in-memory.json', []);
    const bounded = await run('bounded.json', ['--memory-budget', '0.25']);
    expect(inMemory.stderr).toBe('');
    expect(bounded.stderr).toBe('');
    const [a, b] = [await readJson('in-memory.json'), await readJson('bounded.json')];
    expect({ ...b, generated_at: null }).toEqual({ ...a, generated_at: null });
    expect(a.drift.features.length).toBe(4);
    expect(a.fairness).not.toBeNull();
    const refused = await report([
      '--reference',
      'big-train.csv',
      '--current',
      'big-current.csv',
      '--out',
      'x.html',
      '--memory-budget',
      'lots',
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--memory-budget takes a number of MiB/);
  });

  it('reads Parquet', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    const csv = join(dir, 'train.csv').replaceAll("'", "''");
    const parquet = join(dir, 'train.parquet').replaceAll("'", "''");
    await connection.run(
      `COPY (SELECT * FROM read_csv('${csv}', types={'active': 'BOOLEAN'})) TO '${parquet}' (FORMAT parquet)`,
    );
    connection.closeSync();
    instance.closeSync();
    const result = await report([
      '--reference',
      'train.parquet',
      '--current',
      'shifted.csv',
      ...roles,
      '--out',
      'p.html',
      '--json',
      'p.json',
    ]);
    expect(result.stderr).toBe('');
    const [fromParquet, fromCsv] = [await readJson('p.json'), await readJson('a.json')];
    expect(fromParquet.drift.features.map((d) => [d.column, d.status])).toEqual(
      fromCsv.drift.features.map((d) => [d.column, d.status]),
    );
  });

  it('names a missing column and the columns that exist', async () => {
    const result = await report([
      '--reference',
      'train.csv',
      '--current',
      'same.csv',
      '--target',
      'churned',
      '--out',
      'x.html',
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      "train.csv has no column 'churned' (--target); its columns are: 'age', 'income'",
    );
    await writeFile(
      join(dir, 'no-plan.csv'),
      toCsv(
        ['age', 'income'],
        same.map((r) => r.slice(0, 2)),
      ),
    );
    const missing = await report(['--reference', 'train.csv', '--current', 'no-plan.csv', '--out', 'x.html']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain(
      "no-plan.csv has no column 'plan' (a feature of the reference); its columns are: 'age', 'income'",
    );
  });

  it('names the row and the value that cannot be read as the reference type', async () => {
    const rows = same.map((r) => [...r]);
    rows[41]![0] = 'forty';
    await writeFile(join(dir, 'bad.csv'), toCsv(SAMPLE_HEADER, rows));
    const result = await report(['--reference', 'train.csv', '--current', 'bad.csv', '--out', 'x.html']);
    expect(result.code).toBe(2);
    // The header is line 1, so row 42 is line 43.
    expect(result.stderr).toContain("bad.csv, line 43: column 'age' holds 'forty', which is not a number");
  });

  it('refuses an unknown --fail-on check and a file it cannot tell the format of', async () => {
    const bad = await report([
      '--reference',
      'train.csv',
      '--current',
      'same.csv',
      '--out',
      'x.html',
      '--fail-on',
      'speed',
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/speed/);
    const unknown = await report(['--reference', 'train.txt', '--current', 'same.csv', '--out', 'x.html']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/Cannot tell the format of 'train.txt'/);
  });
});

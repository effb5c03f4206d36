/**
 * End-to-end tests of the `vigil` command against a real Vigil server: `vigil ingest` run
 * in-process, `vigil start` as a child process.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { readAllPredictions, startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import {
  childProcessTestTimeout,
  spawnNodeScript,
  stopChild,
} from '../../server/src/testing/child-process.js';
import { runVigil } from './run-in-process.test-support.js';

// Tests here start child processes, whose start-up a loaded machine can make slow.
vi.setConfig({ testTimeout: childProcessTestTimeout(2) });

const mainScript = fileURLToPath(new URL('./main.ts', import.meta.url));
const repoRoot = fileURLToPath(new URL('../../../', import.meta.url));
const parquetFixture = fileURLToPath(new URL('../test/fixtures/predictions.parquet', import.meta.url));

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-e2e-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function vigil(argv: string[], env: Record<string, string> = {}) {
  return runVigil(argv, env, dir);
}

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

interface Stored {
  id: string;
  timestamp: string;
  version: string | null;
  features: Record<string, unknown>;
  prediction: unknown;
  score: number | null;
  scores: Record<string, number> | null;
  label: unknown;
  segments: Record<string, string>;
}

describe('vigil ingest against a real server', () => {
  let server: TestServer;

  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  async function createModel(name: string, task = 'multiclass_classification'): Promise<void> {
    const response = await server.api('/api/v1/models', { json: { name, task } });
    expect(response.status).toBe(201);
  }

  const readAll = (model: string) => readAllPredictions<Stored>(server, model);

  const ingest = (path: string, model: string, ...more: string[]) =>
    vigil(['ingest', path, '--model', model, '--url', server.url, ...more], {
      VIGIL_API_KEY: server.adminKey,
    });

  it('ingests CSV predictions, then NDJSON labels, readable through the API', async () => {
    const model = 'cli-e2e-csv';
    await createModel(model);
    const rows = Array.from({ length: 1200 }, (_, i) => ({
      id: `c${i}`,
      timestamp: new Date(Date.UTC(2025, 0, 1) + i * 60_000).toISOString(),
      amount: i * 0.5,
      country: ['FR', 'DE', 'US'][i % 3]!,
      prediction: ['fraud', 'legit'][i % 2]!,
      fraud: (i % 10) / 10,
    }));
    const csv = await file(
      'predictions.csv',
      `id,timestamp,amount,country,prediction,score_fraud,score_legit,segment_region\n${rows
        .map(
          (r) =>
            `${r.id},${r.timestamp},${r.amount},${r.country},${r.prediction},${r.fraud},${1 - r.fraud},${r.country === 'US' ? 'na' : 'eu'}`,
        )
        .join('\n')}\n`,
    );
    const predictions = await ingest(csv, model, '--batch-size', '500', '--version', 'v1');
    expect(predictions.stderr).toBe('');
    expect(predictions.code).toBe(0);
    expect(predictions.stdout).toMatch(
      /^predictions → model 'cli-e2e-csv': 1,200 accepted, 0 rejected \(1,200 rows in \d+\.\d s\)\n$/,
    );

    const labelLines = rows
      .filter((_, i) => i % 4 === 0)
      .map((r, n) => JSON.stringify({ id: r.id, label: n % 2 === 0 ? 'fraud' : 'legit' }));
    const ndjson = await file('labels.ndjson', `${labelLines.join('\n')}\n`);
    const labels = await ingest(ndjson, model, '--kind', 'labels');
    expect(labels.stderr).toBe('');
    expect(labels.code).toBe(0);
    expect(labels.stdout).toMatch(/^labels → model 'cli-e2e-csv': 300 accepted, 0 rejected \(300 rows in /);

    const stored = await readAll(model);
    expect(stored.map((p) => p.id)).toEqual(rows.map((r) => r.id));
    const first = stored[0]!;
    expect(first).toMatchObject({
      id: 'c0',
      timestamp: '2025-01-01T00:00:00.000Z',
      version: 'v1',
      features: { amount: 0, country: 'FR' },
      prediction: 'fraud',
      scores: { fraud: 0, legit: 1 },
      segments: { region: 'eu' },
      label: 'fraud',
    });
    const labeled = stored.filter((p) => p.label !== null).map((p) => p.id);
    expect(labeled).toEqual(rows.filter((_, i) => i % 4 === 0).map((r) => r.id));
    const one = await server.api(`/api/v1/models/${model}/predictions/c4`);
    expect(await one.json()).toMatchObject({
      id: 'c4',
      label: 'legit',
      features: { amount: 2, country: 'DE' },
    });

    const traffic = await server.api(`/api/v1/models/${model}/traffic?bucket=day`);
    expect(((await traffic.json()) as { data: unknown[] }).data).toEqual([
      { window_start: '2025-01-01T00:00:00.000Z', predictions: 1200, labeled: 300 },
    ]);
  });

  it('stores a file without ids once when it is ingested twice', async () => {
    const model = 'cli-e2e-twice';
    await createModel(model);
    const body = Array.from({ length: 30 }, (_, i) => `${i},${i % 2 === 0 ? 'a' : 'b'}`).join('\n');
    const csv = await file('no-ids.csv', `amount,prediction\n${body}\n`);
    const once = await ingest(csv, model, '--batch-size', '7');
    const twice = await ingest(csv, model, '--batch-size', '11');
    expect([once.code, twice.code]).toEqual([0, 0]);
    expect(twice.stdout).toMatch(/30 accepted, 0 rejected/);
    expect(await readAll(model)).toHaveLength(30);
  });

  it('exits with 1 and lists the rows the server refused, storing the others', async () => {
    const model = 'cli-e2e-partial';
    await createModel(model);
    const csv = await file(
      'partial.csv',
      'id,timestamp,amount,prediction\nok1,2025-01-01T00:00:00Z,1,a\nbad,not a date,2,b\nok2,,3,a\nnone,,4,\n',
    );
    const result = await ingest(csv, model);
    expect(result.code).toBe(1);
    const lines = result.stdout.split('\n');
    expect(lines[0]).toMatch(/^predictions → model 'cli-e2e-partial': 2 accepted, 2 rejected \(4 rows in /);
    expect(lines[1]).toMatch(/^ {2}line 3 \(id bad\): timestamp/);
    expect(lines[2]).toMatch(/^ {2}line 5 \(id none\): prediction/);
    expect((await readAll(model)).map((p) => p.id).sort()).toEqual(['ok1', 'ok2']);
  });

  it('uploads a Parquet file as reference data', async () => {
    const model = 'cli-e2e-parquet-reference';
    await createModel(model, 'binary_classification');
    const result = await ingest(parquetFixture, model, '--kind', 'reference', '--dataset', 'training');
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^reference → model 'cli-e2e-parquet-reference': 7 accepted, 0 rejected \(7 rows in \d+\.\d s\)\n/,
    );
    const datasets = await server.api(`/api/v1/models/${model}/reference`);
    expect(((await datasets.json()) as { data: unknown[] }).data).toEqual([
      expect.objectContaining({ name: 'training', rows: 7 }),
    ]);
    const stored = (await (await server.api(`/api/v1/models/${model}`)).json()) as {
      schema_source: string;
      schema: { features: { name: string; type: string }[] };
    };
    expect(stored.schema_source).toBe('inferred');
    expect(stored.schema.features).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ name: 'amount', type: 'numeric' }),
        expect.objectContaining({ name: 'ratio', type: 'numeric' }),
        expect.objectContaining({ name: 'country', type: 'categorical' }),
      ]),
    );
  });

  it('ingests Parquet predictions with typed columns', async () => {
    const model = 'cli-e2e-parquet';
    await createModel(model, 'binary_classification');
    const result = await ingest(parquetFixture, model);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(
      /^predictions → model 'cli-e2e-parquet': 7 accepted, 0 rejected \(7 rows in /,
    );
    const stored = await readAll(model);
    expect(stored.map((p) => p.id)).toEqual(['p0', 'p1', 'p2', 'p3', 'p4', 'p5', 'p6']);
    expect(stored[1]).toMatchObject({
      timestamp: '2025-01-01T00:00:01.000Z',
      features: { amount: 10, ratio: 0.25, country: 'DE' },
      prediction: 0,
      score: 0.1,
      segments: { region: 'eu' },
    });
    // p2 has no country (a null cell): it reads back as missing.
    expect(stored[2]?.features.country ?? null).toBeNull();
  });

  it('fails with 2 and a clear message when the key is refused or the model does not exist', async () => {
    await createModel('cli-e2e-auth');
    const csv = await file('auth.csv', 'id,amount,prediction\na,1,x\n');
    const refused = await vigil(['ingest', csv, '--model', 'cli-e2e-auth', '--url', server.url], {
      VIGIL_API_KEY: 'vk_not_a_key_of_this_server',
    });
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      'error: Authentication failed: The API key (from the environment) was refused.\n',
    );
    expect(refused.stdout).toBe('');

    const missing = await ingest(csv, 'cli-e2e-no-such-model');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/^error: Not found: .*\(does model 'cli-e2e-no-such-model' exist\?\)\n$/);
  });

  it("reads the model schema's column names for predictions and labels", async () => {
    const response = await server.api('/api/v1/models', {
      json: {
        name: 'cli-e2e-schema-names',
        task: 'binary_classification',
        schema: {
          features: [{ name: 'amount', type: 'numeric' }],
          id_field: 'row_id',
          timestamp_field: 'ts',
          prediction_field: 'y_pred',
          score_field: 'y_pred_proba',
          label_field: 'clf_target',
          segments: ['region'],
        },
      },
    });
    expect(response.status).toBe(201);
    const predictions = await file(
      'schema-names.csv',
      'row_id,ts,amount,y_pred,y_pred_proba,region\nr1,2026-01-05T10:00:00Z,12.5,1,0.9,eu\nr2,2026-01-05T11:00:00Z,3,0,0.2,us\n',
    );
    const sent = await ingest(predictions, 'cli-e2e-schema-names');
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const labels = await file('schema-labels.csv', 'row_id,clf_target\nr1,0\nr2,0\n');
    const labelled = await ingest(labels, 'cli-e2e-schema-names', '--kind', 'labels');
    expect(labelled.stderr).toBe('');
    expect(labelled.stdout).toMatch(/2 accepted, 0 rejected/);
    const stored = await readAll('cli-e2e-schema-names');
    expect(stored).toEqual([
      expect.objectContaining({
        id: 'r1',
        timestamp: '2026-01-05T10:00:00.000Z',
        features: { amount: 12.5 },
        prediction: 1,
        score: 0.9,
        label: 0,
        segments: { region: 'eu' },
        quality_violations: [],
      }),
      expect.objectContaining({ id: 'r2', prediction: 0, score: 0.2, label: 0, quality_violations: [] }),
    ]);
  });

  it('takes the id, timestamp, prediction, score, label and segment columns from options', async () => {
    await createModel('cli-e2e-column-flags', 'binary_classification');
    const csv = await file(
      'column-flags.csv',
      'pk,when,amount,yhat,p,truth,region\nf1,2026-01-05T10:00:00Z,1,1,0.8,1,eu\n',
    );
    const flags = [
      '--id-column',
      'pk',
      '--timestamp-column',
      'when',
      '--prediction-column',
      'yhat',
      '--score-column',
      'p',
      '--label-column',
      'truth',
      '--segment-columns',
      'region',
    ];
    const sent = await ingest(csv, 'cli-e2e-column-flags', ...flags);
    expect(sent.stderr).toBe('');
    expect(sent.code).toBe(0);
    const [stored] = await readAll('cli-e2e-column-flags');
    expect(stored).toMatchObject({
      id: 'f1',
      timestamp: '2026-01-05T10:00:00.000Z',
      features: { amount: 1 },
      prediction: 1,
      score: 0.8,
      label: 1,
      segments: { region: 'eu' },
    });
    const labels = await file('flag-labels.csv', 'pk,truth\nf1,0\n');
    const labelled = await ingest(
      labels,
      'cli-e2e-column-flags',
      '--kind',
      'labels',
      '--id-column',
      'pk',
      '--label-column',
      'truth',
    );
    expect(labelled.code).toBe(0);
    expect((await readAll('cli-e2e-column-flags'))[0]).toMatchObject({ label: 0 });
  });

  it('sends reference data once however often the command runs, replaces it with --replace, and names its output columns', async () => {
    await createModel('cli-e2e-ref-once', 'binary_classification');
    const rows = Array.from({ length: 7 }, (_, i) => `${i},${i % 2},0.${i},${(i + 1) % 2}`);
    // Rows 1 and 3 are the same: in one file they are two rows, not a re-sent upload.
    rows[3] = rows[1]!;
    const csv = await file('ref-once.csv', `amount,y_pred,y_pred_proba,clf_target\n${rows.join('\n')}\n`);
    const args = [
      '--kind',
      'reference',
      '--dataset',
      'train',
      '--batch-size',
      '2',
      '--label-column',
      'clf_target',
    ];
    const first = await ingest(csv, 'cli-e2e-ref-once', ...args);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    const again = await ingest(csv, 'cli-e2e-ref-once', ...args);
    expect(again.code).toBe(0);
    const count = async () => {
      const response = await server.api('/api/v1/models/cli-e2e-ref-once/reference');
      return ((await response.json()) as { data: { rows: number }[] }).data[0]?.rows;
    };
    expect(await count()).toBe(7);
    const model = (await (await server.api('/api/v1/models/cli-e2e-ref-once')).json()) as {
      schema: { features: { name: string }[]; label_field: string; prediction_field: string };
    };
    expect(model.schema.features.map((f) => f.name)).toEqual(['amount']);
    expect(model.schema).toMatchObject({ label_field: 'clf_target', prediction_field: 'y_pred' });

    const smaller = await file(
      'ref-smaller.csv',
      'amount,y_pred,y_pred_proba,clf_target\n1,1,0.9,1\n2,0,0.1,0\n3,1,0.8,1\n',
    );
    const replaced = await ingest(smaller, 'cli-e2e-ref-once', ...args, '--replace');
    expect(replaced.code).toBe(0);
    expect(await count()).toBe(3);
  });

  it('counts data-quality violations by kind in its summary', async () => {
    const response = await server.api('/api/v1/models', {
      json: { name: 'cli-e2e-violations', task: 'regression', schema: { features: [] } },
    });
    expect(response.status).toBe(201);
    const csv = await file('violations.csv', 'id,a,b,prediction\nv1,1,2,3\nv2,4,5,6\n');
    const result = await ingest(csv, 'cli-e2e-violations');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('  2 accepted rows with data-quality violations (unknown_feature: 2)');
  });

  it('reads the admin key from the data folder when the server is local', async () => {
    await createModel('cli-e2e-local-key');
    const csv = await file('local.csv', 'id,amount,prediction\nk1,1,x\nk2,2,y\n');
    const result = await vigil(['ingest', csv, '--model', 'cli-e2e-local-key', '--url', server.url], {
      VIGIL_DATA_DIR: server.dataDir,
    });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect((await readAll('cli-e2e-local-key')).map((p) => p.id)).toEqual(['k1', 'k2']);
  });
});

describe('vigil start', () => {
  /** `vigil start` in a child process on a free port of 127.0.0.1. */
  async function start(dataDir: string, env: Record<string, string> = {}) {
    const child = await spawnNodeScript(
      mainScript,
      ['start', '--port', '0', '--host', '127.0.0.1', '--data-dir', dataDir],
      // Empty values count as unset, so that the environment of the test run does not leak in.
      { VIGIL_ADMIN_KEY: '', VIGIL_LOG_LEVEL: 'warn', ...env },
    );
    return child;
  }

  const models = (url: string, key: string) =>
    fetch(`${url}/api/v1/models`, { headers: { authorization: `Bearer ${key}` } });

  it('creates and prints an admin key once, keeps it in <data dir>/admin.key, and reuses it', async () => {
    const dataDir = join(dir, 'start-generated');
    const first = await start(dataDir);
    let key: string;
    try {
      expect(first.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const output = first.output();
      expect(output).toContain(`Vigil is running on ${first.url}`);
      const printed = /^ {2}(vk_[\w-]+)$/m.exec(output);
      expect(printed, output).not.toBeNull();
      key = printed![1]!;
      expect(output.split(key)).toHaveLength(2);
      expect(output).toContain(join(dataDir, 'admin.key'));

      const keyFile = join(dataDir, 'admin.key');
      expect(await readFile(keyFile, 'utf8')).toBe(`${key}\n`);
      expect((await stat(keyFile)).mode & 0o777).toBe(0o600);
      const listed = await models(first.url, key);
      expect(listed.status).toBe(200);
      expect(await listed.json()).toEqual({ data: [] });
      expect((await models(first.url, 'vk_wrong_key_0123456789')).status).toBe(401);
    } finally {
      expect(await stopChild(first.process)).toBe(0);
    }

    const second = await start(dataDir);
    try {
      const output = second.output();
      expect(output).not.toContain(key);
      expect(output).not.toMatch(/admin API key/);
      expect(await readFile(join(dataDir, 'admin.key'), 'utf8')).toBe(`${key}\n`);
      expect((await models(second.url, key)).status).toBe(200);
    } finally {
      expect(await stopChild(second.process)).toBe(0);
    }
  });

  it('creates the admin key from VIGIL_ADMIN_KEY at first start without printing it', async () => {
    const dataDir = join(dir, 'start-from-env');
    const key = 'vk_chosen_by_the_operator_0123';
    const child = await start(dataDir, { VIGIL_ADMIN_KEY: key });
    try {
      const output = child.output();
      expect(output).toContain('Created the admin API key from VIGIL_ADMIN_KEY');
      expect(output).not.toContain(key);
      expect(await readFile(join(dataDir, 'admin.key'), 'utf8')).toBe(`${key}\n`);
      expect((await models(child.url, key)).status).toBe(200);

      // `vigil ingest` on the same machine finds the key in the data folder.
      expect(
        (
          await fetch(`${child.url}/api/v1/models`, {
            method: 'POST',
            headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
            body: JSON.stringify({ name: 'fraud', task: 'binary_classification' }),
          })
        ).status,
      ).toBe(201);
      const ingest = await vigil(['ingest', parquetFixture, '--model', 'fraud', '--url', child.url], {
        VIGIL_DATA_DIR: dataDir,
      });
      expect(ingest.stderr).toBe('');
      expect(ingest.code).toBe(0);
      expect(ingest.stdout).toMatch(/7 accepted, 0 rejected/);
    } finally {
      expect(await stopChild(child.process)).toBe(0);
    }
  });

  it('refuses a bad configuration with exit code 2 and the reason', async () => {
    const child = start(join(dir, 'start-bad'), { VIGIL_ADMIN_KEY: 'short' });
    await expect(child).rejects.toThrow(
      /exited with 2 before it was ready:\nerror: VIGIL_ADMIN_KEY must be at least 16 characters long\.\n/,
    );
  });

  it('prints its help without loading the server and its database engine', async () => {
    // Reports, as the process ends, the DuckDB libraries it loaded.
    const probe =
      'data:text/javascript,process.on("exit",()=>process.stderr.write("LOADED ["+' +
      'process.report.getReport().sharedObjects.filter((s)=>/duckdb/i.test(s)).join(",")+"]\\n"))';
    const { stdout, stderr } = await promisify(execFile)(
      process.execPath,
      ['--conditions=vigil-source', '--import', 'tsx', '--import', probe, mainScript, '--help'],
      { cwd: repoRoot },
    );
    expect(stdout).toContain('Usage: vigil');
    expect(stdout).toContain('start [options]');
    expect(stderr).toBe('LOADED []\n');
  });
});

import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { acceptAll, type Receiver, startReceiver } from '../../sdk/src/test-support.js';
import { resolveIngestConfig } from './ingest/config.js';
import { runIngest } from './ingest/run.js';
import { capture, runVigil } from './run-in-process.test-support.js';

let dir: string;
let receiver: Receiver;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vigil-ingest-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
beforeEach(async () => {
  receiver = await startReceiver();
});
afterEach(async () => {
  await receiver.close();
});

/** The requests that sent records (the command first reads the model's schema with a GET). */
function posts() {
  return receiver.requests.filter((r) => r.method === 'POST');
}

async function vigil(argv: string[], env: Record<string, string> = {}) {
  return runVigil(argv, { VIGIL_API_KEY: 'k', ...env }, dir);
}

async function file(name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content);
  return path;
}

const header = 'id,amount,country,prediction,score_fraud,score_legit,segment_region\n';
const csvRows = Array.from(
  { length: 12 },
  (_, i) => `r${i},${i * 1.5},FR,${i % 3 === 0 ? 'fraud' : 'legit'},0.${i},0.5,eu\n`,
);

describe('vigil ingest', () => {
  it('streams a CSV file of predictions in batches and prints a summary', async () => {
    const path = await file('preds.csv', header + csvRows.join(''));
    const result = await vigil([
      'ingest',
      path,
      '--model',
      'fraud',
      '--batch-size',
      '5',
      '--url',
      receiver.url,
      '--version',
      'v2',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/predictions → model 'fraud': 12 accepted, 0 rejected \(12 rows in/);
    expect(
      posts()
        .map((r) => r.records.length)
        .sort(),
    ).toEqual([2, 5, 5]);
    // Two requests are in flight at once, so they may arrive in either order.
    const first = posts().find((r) => r.records[0]?.id === 'r0');
    expect(first?.path).toBe('/api/v1/models/fraud/predictions');
    expect(first?.headers.authorization).toBe('Bearer k');
    // A server on this machine gets bodies uncompressed (the SDK's default).
    expect(first?.headers['content-encoding']).toBeUndefined();
    expect(first?.records[1]).toMatchObject({
      id: 'r1',
      version: 'v2',
      features: { amount: 1.5, country: 'FR' },
      prediction: 'legit',
      scores: { fraud: 0.1, legit: 0.5 },
      segments: { region: 'eu' },
    });
  });

  it('exits 1 and lists the first rejections with their line numbers', async () => {
    receiver.respond((request) => ({
      status: 200,
      body: {
        accepted: request.records.length - 1,
        rejected: [{ index: 0, id: String(request.records[0]?.id), error: 'bad amount' }],
      },
    }));
    const path = await file('rejected.csv', header + csvRows.join(''));
    const result = await vigil(['ingest', path, '-m', 'fraud', '--batch-size', '2', '--url', receiver.url]);
    expect(result.code).toBe(1);
    expect(result.stdout).toContain('6 accepted, 6 rejected');
    expect(result.stdout).toContain('  line 2 (id r0): bad amount');
    expect(result.stdout).toContain('  line 10 (id r8): bad amount');
    expect(result.stdout).toContain('… and 1 more');
  });

  it('gives rows without an id the same id on every run', async () => {
    const path = await file('noid.ndjson', '{"a":1,"prediction":0}\n{"features":{"a":2},"prediction":1}\n');
    await vigil(['ingest', path, '-m', 'm', '--url', receiver.url]);
    await vigil(['ingest', path, '-m', 'm', '--url', receiver.url]);
    const [one, two] = posts();
    expect(one?.records.map((r) => r.id)).toEqual(two?.records.map((r) => r.id));
    expect(one?.records[0]).toMatchObject({ features: { a: 1 }, prediction: 0 });
    expect(one?.records[1]).toMatchObject({ features: { a: 2 }, prediction: 1 });
  });

  it('sends labels', async () => {
    const path = await file('labels.csv', 'id,label,timestamp,note\na,1,2025-01-01T00:00:00Z,x\nb,0,,y\n');
    const result = await vigil(['ingest', path, '-m', 'm', '--kind', 'labels', '--url', receiver.url]);
    expect(result.code).toBe(0);
    expect(posts()[0]?.path).toBe('/api/v1/models/m/labels');
    // By column, as Arrow: a row's empty cell is null there, which the server reads as absent.
    expect(posts()[0]?.headers['content-type']).toBe('application/vnd.apache.arrow.stream');
    const sent = posts()[0]?.records.map(({ id, label, timestamp }) => ({ id, label, timestamp }));
    expect(sent).toEqual([
      { id: 'a', label: 1, timestamp: '2025-01-01T00:00:00Z' },
      { id: 'b', label: 0, timestamp: undefined },
    ]);
  });

  it('sends reference CSV as it is, in chunks that keep the header', async () => {
    const path = await file('ref.csv', header + csvRows.join(''));
    const result = await vigil([
      'ingest',
      path,
      '-m',
      'fraud',
      '--kind',
      'reference',
      '--batch-size',
      '5',
      '--version',
      'v1',
      '--dataset',
      'train',
      '--url',
      receiver.url,
    ]);
    expect(result.code).toBe(0);
    expect(posts()).toHaveLength(3);
    for (const request of posts()) {
      expect(request.headers['content-type']).toBe('text/csv');
      expect(request.body.startsWith(header)).toBe(true);
      expect(request.query.get('version')).toBe('v1');
      expect(request.query.get('dataset')).toBe('train');
    }
    // Two requests are in flight at once, so they may arrive in either order.
    expect(
      posts()
        .flatMap((r) => r.body.slice(header.length).split(/(?<=\n)/))
        .sort(),
    ).toEqual([...csvRows].sort());
  });

  it('sends Parquet reference data as JSON rows, row group by row group', async () => {
    const path = new URL('../test/fixtures/predictions.parquet', import.meta.url).pathname;
    const result = await vigil([
      'ingest',
      path,
      '-m',
      'fraud',
      '--kind',
      'reference',
      '--batch-size',
      '4',
      '--url',
      receiver.url,
    ]);
    expect(result.code).toBe(0);
    expect(posts().map((r) => r.records.length)).toEqual([4, 3]);
    expect(posts()[0]?.records[2]).toEqual({
      id: 'p2',
      timestamp: '2025-01-01T00:00:02.000Z',
      amount: 20,
      ratio: 0.5,
      country: null,
      prediction: true,
      score: 0.2,
      segment_region: 'na',
    });
  });

  it('maps Parquet predictions', async () => {
    const path = new URL('../test/fixtures/predictions.parquet', import.meta.url).pathname;
    await vigil(['ingest', path, '-m', 'fraud', '--url', receiver.url]);
    expect(posts()[0]?.records[0]).toEqual({
      id: 'p0',
      timestamp: '2025-01-01T00:00:00.000Z',
      features: { amount: 0, ratio: 0, country: 'FR' },
      prediction: true,
      score: 0,
      segments: { region: 'eu' },
    });
  });

  it('splits a batch the server finds too large', async () => {
    receiver.respond((request) =>
      request.records.length > 3
        ? { status: 413, body: { error: 'too_large', message: 'x' } }
        : acceptAll(request, 0),
    );
    const path = await file('split.csv', header + csvRows.join(''));
    const result = await vigil(['ingest', path, '-m', 'fraud', '--batch-size', '12', '--url', receiver.url]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('12 accepted');
  });

  it('exits 2 with a hint when authentication fails', async () => {
    receiver.respond(() => ({ status: 401, body: { error: 'unauthorized', message: 'invalid API key' } }));
    const path = await file('auth.csv', header + csvRows.join(''));
    const result = await vigil(['ingest', path, '-m', 'fraud', '--url', receiver.url], { VIGIL_API_KEY: '' });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(
      'Authentication failed: No API key was given: pass --api-key or set VIGIL_API_KEY.',
    );
    expect(receiver.requests).toHaveLength(1);
  });

  it('exits 2 when the file lacks a needed column, before sending anything', async () => {
    const path = await file('nopred.csv', 'id,amount\n1,2\n');
    const result = await vigil(['ingest', path, '-m', 'fraud', '--url', receiver.url]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/has no 'prediction' column, needed for --kind predictions/);
    expect(posts()).toHaveLength(0);
  });

  it('exits 2 on bad arguments', async () => {
    const missing = await vigil(['ingest', 'x.csv']);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain("required option '-m, --model <name>' not specified");
    const badKind = await vigil(['ingest', 'x.csv', '-m', 'a', '--kind', 'metrics']);
    expect(badKind.code).toBe(2);
    expect(badKind.stderr).toContain('Allowed choices are predictions, labels, reference');
    const noFile = await vigil(['ingest', join(dir, 'absent.csv'), '-m', 'a', '--url', receiver.url]);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toContain('error: File not found');
  });

  it('lists a CSV row with a wrong field count as rejected, with its line, and sends the others', async () => {
    const path = await file(
      'ragged.csv',
      `${header}${csvRows.slice(0, 2).join('')}1,2\n${csvRows.slice(2, 4).join('')}`,
    );
    const result = await vigil(['ingest', path, '-m', 'fraud', '--batch-size', '2', '--url', receiver.url]);
    expect(result.code).toBe(1);
    // The unreadable row counts among the file's rows, so the totals add up.
    expect(result.stdout).toMatch(/4 accepted, 1 rejected \(5 rows in /);
    expect(result.stdout).toContain('  line 4: 2 fields where the header has 7');
    expect(receiver.accepted()).toHaveLength(4);
  });

  it('exits 2 on a malformed row with --stop-on-error, after finishing the requests already sent', async () => {
    const path = await file('ragged-stop.csv', `${header}${csvRows.slice(0, 4).join('')}1,2\n`);
    const result = await vigil([
      'ingest',
      path,
      '-m',
      'fraud',
      '--batch-size',
      '2',
      '--stop-on-error',
      '--url',
      receiver.url,
    ]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: .*ragged-stop\.csv, line 6: 2 fields where the header has 7/);
    expect(result.stderr).toContain('4 rows before it were stored');
    expect(receiver.accepted()).toHaveLength(4);
  });

  it('exits 2 when the server stays unreachable', async () => {
    const path = await file('down.csv', header + csvRows.join(''));
    const url = receiver.url;
    await receiver.close();
    const config = resolveIngestConfig(path, { model: 'fraud', kind: 'predictions', url }, {}, dir);
    const error = await runIngest(
      config,
      { stderr: capture() },
      { maxRetries: 1, retryBaseDelayMs: 5 },
    ).catch((e: unknown) => e);
    expect(error).toMatchObject({ exitCode: 2 });
    expect(String(error)).toMatch(/Cannot reach the Vigil server at .* \(2 attempts\)/);
    receiver = await startReceiver();
  });

  it('draws a progress bar on a terminal', async () => {
    const path = await file('tty.csv', header + csvRows.join(''));
    const stderr = Object.assign(capture(), { isTTY: true });
    const config = resolveIngestConfig(
      path,
      { model: 'fraud', kind: 'predictions', url: receiver.url, batchSize: '4' },
      {},
      dir,
    );
    await runIngest(config, { stderr });
    expect(stderr.text).toMatch(/\[#+-*\] +\d+% {2}\d+ records {2}[\d,]+ rec\/s/);
    expect(stderr.text.endsWith('\r\x1b[K')).toBe(true);
  });
});

describe('vigil help', () => {
  it('lists the commands', async () => {
    const result = await vigil(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: vigil [options] [command]');
    expect(result.stdout).toContain('ingest [options] <file>');
  });

  it('documents the column mapping of ingest', async () => {
    const result = await vigil(['ingest', '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('score_<class> or scores.<class>');
    expect(result.stdout).toContain('--kind <kind>');
    expect(result.stdout).toContain('Exit codes:');
  });
});

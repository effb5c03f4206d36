/**
 * bench:ingest — 200,000 predictions with 20 numeric and 5 categorical features, logged
 * through the TypeScript SDK over HTTP into a Vigil server (separate process, embedded
 * DuckDB), measured until every record is acknowledged, that is durably stored; once per
 * wire format (NDJSON records, columnar JSON, Arrow IPC), each on a fresh server, and once
 * through the SDK's column-wise `logColumns` (whole batches as typed arrays, sent as Arrow).
 * Beside them, in the same run, the same rows go straight into DuckDB in-process (no HTTP,
 * no validation) through data chunks filled by column from typed arrays: the ceiling Vigil is
 * compared with.
 *
 *   npm run bench:ingest [-- --records 200000 --batch-size 5000 --in-flight 4 --formats arrow,columns,ndjson --warmup 20000] [--gzip]
 *   npm run bench:ingest -- --checks-only   # the server's reading and checking of the logColumns bodies, in-process
 *   npm run bench:ingest -- --client-only   # the SDK client alone, against a receiver that answers at once
 *   npm run bench:ingest -- --trace         # also where the timed window's wall time went (server metrics, event loops)
 *   npm run bench:ingest -- --records-shape literal   # records whose features are one object literal (see makeRecords)
 */
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { loadavg } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver, constants as perfConstants } from 'node:perf_hooks';
import {
  blobValueFromBytes,
  DOUBLE,
  DuckDBDataChunk,
  DuckDBInstance,
  type DuckDBValue,
  TIMESTAMP,
  timestampValue,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import { PredictionColumnBatch, type PredictionColumnsInput, VigilClient } from '@vigil/sdk';
import { createSeededNormals } from '@vigil/stats';
import type { ModelSchema } from '../packages/server/src/domain/index.js';
import { readArrowBody } from '../packages/server/src/ingest/arrow.js';
import {
  arrowColumnarBody,
  checkPredictionColumns,
  layOutColumns,
} from '../packages/server/src/ingest/columns.js';
import type { ColumnSource } from '../packages/server/src/storage/duckdb/column-sources.js';
import { columnsBody } from '../packages/server/src/storage/duckdb/columns-blob.js';
import { DEFAULT_CHECKPOINT_THRESHOLD_MB } from '../packages/server/src/storage/duckdb/database.js';
import { loadNativeBins, NATIVE_BINS_FILE } from '../packages/server/src/storage/duckdb/native-bins.js';
import type { ModelColumn } from '../packages/server/src/storage/types.js';
import { CHILD_SERVER_SCRIPT, spawnNodeScript } from '../packages/server/src/testing/child-process.js';
import { benchArgs } from './args.js';

const { values: args } = benchArgs(import.meta.url, {
  records: { type: 'string', default: '200000' },
  'batch-size': { type: 'string', default: '5000' },
  'in-flight': { type: 'string', default: '4' },
  formats: { type: 'string', default: 'ndjson,columns,arrow,log-columns' },
  // The SDK sends a server on this machine uncompressed bodies; --gzip compresses them anyway.
  gzip: { type: 'boolean', default: false },
  // Records logged to another model first, untimed, so that both processes run compiled code.
  warmup: { type: 'string', default: '20000' },
  // Only the server's reading, checks and layout of the logColumns Arrow bodies, in-process.
  'checks-only': { type: 'boolean', default: false },
  // Only the client: the same records and SDK settings, sent to a receiver that answers at once.
  'client-only': { type: 'boolean', default: false },
  // Where the wall time goes: the server's request stages and writer, both event loops.
  trace: { type: 'boolean', default: false },
  // How the records' features are built: 'dynamic', 25 names added one by one (V8 keeps such
  // objects as hash tables), or 'literal', one object literal of the names (fast properties).
  'records-shape': { type: 'string', default: 'dynamic' },
});
const RECORDS = Number(args.records);
const BATCH_SIZE = Number(args['batch-size']);
const IN_FLIGHT = Number(args['in-flight']);
const WARMUP = Number(args.warmup);
/** A wire format of `log()`, or `log-columns`: whole batches through `logColumns`, sent as Arrow. */
type Format = 'arrow' | 'columns' | 'ndjson' | 'log-columns';
const FORMATS = args.formats.split(',') as Format[];
if (!['dynamic', 'literal'].includes(args['records-shape']))
  throw new Error('--records-shape is dynamic or literal');
for (const format of FORMATS) {
  if (!['arrow', 'columns', 'ndjson', 'log-columns'].includes(format))
    throw new Error('--formats lists arrow, columns, ndjson, log-columns');
}
const NUMERIC = 20;
const CATEGORICAL = 5;
const KEY = 'vk_bench_admin_key_0123456789abcdef';
const workDir = join(process.cwd(), '.bench', 'ingest');

interface BenchRecord {
  id: string;
  timestamp: number;
  features: Record<string, number | string>;
  prediction: number;
  score: number;
  version: string;
}

/**
 * `features` as one object literal of the 25 names, the shape of `{ amount: tx.amount, … }` in
 * an application (V8 keeps such objects with fast properties), for `--records-shape literal`.
 */
const literalFeatures = new Function(
  'numbers',
  'categories',
  `return { ${[
    ...Array.from({ length: NUMERIC }, (_, f) => `num_${f}: numbers[${f}]`),
    ...Array.from({ length: CATEGORICAL }, (_, f) => `cat_${f}: categories[${f}]`),
  ].join(', ')} };`,
) as (numbers: number[], categories: string[]) => Record<string, number | string>;

function makeRecords(n: number): BenchRecord[] {
  // The same data on every run.
  const random = createSeededNormals(42).uniform;
  const start = Date.UTC(2026, 0, 1);
  const categories = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  return Array.from({ length: n }, (_, i) => {
    let features: Record<string, number | string> = {};
    for (let f = 0; f < NUMERIC; f++) features[`num_${f}`] = Math.round((random() * 100 - 50) * 1e4) / 1e4;
    for (let f = 0; f < CATEGORICAL; f++)
      features[`cat_${f}`] = categories[Math.floor(random() * categories.length)]!;
    if (args['records-shape'] === 'literal') {
      features = literalFeatures(
        Array.from({ length: NUMERIC }, (_, f) => features[`num_${f}`] as number),
        Array.from({ length: CATEGORICAL }, (_, f) => features[`cat_${f}`] as string),
      );
    }
    const score = random();
    return {
      id: `rec-${i}`,
      timestamp: start + i * 50,
      features,
      prediction: score > 0.5 ? 1 : 0,
      score,
      version: 'v1',
    };
  });
}

/**
 * The records as batches of columns, as an application holding its predictions by column
 * (a data frame, model outputs in typed arrays) has them: built before timing.
 */
function columnBatches(records: BenchRecord[]): PredictionColumnsInput[] {
  const batches: PredictionColumnsInput[] = [];
  for (let offset = 0; offset < records.length; offset += BATCH_SIZE) {
    const batch = records.slice(offset, offset + BATCH_SIZE);
    const features: Record<string, Float64Array | string[]> = {};
    for (let f = 0; f < NUMERIC; f++) {
      features[`num_${f}`] = Float64Array.from(batch, (r) => r.features[`num_${f}`] as number);
    }
    for (let f = 0; f < CATEGORICAL; f++) {
      features[`cat_${f}`] = batch.map((r) => r.features[`cat_${f}`] as string);
    }
    batches.push({
      id: batch.map((r) => r.id),
      timestamp: Float64Array.from(batch, (r) => r.timestamp),
      version: 'v1',
      prediction: Float64Array.from(batch, (r) => r.prediction),
      score: Float64Array.from(batch, (r) => r.score),
      features,
    });
  }
  return batches;
}

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
}

/** CPU seconds per kind of thread of a process (main thread, libuv pool, V8 helpers, workers…), from /proc. */
function threadCpuSeconds(pid: number): Map<string, number> {
  const byName = new Map<string, number>();
  for (const task of readdirSync(`/proc/${pid}/task`)) {
    try {
      const stat = readFileSync(`/proc/${pid}/task/${task}/stat`, 'utf8');
      const name = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
      const fields = stat.slice(stat.lastIndexOf(') ') + 2).split(' ');
      const seconds = (Number(fields[11]) + Number(fields[12])) / 100;
      const kind = task === String(pid) ? 'main thread' : `${name}#${task}`;
      byName.set(kind, (byName.get(kind) ?? 0) + seconds);
    } catch {
      // The thread ended between listing and reading.
    }
  }
  return byName;
}

function peakRssMiB(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const match = /VmHWM:\s+(\d+) kB/.exec(status);
  return match ? Number(match[1]) / 1024 : Number.NaN;
}

async function api(url: string, path: string, body?: unknown): Promise<unknown> {
  const response = await fetch(`${url}${path}`, {
    method: body === undefined ? 'GET' : 'POST',
    headers: { authorization: `Bearer ${KEY}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
  return response.json();
}

/** The server's metrics: every sample by its name and labels as written (`name{a="b"}`). */
async function scrapeMetrics(url: string): Promise<Map<string, number>> {
  const text = await (await fetch(`${url}/metrics`, { headers: { authorization: `Bearer ${KEY}` } })).text();
  const samples = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line.startsWith('#') || line.length === 0) continue;
    const space = line.lastIndexOf(' ');
    samples.set(line.slice(0, space), Number(line.slice(space + 1)));
  }
  return samples;
}

/**
 * Where the timed window's wall time went, from two scrapes of the server's metrics around it
 * and the client's event loop: per request, the mean time of each stage from arrival to
 * acknowledgement; the writer's busy share and the mean group commit; both event loops' busy
 * shares; and the requests in flight on average (the requests' summed time over the window).
 */
function traceReport(
  before: Map<string, number>,
  after: Map<string, number>,
  seconds: number,
  clientLoop: number,
  clientFullGcMs: number[],
): string[] {
  const delta = (name: string) => (after.get(name) ?? 0) - (before.get(name) ?? 0);
  const stage = (name: string) => ({
    seconds: delta(`vigil_ingest_stage_duration_seconds_sum{stage="${name}"}`),
    count: delta(`vigil_ingest_stage_duration_seconds_count{stage="${name}"}`),
  });
  const stages = ['receive', 'decode', 'check', 'store'].map((name) => [name, stage(name)] as const);
  const requests = stages[3]![1].count;
  const inRequests = stages.reduce((sum, [, s]) => sum + s.seconds, 0);
  const ms = (s: number) => `${(s * 1000).toFixed(1)} ms`;
  const pct = (s: number) => `${((100 * s) / seconds).toFixed(0)}%`;
  const groups = delta('vigil_store_group_commits_total');
  const grouped = delta('vigil_store_grouped_batches_total');
  const wait = delta('vigil_store_group_wait_seconds_total');
  const append = delta('vigil_store_group_append_seconds_total');
  const rollup = delta('vigil_store_group_rollup_seconds_total');
  const commit = delta('vigil_store_group_commit_seconds_total');
  const held = delta('vigil_store_writer_held_seconds_total');
  return [
    `requests: ${requests}, ${(inRequests / seconds).toFixed(2)} in flight on average at the server (from arrival to answer); per request ${stages
      .map(([name, s]) => `${name} ${ms(s.seconds / Math.max(1, s.count))}`)
      .join(', ')}`,
    `store stage per request: waiting for its group commit ${ms(wait / Math.max(1, grouped))}, its group's append + rollup + commit ${ms((append + rollup + commit) / Math.max(1, groups))}`,
    `writer: held ${pct(held)} of the wall time (${groups} group commits of ${(grouped / Math.max(1, groups)).toFixed(2)} requests; append ${pct(append)}, rollup ${pct(rollup)}, COMMIT ${pct(commit)}; per group ${ms(append / Math.max(1, groups))} + ${ms(rollup / Math.max(1, groups))} + ${ms(commit / Math.max(1, groups))})`,
    `server garbage collection: ${['major', 'incremental', 'minor']
      .map(
        (kind) =>
          `${kind} ${delta(`vigil_process_nodejs_gc_duration_seconds_count{kind="${kind}"}`)} (${ms(delta(`vigil_process_nodejs_gc_duration_seconds_sum{kind="${kind}"}`))})`,
      )
      .join(', ')}`,
    `event loops busy: server ${pct(delta('vigil_process_event_loop_busy_seconds_total'))} (its delay p50 ${ms(after.get('vigil_process_nodejs_eventloop_lag_p50_seconds') ?? 0)}, p99 ${ms(after.get('vigil_process_nodejs_eventloop_lag_p99_seconds') ?? 0)}, max ${ms(after.get('vigil_process_nodejs_eventloop_lag_max_seconds') ?? 0)}), client ${(100 * clientLoop).toFixed(0)}%; client full GCs: ${clientFullGcMs.length} (${clientFullGcMs.map((d) => `${d.toFixed(0)} ms`).join(', ')})`,
  ];
}

/** Full garbage collections from now until the returned function is called (their durations, ms). */
function watchFullCollections(): () => number[] {
  const durations: number[] = [];
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const kind = (entry as { detail?: { kind?: number } }).detail?.kind;
      if (kind === perfConstants.NODE_PERFORMANCE_GC_MAJOR) durations.push(entry.duration);
    }
  });
  observer.observe({ entryTypes: ['gc'] });
  return () => {
    observer.disconnect();
    return durations;
  };
}

/** The SDK client of every timed path: the bench's batch size, requests in flight and format. */
function sdkClient(url: string, model: string, records: number, format: Format): VigilClient {
  return new VigilClient({
    url,
    apiKey: KEY,
    model,
    batchSize: BATCH_SIZE,
    maxQueue: records + 1,
    maxInFlight: IN_FLIGHT,
    format: format === 'log-columns' ? 'arrow' : format,
    flushIntervalMs: 50,
    ...(args.gzip ? { compression: true } : {}),
  });
}

async function benchVigil(records: BenchRecord[], format: Format) {
  const dataDir = join(workDir, 'vigil-data');
  rmSync(dataDir, { recursive: true, force: true });
  const server = await spawnNodeScript(CHILD_SERVER_SCRIPT, [], {
    VIGIL_DATA_DIR: dataDir,
    VIGIL_PORT: '0',
    VIGIL_HOST: '127.0.0.1',
    VIGIL_ADMIN_KEY: KEY,
    VIGIL_LOG_LEVEL: 'warn',
  });
  try {
    const schema = {
      features: [
        ...Array.from({ length: NUMERIC }, (_, f) => ({ name: `num_${f}`, type: 'numeric' })),
        ...Array.from({ length: CATEGORICAL }, (_, f) => ({ name: `cat_${f}`, type: 'categorical' })),
      ],
    };
    const clientFor = (model: string) => sdkClient(server.url, model, records.length, format);
    if (WARMUP > 0) {
      // A server runs for long: the JIT compiler's start-up work (several µs per record over
      // the first 100,000 records) is not what a record costs it, so it happens before timing.
      await api(server.url, '/api/v1/models', { name: 'warmup', task: 'binary_classification', schema });
      const warmup = clientFor('warmup');
      if (format === 'log-columns') {
        for (const batch of columnBatches(records.slice(0, WARMUP))) warmup.logColumns(batch);
      } else {
        for (const record of records.slice(0, WARMUP)) warmup.log(record);
      }
      const result = await warmup.close();
      if (result.accepted !== Math.min(WARMUP, records.length)) throw new Error('warm-up incomplete');
    }
    await api(server.url, '/api/v1/models', { name: 'bench', task: 'binary_classification', schema });
    const client = clientFor('bench');
    const batches = format === 'log-columns' ? columnBatches(records) : [];
    // The metrics are read outside the CPU measured.
    const metricsBefore = args.trace ? await scrapeMetrics(server.url) : undefined;
    const clientRssBefore = process.memoryUsage().rss;
    const serverCpuBefore = cpuSeconds(server.process.pid!);
    const threadsBefore = threadCpuSeconds(server.process.pid!);
    const fullCollections = args.trace ? watchFullCollections() : undefined;
    const loopBefore = performance.eventLoopUtilization();
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    if (format === 'log-columns') for (const batch of batches) client.logColumns(batch);
    else for (const record of records) client.log(record);
    const result = await client.close();
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const clientLoop = performance.eventLoopUtilization(loopBefore).utilization;
    const serverCpuSeconds = cpuSeconds(server.process.pid!) - serverCpuBefore;
    const serverThreads = [...threadCpuSeconds(server.process.pid!)]
      .map(([name, seconds]): [string, number] => [name, seconds - (threadsBefore.get(name) ?? 0)])
      .filter(([, seconds]) => seconds > 0)
      .sort((a, b) => b[1] - a[1]);
    const trace =
      metricsBefore && fullCollections
        ? traceReport(metricsBefore, await scrapeMetrics(server.url), seconds, clientLoop, fullCollections())
        : [];
    if (result.accepted !== records.length || result.failed > 0 || result.rejected.length > 0) {
      throw new Error(`delivery incomplete: ${JSON.stringify(result)}`);
    }
    const traffic = (await api(server.url, '/api/v1/models/bench/traffic?bucket=week')) as {
      data: { predictions: number }[];
    };
    const stored = traffic.data.reduce((n, w) => n + w.predictions, 0);
    if (stored !== records.length) throw new Error(`stored ${stored} of ${records.length} records`);
    // Part of the write-ahead log is not folded into the database file yet (the server does it
    // when its writer idles, or at the log's size threshold). A backup checkpoints it now, so
    // that every variant's timed CPU plus this one is the whole cost of storing the records.
    const checkpointCpuBefore = cpuSeconds(server.process.pid!);
    const backup = await fetch(`${server.url}/api/v1/admin/backup`, {
      method: 'POST',
      headers: { authorization: `Bearer ${KEY}` },
    });
    if (!backup.ok) throw new Error(`backup: HTTP ${backup.status}`);
    await backup.arrayBuffer();
    const checkpointCpuSeconds = cpuSeconds(server.process.pid!) - checkpointCpuBefore;
    return {
      seconds,
      recordsPerSecond: records.length / seconds,
      serverPeakRssMiB: peakRssMiB(server.process.pid!),
      serverCpuMicrosPerRecord: (serverCpuSeconds * 1e6) / records.length,
      checkpointCpuMicrosPerRecord: (checkpointCpuSeconds * 1e6) / records.length,
      clientCpuMicrosPerRecord: (clientCpu.user + clientCpu.system) / records.length,
      clientRssGrowthMiB: (process.memoryUsage().rss - clientRssBefore) / 2 ** 20,
      trace,
      serverThreadMicrosPerRecord: serverThreads.map(
        ([name, seconds]) => `${name} ${((seconds * 1e6) / records.length).toFixed(1)}`,
      ),
    };
  } finally {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
  }
}

const TABLE_COLUMNS = [
  'id VARCHAR PRIMARY KEY',
  'ts TIMESTAMP',
  'version VARCHAR',
  'prediction DOUBLE',
  'score DOUBLE',
  ...Array.from({ length: NUMERIC }, (_, f) => `num_${f} DOUBLE`),
  ...Array.from({ length: CATEGORICAL }, (_, f) => `cat_${f} VARCHAR`),
];

/** A batch's columns as DuckDB stores them, built before timing (see `benchDuckDb`'s `columns`). */
interface DuckDbColumns {
  length: number;
  ids: string[];
  micros: BigInt64Array;
  versions: string[];
  numbers: Float64Array[];
  strings: string[][];
}

function duckDbColumns(batch: BenchRecord[]): DuckDbColumns {
  return {
    length: batch.length,
    ids: batch.map((r) => r.id),
    micros: BigInt64Array.from(batch, (r) => BigInt(r.timestamp) * 1000n),
    versions: batch.map((r) => r.version),
    numbers: [
      Float64Array.from(batch, (r) => r.prediction),
      Float64Array.from(batch, (r) => r.score),
      ...Array.from({ length: NUMERIC }, (_, f) =>
        Float64Array.from(batch, (r) => r.features[`num_${f}`] as number),
      ),
    ],
    strings: Array.from({ length: CATEGORICAL }, (_, f) =>
      batch.map((r) => r.features[`cat_${f}`] as string),
    ),
  };
}

/** The batch as one body for the extension's `vigil_columns`, strings as they are. */
function columnsBodyOf(batch: DuckDbColumns): Uint8Array {
  const text = (values: string[]): ColumnSource => ({
    type: VARCHAR,
    data: { kind: 'text', values, valid: null },
  });
  const doubles = (values: Float64Array): ColumnSource => ({
    type: DOUBLE,
    data: { kind: 'double', values, valid: null },
  });
  const micros = Float64Array.from(batch.micros, (m) => Number(m));
  return columnsBody(
    [
      text(batch.ids),
      { type: TIMESTAMP, data: { kind: 'timestamp', micros, valid: null } },
      text(batch.versions),
      ...batch.numbers.map(doubles),
      ...batch.strings.map(text),
    ],
    batch.length,
  );
}

/**
 * The same rows straight into a DuckDB table in-process, no HTTP or checks, one commit per
 * batch as Vigil makes: value by value through the appender; through data chunks filled value
 * by value (`setItem`, the binding's general way); and through data chunks filled by column from
 * typed arrays made before timing (numbers and timestamps one copy per column and chunk, strings
 * one call each), DuckDB's fastest in-memory bulk path in this binding: the ceiling.
 */
async function benchDuckDb(records: BenchRecord[], how: 'values' | 'vectors' | 'columns' | 'body') {
  const path = join(workDir, `${how}.duckdb`);
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  // The server's log size threshold, so that both checkpoint equally often.
  const instance = await DuckDBInstance.create(path, {
    checkpoint_threshold: `${DEFAULT_CHECKPOINT_THRESHOLD_MB}MiB`,
    ...(how === 'body' ? { allow_unsigned_extensions: 'true' } : {}),
  });
  const connection = await instance.connect();
  if (how === 'body') {
    const loaded = await loadNativeBins(connection, true);
    if (!loaded.loaded) throw new Error(loaded.reason);
  }
  // As the server stores doubles (see storage/duckdb/database.ts).
  await connection.run("SET GLOBAL disabled_compression_methods = 'alprd'");
  await connection.run(`CREATE TABLE events (${TABLE_COLUMNS.join(', ')})`);
  const types = [
    VARCHAR,
    TIMESTAMP,
    VARCHAR,
    DOUBLE,
    DOUBLE,
    ...Array.from({ length: NUMERIC }, () => DOUBLE),
    ...Array.from({ length: CATEGORICAL }, () => VARCHAR),
  ];
  const batches: BenchRecord[][] = [];
  for (let offset = 0; offset < records.length; offset += BATCH_SIZE) {
    batches.push(records.slice(offset, offset + BATCH_SIZE));
  }
  const columns = how === 'columns' || how === 'body' ? batches.map(duckDbColumns) : [];
  const bodies = how === 'body' ? columns.map(columnsBodyOf) : [];
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  for (const [index, batch] of batches.entries()) {
    if (how === 'body') {
      await connection.run('BEGIN TRANSACTION');
      await connection.run('INSERT INTO events SELECT * FROM vigil_columns($1)', [
        blobValueFromBytes(bodies[index]!),
      ]);
      await connection.run('COMMIT');
      continue;
    }
    const appender = await connection.createAppender('events');
    if (how === 'values') {
      for (const record of batch) {
        appender.appendVarchar(record.id);
        appender.appendTimestamp(timestampValue(BigInt(record.timestamp) * 1000n));
        appender.appendVarchar(record.version);
        appender.appendDouble(record.prediction);
        appender.appendDouble(record.score);
        for (let f = 0; f < NUMERIC; f++) appender.appendDouble(record.features[`num_${f}`] as number);
        for (let f = 0; f < CATEGORICAL; f++) appender.appendVarchar(record.features[`cat_${f}`] as string);
        appender.endRow();
      }
    } else if (how === 'vectors') {
      for (let start = 0; start < batch.length; start += 2048) {
        const rows = batch.slice(start, start + 2048);
        const chunk = DuckDBDataChunk.create(types, rows.length);
        const fill = (column: number, value: (r: BenchRecord) => DuckDBValue) => {
          const vector = chunk.getColumnVector(column);
          for (let i = 0; i < rows.length; i++) vector.setItem(i, value(rows[i]!));
          vector.flush();
        };
        fill(0, (r) => r.id);
        fill(1, (r) => timestampValue(BigInt(r.timestamp) * 1000n));
        fill(2, (r) => r.version);
        fill(3, (r) => r.prediction);
        fill(4, (r) => r.score);
        for (let f = 0; f < NUMERIC; f++) fill(5 + f, (r) => r.features[`num_${f}`] as number);
        for (let f = 0; f < CATEGORICAL; f++) fill(5 + NUMERIC + f, (r) => r.features[`cat_${f}`] as string);
        appender.appendDataChunk(chunk);
      }
    } else {
      const batchColumns = columns[index]!;
      for (let start = 0; start < batchColumns.length; start += 2048) {
        const count = Math.min(2048, batchColumns.length - start);
        const chunk = DuckDBDataChunk.create(types, count);
        const vector = (column: number) => duckdb.data_chunk_get_vector(chunk.chunk, column);
        const copy = (column: number, values: Float64Array | BigInt64Array) =>
          duckdb.copy_data_to_vector(
            vector(column),
            0,
            values.buffer as ArrayBuffer,
            values.byteOffset + start * 8,
            count * 8,
          );
        const assign = (column: number, values: string[]) => {
          const target = vector(column);
          for (let i = 0; i < count; i++) duckdb.vector_assign_string_element(target, i, values[start + i]!);
        };
        assign(0, batchColumns.ids);
        copy(1, batchColumns.micros);
        assign(2, batchColumns.versions);
        for (const [k, values] of batchColumns.numbers.entries()) copy(3 + k, values);
        for (const [k, values] of batchColumns.strings.entries()) assign(5 + NUMERIC + k, values);
        appender.appendDataChunk(chunk);
      }
    }
    appender.closeSync(); // flushes and commits the batch
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  connection.closeSync();
  instance.closeSync();
  return {
    seconds,
    recordsPerSecond: records.length / seconds,
    cpuMicrosPerRecord: (cpu.user + cpu.system) / records.length,
  };
}

/**
 * The part of the server's path that is Vigil's own JavaScript, without HTTP or DuckDB: each
 * logColumns batch as the SDK encodes it (Arrow IPC), read (`readArrowBody`), checked row by row
 * (`checkPredictionColumns`) and laid out in the model's columns (`layOutColumns`). CPU per
 * record of the fastest and the median of seven passes over all batches, after three untimed.
 */
function benchChecks(records: BenchRecord[]) {
  const bodies = columnBatches(records).map((input) => {
    const batch = new PredictionColumnBatch(input);
    const body = batch.body(0, batch.length, true).body as Uint8Array;
    return Buffer.from(body.buffer, body.byteOffset, body.byteLength);
  });
  const features = [
    ...Array.from({ length: NUMERIC }, (_, f) => ({ name: `num_${f}`, type: 'numeric' as const })),
    ...Array.from({ length: CATEGORICAL }, (_, f) => ({ name: `cat_${f}`, type: 'categorical' as const })),
  ];
  const schema = { features } as ModelSchema;
  const columns: ModelColumn[] = features.map((f, position) => ({
    ...f,
    role: 'feature',
    position,
    declared: true,
  }));
  const pass = () => {
    let n = 0;
    for (const body of bodies) {
      const context = {
        task: 'binary_classification' as const,
        schema,
        nowMicros: Date.now() * 1000,
        classes: null,
      };
      const first = checkPredictionColumns(arrowColumnarBody(readArrowBody(body)), context);
      n += layOutColumns(first, columns, schema).length;
    }
    if (n !== records.length) throw new Error(`laid out ${n} of ${records.length} records`);
  };
  for (let i = 0; i < 3; i++) pass();
  const micros: number[] = [];
  for (let i = 0; i < 7; i++) {
    const before = process.cpuUsage();
    pass();
    const cpu = process.cpuUsage(before);
    micros.push((cpu.user + cpu.system) / records.length);
  }
  micros.sort((a, b) => a - b);
  return { fastest: micros[0]!, median: micros[3]! };
}

/**
 * A receiver in another process that reads each request and answers it as accepted at once
 * (the rows counted from the body), so that the client's CPU is measured without a server's.
 */
const RECEIVER = `
import http from 'node:http';
import { tableFromIPC } from 'apache-arrow';
const rows = (type, body) => {
  if (type.includes('arrow')) return tableFromIPC(body).numRows;
  if (type.includes('columns')) return JSON.parse(body.toString()).length;
  return body.toString().split('\\n').filter((line) => line.length > 0).length;
};
const server = http.createServer((request, response) => {
  const chunks = [];
  request.on('data', (chunk) => chunks.push(chunk));
  request.on('end', () => {
    const accepted = rows(request.headers['content-type'] ?? '', Buffer.concat(chunks));
    response.writeHead(200, { 'content-type': 'application/json' });
    response.end(JSON.stringify({ accepted, rejected: [] }));
  });
});
server.listen(0, '127.0.0.1', () => console.log(server.address().port));
`;

/** The client's CPU per record, by thread, and the full garbage collections in its timed window. */
async function benchClient(records: BenchRecord[], format: Format) {
  const receiver = spawn(process.execPath, ['--input-type=module', '-e', RECEIVER], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  try {
    const [port] = (await once(receiver.stdout!, 'data')) as [Buffer];
    const clientFor = (model: string) =>
      sdkClient(`http://127.0.0.1:${String(port).trim()}`, model, records.length, format);
    const send = async (client: VigilClient, rows: BenchRecord[], batches: PredictionColumnsInput[]) => {
      if (format === 'log-columns') for (const batch of batches) client.logColumns(batch);
      else for (const record of rows) client.log(record);
      const result = await client.close();
      if (result.accepted !== rows.length) throw new Error(`delivery incomplete: ${JSON.stringify(result)}`);
    };
    const warmup = records.slice(0, WARMUP);
    if (WARMUP > 0)
      await send(clientFor('warmup'), warmup, format === 'log-columns' ? columnBatches(warmup) : []);
    const client = clientFor('bench');
    const batches = format === 'log-columns' ? columnBatches(records) : [];
    const fullCollections = watchFullCollections();
    const threadsBefore = threadCpuSeconds(process.pid);
    const cpuBefore = process.cpuUsage();
    await send(client, records, batches);
    const cpu = process.cpuUsage(cpuBefore);
    const threads = [...threadCpuSeconds(process.pid)]
      .map(([name, seconds]): [string, number] => [name, seconds - (threadsBefore.get(name) ?? 0)])
      .filter(([, seconds]) => seconds > 0)
      .sort((a, b) => b[1] - a[1]);
    await new Promise((resolve) => setImmediate(resolve));
    return {
      micros: (cpu.user + cpu.system) / records.length,
      threads: threads.map(([name, seconds]) => `${name} ${((seconds * 1e6) / records.length).toFixed(2)}`),
      fullCollections: fullCollections(),
    };
  } finally {
    receiver.kill();
  }
}

mkdirSync(workDir, { recursive: true });
const records = makeRecords(RECORDS);
if (args['client-only']) {
  console.log(
    `bench:ingest --client-only — ${RECORDS.toLocaleString('en')} records (after ${WARMUP.toLocaleString('en')} untimed), batches of ${BATCH_SIZE}, ${IN_FLIGHT} requests in flight, to a receiver that answers at once; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  for (const format of FORMATS) {
    const run = await benchClient(records, format);
    console.log(
      `${format}: client CPU ${run.micros.toFixed(2)} µs per record (by thread: ${run.threads.join(', ')}); full collections in the timed window: ${run.fullCollections.length} (${run.fullCollections.map((ms) => `${ms.toFixed(0)} ms`).join(', ')})`,
    );
  }
  process.exit(0);
}
if (args['checks-only']) {
  const { fastest, median } = benchChecks(records);
  console.log(
    `bench:ingest --checks-only — ${RECORDS.toLocaleString('en')} records in batches of ${BATCH_SIZE}, as logColumns sends them (Arrow IPC): reading, checks and layout took ${fastest.toFixed(2)} µs of CPU per record (median ${median.toFixed(2)}) in-process; load average ${loadavg()
      .map((l) => l.toFixed(2))
      .join(' ')}`,
  );
  process.exit(0);
}
console.log(
  `bench:ingest — ${RECORDS.toLocaleString('en')} records (after ${WARMUP.toLocaleString('en')} untimed), ${NUMERIC} numeric + ${CATEGORICAL} categorical features (${args['records-shape']} objects), batches of ${BATCH_SIZE}, ${IN_FLIGHT} requests in flight; load average ${loadavg()
    .map((l) => l.toFixed(2))
    .join(' ')}`,
);
const FORMAT_NAMES: Record<Format, string> = {
  ndjson: 'NDJSON records',
  columns: 'columnar JSON',
  arrow: 'Arrow IPC',
  'log-columns': 'logColumns, Arrow IPC',
};
const vigil: [Format, Awaited<ReturnType<typeof benchVigil>>][] = [];
for (const format of FORMATS) vigil.push([format, await benchVigil(records, format)]);
const values = await benchDuckDb(records, 'values');
const vectors = await benchDuckDb(records, 'vectors');
const columns = await benchDuckDb(records, 'columns');
// The extension's scan of a body made before timing: no JavaScript per row or chunk at all.
const ceiling = existsSync(NATIVE_BINS_FILE) ? await benchDuckDb(records, 'body') : columns;
const fmt = (n: number) => Math.round(n).toLocaleString('en');
console.log('');
console.log(
  '| path | seconds | records/s | / ceiling | CPU µs per record (server + client) | peak RSS (server) |',
);
console.log('| --- | ---: | ---: | ---: | ---: | ---: |');
for (const [format, run] of vigil) {
  console.log(
    `| Vigil: SDK → HTTP (${args.gzip ? 'gzip ' : ''}${FORMAT_NAMES[format]}) → checks → DuckDB, acknowledged = durable | ${run.seconds.toFixed(2)} | ${fmt(run.recordsPerSecond)} | ${(run.recordsPerSecond / ceiling.recordsPerSecond).toFixed(2)} | ${(run.serverCpuMicrosPerRecord + run.clientCpuMicrosPerRecord).toFixed(1)} (${run.serverCpuMicrosPerRecord.toFixed(1)} + ${run.clientCpuMicrosPerRecord.toFixed(1)}) | ${run.serverPeakRssMiB.toFixed(0)} MiB |`,
  );
}
console.log(
  `| DuckDB appender value by value, in-process, no HTTP, no checks | ${values.seconds.toFixed(2)} | ${fmt(values.recordsPerSecond)} | ${(values.recordsPerSecond / ceiling.recordsPerSecond).toFixed(2)} | ${values.cpuMicrosPerRecord.toFixed(1)} | – |`,
);
console.log(
  `| DuckDB data chunks filled value by value, in-process, no HTTP, no checks | ${vectors.seconds.toFixed(2)} | ${fmt(vectors.recordsPerSecond)} | ${(vectors.recordsPerSecond / ceiling.recordsPerSecond).toFixed(2)} | ${vectors.cpuMicrosPerRecord.toFixed(1)} | – |`,
);
console.log(
  `| DuckDB data chunks filled by column from typed arrays, in-process, no HTTP, no checks${ceiling === columns ? ' (ceiling)' : ''} | ${columns.seconds.toFixed(2)} | ${fmt(columns.recordsPerSecond)} | ${(columns.recordsPerSecond / ceiling.recordsPerSecond).toFixed(2)} | ${columns.cpuMicrosPerRecord.toFixed(1)} | – |`,
);
if (ceiling !== columns) {
  console.log(
    `| DuckDB INSERT from vigil_columns (the extension's scan) of bodies made before timing, in-process, no HTTP, no checks (ceiling) | ${ceiling.seconds.toFixed(2)} | ${fmt(ceiling.recordsPerSecond)} | 1.00 | ${ceiling.cpuMicrosPerRecord.toFixed(1)} | – |`,
  );
}
console.log('');
for (const [format, run] of vigil) {
  console.log(
    `${FORMAT_NAMES[format]}: client process RSS grew by ${run.clientRssGrowthMiB.toFixed(0)} MiB while holding and sending the records.`,
  );
  console.log(
    `${FORMAT_NAMES[format]}: server CPU µs per record by thread: ${run.serverThreadMicrosPerRecord.join(', ')}.`,
  );
  console.log(
    `${FORMAT_NAMES[format]}: then a backup (a checkpoint of the rest of the log, and a copy of the file) took ${run.checkpointCpuMicrosPerRecord.toFixed(1)} µs of server CPU per record.`,
  );
  for (const line of run.trace) console.log(`${FORMAT_NAMES[format]}: ${line}.`);
}

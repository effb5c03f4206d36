/**
 * bench:ingest — 200,000 predictions with 20 numeric and 5 categorical features, logged
 * through the TypeScript SDK over HTTP into a Vigil server (separate process, embedded
 * DuckDB), measured until every record is acknowledged, that is durably stored.
 * Beside it, in the same run, the same records go straight into DuckDB through its
 * appender in-process (no HTTP, no validation): the ceiling Vigil is compared with.
 *
 *   npm run bench:ingest [-- --records 200000 --batch-size 5000 --in-flight 4 --format columns|ndjson]
 */
import { mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { DuckDBInstance, timestampValue } from '@duckdb/node-api';
import { VigilClient } from '@vigil/sdk';
import { CHILD_SERVER_SCRIPT, spawnNodeScript } from '../packages/server/src/testing/child-process.js';

const { values: args } = parseArgs({
  options: {
    records: { type: 'string', default: '200000' },
    'batch-size': { type: 'string', default: '5000' },
    'in-flight': { type: 'string', default: '4' },
    format: { type: 'string', default: 'columns' },
  },
});
const RECORDS = Number(args.records);
const BATCH_SIZE = Number(args['batch-size']);
const IN_FLIGHT = Number(args['in-flight']);
if (args.format !== 'columns' && args.format !== 'ndjson') throw new Error('--format is columns or ndjson');
const FORMAT: 'columns' | 'ndjson' = args.format;
const NUMERIC = 20;
const CATEGORICAL = 5;
const KEY = 'vk_bench_admin_key_0123456789abcdef';
const workDir = join(process.cwd(), '.bench', 'ingest');

/** A small seeded generator so every run logs the same data. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface BenchRecord {
  id: string;
  timestamp: number;
  features: Record<string, number | string>;
  prediction: number;
  score: number;
  version: string;
}

function makeRecords(n: number): BenchRecord[] {
  const random = mulberry32(42);
  const start = Date.UTC(2026, 0, 1);
  const categories = ['alpha', 'beta', 'gamma', 'delta', 'epsilon', 'zeta', 'eta', 'theta'];
  return Array.from({ length: n }, (_, i) => {
    const features: Record<string, number | string> = {};
    for (let f = 0; f < NUMERIC; f++) features[`num_${f}`] = Math.round((random() * 100 - 50) * 1e4) / 1e4;
    for (let f = 0; f < CATEGORICAL; f++)
      features[`cat_${f}`] = categories[Math.floor(random() * categories.length)]!;
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

/** CPU seconds (user + system) a process has used so far, from /proc. */
function cpuSeconds(pid: number): number {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (USER_HZ = 100)
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

async function benchVigil(records: BenchRecord[]) {
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
    await api(server.url, '/api/v1/models', { name: 'bench', task: 'binary_classification', schema });
    const client = new VigilClient({
      url: server.url,
      apiKey: KEY,
      model: 'bench',
      batchSize: BATCH_SIZE,
      maxQueue: records.length + 1,
      maxInFlight: IN_FLIGHT,
      format: FORMAT,
      flushIntervalMs: 50,
    });
    const clientRssBefore = process.memoryUsage().rss;
    const serverCpuBefore = cpuSeconds(server.process.pid!);
    const clientCpuBefore = process.cpuUsage();
    const started = performance.now();
    for (const record of records) client.log(record);
    const result = await client.close();
    const seconds = (performance.now() - started) / 1000;
    const clientCpu = process.cpuUsage(clientCpuBefore);
    const serverCpuSeconds = cpuSeconds(server.process.pid!) - serverCpuBefore;
    if (result.accepted !== records.length || result.failed > 0 || result.rejected.length > 0) {
      throw new Error(`delivery incomplete: ${JSON.stringify(result)}`);
    }
    const traffic = (await api(server.url, '/api/v1/models/bench/traffic?bucket=week')) as {
      data: { predictions: number }[];
    };
    const stored = traffic.data.reduce((n, w) => n + w.predictions, 0);
    if (stored !== records.length) throw new Error(`stored ${stored} of ${records.length} records`);
    return {
      seconds,
      recordsPerSecond: records.length / seconds,
      serverPeakRssMiB: peakRssMiB(server.process.pid!),
      serverCpuMicrosPerRecord: (serverCpuSeconds * 1e6) / records.length,
      clientCpuMicrosPerRecord: (clientCpu.user + clientCpu.system) / records.length,
      clientRssGrowthMiB: (process.memoryUsage().rss - clientRssBefore) / 2 ** 20,
    };
  } finally {
    server.process.kill('SIGTERM');
    await new Promise((resolve) => server.process.once('exit', resolve));
  }
}

/** The ceiling: the same rows appended straight into a DuckDB table, in-process, no HTTP or checks. */
async function benchDuckDbAppender(records: BenchRecord[]) {
  const path = join(workDir, 'appender.duckdb');
  rmSync(path, { force: true });
  rmSync(`${path}.wal`, { force: true });
  const instance = await DuckDBInstance.create(path);
  const connection = await instance.connect();
  const columns = [
    'id VARCHAR PRIMARY KEY',
    'ts TIMESTAMP',
    'version VARCHAR',
    'prediction DOUBLE',
    'score DOUBLE',
    ...Array.from({ length: NUMERIC }, (_, f) => `num_${f} DOUBLE`),
    ...Array.from({ length: CATEGORICAL }, (_, f) => `cat_${f} VARCHAR`),
  ];
  await connection.run(`CREATE TABLE events (${columns.join(', ')})`);
  const started = performance.now();
  for (let offset = 0; offset < records.length; offset += BATCH_SIZE) {
    const appender = await connection.createAppender('events');
    for (const record of records.slice(offset, offset + BATCH_SIZE)) {
      appender.appendVarchar(record.id);
      appender.appendTimestamp(timestampValue(BigInt(record.timestamp) * 1000n));
      appender.appendVarchar(record.version);
      appender.appendDouble(record.prediction);
      appender.appendDouble(record.score);
      for (let f = 0; f < NUMERIC; f++) appender.appendDouble(record.features[`num_${f}`] as number);
      for (let f = 0; f < CATEGORICAL; f++) appender.appendVarchar(record.features[`cat_${f}`] as string);
      appender.endRow();
    }
    appender.closeSync(); // flushes and commits the batch
  }
  const seconds = (performance.now() - started) / 1000;
  connection.closeSync();
  instance.closeSync();
  return { seconds, recordsPerSecond: records.length / seconds };
}

mkdirSync(workDir, { recursive: true });
const records = makeRecords(RECORDS);
console.log(
  `bench:ingest — ${RECORDS.toLocaleString('en')} records, ${NUMERIC} numeric + ${CATEGORICAL} categorical features, batches of ${BATCH_SIZE} sent as ${FORMAT === 'columns' ? 'columns' : 'NDJSON'}, ${IN_FLIGHT} requests in flight`,
);
const vigil = await benchVigil(records);
const ceiling = await benchDuckDbAppender(records);
const fmt = (n: number) => Math.round(n).toLocaleString('en');
console.log('');
console.log('| path | seconds | records/s | peak RSS |');
console.log('| --- | ---: | ---: | ---: |');
console.log(
  `| Vigil: SDK → HTTP (gzip ${FORMAT === 'columns' ? 'columns' : 'NDJSON'}) → validation → DuckDB, acknowledged = durable | ${vigil.seconds.toFixed(2)} | ${fmt(vigil.recordsPerSecond)} | server ${vigil.serverPeakRssMiB.toFixed(0)} MiB |`,
);
console.log(
  `| DuckDB appender in-process, no HTTP, no checks (ceiling) | ${ceiling.seconds.toFixed(2)} | ${fmt(ceiling.recordsPerSecond)} | – |`,
);
console.log('');
console.log(
  `Vigil reaches ${((vigil.recordsPerSecond / ceiling.recordsPerSecond) * 100).toFixed(0)}% of the in-process appender's rate.`,
);
console.log(
  `Client process RSS grew by ${vigil.clientRssGrowthMiB.toFixed(0)} MiB while holding and sending the records.`,
);
console.log(
  `CPU per record: server ${vigil.serverCpuMicrosPerRecord.toFixed(1)} µs, client (SDK) ${vigil.clientCpuMicrosPerRecord.toFixed(1)} µs.`,
);

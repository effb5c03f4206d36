/**
 * bench:monitor — evaluation throughput of the default monitors on embedded DuckDB.
 *
 * (a) One model, 50 features (40 numeric, 10 categorical), a declared schema, 100,000 reference
 *     rows (CSV over HTTP, which creates the default monitors), one closed 1-hour window of
 *     1,000,000 predictions inserted through the store's columnar insert. The window's tasks are
 *     queued as ingestion queues them (`predictionsStored` + `flushMarks`) and `drain()` is timed:
 *     one cold run (reference-side statistics computed: nothing in memory, nothing in the store),
 *     one store-warm run (memory cleared, the statistics read from the store: what a restarted
 *     evaluator sees) and `--runs` warm runs (from memory).
 *     Then (a, streamed; skip with `--skip s`) the next hour arrives as it would in production:
 *     in `--arrivals` pieces (default 60: minute by minute), each inserted and followed by the
 *     debounced evaluation of the open window (timed separately), on an evaluator whose clock
 *     follows the data; the last piece is followed directly by the window-close evaluation,
 *     which is timed. `--partials off` rescans the growing window each time (as before stored
 *     per-minute partial profiles).
 * (b) `--models` models with the same 50 features, 1-minute default windows, 1,000 predictions per
 *     model per minute over `--minutes` closed minutes; `drain()` is timed per minute (all models).
 *     Minute 0 is the first after the uploads (whose statistics were computed in the background);
 *     then minutes run cold, store-warm and warm in turn (as in (a); `--cycle warm` for warm ones
 *     only). `--small-windows off` profiles every window in the engine (small windows are read
 *     once and profiled in-process by default).
 *     Each minute reports, per model-window, the drain, the alerting step after it and their
 *     sum. The alert engine follows the results as the drain stores them (each write pokes it),
 *     so part of its work overlaps the drain and counts in the drain's time; the alerting step
 *     is what still runs once the drain is done, until the engine has nothing left (also given
 *     as the process's CPU time then). The largest number of models one evaluator keeps up
 *     with is 60 s / (median of that sum over the phase's minutes). A step during which the
 *     write-ahead log shrank ran a checkpoint (the log folded into the file, inside the commit
 *     that takes it past `VIGIL_CHECKPOINT_MB` or once the writer has idled for a second): such
 *     a minute is marked, left out of the medians and reported on its own line.
 *
 * Reference-side statistics are computed in the background after each upload; the bench waits
 * for that (and reports how long it took) before it times anything.
 *
 * (a) shifts the first 5 numeric features by `--shift` σ (default 0.2, so that the answer can be
 * checked: those 5 features, the score and the prediction drift, nothing else; `--shift 0` gives
 * a stationary window, which raises no alert).
 * `--exclude multivariate_drift` disables default monitors of the given kinds.
 * `--share off` evaluates each monitor on its own profile of the window (as before window
 * profiles were shared), which also gives a per-kind breakdown that adds up.
 *
 * (c) With `--contention` (`npm run bench:ingest-during-evaluation`): steady ingestion through the SDK
 *     (`--ingest-rate` records/s in batches of `--ingest-batch`, one Arrow request each) alone, then
 *     while the evaluator drains a backlog (`--rows` predictions in one window and `--models` models ×
 *     `--backlog-windows` hourly windows); acknowledgement latency p50/p95/p99/max of each and the
 *     evaluation throughput alone and during ingestion. `--trace` adds how long each store method
 *     waited for and held the writer and reader connections.
 *
 * `--labels <n>` stores, before anything is timed, n labels (in (a) of its model, in (b) spread
 * over the models) that arrived over the 24 hours before the timed windows, each 1 minute to 24
 * hours (log-uniform) after its prediction (inserted for it), stored in order of arrival (in
 * batches of about 1,000 per model, so that the models' labels interleave as they would); and
 * labels half the predictions of the timed windows (none with `--labels 0`). Each timed drain
 * then also reports the process's CPU time. Without it: no labels, as before.
 *
 *   npm run bench:monitor [-- --rows 1000000 --reference 100000 --runs 5 --models 20 --minutes 4 --share on --shift 0.2]
 */
import { readFileSync, statSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setTimeout as sleep } from 'node:timers/promises';
import { VigilClient } from '@vigil/sdk';
import { createSeededNormals } from '@vigil/stats';
import { type MonitoringOptions, MonitorService } from '../packages/server/src/monitors/index.js';
import { ColumnCatalog } from '../packages/server/src/services/columns.js';
import type { DuckDbDatabase } from '../packages/server/src/storage/duckdb/database.js';
import type { EventColumns, ModelColumn } from '../packages/server/src/storage/types.js';
import { PROMPT_MONITORING, startTestServer, type TestServer } from '../packages/server/src/testing/index.js';
import { benchArgs } from './args.js';

const { values: args } = benchArgs(import.meta.url, {
  rows: { type: 'string', default: '1000000' },
  reference: { type: 'string', default: '100000' },
  runs: { type: 'string', default: '5' },
  models: { type: 'string', default: '20' },
  minutes: { type: 'string', default: '4' },
  skip: { type: 'string', default: '' },
  share: { type: 'string', default: 'on' },
  breakdown: { type: 'boolean', default: false },
  statements: { type: 'boolean', default: false },
  // (a) shifts the first 5 numeric features by this many σ (0 for a stationary window).
  shift: { type: 'string', default: '0.2' },
  exclude: { type: 'string', default: '' },
  // (c) ingestion acknowledgement latency while the evaluator drains a backlog.
  contention: { type: 'boolean', default: false },
  'ingest-rate': { type: 'string', default: '1000' },
  'ingest-batch': { type: 'string', default: '250' },
  'alone-seconds': { type: 'string', default: '20' },
  'backlog-windows': { type: 'string', default: '2' },
  trace: { type: 'boolean', default: false },
  // (a) streamed: the hour arrives in this many pieces, each followed by a debounced evaluation.
  arrivals: { type: 'string', default: '60' },
  // (a) streamed with stored per-minute partial profiles (on) or rescanning the window (off).
  partials: { type: 'string', default: 'on' },
  // (b) small windows read once and profiled in-process (on) or profiled in the engine (off).
  'small-windows': { type: 'string', default: 'on' },
  // (b) the phases of the minutes after the first, in turn (e.g. `warm` for warm minutes only).
  cycle: { type: 'string', default: 'cold,store-warm,warm' },
  // Labels stored before the timed windows (see the header); none when not given.
  labels: { type: 'string', default: '' },
});
const ROWS = Number(args.rows);
const REFERENCE = Number(args.reference);
const RUNS = Number(args.runs);
const MODELS = Number(args.models);
const MINUTES = Number(args.minutes);
const SHARE = args.share !== 'off';
const SHIFT = Number(args.shift);
const ARRIVALS = Number(args.arrivals);
const PARTIALS = args.partials !== 'off';
const SMALL_WINDOWS = args['small-windows'] !== 'off';
const CYCLE = args.cycle.split(',') as Phase[];
const LABELS = Number(args.labels || 0);
const SHIFTED = 5;
const NUMERIC = 40;
const CATEGORICAL = 10;
const CATEGORIES = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];
const HOUR_MS = 3_600_000;
const MINUTE_MS = 60_000;

const schema = {
  features: [
    ...Array.from({ length: NUMERIC }, (_, i) => ({ name: `x${i}`, type: 'numeric' })),
    ...Array.from({ length: CATEGORICAL }, (_, i) => ({ name: `c${i}`, type: 'categorical' })),
  ],
  score_field: 'score',
  classes: ['0', '1'],
};

function category(u: number): string {
  // Skewed: a ~ 30 %, then decreasing shares.
  return CATEGORIES[Math.min(CATEGORIES.length - 1, Math.floor(-Math.log(1 - u * 0.9999) * 2.5))]!;
}

function referenceCsv(n: number, seed: number): string {
  const rng = createSeededNormals(seed);
  const header = [...schema.features.map((f) => f.name), 'prediction', 'score', 'label'].join(',');
  const lines = [header];
  for (let r = 0; r < n; r++) {
    const cells: string[] = [];
    let z = 0;
    for (let i = 0; i < NUMERIC; i++) {
      const x = rng.normal() * (1 + (i % 5)) + i;
      if (i < 3) z += (x - i) / (1 + (i % 5));
      cells.push(x.toFixed(4));
    }
    for (let i = 0; i < CATEGORICAL; i++) cells.push(category(rng.uniform()));
    const score = 1 / (1 + Math.exp(-z));
    cells.push(score >= 0.5 ? '1' : '0', score.toFixed(4), rng.uniform() < score ? '1' : '0');
    lines.push(cells.join(','));
  }
  return `${lines.join('\n')}\n`;
}

/** Predictions by column; `shift` moves the first `shifted` numeric features by that many σ. */
function predictionColumns(
  columns: ModelColumn[],
  n: number,
  startMs: number,
  spanMs: number,
  tag: string,
  seed: number,
  shift = 0,
  shifted = 0,
): EventColumns {
  const rng = createSeededNormals(seed);
  const numbers = new Map<string, Float64Array>();
  const strings = new Map<string, string[]>();
  for (let i = 0; i < NUMERIC; i++) numbers.set(`x${i}`, new Float64Array(n));
  for (let i = 0; i < CATEGORICAL; i++) strings.set(`c${i}`, new Array<string>(n));
  const score = new Float64Array(n);
  const predictionNumber = new Float64Array(n);
  const prediction = new Array<string>(n);
  const ts = new Float64Array(n);
  const id = new Array<string>(n);
  for (let r = 0; r < n; r++) {
    let z = 0;
    for (let i = 0; i < NUMERIC; i++) {
      const sd = 1 + (i % 5);
      const x = rng.normal() * sd + i + (i < shifted ? shift * sd : 0);
      if (i < 3) z += (x - i) / sd;
      numbers.get(`x${i}`)![r] = x;
    }
    for (let i = 0; i < CATEGORICAL; i++) strings.get(`c${i}`)![r] = category(rng.uniform());
    score[r] = 1 / (1 + Math.exp(-z));
    predictionNumber[r] = score[r]! >= 0.5 ? 1 : 0;
    prediction[r] = score[r]! >= 0.5 ? '1' : '0';
    ts[r] = (startMs + Math.floor((r * spanMs) / n)) * 1000;
    id[r] = `${tag}-${r}`;
  }
  const ones = new Uint8Array(n).fill(1);
  const zeros = new Uint8Array(n);
  const nulls = <T>() => new Array<T | null>(n).fill(null);
  return {
    length: n,
    id,
    timestampMicros: ts,
    version: nulls<string>(),
    prediction,
    predictionNumber: { values: predictionNumber, valid: ones },
    score: { values: score, valid: ones },
    scores: nulls<Record<string, number>>(),
    label: nulls<string>(),
    labelNumber: { values: new Float64Array(n), valid: zeros },
    invalid: nulls<Record<string, unknown>>(),
    violations: nulls<string[]>(),
    values: columns.map((c) => {
      const num = numbers.get(c.name);
      if (num) return { kind: 'number' as const, values: num, valid: ones };
      const str = strings.get(c.name);
      if (str) return { kind: 'string' as const, values: str };
      return null;
    }),
  };
}

async function check(response: Response, what: string): Promise<void> {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  await response.arrayBuffer();
}

async function createModel(server: TestServer, name: string, referenceRows: number, seed: number) {
  await check(
    await server.api('/api/v1/models', { json: { name, task: 'binary_classification', schema } }),
    `create ${name}`,
  );
  await check(
    await server.api(`/api/v1/models/${name}/reference`, {
      method: 'POST',
      headers: { 'content-type': 'text/csv' },
      body: referenceCsv(referenceRows, seed),
    }),
    `reference of ${name}`,
  );
  const model = (await server.store.getModel(1, name))!;
  const columns = await server.store.listColumns(model.id);
  // `--exclude kind,…` disables default monitors of those kinds (to compare with versions without them).
  const excluded = new Set(args.exclude.split(',').filter(Boolean));
  for (const monitor of await server.store.monitors.list(model.id)) {
    if (excluded.has(monitor.kind)) await server.app.monitors.update(model, monitor, { enabled: false });
  }
  return { model, columns };
}

/**
 * Records the time of each evaluated task by monitor kind (wraps the service's task step). With
 * shared window profiles the tasks of a window run together, so their times overlap: only the
 * per-monitor mode (`--share off`) gives a breakdown that adds up.
 */
function instrument(service: MonitorService) {
  const times = new Map<string, number[]>();
  const target = service as unknown as {
    evaluateTask: (
      task: { monitorId: number },
      monitor: { kind: string },
      ...rest: unknown[]
    ) => Promise<unknown>;
  };
  const original = target.evaluateTask.bind(service);
  target.evaluateTask = async (task, monitor, ...rest) => {
    const started = performance.now();
    try {
      return await original(task, monitor, ...rest);
    } finally {
      times.set(monitor.kind, [...(times.get(monitor.kind) ?? []), performance.now() - started]);
    }
  };
  return times;
}

/**
 * With `--breakdown`: the time spent in each store call during a drain (calls overlap when a
 * window's monitors run together, so the sum can exceed the drain), to see where time goes.
 */
function storeBreakdown(server: TestServer) {
  const totals = new Map<string, { calls: number; ms: number }>();
  if (!args.breakdown) return totals;
  const wrap = (name: string, target: Record<string, unknown>) => {
    for (const key of Object.getOwnPropertyNames(Object.getPrototypeOf(target))) {
      const fn = target[key];
      if (key === 'constructor' || typeof fn !== 'function') continue;
      target[key] = (...a: unknown[]) => {
        const started = performance.now();
        const result = (fn as (...x: unknown[]) => unknown).apply(target, a);
        if (!(result instanceof Promise)) return result;
        const record = () => {
          const entry = totals.get(`${name}.${key}`) ?? { calls: 0, ms: 0 };
          entry.calls++;
          entry.ms += performance.now() - started;
          totals.set(`${name}.${key}`, entry);
        };
        return result.finally(record);
      };
    }
  };
  const store = server.store as unknown as Record<string, Record<string, unknown>>;
  wrap('store', store as unknown as Record<string, unknown>);
  for (const area of ['monitors', 'results', 'evaluationTasks', 'profilePartials']) wrap(area, store[area]!);
  return totals;
}

/**
 * With `--statements`: the engine time of every statement by connection (reader or writer) and
 * by what it does (its first words, model tables folded), measured where it runs (lock waits
 * excluded), to see which statements occupy the single reader connection.
 */
function statementBreakdown(server: TestServer) {
  const totals = new Map<string, { calls: number; ms: number }>();
  if (!args.statements) return totals;
  const db = (server.store as unknown as { db: DuckDbDatabase }).db;
  const proto = Object.getPrototypeOf(db) as Pick<DuckDbDatabase, 'rows' | 'columns' | 'typedColumns'>;
  for (const method of ['rows', 'columns', 'typedColumns'] as const) {
    const original = proto[method] as DuckDbDatabase['rows'];
    (proto as Record<string, unknown>)[method] = async function (
      this: DuckDbDatabase,
      ...[connection, sql, params]: Parameters<DuckDbDatabase['rows']>
    ) {
      const started = performance.now();
      try {
        return await original.call(this, connection, sql, params);
      } finally {
        const kind = connection === this.reader ? 'reader' : connection === this.writer ? 'writer' : 'other';
        const folded = sql
          .replace(/\s+/g, ' ')
          .replace(/\bm\d+_(predictions|reference)\b/g, 'm_$1')
          .replace(/^(WITH|SELECT) /, '$1 ');
        // Profile passes share their opening (the source): their ends tell them apart.
        const what = folded.length > 130 ? `${folded.slice(0, 70)} … ${folded.slice(-55)}` : folded;
        const key = `${kind} ${what}`;
        const entry = totals.get(key) ?? { calls: 0, ms: 0 };
        entry.calls++;
        entry.ms += performance.now() - started;
        totals.set(key, entry);
      }
    };
  }
  return totals;
}

function printStatements(totals: Map<string, { calls: number; ms: number }>, per: number, unit: string) {
  if (!args.statements) return;
  for (const kind of ['reader', 'writer']) {
    const mine = [...totals].filter(([k]) => k.startsWith(kind));
    const sum = mine.reduce((a, [, v]) => a + v.ms, 0);
    console.log(`      ${kind}: ${(sum / per).toFixed(1)} ms per ${unit}`);
    for (const [name, { calls, ms: t }] of mine.sort((a, b) => b[1].ms - a[1].ms).slice(0, 14))
      console.log(
        `        ${((100 * t) / sum).toFixed(0).padStart(3)} % ${(calls / per).toFixed(2).padStart(6)} calls ${(t / per).toFixed(1).padStart(6)} ms  ${name.slice(kind.length + 1)}`,
      );
  }
  totals.clear();
}

function printBreakdown(totals: Map<string, { calls: number; ms: number }>, per: number, unit: string) {
  if (!args.breakdown) return;
  const sorted = [...totals].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12);
  for (const [name, { calls, ms: t }] of sorted)
    console.log(
      `      ${name.padEnd(34)} ${(calls / per).toFixed(1)} calls, ${(t / per).toFixed(1)} ms per ${unit}`,
    );
  totals.clear();
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
const ms = (v: number) => `${v.toFixed(0)} ms`;
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');

type Phase = 'cold' | 'store-warm' | 'warm';

/**
 * Sets up a phase: cold forgets the reference statistics in memory and in the store,
 * store-warm only in memory, warm keeps both.
 */
async function enterPhase(server: TestServer, phase: Phase, modelIds: number[]): Promise<void> {
  const service = server.app.monitors;
  if (phase === 'warm') return;
  (service as unknown as { cache: { clear(): void } }).cache.clear();
  if (phase === 'store-warm') return;
  for (const modelId of modelIds)
    for (const dataset of await server.store.listReferenceDatasets(modelId))
      await server.store.referenceBaselines.forget(dataset.id);
}

/**
 * A server whose evaluation the bench drives itself (its loop stopped): windows final once
 * closed, no debounce, window profiles shared as --share says, bodies up to 1 GiB.
 */
async function startBenchServer(
  defaultWindow: MonitoringOptions['defaultWindow'],
  monitoring: Partial<MonitoringOptions> = {},
): Promise<TestServer> {
  const server = await startTestServer({
    maxBodyBytes: 1024 * 1024 * 1024,
    monitoring: {
      ...PROMPT_MONITORING,
      debounceMs: 0,
      defaultWindow,
      shareWindowProfiles: SHARE,
      ...monitoring,
    } as MonitoringOptions,
  });
  await server.app.monitors.stop();
  return server;
}

interface ArrivedLabel {
  modelId: number;
  id: string;
  at: number;
  label: string;
}

/**
 * `--labels`: `count` labels that arrived over the 24 hours before `beforeMs`, each 1 minute to
 * 24 hours (log-uniform) after its prediction: the predictions are inserted (in order of
 * time), the labels returned for `storeByArrival`.
 */
async function labelHistory(
  server: TestServer,
  model: { id: number },
  columns: ModelColumn[],
  count: number,
  beforeMs: number,
  seed: number,
): Promise<ArrivedLabel[]> {
  const day = 24 * HOUR_MS;
  const rng = createSeededNormals(seed);
  const [shortest, longest] = [Math.log(MINUTE_MS), Math.log(day)];
  const labels = Array.from({ length: count }, () => {
    const at = beforeMs - day * rng.uniform();
    const ts = Math.floor(at - Math.exp(shortest + rng.uniform() * (longest - shortest)));
    return { modelId: model.id, id: '', at, ts, label: rng.uniform() < 0.5 ? '1' : '0' };
  });
  labels.sort((a, b) => a.ts - b.ts);
  for (let offset = 0; offset < count; offset += 100_000) {
    const n = Math.min(100_000, count - offset);
    const cols = predictionColumns(columns, n, 0, 0, `h${seed}-${offset}`, seed + offset);
    for (let r = 0; r < n; r++) {
      const label = labels[offset + r]!;
      label.id = cols.id[r]!;
      cols.timestampMicros[r] = label.ts * 1000;
    }
    await server.store.insertPredictionColumns(model.id, columns, cols);
  }
  return labels;
}

/**
 * Stores labels (of any models) in order of arrival, as they would come: in batches of about
 * 1,000 per model, so that the models' labels interleave in storage as they would.
 */
async function storeByArrival(server: TestServer, labels: ArrivedLabel[], models: number): Promise<void> {
  labels.sort((a, b) => a.at - b.at);
  const chunk = 1_000 * models;
  for (let k = 0; k < labels.length; k += chunk) {
    const byModel = new Map<number, ArrivedLabel[]>();
    for (const l of labels.slice(k, k + chunk)) {
      const list = byModel.get(l.modelId) ?? [];
      list.push(l);
      byModel.set(l.modelId, list);
    }
    for (const [modelId, list] of byModel)
      await server.store.upsertLabels(
        modelId,
        list.map((l) => ({
          id: l.id,
          label: l.label,
          labelNumber: Number(l.label),
          timestampMicros: Math.round(l.at * 1000),
        })),
      );
  }
}

/** `--labels`: labels for every second prediction of a timed window. */
async function labelHalf(server: TestServer, model: { id: number }, cols: EventColumns): Promise<void> {
  if (LABELS === 0) return;
  const labels = [];
  for (let r = 0; r < cols.length; r += 2) {
    const label = cols.predictionNumber.values[r]! === 1 ? '1' : '0';
    labels.push({
      id: cols.id[r]!,
      label,
      labelNumber: Number(label),
      timestampMicros: cols.timestampMicros[r]!,
    });
  }
  await server.store.upsertLabels(model.id, labels);
}

/** The process's CPU time (all threads) of a drain, `per` of it, as a note. */
function drainCpu(per = 1): () => string {
  const before = process.cpuUsage();
  const mainBefore = mainThreadCpuMs();
  return () => {
    const cpu = process.cpuUsage(before);
    const main = (mainThreadCpuMs() - mainBefore) / per;
    return ` (CPU ${((cpu.user + cpu.system) / 1000 / per).toFixed(1)} ms, main thread's ${main.toFixed(0)} ms)`;
  };
}

async function markWindow(service: MonitorService, modelId: number, startMs: number, spanMs: number) {
  const marks = new Float64Array(Math.max(1, Math.ceil(spanMs / MINUTE_MS)));
  for (let i = 0; i < marks.length; i++) marks[i] = (startMs + i * MINUTE_MS) * 1000;
  service.predictionsStored(modelId, marks);
}

async function singleModel(): Promise<void> {
  console.log(
    `\n(a) one model: ${NUMERIC + CATEGORICAL} features, ${REFERENCE} reference rows, ${ROWS} predictions in one 1-hour window`,
  );
  const server = await startBenchServer('1h');
  try {
    const service = server.app.monitors;
    let started = performance.now();
    const { model, columns } = await createModel(server, 'big', REFERENCE, 1);
    console.log(`  model + reference upload: ${ms(performance.now() - started)}`);
    started = performance.now();
    await service.baselinesWarmed();
    console.log(
      `  reference statistics computed in the background after it: ${ms(performance.now() - started)}`,
    );
    const windowStart = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - 2 * HOUR_MS;
    started = performance.now();
    const batch = 100_000;
    for (let offset = 0; offset < ROWS; offset += batch) {
      const n = Math.min(batch, ROWS - offset);
      const span = (HOUR_MS * n) / ROWS;
      const cols = predictionColumns(
        columns,
        n,
        windowStart + (HOUR_MS * offset) / ROWS,
        span,
        `p${offset}`,
        100 + offset,
        SHIFT,
        SHIFTED,
      );
      await server.store.insertPredictionColumns(model.id, columns, cols);
      await labelHalf(server, model, cols);
    }
    console.log(`  inserted ${ROWS} predictions through the store: ${ms(performance.now() - started)}`);
    if (LABELS > 0) {
      started = performance.now();
      await storeByArrival(server, await labelHistory(server, model, columns, LABELS, windowStart, 7), 1);
      console.log(
        `  --labels: ${LABELS} labels of the day before (and their predictions): ${ms(performance.now() - started)}`,
      );
    }
    await service.drain(); // whatever creating the monitors queued (nothing: no predictions then)
    const times = instrument(service);
    const calls = storeBreakdown(server);
    const statements = statementBreakdown(server);
    const totals: number[] = [];
    const perKind: Map<string, number>[] = [];
    const phases: Phase[] = ['cold', 'store-warm', ...Array.from({ length: RUNS }, () => 'warm' as const)];
    for (const [run, phase] of phases.entries()) {
      await enterPhase(server, phase, [model.id]);
      times.clear();
      await markWindow(service, model.id, windowStart, HOUR_MS);
      await service.flushMarks();
      const loadBefore = load();
      calls.clear();
      statements.clear();
      const t0 = performance.now();
      const cpu = drainCpu();
      const tasks = await service.drain();
      const total = performance.now() - t0;
      totals.push(total);
      perKind.push(new Map([...times].map(([k, v]) => [k, v.reduce((a, b) => a + b, 0)])));
      console.log(
        `  run ${run} (${phase}): drain ${ms(total)}${cpu()} for ${tasks} tasks; ` +
          [...times].map(([k, v]) => `${k} ${v.map((x) => x.toFixed(0)).join('+')}`).join(', ') +
          ` (load ${loadBefore})`,
      );
      printBreakdown(calls, 1, 'window');
      printStatements(statements, 1, 'window');
    }
    const warm = totals.slice(2);
    console.log(
      `  warm median ${ms(median(warm))} (runs: ${warm.map((t) => t.toFixed(0)).join(', ')} ms); store-warm ${ms(totals[1]!)}; cold ${ms(totals[0]!)}`,
    );
    const kinds = new Set(perKind.flatMap((m) => [...m.keys()]));
    for (const kind of kinds) {
      const values = perKind.slice(2).map((m) => m.get(kind) ?? 0);
      console.log(
        `    ${kind.padEnd(18)} warm median ${ms(median(values))}, store-warm ${ms(perKind[1]!.get(kind) ?? 0)}, cold ${ms(perKind[0]!.get(kind) ?? 0)}`,
      );
    }
    reportWindow(await windowResults(server, model.id, windowStart));
    if (!args.skip.includes('s'))
      await streamedWindow(server, model, columns, windowStart + HOUR_MS, calls, statements);
  } finally {
    await server.close();
  }
}

async function windowResults(server: TestServer, modelId: number, windowStart: number) {
  return server.store.results.query({
    modelId,
    limit: 10_000,
    fromMicros: windowStart * 1000,
    toMicros: (windowStart + HOUR_MS) * 1000,
  });
}

/**
 * The hour from `windowStart` arrives in `ARRIVALS` pieces; after each, the open window is
 * evaluated (debounced evaluation), and after the last, the window closes and is evaluated.
 */
async function streamedWindow(
  server: TestServer,
  model: { id: number },
  columns: ModelColumn[],
  windowStart: number,
  calls: ReturnType<typeof storeBreakdown>,
  statements: ReturnType<typeof statementBreakdown>,
): Promise<void> {
  console.log(
    `\n(a, streamed) the next hour arrives in ${ARRIVALS} pieces, each followed by the debounced evaluation; partial profiles ${PARTIALS ? 'on' : 'off'}`,
  );
  let clockMs = windowStart;
  const service = new MonitorService(server.store, new ColumnCatalog(server.store), server.app.log, {
    ...server.app.monitors.options,
    now: () => clockMs,
    partialProfiles: PARTIALS,
  });
  const debounced: number[] = [];
  let debouncedCpuMs = 0;
  let insertMs = 0;
  for (let piece = 0; piece < ARRIVALS; piece++) {
    const from = Math.floor((ROWS * piece) / ARRIVALS);
    const to = Math.floor((ROWS * (piece + 1)) / ARRIVALS);
    const startMs = windowStart + (HOUR_MS * piece) / ARRIVALS;
    const spanMs = HOUR_MS / ARRIVALS;
    const cols = predictionColumns(
      columns,
      to - from,
      startMs,
      spanMs,
      `s${from}`,
      7_000 + piece,
      SHIFT,
      SHIFTED,
    );
    let t0 = performance.now();
    await server.store.insertPredictionColumns(model.id, columns, cols);
    insertMs += performance.now() - t0;
    const last = piece === ARRIVALS - 1;
    // The debounced evaluation runs just after the piece's data; after the last piece, the window closes.
    clockMs = last ? windowStart + HOUR_MS + 1_000 : startMs + spanMs;
    await markWindow(service, model.id, startMs, spanMs);
    await service.flushMarks();
    const loadBefore = load();
    calls.clear();
    statements.clear();
    t0 = performance.now();
    const cpu0 = process.cpuUsage();
    const tasks = await service.drain();
    const elapsed = performance.now() - t0;
    // The process's CPU time (all of the engine's threads): comparable under other load.
    const cpu = process.cpuUsage(cpu0);
    const cpuMs = (cpu.user + cpu.system) / 1000;
    if (last) {
      console.log(
        `  window-close evaluation: drain ${ms(elapsed)}, CPU ${ms(cpuMs)}, for ${tasks} tasks (load ${loadBefore})`,
      );
      printBreakdown(calls, 1, 'window');
      printStatements(statements, 1, 'window');
    } else {
      debounced.push(elapsed);
      debouncedCpuMs += cpuMs;
      if (piece === 0 || piece % 10 === 9)
        console.log(
          `  piece ${piece}: debounced evaluation ${ms(elapsed)} for ${tasks} tasks (load ${loadBefore})`,
        );
    }
  }
  const sum = debounced.reduce((a, b) => a + b, 0);
  console.log(
    `  debounced evaluations of the open window: ${debounced.length}, median ${ms(median(debounced))} (first ${ms(debounced[0] ?? 0)}, the first fills the evaluator's cache), total ${ms(sum)} (CPU ${ms(debouncedCpuMs)}); inserts ${ms(insertMs)}`,
  );
  console.log(`    each: ${debounced.map((t) => t.toFixed(0)).join(', ')} ms`);
  reportWindow(await windowResults(server, model.id, windowStart));
}

function reportWindow(results: Awaited<ReturnType<typeof windowResults>>): void {
  {
    const statuses: Record<string, number> = {};
    for (const r of results)
      statuses[`${r.monitorKind}:${r.status}`] = (statuses[`${r.monitorKind}:${r.status}`] ?? 0) + 1;
    console.log(`  results of the window: ${JSON.stringify(statuses)}`);
    // The answer: the shifted features (and the score and prediction they drive) drift, nothing else.
    const alerting = results
      .filter((r) => r.status === 'alert')
      .map((r) => `${r.monitorKind}:${r.feature ?? r.metric}`)
      .sort();
    const expected =
      SHIFT === 0
        ? []
        : [
            ...Array.from({ length: SHIFTED }, (_, i) => `feature_drift:x${i}`),
            'prediction_drift:prediction',
            'prediction_drift:score',
          ].sort();
    const right = JSON.stringify(alerting) === JSON.stringify(expected);
    console.log(
      `  alerts ${right ? 'as expected' : 'NOT as expected'} for a ${SHIFT}σ shift of ${SHIFT === 0 ? 'no' : SHIFTED} features: ${alerting.join(', ') || 'none'}`,
    );
  }
}

async function manyModels(): Promise<void> {
  console.log(
    `\n(b) ${MODELS} models: 50 features, 1-minute windows, 1,000 predictions per model per minute, ${MINUTES} minutes; small windows ${SMALL_WINDOWS ? 'read once' : 'in the engine'}`,
  );
  const server = await startBenchServer('1m', { smallWindows: SMALL_WINDOWS });
  try {
    const service = server.app.monitors;
    const models: { model: { id: number }; columns: ModelColumn[] }[] = [];
    let started = performance.now();
    for (let m = 0; m < MODELS; m++) models.push(await createModel(server, `m${m}`, 5_000, 10 + m));
    console.log(`  ${MODELS} models with 5,000 reference rows each: ${ms(performance.now() - started)}`);
    started = performance.now();
    await service.baselinesWarmed();
    console.log(
      `  reference statistics computed in the background after them: ${ms(performance.now() - started)}`,
    );
    const first = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - (MINUTES + 2) * MINUTE_MS;
    started = performance.now();
    for (const [m, { model, columns }] of models.entries()) {
      for (let minute = 0; minute < MINUTES; minute++) {
        const cols = predictionColumns(
          columns,
          1000,
          first + minute * MINUTE_MS,
          MINUTE_MS,
          `m${m}-${minute}`,
          1000 * m + minute,
        );
        await server.store.insertPredictionColumns(model.id, columns, cols);
        await labelHalf(server, model, cols);
      }
    }
    console.log(`  inserted ${MODELS * MINUTES * 1000} predictions: ${ms(performance.now() - started)}`);
    if (LABELS > 0) {
      started = performance.now();
      const labels: ArrivedLabel[] = [];
      for (const [m, { model, columns }] of models.entries())
        labels.push(
          ...(await labelHistory(server, model, columns, Math.round(LABELS / MODELS), first, 1000 + m)),
        );
      await storeByArrival(server, labels, MODELS);
      console.log(
        `  --labels: ${LABELS} labels of the day before (and their predictions): ${ms(performance.now() - started)}`,
      );
    }
    await service.drain();
    const times = instrument(service);
    const calls = storeBreakdown(server);
    const statements = statementBreakdown(server);
    const perPhase: Record<Phase, MinuteTimes[]> = { cold: [], 'store-warm': [], warm: [] };
    const logBytes = walSize((server.store as unknown as { db: DuckDbDatabase }).db);
    for (let minute = 0; minute < MINUTES; minute++) {
      // Minute 0 is the first after the uploads; then cold, store-warm and warm in turn (`--cycle`).
      const phase = minute === 0 ? null : CYCLE[(minute - 1) % CYCLE.length]!;
      if (phase)
        await enterPhase(
          server,
          phase,
          models.map((m) => m.model.id),
        );
      times.clear();
      for (const { model } of models)
        await markWindow(service, model.id, first + minute * MINUTE_MS, MINUTE_MS);
      await service.flushMarks();
      const loadBefore = load();
      calls.clear();
      statements.clear();
      const logAtStart = logBytes();
      const t0 = performance.now();
      const mainCpu0 = mainThreadCpuMs();
      const drainCpu0 = process.cpuUsage();
      const tasks = await service.drain();
      const drain = (performance.now() - t0) / MODELS;
      const drainCpuUsage = process.cpuUsage(drainCpu0);
      const drainCpu = (drainCpuUsage.user + drainCpuUsage.system) / 1000 / MODELS;
      const logAfterDrain = logBytes();
      // Alerting follows the results in the background (the drain pokes it): the step over this
      // minute's results, timed from the end of the drain until it has nothing left to do.
      const cpu0 = process.cpuUsage();
      const t1 = performance.now();
      await server.app.alerts.poke();
      const alerting = (performance.now() - t1) / MODELS;
      const cpu = process.cpuUsage(cpu0);
      const alertingCpu = (cpu.user + cpu.system) / 1000 / MODELS;
      const mainCpu = (mainThreadCpuMs() - mainCpu0) / MODELS;
      const logAtEnd = logBytes();
      const checkpoints = [
        ...(logAfterDrain < logAtStart ? [`the drain (log ${mib(logAtStart)} → ${mib(logAfterDrain)})`] : []),
        ...(logAtEnd < logAfterDrain
          ? [`the alerting step (log ${mib(logAfterDrain)} → ${mib(logAtEnd)})`]
          : []),
      ];
      const measured: MinuteTimes = { minute, drain, drainCpu, alerting, alertingCpu, mainCpu, checkpoints };
      if (phase) perPhase[phase].push(measured);
      console.log(
        `  minute ${minute} (${phase ?? 'first after the uploads'}): ${tasks} tasks, drain ${drain.toFixed(1)} (CPU ${drainCpu.toFixed(1)}) + alerting ${alerting.toFixed(1)} (CPU ${alertingCpu.toFixed(1)}) = ${(drain + alerting).toFixed(1)} ms per model-window (main thread's CPU ${mainCpu.toFixed(1)}); ` +
          [...times]
            .map(([k, v]) => `${k} ${(v.reduce((a, b) => a + b, 0) / MODELS).toFixed(1)}`)
            .join(', ') +
          ` (load ${loadBefore})` +
          (checkpoints.length > 0 ? `\n    with a checkpoint in ${checkpoints.join(' and ')}` : ''),
      );
      printBreakdown(calls, MODELS, 'model-window');
      printStatements(statements, MODELS, 'model-window');
    }
    for (const [label, minutes] of Object.entries(perPhase)) {
      if (minutes.length === 0) continue;
      const plain = minutes.filter((m) => m.checkpoints.length === 0);
      const list = (values: number[]) => values.map((v) => v.toFixed(1)).join(', ');
      if (plain.length > 0) {
        const sum = median(plain.map((m) => m.drain + m.alerting));
        console.log(
          `  ${label}: median per model-window: drain ${median(plain.map((m) => m.drain)).toFixed(1)} ms (${list(plain.map((m) => m.drain))}), ` +
            `alerting ${median(plain.map((m) => m.alerting)).toFixed(1)} ms (${list(plain.map((m) => m.alerting))}; CPU ${list(plain.map((m) => m.alertingCpu))}), ` +
            `drain + alerting ${sum.toFixed(1)} ms → keeps up with ${Math.floor(60_000 / sum)} models; ` +
            `CPU of drain + alerting ${median(plain.map((m) => m.drainCpu + m.alertingCpu)).toFixed(1)} ms (${list(plain.map((m) => m.drainCpu + m.alertingCpu))}), ` +
            `of the main thread ${median(plain.map((m) => m.mainCpu)).toFixed(1)} ms (${list(plain.map((m) => m.mainCpu))})`,
        );
      }
      for (const m of minutes.filter((m) => m.checkpoints.length > 0))
        console.log(
          `  ${label}, minute ${m.minute}, not in the median: a checkpoint ran in ${m.checkpoints.join(' and ')}; drain ${m.drain.toFixed(1)} + alerting ${m.alerting.toFixed(1)} (CPU ${m.alertingCpu.toFixed(1)}) = ${(m.drain + m.alerting).toFixed(1)} ms per model-window`,
        );
    }
  } finally {
    await server.close();
  }
}

/** One minute of (b), per model-window (ms), and where a checkpoint ran during it. */
interface MinuteTimes {
  minute: number;
  drain: number;
  /** The process's CPU time (all threads) during the drain. */
  drainCpu: number;
  /** The main thread's CPU time during the drain and the alerting step (the JavaScript, not DuckDB's threads). */
  mainCpu: number;
  alerting: number;
  /** The process's CPU time (all threads) during the alerting step. */
  alertingCpu: number;
  checkpoints: string[];
}

/**
 * The main thread's CPU time so far (ms), from /proc (Linux; clock ticks of 10 ms, so read over
 * a whole drain); NaN elsewhere. `process.cpuUsage` counts DuckDB's threads too.
 */
function mainThreadCpuMs(): number {
  try {
    const fields = readFileSync(`/proc/self/task/${process.pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
    return (Number(fields[11]) + Number(fields[12])) * 10;
  } catch {
    return Number.NaN;
  }
}

/** The write-ahead log's size now (0 when there is none): it shrinks only when a checkpoint runs. */
function walSize(db: DuckDbDatabase): () => number {
  return () => {
    try {
      return statSync(`${db.path}.wal`).size;
    } catch {
      return 0;
    }
  };
}

const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;

function percentile(values: number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * With `--trace`: how long each user of the writer and reader connections waited for its lock
 * and held it, by the store method that asked (read from the stack when it asked).
 */
function traceLocks(db: DuckDbDatabase) {
  const holds = new Map<string, { calls: number; waitMs: number[]; holdMs: number[] }>();
  if (!args.trace) return holds;
  const walBytes = walSize(db);
  const labelOf = (stack: string) => {
    for (const line of stack.split('\n').slice(2)) {
      const match = /at (?:async )?([\w.<>]+) \(.*\/src\/([\w/.-]+)\.ts/.exec(line);
      if (!match || /database|mutex/.test(match[2]!)) continue;
      return `${match[1]}`;
    }
    return 'other';
  };
  // Builds from before the lookup connection have none.
  const lookupLock = (db as { lookupLock?: DuckDbDatabase['readLock'] }).lookupLock;
  for (const [kind, lock] of [
    ['write', db.writeLock],
    ['read', db.readLock],
    ...(lookupLock ? [['lookup', lookupLock] as const] : []),
  ] as const) {
    const run = lock.run.bind(lock);
    const trace =
      (take: typeof run) =>
      <T>(task: () => Promise<T>): Promise<T> => {
        const label = `${kind} ${labelOf(new Error().stack ?? '')}`;
        const queued = performance.now();
        return take(async () => {
          const started = performance.now();
          const walBefore = walBytes();
          try {
            return await task();
          } finally {
            // The log shrank: this holder's commit ran a checkpoint.
            const checkpointed = kind === 'write' && walBytes() < walBefore;
            const key = checkpointed ? `${label} (with a checkpoint)` : label;
            const entry = holds.get(key) ?? { calls: 0, waitMs: [], holdMs: [] };
            entry.calls++;
            entry.waitMs.push(started - queued);
            entry.holdMs.push(performance.now() - started);
            holds.set(key, entry);
          }
        });
      };
    lock.run = trace(run);
    const urgent = (lock as { runUrgent?: typeof run }).runUrgent;
    if (urgent) (lock as { runUrgent?: typeof run }).runUrgent = trace(urgent.bind(lock));
  }
  return holds;
}

function printLocks(holds: ReturnType<typeof traceLocks>) {
  if (!args.trace) return;
  const sorted = [...holds].sort(
    (a, b) => b[1].holdMs.reduce((x, y) => x + y, 0) - a[1].holdMs.reduce((x, y) => x + y, 0),
  );
  for (const [label, { calls, waitMs, holdMs }] of sorted.slice(0, 14)) {
    console.log(
      `      ${label.padEnd(56)} ${String(calls).padStart(6)} × held p50 ${percentile(holdMs, 50).toFixed(0)} max ${Math.max(...holdMs).toFixed(0)} total ${holdMs.reduce((x, y) => x + y, 0).toFixed(0)} ms; waited p99 ${percentile(waitMs, 99).toFixed(0)} max ${Math.max(...waitMs).toFixed(0)} ms`,
    );
  }
  holds.clear();
}

const STREAM_NUMERIC = 20;
const STREAM_CATEGORICAL = 5;

/**
 * Logs `rate` records a second to the model `stream` through the SDK (Arrow), one request per
 * batch, on a fixed schedule whatever the answers (so a slow answer does not slow the load), until
 * `done` settles. Each batch's latency runs from its scheduled send to its acknowledgement.
 */
async function ingestSteadily(server: TestServer, done: Promise<unknown>, seed: number) {
  const batch = Number(args['ingest-batch']);
  const intervalMs = (1000 * batch) / Number(args['ingest-rate']);
  const latencies: number[] = [];
  let failed = 0;
  let finished = false;
  void done.finally(() => {
    finished = true;
  });
  const rng = createSeededNormals(seed);
  const inFlight = new Set<Promise<void>>();
  const started = performance.now();
  for (let tick = 0; !finished; tick++) {
    const due = started + tick * intervalMs;
    // Always yields, also when behind schedule, so that the answers and `done` are seen.
    await Promise.race([sleep(Math.max(0, due - performance.now())), done]);
    if (finished) break;
    const client = new VigilClient({
      url: server.url,
      apiKey: server.adminKey,
      model: 'stream',
      batchSize: batch,
      format: 'arrow',
      flushIntervalMs: 60_000,
    });
    const now = Date.now();
    for (let r = 0; r < batch; r++) {
      const features: Record<string, number | string> = {};
      for (let f = 0; f < STREAM_NUMERIC; f++) features[`num_${f}`] = rng.normal();
      for (let f = 0; f < STREAM_CATEGORICAL; f++) features[`cat_${f}`] = category(rng.uniform());
      const score = rng.uniform();
      client.log({
        id: `s${seed}-${tick}-${r}`,
        timestamp: now,
        features,
        prediction: score > 0.5 ? 1 : 0,
        score,
      });
    }
    const request = client
      .close()
      .then((result) => {
        if (result.accepted === batch) latencies.push(performance.now() - due);
        else failed++;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  }
  await Promise.all(inFlight);
  return { latencies, failed, seconds: (performance.now() - started) / 1000 };
}

/**
 * (c) Ingestion acknowledgement latency while the evaluator drains a large backlog: one model
 * with `--rows` predictions in one closed hour and `--models` models with 1,000 predictions in
 * each of `--backlog-windows` closed hours, all with their default monitors. A first drain fills
 * the caches (untimed); then ingestion alone, evaluation alone, and both at once.
 */
async function ingestionDuringEvaluation(): Promise<void> {
  const backlogHours = Number(args['backlog-windows']);
  console.log(
    `\n(c) ingestion of ${args['ingest-rate']} records/s (batches of ${args['ingest-batch']}, SDK, Arrow) while the evaluator drains ${ROWS} predictions in one window and ${MODELS} models × ${backlogHours} hourly windows of 1,000 predictions`,
  );
  const server = await startBenchServer('1h');
  try {
    const service = server.app.monitors;
    const db = (server.store as unknown as { db: DuckDbDatabase }).db;
    let started = performance.now();
    const currentHour = Math.floor(Date.now() / HOUR_MS) * HOUR_MS;
    const windows: { modelId: number; startMs: number }[] = [];
    if (ROWS > 0) {
      const { model, columns } = await createModel(server, 'big', REFERENCE, 1);
      const windowStart = currentHour - 2 * HOUR_MS;
      for (let offset = 0; offset < ROWS; offset += 100_000) {
        const n = Math.min(100_000, ROWS - offset);
        const cols = predictionColumns(
          columns,
          n,
          windowStart + (HOUR_MS * offset) / ROWS,
          (HOUR_MS * n) / ROWS,
          `p${offset}`,
          100 + offset,
          SHIFT,
          SHIFTED,
        );
        await server.store.insertPredictionColumns(model.id, columns, cols);
      }
      windows.push({ modelId: model.id, startMs: windowStart });
    }
    for (let m = 0; m < MODELS; m++) {
      const { model, columns } = await createModel(server, `m${m}`, 5_000, 10 + m);
      for (let h = 0; h < backlogHours; h++) {
        const startMs = currentHour - (h + 2) * HOUR_MS;
        const cols = predictionColumns(columns, 1000, startMs, HOUR_MS, `m${m}-${h}`, 1000 * m + h);
        await server.store.insertPredictionColumns(model.id, columns, cols);
        windows.push({ modelId: model.id, startMs });
      }
    }
    await check(
      await server.api('/api/v1/models', {
        json: {
          name: 'stream',
          task: 'binary_classification',
          schema: {
            features: [
              ...Array.from({ length: STREAM_NUMERIC }, (_, f) => ({ name: `num_${f}`, type: 'numeric' })),
              ...Array.from({ length: STREAM_CATEGORICAL }, (_, f) => ({
                name: `cat_${f}`,
                type: 'categorical',
              })),
            ],
          },
        },
      }),
      'create stream',
    );
    console.log(`  set-up: ${ms(performance.now() - started)}`);
    await service.drain();
    const markBacklog = async () => {
      for (const { modelId, startMs } of windows) await markWindow(service, modelId, startMs, HOUR_MS);
      await service.flushMarks();
    };
    const delay = monitorEventLoopDelay({ resolution: 10 });
    const holds = traceLocks(db);
    const evaluate = async (label: string) => {
      await markBacklog();
      const loadBefore = load();
      const t0 = performance.now();
      const tasks = await service.drain();
      const seconds = (performance.now() - t0) / 1000;
      console.log(
        `  ${label}: ${tasks} tasks (${windows.length} model-windows) in ${seconds.toFixed(1)} s, ${(windows.length / seconds).toFixed(1)} model-windows/s (load ${loadBefore})`,
      );
      return seconds;
    };
    const report = (label: string, run: Awaited<ReturnType<typeof ingestSteadily>>, loadBefore: string) => {
      const l = run.latencies;
      const records = l.length * Number(args['ingest-batch']);
      console.log(
        `  ${label}: ${l.length} batches acknowledged (${failed(run)}), ${(records / run.seconds).toFixed(0)} records/s; acknowledgement p50 ${ms(percentile(l, 50))}, p95 ${ms(percentile(l, 95))}, p99 ${ms(percentile(l, 99))}, max ${ms(Math.max(...l))}; event loop delay p99 ${ms(delay.percentile(99) / 1e6)}, max ${ms(delay.max / 1e6)} (load ${loadBefore})`,
      );
      delay.reset();
      printLocks(holds);
    };
    const failed = (run: { failed: number }) => `${run.failed} failed`;
    started = performance.now();
    await evaluate('first drain (fills the caches, untimed)');
    holds.clear();
    delay.enable();
    let loadBefore = load();
    const alone = await ingestSteadily(server, sleep(Number(args['alone-seconds']) * 1000), 1);
    report('ingestion alone', alone, loadBefore);
    await evaluate('evaluation alone');
    delay.reset();
    printLocks(holds);
    loadBefore = load();
    const evaluation = evaluate('evaluation during ingestion');
    const during = await ingestSteadily(server, evaluation, 2);
    report('ingestion during evaluation', during, loadBefore);
  } finally {
    await server.close();
  }
}

console.log(
  `bench:monitor (window profiles ${SHARE ? 'shared' : 'per monitor'}) on ${cpus().length} × ${cpus()[0]?.model}, ${(totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}; load average ${load()}`,
);
if (!args.skip.includes('a')) await singleModel();
if (!args.skip.includes('b')) await manyModels();
if (args.contention) await ingestionDuringEvaluation();
console.log(`\nload average at the end ${load()}`);

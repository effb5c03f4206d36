/**
 * bench:alert-step — the alert engine's step over a minute of results, apart from evaluation.
 *
 * `--models` models, each with the default monitors' results of bench:monitor (b) for one
 * 1-minute window (170 results: 50 features × drift, missing rate; 40 numeric × out-of-range rate;
 * 10 categorical × unseen-category rate; data-quality violation rates, prediction drift,
 * traffic, performance, estimated performance, label and multivariate drift), all `ok` or
 * `insufficient_data` as in (b), so no alert fires: 340 series under the two default rules.
 * Minute after minute, the results are stored in a fresh database file (untimed) and one
 * engine step (`AlertEngine.poke()`) follows them; its wall time and the process's CPU time (all
 * threads) are reported per model-window, with the time of each store call it makes (wall/CPU)
 * and the write-ahead log's growth. The first `--warmup` minutes (series filling up to their 5
 * windows) are left out of the median and least. CPU time is what to compare on a busy machine.
 *
 *   npm run bench:alert-step [-- --models 20 --minutes 12 --warmup 2 --batch 5000]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSeededNormals } from '@vigil/stats';
import { AlertEngine } from '../packages/server/src/alerts/engine.js';
import { NO_NOTIFIER } from '../packages/server/src/alerts/notifier.js';
import {
  MONITOR_KINDS,
  type MonitorKind,
  type NewMonitorResult,
} from '../packages/server/src/domain/index.js';
import { DuckDbStore } from '../packages/server/src/storage/duckdb/store.js';
import type { MonitorRow } from '../packages/server/src/storage/monitoring.js';
import { benchArgs } from './args.js';

const { values: args } = benchArgs(import.meta.url, {
  models: { type: 'string', default: '20' },
  minutes: { type: 'string', default: '12' },
  warmup: { type: 'string', default: '2' },
  // Results per engine batch (the engine's default when empty).
  batch: { type: 'string', default: '' },
});
const MODELS = Number(args.models);
const MINUTES = Number(args.minutes);
const WARMUP = Number(args.warmup);
if (![MODELS, MINUTES, WARMUP].every(Number.isSafeInteger) || MODELS < 1 || WARMUP < 0 || MINUTES <= WARMUP) {
  console.error('--models must be at least 1, and --minutes more than --warmup (whole numbers).');
  process.exit(2);
}
const MINUTE_US = 60_000_000;
const T0_US = Date.UTC(2026, 0, 5) * 1000;

const numeric = Array.from({ length: 40 }, (_, i) => `x${i}`);
const categorical = Array.from({ length: 10 }, (_, i) => `c${i}`);
const VIOLATIONS = ['missing_feature', 'non_finite', 'type_mismatch', 'unknown_feature', 'unknown_segment'];

/** The (feature, metric, status) of each result a monitor of this kind gives per window in (b). */
function resultsOf(kind: MonitorKind): [string | null, string, 'ok' | 'insufficient_data'][] {
  switch (kind) {
    case 'feature_drift':
      return [...numeric, ...categorical].map((f) => [f, 'jensen_shannon', 'ok']);
    case 'data_quality':
      return [
        ...[...numeric, ...categorical].map((f): [string, string, 'ok'] => [f, 'missing_rate', 'ok']),
        ...numeric.map((f): [string, string, 'ok'] => [f, 'out_of_range_rate', 'ok']),
        ...categorical.map((f): [string, string, 'ok'] => [f, 'unseen_category_rate', 'ok']),
        ...[...VIOLATIONS, 'unseen_category'].map((v): [null, string, 'ok'] => [
          null,
          `violation_rate:${v}`,
          'ok',
        ]),
      ];
    case 'prediction_drift':
      return [
        ['prediction', 'jensen_shannon', 'ok'],
        ['score', 'jensen_shannon', 'ok'],
      ];
    case 'traffic':
      return [[null, 'prediction_count', 'ok']];
    case 'performance':
      return [
        [null, 'label_coverage', 'ok'],
        ...['accuracy', 'precision', 'recall', 'f1'].map((m): [null, string, 'insufficient_data'] => [
          null,
          m,
          'insufficient_data',
        ]),
      ];
    case 'estimated_performance':
      return ['accuracy', 'precision', 'recall', 'f1'].map((m): [null, string, 'ok'] => [null, m, 'ok']);
    case 'label_drift':
      return [[null, 'jensen_shannon', 'insufficient_data']];
    default:
      return [[null, 'reconstruction_error', 'ok']];
  }
}

/** The kinds of (b)'s default monitors: every kind but those a user defines (fairness, custom). */
const KINDS = MONITOR_KINDS.filter((kind) => kind !== 'fairness' && kind !== 'custom_metric');

const dir = mkdtempSync(join(tmpdir(), 'vigil-alert-step-'));
const path = join(dir, 'vigil.duckdb');
const store = await DuckDbStore.open({ path });
try {
  await store.migrate();
  const project = await store.ensureProject('default');
  const monitors: MonitorRow[] = [];
  for (let m = 0; m < MODELS; m++) {
    const model = await store.createModel({
      projectId: project.id,
      name: `m${m}`,
      task: 'binary_classification',
      description: null,
      tags: {},
      schema: null,
      schemaSource: null,
    });
    for (const kind of KINDS)
      monitors.push(
        await store.monitors.create({
          modelId: model.id,
          name: kind.replace(/_/g, '-'),
          kind,
          enabled: true,
          isDefault: true,
          config: {},
        }),
      );
  }
  let clockMs = Date.UTC(2026, 0, 6);
  const engine = new AlertEngine({
    store,
    notifier: NO_NOTIFIER,
    externalUrl: 'http://vigil.test',
    now: () => clockMs,
    ...(args.batch ? { batchSize: Number(args.batch) } : {}),
  });
  const calls = timeStoreCalls(store);
  const logBytes = () => {
    try {
      return statSync(`${path}.wal`).size;
    } catch {
      return 0;
    }
  };
  const rng = createSeededNormals(7);
  const cpuPerMinute: number[] = [];
  console.log(
    `bench:alert-step: ${MODELS} models × ${monitors.length / MODELS} default monitors, one 1-minute window a minute`,
  );
  for (let minute = 0; minute < MINUTES; minute++) {
    const start = T0_US + minute * MINUTE_US;
    const windows = monitors.map((monitor) => ({
      monitorId: monitor.id,
      windowStartMicros: start,
      results: resultsOf(monitor.kind).map(
        ([feature, metric, status]): NewMonitorResult => ({
          modelId: monitor.modelId,
          monitorId: monitor.id,
          monitorKind: monitor.kind,
          version: null,
          segment: null,
          windowStartMicros: start,
          windowEndMicros: start + MINUTE_US,
          feature,
          metric,
          value: status === 'ok' ? Math.abs(rng.normal()) * 0.01 : null,
          thresholdLower: null,
          thresholdUpper: status === 'ok' ? 0.1 : null,
          bandLower: null,
          bandUpper: null,
          sampleSize: 1000,
          status,
          reason: null,
          details: null,
          evaluatedAtMicros: start + MINUTE_US,
        }),
      ),
    }));
    await store.results.replaceWindows(windows);
    const results = windows.reduce((n, w) => n + w.results.length, 0);
    clockMs += 60_000;
    calls.clear();
    const logBefore = logBytes();
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    await engine.poke();
    const wall = (performance.now() - t0) / MODELS;
    const used = process.cpuUsage(cpu0);
    const cpu = (used.user + used.system) / 1000 / MODELS;
    const logAfter = logBytes();
    if (minute >= WARMUP) cpuPerMinute.push(cpu);
    console.log(
      `  minute ${minute}: ${results} results, step ${wall.toFixed(2)} ms (CPU ${cpu.toFixed(2)}) per model-window; log ${mib(logBefore)} → ${mib(logAfter)}${logAfter < logBefore ? ' (a checkpoint ran)' : ''}`,
    );
    console.log(
      `      ${[...calls]
        .sort((a, b) => b[1].cpu - a[1].cpu)
        .map(
          ([name, c]) => `${name} ${c.calls}× ${(c.wall / MODELS).toFixed(2)}/${(c.cpu / MODELS).toFixed(2)}`,
        )
        .join(', ')} (ms per model-window, wall/CPU)`,
    );
  }
  const sorted = [...cpuPerMinute].sort((a, b) => a - b);
  console.log(
    `  step CPU after ${WARMUP} minutes: median ${sorted[sorted.length >> 1]!.toFixed(2)}, least ${sorted[0]!.toFixed(2)} ms per model-window`,
  );
  await engine.stop();
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}

function mib(bytes: number): string {
  return `${(bytes / 2 ** 20).toFixed(1)} MiB`;
}

/** Wall and CPU time of each store call the engine makes (its calls do not overlap). */
function timeStoreCalls(target: DuckDbStore) {
  const totals = new Map<string, { calls: number; wall: number; cpu: number }>();
  const wrap = (name: string, owner: object, method: string) => {
    const record = owner as Record<string, (...a: unknown[]) => Promise<unknown>>;
    const original = record[method]!.bind(owner);
    record[method] = async (...a: unknown[]) => {
      const t0 = performance.now();
      const cpu0 = process.cpuUsage();
      try {
        return await original(...a);
      } finally {
        const used = process.cpuUsage(cpu0);
        const entry = totals.get(name) ?? { calls: 0, wall: 0, cpu: 0 };
        entry.calls++;
        entry.wall += performance.now() - t0;
        entry.cpu += (used.user + used.system) / 1000;
        totals.set(name, entry);
      }
    };
  };
  wrap('results.listAfter', target.results, 'listAfter');
  wrap('getModelsByIds', target, 'getModelsByIds');
  wrap('monitors.listForModels', target.monitors, 'listForModels');
  for (const method of ['rulesOfModels', 'seriesStates', 'openAlerts', 'applyEvaluation', 'firingAlerts'])
    wrap(`alerts.${method}`, target.alerts, method);
  return totals;
}

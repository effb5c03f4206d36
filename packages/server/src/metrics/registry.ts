/** Prometheus metrics for operators; one registry per app so tests stay isolated. */
import { performance } from 'node:perf_hooks';
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import type { WriterActivity } from '../storage/types.js';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  ingestedRecords: Counter<'kind' | 'outcome'>;
  ingestDuration: Histogram<'kind'>;
  /** An ingest request's time by stage: its sums over an interval say where requests wait. */
  ingestStages: Histogram<'stage'>;
  notificationAttempts: Counter<'type' | 'outcome'>;
  ingestsInProgress: Gauge;
  ingestsRefused: Counter<'reason'>;
  slowClientsClosed: Counter;
}

export function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: 'vigil_process_' });
  return {
    registry,
    httpRequests: new Counter({
      name: 'vigil_http_requests_total',
      help: 'HTTP requests by method, route and status code.',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'vigil_http_request_duration_seconds',
      help: 'HTTP request latency.',
      labelNames: ['method', 'route'],
      buckets: [0.001, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    ingestedRecords: new Counter({
      name: 'vigil_ingested_records_total',
      help: 'Ingested records by kind (predictions, labels, reference) and outcome (accepted, rejected).',
      labelNames: ['kind', 'outcome'],
      registers: [registry],
    }),
    ingestDuration: new Histogram({
      name: 'vigil_ingest_batch_duration_seconds',
      help: 'Time to validate and durably store one ingest batch.',
      labelNames: ['kind'],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers: [registry],
    }),
    ingestStages: new Histogram({
      name: 'vigil_ingest_stage_duration_seconds',
      help: 'Time of one prediction ingest request by stage: receive (from its arrival until the handler, the body read), decode (the model looked up, the body parsed), check (checks and layout), store (until durable: waiting for the writer, append, commit).',
      labelNames: ['stage'],
      buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
      registers: [registry],
    }),
    notificationAttempts: new Counter({
      name: 'vigil_notification_attempts_total',
      help: 'Notification delivery attempts by channel type and outcome (delivered, retry, dead).',
      labelNames: ['type', 'outcome'],
      registers: [registry],
    }),
    ingestsInProgress: new Gauge({
      name: 'vigil_ingests_in_progress',
      help: 'Ingest requests admitted and not yet answered.',
      registers: [registry],
    }),
    ingestsRefused: new Counter({
      name: 'vigil_ingests_refused_total',
      help: 'Ingest requests refused: server (all slots busy, 503), key (the key has its share, 429) or memory (request data over VIGIL_MAX_INGEST_MB, 503).',
      labelNames: ['reason'],
      registers: [registry],
    }),
    slowClientsClosed: new Counter({
      name: 'vigil_slow_bodies_closed_total',
      help: 'Connections closed because the request body arrived below the minimum rate.',
      registers: [registry],
    }),
  };
}

/** A counter that reports a running total kept elsewhere, read when the metrics are scraped. */
function totalCounter(registry: Registry, name: string, help: string, read: () => number | undefined) {
  new Counter({
    name,
    help,
    registers: [registry],
    collect() {
      const value = read();
      this.reset();
      if (value !== undefined) this.inc(value);
    },
  });
}

/**
 * Where the store's writer and the event loop spend the time: the differences of two scrapes
 * give, over the interval between them, the writer's busy share, the mean wait of a batch for
 * its group commit, and how busy the event loop was (`bench:ingest --trace` prints them).
 */
export function registerActivityMetrics(metrics: Metrics, writer: () => WriterActivity | undefined): void {
  const { registry } = metrics;
  totalCounter(
    registry,
    'vigil_process_event_loop_busy_seconds_total',
    'Time the event loop spent running code rather than waiting for events.',
    () => performance.eventLoopUtilization().active / 1000,
  );
  const parts: [keyof WriterActivity, string, string][] = [
    [
      'writerHeldSeconds',
      'vigil_store_writer_held_seconds_total',
      "Time the store's write lock was held, by any task.",
    ],
    ['groupCommits', 'vigil_store_group_commits_total', 'Group commits of ingestion batches.'],
    ['groupedWorks', 'vigil_store_grouped_batches_total', 'Ingestion batches stored through group commits.'],
    [
      'groupWaitSeconds',
      'vigil_store_group_wait_seconds_total',
      'Summed over the batches: time from being queued for a group commit until the group began.',
    ],
    [
      'groupWorkSeconds',
      'vigil_store_group_append_seconds_total',
      'Time group commits spent appending their batches.',
    ],
    [
      'gatheredWriteSeconds',
      'vigil_store_group_rollup_seconds_total',
      'Time group commits spent on the writes gathered for the commit (the traffic rollup).',
    ],
    [
      'commitSeconds',
      'vigil_store_group_commit_seconds_total',
      'Time group commits spent in COMMIT: the rows merged into their tables, the write-ahead log written and flushed.',
    ],
  ];
  for (const [key, name, help] of parts) totalCounter(registry, name, help, () => writer()?.[key]);
}

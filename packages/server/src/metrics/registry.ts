/** Prometheus metrics for operators; one registry per app so tests stay isolated. */
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';

export interface Metrics {
  registry: Registry;
  httpRequests: Counter<'method' | 'route' | 'status'>;
  httpDuration: Histogram<'method' | 'route'>;
  ingestedRecords: Counter<'kind' | 'outcome'>;
  ingestDuration: Histogram<'kind'>;
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

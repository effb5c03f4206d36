/**
 * Configuration is parsed once, at start-up, into a typed object. Nothing else
 * in the server reads `process.env`.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WINDOW_SIZES, type WindowSize } from './domain/monitor-config.js';

export interface VigilConfig {
  host: string;
  port: number;
  /** Folder holding the embedded database and the admin key file. */
  dataDir: string;
  /** API key to create as the admin key on first start instead of a random one. */
  adminKey: string | undefined;
  /** Password of the `admin` user created on first start instead of a random one. */
  adminPassword: string | undefined;
  /** Sign-in sessions of the dashboard (see `auth/sessions.ts`). */
  sessions: SessionConfig;
  logLevel: 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';
  /** `json`: one JSON object per line (for log collectors); `pretty`: readable lines for a terminal. */
  logFormat: 'json' | 'pretty';
  /** Largest accepted request body, after gzip decompression. */
  maxBodyBytes: number;
  /** Largest artifact file one upload may store (MLflow artifact proxy). */
  maxArtifactBytes: number;
  /** Ingest requests handled at once; more get 503 with Retry-After (bounds memory and queueing). */
  maxConcurrentIngests: number;
  /**
   * Request data (bodies as received, and once more as decompressed) that ingest requests in
   * progress may hold at once; a request that would take it over gets 503 with Retry-After.
   */
  maxIngestBytes: number;
  /**
   * Ingest requests one API key may have in progress at once; past it, 429 with Retry-After,
   * so one client cannot take every slot of `maxConcurrentIngests`.
   */
  maxConcurrentIngestsPerKey: number;
  /** Time a client has to send the request line and headers (slowloris); then 408 and close. */
  headersTimeoutMs: number;
  /** Time a client has to send the whole request, body included; then 408 and close. */
  requestTimeoutMs: number;
  /** A socket with no traffic either way for this long is closed. */
  idleTimeoutMs: number;
  /** A keep-alive socket waiting for its next request is closed after this long. */
  keepAliveTimeoutMs: number;
  /**
   * On shutdown, requests in progress have this long to finish; then their connections are
   * closed (unanswered, so unacknowledged) and the store closes.
   */
  shutdownGraceMs: number;
  /**
   * Bodies must arrive at this average rate (bytes per second, on the wire) after a grace
   * period, or the request is answered 408 and the connection closed; 0 turns the check off.
   */
  minBodyBytesPerSecond: number;
  bodyRateGraceMs: number;
  /** While the store cannot write (disk full), how often to check whether it can again. */
  storeRecoveryProbeMs: number;
  /**
   * Write-ahead log size (MiB) at which a commit folds the log into the database file; larger
   * means cheaper sustained ingestion, a longer replay after a crash and more memory.
   */
  storeCheckpointMb: number;
  /**
   * Profile windows with Vigil's DuckDB extension when it is built (`VIGIL_DUCKDB_NATIVE_BINS`,
   * default on; `off` uses DuckDB's own `count`, `avg`, `histogram` and a GROUP BY for fine
   * histograms, the same results at more CPU).
   */
  storeNativeBins: boolean;
  /**
   * Compress high-precision doubles with DuckDB's ALP-RD (`VIGIL_DUCKDB_COMPACT_DOUBLES`, default
   * off): about a sixth smaller files for such columns, several times costlier scans of them.
   */
  storeCompactDoubles: boolean;
  /** Feature and segment columns a model may have; traffic beyond it is kept raw and flagged. */
  maxColumnsPerModel: number;
  /** Print the admin key on first start (off in tests). */
  printAdminKey: boolean;
  /** Delivery of notifications (see `notify/`). */
  notify: NotifyConfig;
  /** Base URL of this server as users reach it, for links in notifications; the listen address by default. */
  externalUrl: string | undefined;
  /** Evaluation of monitors (see `monitors/`). */
  monitoring: MonitoringConfig;
  /** The built dashboard (index.html and assets/), served at `/`; packages/web/dist/app by default. */
  webDir: string;
}

export interface SessionConfig {
  /** A session unused for this long ends (idle expiry; each use moves it forward). */
  idleTtlMs: number;
  /** A session ends this long after sign-in however much it is used. */
  maxAgeMs: number;
  /** Failed sign-ins per user name per minute before further attempts get 429. */
  maxFailuresPerUser: number;
  /** Failed sign-ins per client address per minute before further attempts get 429. */
  maxFailuresPerAddress: number;
}

export interface NotifyConfig {
  /** Time limit of one delivery attempt. */
  timeoutMs: number;
  /** Attempts before a delivery is given up (dead). */
  maxAttempts: number;
  /** Delay before the first retry; doubled on each retry, with jitter. */
  backoffMs: number;
  /** Upper bound of the retry delay. */
  maxBackoffMs: number;
  /** Deliveries in flight at once, across channels (each channel receives one at a time). */
  concurrency: number;
  /** How often the outbox is checked for due retries. */
  pollMs: number;
  /** Delivered and given-up notifications are kept this long in the delivery history. */
  retentionDays: number;
}

export interface MonitoringConfig {
  /** Expected false alarms per model per week under no drift (shared by its calibrated monitors). */
  falseAlarmsPerWeek: number;
  /** Delay between data arriving and its windows being evaluated, so a burst is evaluated once. */
  debounceMs: number;
  /** Delay after a window closes before its final evaluation, for rows that arrive a little late. */
  closeGraceMs: number;
  /** Window length of the default monitors. */
  defaultWindow: WindowSize;
  /** Most windows of history a new or edited monitor evaluates. */
  maxBackfillWindows: number;
}

export class ConfigError extends Error {}

/** Where `npm start` builds the dashboard, from this file in src/ or dist/ alike. */
const BUILT_WEB_DIR = fileURLToPath(new URL('../../web/dist/app', import.meta.url));

function numberVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isFinite(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be a number between ${min} and ${max}; got "${raw}".`);
  }
  return value;
}

function windowVar(env: NodeJS.ProcessEnv, name: string, fallback: WindowSize): WindowSize {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (!(raw in WINDOW_SIZES)) {
    throw new ConfigError(`${name} must be one of ${Object.keys(WINDOW_SIZES).join(', ')}; got "${raw}".`);
  }
  return raw as WindowSize;
}

const DURATION_UNITS_MS: Record<string, number> = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** A duration such as `90s`, `30m`, `12h` or `7d` (a bare number is seconds). */
function durationVar(
  env: NodeJS.ProcessEnv,
  name: string,
  fallbackMs: number,
  minMs: number,
  maxMs: number,
): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallbackMs;
  const match = /^(\d+)\s*([smhd]?)$/.exec(raw.trim());
  const value = match ? Number(match[1]) * DURATION_UNITS_MS[match[2] || 's']! : Number.NaN;
  if (!(value >= minMs && value <= maxMs)) {
    throw new ConfigError(
      `${name} must be a duration such as 30m, 12h or 7d, between ${minMs / 1000} s and ${maxMs / 86_400_000} days; got "${raw}".`,
    );
  }
  return value;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

function intVar(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer between ${min} and ${max}; got "${raw}".`);
  }
  return value;
}

function onOffVar(env: NodeJS.ProcessEnv, name: string, fallback: boolean): boolean {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  if (raw === 'on' || raw === 'off') return raw === 'on';
  throw new ConfigError(`${name} must be on or off; got "${raw}".`);
}

/** Reads the configuration from environment variables, with defaults that need no setup. */
export function loadConfig(
  env: NodeJS.ProcessEnv = process.env,
  overrides: Partial<VigilConfig> = {},
): VigilConfig {
  const logLevel = (env.VIGIL_LOG_LEVEL ?? 'info') as VigilConfig['logLevel'];
  if (!LOG_LEVELS.includes(logLevel)) {
    throw new ConfigError(`VIGIL_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}; got "${logLevel}".`);
  }
  const logFormat = env.VIGIL_LOG_FORMAT || (process.stdout.isTTY ? 'pretty' : 'json');
  if (logFormat !== 'json' && logFormat !== 'pretty') {
    throw new ConfigError(`VIGIL_LOG_FORMAT must be "json" or "pretty"; got "${logFormat}".`);
  }
  const adminKey = env.VIGIL_ADMIN_KEY || undefined;
  if (adminKey !== undefined && adminKey.length < 16) {
    throw new ConfigError('VIGIL_ADMIN_KEY must be at least 16 characters long.');
  }
  const adminPassword = env.VIGIL_ADMIN_PASSWORD || undefined;
  if (adminPassword !== undefined && (adminPassword.length < 8 || adminPassword.length > 256)) {
    throw new ConfigError('VIGIL_ADMIN_PASSWORD must be 8 to 256 characters long.');
  }
  const idleTtlMs = durationVar(env, 'VIGIL_SESSION_TTL', 12 * 3_600_000, 60_000, 365 * 86_400_000);
  const maxAgeMs = durationVar(env, 'VIGIL_SESSION_MAX_AGE', 7 * 86_400_000, 60_000, 365 * 86_400_000);
  if (idleTtlMs > maxAgeMs) {
    throw new ConfigError('VIGIL_SESSION_TTL must not be longer than VIGIL_SESSION_MAX_AGE.');
  }
  const externalUrl = env.VIGIL_EXTERNAL_URL || undefined;
  if (externalUrl !== undefined && !/^https?:\/\/[^/]/.test(externalUrl)) {
    throw new ConfigError(`VIGIL_EXTERNAL_URL must be an http(s) URL; got "${externalUrl}".`);
  }
  const maxConcurrentIngests = intVar(env, 'VIGIL_MAX_CONCURRENT_INGESTS', 32, 1, 100_000);
  const maxBodyBytes = intVar(env, 'VIGIL_MAX_BODY_MB', 64, 1, 4096) * 1024 * 1024;
  const maxIngestBytes = intVar(env, 'VIGIL_MAX_INGEST_MB', 256, 1, 1_000_000) * 1024 * 1024;
  if (maxIngestBytes < maxBodyBytes) {
    throw new ConfigError(
      'VIGIL_MAX_INGEST_MB must be at least VIGIL_MAX_BODY_MB (one request of the largest size must fit).',
    );
  }
  const requestTimeoutMs = intVar(env, 'VIGIL_REQUEST_TIMEOUT_S', 300, 1, 86_400) * 1000;
  const headersTimeoutMs = intVar(env, 'VIGIL_HEADERS_TIMEOUT_S', 20, 1, 86_400) * 1000;
  if (headersTimeoutMs > requestTimeoutMs) {
    throw new ConfigError('VIGIL_HEADERS_TIMEOUT_S must not be longer than VIGIL_REQUEST_TIMEOUT_S.');
  }
  return {
    host: env.VIGIL_HOST || '0.0.0.0',
    port: intVar(env, 'VIGIL_PORT', 4000, 0, 65535),
    dataDir: resolve(env.VIGIL_DATA_DIR || 'vigil-data'),
    adminKey,
    adminPassword,
    sessions: {
      idleTtlMs,
      maxAgeMs,
      maxFailuresPerUser: intVar(env, 'VIGIL_LOGIN_FAILURES_PER_USER', 5, 1, 10_000),
      maxFailuresPerAddress: intVar(env, 'VIGIL_LOGIN_FAILURES_PER_ADDRESS', 20, 1, 100_000),
    },
    logLevel,
    logFormat,
    maxBodyBytes,
    maxIngestBytes,
    maxArtifactBytes: intVar(env, 'VIGIL_MAX_ARTIFACT_MB', 1024, 1, 1_048_576) * 1024 * 1024,
    maxColumnsPerModel: intVar(env, 'VIGIL_MAX_COLUMNS_PER_MODEL', 2000, 1, 100_000),
    maxConcurrentIngests,
    maxConcurrentIngestsPerKey: intVar(
      env,
      'VIGIL_MAX_CONCURRENT_INGESTS_PER_KEY',
      Math.ceil(maxConcurrentIngests / 2),
      1,
      100_000,
    ),
    headersTimeoutMs,
    requestTimeoutMs,
    idleTimeoutMs: intVar(env, 'VIGIL_IDLE_TIMEOUT_S', 600, 1, 86_400) * 1000,
    keepAliveTimeoutMs: intVar(env, 'VIGIL_KEEP_ALIVE_TIMEOUT_S', 72, 1, 86_400) * 1000,
    shutdownGraceMs: intVar(env, 'VIGIL_SHUTDOWN_GRACE_S', 20, 0, 3600) * 1000,
    minBodyBytesPerSecond: intVar(env, 'VIGIL_MIN_BODY_RATE_KB', 10, 0, 1_000_000) * 1024,
    bodyRateGraceMs: intVar(env, 'VIGIL_BODY_RATE_GRACE_S', 10, 0, 3600) * 1000,
    storeRecoveryProbeMs: intVar(env, 'VIGIL_STORE_RETRY_S', 5, 1, 3600) * 1000,
    // The store's default (DEFAULT_CHECKPOINT_THRESHOLD_MB); see storage/duckdb/idle-checkpoint.ts.
    storeCheckpointMb: intVar(env, 'VIGIL_CHECKPOINT_MB', 128, 1, 1_048_576),
    storeNativeBins: onOffVar(env, 'VIGIL_DUCKDB_NATIVE_BINS', true),
    storeCompactDoubles: onOffVar(env, 'VIGIL_DUCKDB_COMPACT_DOUBLES', false),
    printAdminKey: true,
    notify: {
      timeoutMs: intVar(env, 'VIGIL_NOTIFY_TIMEOUT_MS', 10_000, 100, 600_000),
      maxAttempts: intVar(env, 'VIGIL_NOTIFY_MAX_ATTEMPTS', 12, 1, 1000),
      backoffMs: intVar(env, 'VIGIL_NOTIFY_BACKOFF_MS', 10_000, 1, 86_400_000),
      maxBackoffMs: intVar(env, 'VIGIL_NOTIFY_MAX_BACKOFF_MS', 3_600_000, 1, 86_400_000),
      concurrency: intVar(env, 'VIGIL_NOTIFY_CONCURRENCY', 8, 1, 1000),
      pollMs: intVar(env, 'VIGIL_NOTIFY_POLL_MS', 1000, 10, 3_600_000),
      retentionDays: intVar(env, 'VIGIL_NOTIFY_RETENTION_DAYS', 30, 1, 36_500),
    },
    externalUrl,
    monitoring: {
      falseAlarmsPerWeek: numberVar(env, 'VIGIL_FALSE_ALARMS_PER_WEEK', 1, 0.001, 1000),
      debounceMs: intVar(env, 'VIGIL_EVALUATION_DEBOUNCE_MS', 500, 0, 600_000),
      closeGraceMs: intVar(env, 'VIGIL_WINDOW_CLOSE_GRACE_MS', 5_000, 0, 3_600_000),
      defaultWindow: windowVar(env, 'VIGIL_DEFAULT_WINDOW', '1h'),
      maxBackfillWindows: intVar(env, 'VIGIL_MAX_BACKFILL_WINDOWS', 2_000, 1, 1_000_000),
    },
    webDir: resolve(env.VIGIL_WEB_DIR || BUILT_WEB_DIR),
    ...overrides,
  };
}

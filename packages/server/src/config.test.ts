import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('needs nothing to start', () => {
    const config = loadConfig({ VIGIL_LOG_FORMAT: 'json' });
    expect(config).toMatchObject({ port: 4000, host: '0.0.0.0', logLevel: 'info', logFormat: 'json' });
    expect(config.dataDir.endsWith('vigil-data')).toBe(true);
    expect(config.maxBodyBytes).toBe(64 * 1024 * 1024);
    expect(config.maxIngestBytes).toBe(256 * 1024 * 1024);
    expect(config).toMatchObject({
      maxConcurrentIngests: 32,
      maxConcurrentIngestsPerKey: 16,
      headersTimeoutMs: 20_000,
      requestTimeoutMs: 300_000,
      idleTimeoutMs: 600_000,
      keepAliveTimeoutMs: 72_000,
      shutdownGraceMs: 20_000,
      minBodyBytesPerSecond: 10 * 1024,
      bodyRateGraceMs: 10_000,
    });
    expect(config.storeNativeBins).toBe(true);
    expect(config.storeCompactDoubles).toBe(false);
  });

  it('compresses high-precision doubles with VIGIL_DUCKDB_COMPACT_DOUBLES=on', () => {
    expect(loadConfig({ VIGIL_DUCKDB_COMPACT_DOUBLES: 'on' }).storeCompactDoubles).toBe(true);
    expect(() => loadConfig({ VIGIL_DUCKDB_COMPACT_DOUBLES: 'yes' })).toThrow(/on or off/);
  });

  it('turns the DuckDB binning extension off with VIGIL_DUCKDB_NATIVE_BINS=off, and refuses other words', () => {
    expect(loadConfig({ VIGIL_DUCKDB_NATIVE_BINS: 'off' }).storeNativeBins).toBe(false);
    expect(loadConfig({ VIGIL_DUCKDB_NATIVE_BINS: 'on' }).storeNativeBins).toBe(true);
    expect(() => loadConfig({ VIGIL_DUCKDB_NATIVE_BINS: 'no' })).toThrow(ConfigError);
    expect(() => loadConfig({ VIGIL_DUCKDB_NATIVE_BINS: 'no' })).toThrow(/on or off/);
  });

  it('reads every variable', () => {
    const config = loadConfig({
      VIGIL_PORT: '8080',
      VIGIL_HOST: '127.0.0.1',
      VIGIL_DATA_DIR: '/srv/vigil',
      VIGIL_ADMIN_KEY: 'a-long-enough-admin-key',
      VIGIL_LOG_LEVEL: 'debug',
      VIGIL_LOG_FORMAT: 'pretty',
      VIGIL_MAX_BODY_MB: '8',
      VIGIL_MAX_INGEST_MB: '16',
      VIGIL_MAX_CONCURRENT_INGESTS: '4',
      VIGIL_MAX_CONCURRENT_INGESTS_PER_KEY: '3',
      VIGIL_HEADERS_TIMEOUT_S: '5',
      VIGIL_REQUEST_TIMEOUT_S: '60',
      VIGIL_IDLE_TIMEOUT_S: '90',
      VIGIL_KEEP_ALIVE_TIMEOUT_S: '30',
      VIGIL_SHUTDOWN_GRACE_S: '0',
      VIGIL_MIN_BODY_RATE_KB: '0',
      VIGIL_BODY_RATE_GRACE_S: '2',
    });
    expect(config).toMatchObject({
      port: 8080,
      host: '127.0.0.1',
      dataDir: '/srv/vigil',
      adminKey: 'a-long-enough-admin-key',
      logLevel: 'debug',
      logFormat: 'pretty',
      maxBodyBytes: 8 * 1024 * 1024,
      maxIngestBytes: 16 * 1024 * 1024,
      maxConcurrentIngests: 4,
      maxConcurrentIngestsPerKey: 3,
      headersTimeoutMs: 5000,
      requestTimeoutMs: 60_000,
      idleTimeoutMs: 90_000,
      keepAliveTimeoutMs: 30_000,
      shutdownGraceMs: 0,
      minBodyBytesPerSecond: 0,
      bodyRateGraceMs: 2000,
    });
  });

  it('reads the sign-in settings, with durations in s, m, h or d', () => {
    expect(loadConfig({}).sessions).toEqual({
      idleTtlMs: 12 * 3_600_000,
      maxAgeMs: 7 * 86_400_000,
      maxFailuresPerUser: 5,
      maxFailuresPerAddress: 20,
    });
    const config = loadConfig({
      VIGIL_ADMIN_PASSWORD: 'eight-ch',
      VIGIL_SESSION_TTL: '30m',
      VIGIL_SESSION_MAX_AGE: '1d',
      VIGIL_LOGIN_FAILURES_PER_USER: '3',
      VIGIL_LOGIN_FAILURES_PER_ADDRESS: '100',
    });
    expect(config.adminPassword).toBe('eight-ch');
    expect(config.sessions).toEqual({
      idleTtlMs: 1_800_000,
      maxAgeMs: 86_400_000,
      maxFailuresPerUser: 3,
      maxFailuresPerAddress: 100,
    });
    expect(loadConfig({ VIGIL_SESSION_TTL: '900' }).sessions.idleTtlMs).toBe(900_000);
  });

  it.each([
    [{ VIGIL_ADMIN_PASSWORD: 'short' }, 'VIGIL_ADMIN_PASSWORD must be 8 to 256 characters long.'],
    [
      { VIGIL_SESSION_TTL: '12 hours' },
      'VIGIL_SESSION_TTL must be a duration such as 30m, 12h or 7d, between 60 s and 365 days; got "12 hours".',
    ],
    [{ VIGIL_SESSION_TTL: '8d' }, 'VIGIL_SESSION_TTL must not be longer than VIGIL_SESSION_MAX_AGE.'],
    [
      { VIGIL_SESSION_MAX_AGE: '10s' },
      'VIGIL_SESSION_MAX_AGE must be a duration such as 30m, 12h or 7d, between 60 s and 365 days; got "10s".',
    ],
  ])('refuses bad sign-in settings: %o', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });

  it.each([
    [{ VIGIL_PORT: 'http' }, 'VIGIL_PORT must be an integer between 0 and 65535; got "http".'],
    [
      { VIGIL_HEADERS_TIMEOUT_S: '30', VIGIL_REQUEST_TIMEOUT_S: '10' },
      'VIGIL_HEADERS_TIMEOUT_S must not be longer than VIGIL_REQUEST_TIMEOUT_S.',
    ],
    [{ VIGIL_PORT: '70000' }, 'VIGIL_PORT must be an integer between 0 and 65535; got "70000".'],
    [
      { VIGIL_LOG_LEVEL: 'loud' },
      'VIGIL_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent; got "loud".',
    ],
    [{ VIGIL_LOG_FORMAT: 'xml' }, 'VIGIL_LOG_FORMAT must be "json" or "pretty"; got "xml".'],
    [{ VIGIL_ADMIN_KEY: 'short' }, 'VIGIL_ADMIN_KEY must be at least 16 characters long.'],
    [{ VIGIL_MAX_BODY_MB: '0' }, 'VIGIL_MAX_BODY_MB must be an integer between 1 and 4096; got "0".'],
  ])('explains what is wrong with %j', (env, message) => {
    expect(() => loadConfig(env)).toThrow(new ConfigError(message));
  });
});

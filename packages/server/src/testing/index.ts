/**
 * Test support shared by every package's tests: a real Vigil server on a free port
 * with its own temporary data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type NotifyConfig, type VigilConfig } from '../config.js';
import { type MonitoringOptions, MonitorService } from '../monitors/index.js';
import { type RunningServer, type ServerOptions, startServer } from '../server.js';
import { ColumnCatalog } from '../services/columns.js';
import { DocumentedStatuses } from './documented-statuses.js';
import { PROMPT_MONITORING } from './evaluation.js';

export { CHILD_START_TIMEOUT_MS, childProcessTestTimeout } from './child-process.js';
export {
  comparableResults,
  type EvaluatingServer,
  evaluateWindow,
  numericDifferences,
  PROMPT_MONITORING,
  type WaitForEvaluationOptions,
  waitForEvaluation,
} from './evaluation.js';
export { SCORED_SCHEMA, type ScoredRow, scoredRows } from './scored-model.js';

export interface TestServer extends RunningServer {
  adminKey: string;
  /** Password of the user `admin` (`TEST_ADMIN_PASSWORD` unless overridden). */
  adminPassword: string;
  dataDir: string;
  /**
   * fetch against the server with the admin key (or `key`) as bearer token. Every answer's
   * status must be one the OpenAPI document declares for its route; `close()` fails otherwise.
   */
  api(path: string, init?: RequestInit & { json?: unknown; key?: string | null }): Promise<Response>;
  /** Signs in as a user (the first admin by default), as a browser would. */
  signIn(username?: string, password?: string): Promise<BrowserSession>;
}

/** A signed-in browser: sends the session cookie, and the CSRF token where one is needed. */
export interface BrowserSession {
  cookie: string;
  csrfToken: string;
  user: { id: number; username: string; role: string };
  /**
   * fetch with the session cookie; POST, PUT, PATCH and DELETE carry `X-CSRF-Token`
   * unless `csrf` is null (or another value to send instead).
   */
  api(path: string, init?: RequestInit & { json?: unknown; csrf?: string | null }): Promise<Response>;
}

/**
 * Notification delivery for tests that watch it: retries tens of milliseconds apart and the
 * outbox checked every 20 ms, so a test waits on deliveries, not on delays.
 */
export const PROMPT_NOTIFY: NotifyConfig = {
  timeoutMs: 2000,
  maxAttempts: 5,
  backoffMs: 20,
  maxBackoffMs: 100,
  concurrency: 4,
  pollMs: 20,
  retentionDays: 30,
};

export const TEST_ADMIN_KEY = 'vk_test_admin_key_0123456789abcdef';
export const TEST_ADMIN_PASSWORD = 'test-admin-password';

export async function startTestServer(
  overrides: Partial<VigilConfig> = {},
  options: ServerOptions = {},
): Promise<TestServer> {
  const dataDir = overrides.dataDir ?? mkdtempSync(join(tmpdir(), 'vigil-test-'));
  const config = loadConfig(
    {},
    {
      host: '127.0.0.1',
      port: 0,
      dataDir,
      adminKey: TEST_ADMIN_KEY,
      adminPassword: TEST_ADMIN_PASSWORD,
      logLevel: 'silent',
      printAdminKey: false,
      ...overrides,
    },
  );
  const server = await startServer(config, options);
  const close = server.close;
  const adminPassword = server.adminPassword ?? config.adminPassword ?? TEST_ADMIN_PASSWORD;
  const adminKey = config.adminKey ?? TEST_ADMIN_KEY;
  const documented = new DocumentedStatuses(server.url, adminKey);
  return {
    ...server,
    adminKey,
    adminPassword,
    dataDir,
    signIn: (username = 'admin', password = adminPassword) => signIn(server.url, username, password),
    async api(path, init = {}) {
      const { json, key, ...rest } = init;
      const headers = new Headers(rest.headers);
      const token = key === undefined ? adminKey : key;
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      const method = rest.method ?? (json !== undefined ? 'POST' : 'GET');
      const response = await fetch(`${server.url}${path}`, {
        ...rest,
        method,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
      await documented.check(method, path, response.status);
      return response;
    },
    async close() {
      await close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
      documented.assertAllDocumented();
    },
  };
}

/**
 * A test server whose evaluation the test drives itself (through `server.app.monitors` or
 * `separateEvaluator`): the background loop is stopped, and windows are final as soon as they close.
 * `now` fixes the evaluators' clock (separate evaluators share it): what is due, and which windows
 * have closed (traffic queues the hours that passed without data), then never depend on when the
 * test runs.
 */
export async function startDrivenEvaluationServer(
  overrides: Omit<Partial<VigilConfig>, 'monitoring'> = {},
  now?: () => number,
): Promise<TestServer> {
  const monitoring: MonitoringOptions = { ...PROMPT_MONITORING, debounceMs: 0, ...(now ? { now } : {}) };
  const server = await startTestServer({ ...overrides, monitoring });
  await server.app.monitors.stop();
  return server;
}

/**
 * An evaluator on the server's store beside its own, with nothing in memory: the server's
 * monitoring options but for `options` (e.g. a test's clock, or a way of evaluating to compare).
 */
export function separateEvaluator(
  server: TestServer,
  options: Partial<MonitoringOptions> = {},
): MonitorService {
  return new MonitorService(server.store, new ColumnCatalog(server.store, 1000), server.app.log, {
    ...server.app.monitors.options,
    ...options,
  });
}

/**
 * Every stored prediction of `model`, read page by page through `GET .../predictions` in the
 * order the server pages them; a page that is not 200 throws with the server's answer.
 */
export async function readAllPredictions<T = Record<string, unknown>>(
  server: TestServer,
  model: string,
  pageSize = 1000,
): Promise<T[]> {
  const all: T[] = [];
  let cursor: string | null = null;
  do {
    const query = new URLSearchParams({ limit: String(pageSize), ...(cursor ? { cursor } : {}) });
    const response = await server.api(`/api/v1/models/${model}/predictions?${query}`);
    if (response.status !== 200) {
      throw new Error(
        `Reading the predictions of ${model} answered ${response.status}: ${await response.text()}`,
      );
    }
    const page = (await response.json()) as { data: T[]; next_cursor: string | null };
    all.push(...page.data);
    cursor = page.next_cursor;
  } while (cursor !== null);
  return all;
}

const UNSAFE_METHODS = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

async function signIn(url: string, username: string, password: string): Promise<BrowserSession> {
  const response = await fetch(`${url}/api/v1/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (response.status !== 200) {
    throw new Error(`Sign-in as ${username} answered ${response.status}: ${await response.text()}`);
  }
  const body = (await response.json()) as { csrfToken: string; user: BrowserSession['user'] };
  const cookie = (response.headers.get('set-cookie') ?? '').split(';')[0]!;
  return {
    cookie,
    csrfToken: body.csrfToken,
    user: body.user,
    api(path, init = {}) {
      const { json, csrf, ...rest } = init;
      const headers = new Headers(rest.headers);
      headers.set('cookie', cookie);
      const method = (rest.method ?? (json !== undefined ? 'POST' : 'GET')).toUpperCase();
      const token = csrf === undefined ? body.csrfToken : csrf;
      if (UNSAFE_METHODS.has(method) && token !== null) headers.set('x-csrf-token', token);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${url}${path}`, {
        ...rest,
        method,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
      });
    },
  };
}

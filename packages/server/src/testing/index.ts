/**
 * Test support shared by every package's tests: a real Vigil server on a free port
 * with its own temporary data folder.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig, type VigilConfig } from '../config.js';
import { type RunningServer, type ServerOptions, startServer } from '../server.js';

export interface TestServer extends RunningServer {
  adminKey: string;
  dataDir: string;
  /** fetch against the server with the admin key (or `key`) as bearer token. */
  api(path: string, init?: RequestInit & { json?: unknown; key?: string | null }): Promise<Response>;
}

export const TEST_ADMIN_KEY = 'vk_test_admin_key_0123456789abcdef';

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
      logLevel: 'silent',
      printAdminKey: false,
      ...overrides,
    },
  );
  const server = await startServer(config, options);
  const close = server.close;
  return {
    ...server,
    adminKey: config.adminKey ?? TEST_ADMIN_KEY,
    dataDir,
    api(path, init = {}) {
      const { json, key, ...rest } = init;
      const headers = new Headers(rest.headers);
      const token = key === undefined ? (config.adminKey ?? TEST_ADMIN_KEY) : key;
      if (token !== null) headers.set('authorization', `Bearer ${token}`);
      if (json !== undefined) headers.set('content-type', 'application/json');
      return fetch(`${server.url}${path}`, {
        ...rest,
        headers,
        ...(json !== undefined ? { body: JSON.stringify(json), method: rest.method ?? 'POST' } : {}),
      });
    },
    async close() {
      await close();
      if (!overrides.dataDir) rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

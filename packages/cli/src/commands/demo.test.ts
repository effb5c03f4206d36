/** `vigil demo` against a real server. */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';

let server: TestServer;
let env: Record<string, string>;
let dir: string;
const vigil = (...argv: string[]) => runVigil(argv, env, dir);

beforeAll(async () => {
  server = await startTestServer();
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-demo-'));
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

it('starts the demo, says so when it exists, and removes it', async () => {
  const started = await vigil('demo', '--hours', '1', '--rate', '100');
  expect(started.code).toBe(0);
  expect(started.stdout).toMatch(/Created demo-churn with \d+ predictions and \d+ labels/);
  expect(started.stdout).toContain(`${server.url}/models/demo-churn`);
  expect((await vigil('demo')).stdout).toMatch(/demo-churn already exists/);
  const bad = await vigil('demo', '--hours', '0');
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/--hours must be a whole number from 1 to 168; got '0'/);
  expect((await vigil('demo', '--remove')).stdout).toBe('Removed demo-churn.\n');
  expect((await vigil('demo', '--remove')).stdout).toBe('No demo to remove.\n');
});

/** `vigil audit` against a real server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-audit-'));
let server: TestServer;
let env: Record<string, string>;
const vigil = (argv: string[]) => runVigil(argv, env, dir);

beforeAll(async () => {
  server = await startTestServer({ dataDir: join(dir, 'server') });
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

it('lists who changed what, filters, prints JSON, and refuses bad flags in one line', async () => {
  await server.api('/api/v1/models', { json: { name: 'churn', task: 'binary_classification' } });
  await server.api('/api/v1/models/churn', {
    method: 'PATCH',
    json: { description: 'weekly', tags: { team: 'risk' } },
  });
  await server.api('/api/v1/keys', { json: { name: 'ci', scope: 'write' } });

  const listed = await vigil(['audit']);
  expect(listed.code, listed.stderr).toBe(0);
  const lines = listed.stdout.trim().split('\n');
  expect(lines[0]).toMatch(/^AT\s+ACTOR\s+ACTION\s+ENTITY\s+ID\s+CHANGED$/);
  expect(lines.slice(1).map((l) => l.split(/\s{2,}/).slice(2, 5))).toEqual([
    ['create', 'api_key', '2'],
    ['update', 'model', 'churn'],
    ['create', 'model', 'churn'],
  ]);
  expect(lines[2]).toMatch(/api-key:1 \(admin\)\s+update\s+model\s+churn\s+description, tags$/);

  const json = await vigil(['audit', '--model', 'churn', '--action', 'update', '--json']);
  expect(json.code, json.stderr).toBe(0);
  const entries = JSON.parse(json.stdout) as {
    before: { description: string | null };
    after: { description: string };
  }[];
  expect(entries).toHaveLength(1);
  expect(entries[0]!.before.description).toBeNull();
  expect(entries[0]!.after.description).toBe('weekly');

  expect((await vigil(['audit', '--entity', 'api_key', '--actor', 'nobody'])).stdout).toBe(
    'No audit entries.\n',
  );
  const bad = await vigil(['audit', '--limit', '0']);
  expect(bad.code).not.toBe(0);
  expect(bad.stderr).toMatch(/--limit must be a whole number from 1 to 1000; got '0'/);
  const badTime = await vigil(['audit', '--from', 'yesterday']);
  expect(badTime.code).not.toBe(0);
  expect(badTime.stderr).toMatch(/from/);
});

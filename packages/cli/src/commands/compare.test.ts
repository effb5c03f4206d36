/** `vigil compare` against a real server holding a champion and its shadow challenger. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApi } from '@vigil/sdk';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { seedChampionWithShadows } from '../shadow-pairs.test-support.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-compare-'));
const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
let server: TestServer;
let env: Record<string, string>;
const vigil = (argv: string[]) => runVigil(argv, env, dir);

beforeAll(async () => {
  server = await startTestServer({ dataDir: join(dir, 'server') }, { now: () => T0 + 7_200_000 });
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
  const api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
  // The champion is wrong on every fourth request, the challenger never.
  await seedChampionWithShadows(api, T0, { '2': () => false });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('vigil compare', () => {
  it('prints the paired comparison, per window too, and as JSON', async () => {
    const run = await vigil(['compare', 'churn', 'champion', '2', '--window', '1h']);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toContain('churn: A = champion (version 1), B = version 2');
    expect(run.stdout).toContain('80 paired predictions, 80 labelled; agreement 75.0%');
    expect(run.stdout).toMatch(
      /\naccuracy\s+0\.75\s+1\s+\+0\.25\s+\[\+0\.\d+, \+0\.\d+\]\s+\S+\s+mcnemar\s+b\n/,
    );
    expect(run.stdout).toMatch(/Per 1h window:\nSTART\s+PAIRS\s+LABELLED\s+AGREEMENT/);
    expect(run.stdout).toMatch(/2026-03-02T00:00:00\.000Z\s+40\s+40\s+75\.0%/);
    const json = await vigil(['compare', 'churn', 'champion', '2', '--json']);
    expect(JSON.parse(json.stdout).overall.pairs).toBe(80);
  });

  it('says what is wrong in one line', async () => {
    const unknown = await vigil(['compare', 'churn', 'champion', 'staging']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('no version or alias "staging"');
    const window = await vigil(['compare', 'churn', '1', '2', '--window', '2h']);
    expect(window.code).toBe(2);
    expect(window.stderr).toContain('--window must be one of');
  });
});

/** `vigil monitors`, `vigil results` and `vigil health` against a real server. */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';

let server: TestServer;
let env: Record<string, string>;
let dir: string;
const vigil = (...argv: string[]) => runVigil(argv, env, dir);
const HOUR_MICROS = 3_600_000_000;
const START = Date.UTC(2026, 0, 5) * 1000;

beforeAll(async () => {
  server = await startTestServer();
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
  dir = await mkdtemp(join(tmpdir(), 'vigil-cli-monitors-'));
  const schema = {
    features: [
      { name: 'amount', type: 'numeric' },
      { name: 'country', type: 'categorical' },
    ],
  };
  const created = await server.api('/api/v1/models', {
    json: { name: 'fraud', task: 'binary_classification', schema },
  });
  expect(created.status).toBe(201);
  const reference = Array.from({ length: 200 }, (_, i) => ({
    features: { amount: i / 200, country: i % 2 ? 'DE' : 'FR' },
    prediction: i % 2,
  }));
  expect((await server.api('/api/v1/models/fraud/reference', { json: reference })).status).toBe(200);
  // Results written straight to the store: the CLI's rendering, not the evaluation, is under test.
  const model = (await server.store.getModel(1, 'fraud'))!;
  const monitor = (await server.store.monitors.get(model.id, 'feature-drift'))!;
  for (const [hour, amount] of [
    [0, 0.02],
    [1, 0.4],
  ] as const) {
    const start = START + hour * HOUR_MICROS;
    await server.store.results.replaceWindow(
      monitor.id,
      start,
      ['amount', 'country'].map((feature) => ({
        modelId: model.id,
        monitorId: monitor.id,
        monitorKind: 'feature_drift' as const,
        version: null,
        segment: null,
        windowStartMicros: start,
        windowEndMicros: start + HOUR_MICROS,
        feature,
        metric: 'jensen_shannon',
        value: feature === 'amount' ? amount : 0.01,
        thresholdLower: null,
        thresholdUpper: 0.1,
        bandLower: null,
        bandUpper: null,
        sampleSize: 1000,
        status: feature === 'amount' && amount > 0.1 ? ('alert' as const) : ('ok' as const),
        reason: null,
        details: null,
        evaluatedAtMicros: start + HOUR_MICROS,
      })),
    );
  }
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('vigil monitors', () => {
  it('lists the default monitors', async () => {
    const listed = await vigil('monitors', 'list', '--model', 'fraud');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^NAME\s+KIND\s+STATE\s+WINDOW\s+DEFAULT\s+PENDING\n/);
    expect(listed.stdout).toMatch(/feature-drift\s+feature_drift\s+enabled\s+1h\s+yes/);
    const json = JSON.parse((await vigil('monitors', '--model', 'fraud', '--json')).stdout);
    expect(json.map((m: { name: string }) => m.name)).toContain('data-quality');
  });

  it('creates monitors from flags and from a file, disables, enables and deletes them', async () => {
    const simple = await vigil(
      'monitors',
      'create',
      '--model',
      'fraud',
      '--name',
      'amount-5m',
      '--kind',
      'feature_drift',
      '--window',
      '5m',
      '--features',
      'amount',
    );
    expect(simple.code, simple.stderr).toBe(0);
    expect(simple.stdout).toMatch(/^Created monitor amount-5m \(feature_drift, 5m\) on fraud; \d+ window/);

    await writeFile(
      join(dir, 'def.json'),
      JSON.stringify({
        kind: 'custom_metric',
        metric: 'big',
        aggregate: 'rate',
        column: 'amount',
        predicate: { op: '>', value: 0.9 },
        threshold: { upper: 0.2 },
      }),
    );
    const fromFile = await vigil(
      'monitors',
      'create',
      '-m',
      'fraud',
      '-n',
      'big-amounts',
      '--file',
      'def.json',
    );
    expect(fromFile.code, fromFile.stderr).toBe(0);
    expect(fromFile.stdout).toContain('Created monitor big-amounts (custom_metric, 1h)');

    const disabled = await vigil('monitors', 'disable', 'amount-5m', 'big-amounts', '--model', 'fraud');
    expect(disabled.stdout).toBe(
      'Disabled monitor amount-5m on fraud.\nDisabled monitor big-amounts on fraud.\n',
    );
    expect((await vigil('monitors', 'list', '-m', 'fraud')).stdout).toMatch(
      /amount-5m\s+feature_drift\s+disabled/,
    );
    expect((await vigil('monitors', 'enable', 'amount-5m', '-m', 'fraud')).stdout).toBe(
      'Enabled monitor amount-5m on fraud.\n',
    );
    const deleted = await vigil('monitors', 'delete', 'amount-5m', 'big-amounts', '-m', 'fraud');
    expect(deleted.code, deleted.stderr).toBe(0);
    expect((await vigil('monitors', 'list', '-m', 'fraud')).stdout).not.toContain('amount-5m');
  });

  it('explains what is wrong', async () => {
    const bad = await vigil(
      'monitors',
      'create',
      '-m',
      'fraud',
      '-n',
      'x',
      '--kind',
      'feature_drift',
      '--features',
      'nope',
    );
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/^error: HTTP 400: .*nope/);
    const unknownModel = await vigil('monitors', 'list', '-m', 'no-such-model');
    expect(unknownModel.code).toBe(2);
    expect(unknownModel.stderr).toMatch(/^error: HTTP 404: .*no-such-model/);
    const noDefinition = await vigil('monitors', 'create', '-m', 'fraud', '-n', 'x');
    expect(noDefinition.stderr).toContain('give the definition with --file def.json, or --kind');
    await writeFile(join(dir, 'broken.json'), '{"kind": ');
    expect(
      (await vigil('monitors', 'create', '-m', 'fraud', '-n', 'x', '-f', 'broken.json')).stderr,
    ).toContain('--file broken.json is not valid JSON');
    const missing = await vigil('monitors', 'disable', 'ghost', '-m', 'fraud');
    expect(missing.stderr).toContain('has no monitor "ghost"');
  });

  it('says when the server cannot be reached', async () => {
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
    const port = (probe.address() as { port: number }).port;
    await new Promise((resolve) => probe.close(resolve));
    const down = await runVigil(['health', '--url', `http://127.0.0.1:${port}`], { VIGIL_API_KEY: 'k' }, dir);
    expect(down.code).toBe(2);
    expect(down.stderr).toMatch(/^error: Cannot reach the Vigil server at http:\/\/127\.0\.0\.1:\d+\//);
  });
});

describe('vigil results and vigil health', () => {
  it('prints results as a table, filtered', async () => {
    // The traffic monitor may also have evaluated the last closed hour of the clock.
    const all = await vigil('results', '--model', 'fraud', '--monitor', 'feature-drift');
    expect(all.code, all.stderr).toBe(0);
    const lines = all.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^WINDOW\s+MONITOR\s+FEATURE\s+METRIC\s+VALUE\s+THRESHOLD\s+N\s+STATUS/);
    expect(lines).toHaveLength(5);
    expect(lines[3]).toMatch(
      /^2026-01-05T01:00:00\.000Z\s+feature-drift\s+amount\s+jensen_shannon\s+0\.4000\s+<= 0\.1000\s+1000\s+alert/,
    );

    const alerts = await vigil('results', '-m', 'fraud', '--status', 'alert', '--json');
    expect(JSON.parse(alerts.stdout)).toMatchObject([{ feature: 'amount', status: 'alert', value: 0.4 }]);
    const window = await vigil(
      'results',
      '-m',
      'fraud',
      '--feature',
      'country',
      '--from',
      '2026-01-05T01:00:00Z',
    );
    expect(window.stdout.trimEnd().split('\n')).toHaveLength(2);
    expect((await vigil('results', '-m', 'fraud', '--to', '2026-01-05T00:00:00Z')).stdout).toBe(
      'No results.\n',
    );

    const firstTwo = await vigil('results', '-m', 'fraud', '--limit', '2');
    expect(firstTwo.stdout.trimEnd().split('\n')).toHaveLength(3);
    expect(firstTwo.stderr).toContain('showing the first 2');
    expect((await vigil('results', '-m', 'fraud', '--status', 'bad')).code).toBe(2);
    expect((await vigil('results', '-m', 'fraud', '--from', 'yesterday')).stderr).toMatch(
      /^error: HTTP 400: .*from/,
    );
  });

  it("prints every model's status", async () => {
    await server.api('/api/v1/models', { json: { name: 'idle', task: 'regression' } });
    const health = await vigil('health');
    expect(health.code, health.stderr).toBe(0);
    expect(health.stdout).toMatch(/^MODEL\s+STATUS\s+MONITORS\s+ALERTING\s+LAST PREDICTION\n/);
    expect(health.stdout).toMatch(/\nidle\s+no_data\s+never\n/);
    const json = JSON.parse((await vigil('health', '--json')).stdout);
    expect(json.find((h: { model: string }) => h.model === 'fraud')).toMatchObject({
      alerting_monitors: ['feature-drift'],
    });
  });
});

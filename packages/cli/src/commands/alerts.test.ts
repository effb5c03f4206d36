/** `vigil alerts` and `vigil silence` against a real server. */
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { parseDuration, parseMatcher } from './silence.js';

let server: TestServer;
let env: Record<string, string>;
const vigil = (...argv: string[]) => runVigil(argv, env, process.cwd());

beforeAll(async () => {
  server = await startTestServer();
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
  const created = await server.api('/api/v1/models', {
    json: { name: 'fraud', task: 'binary_classification' },
  });
  expect(created.status).toBe(201);
  const model = (await server.store.getModel(1, 'fraud'))!;
  const monitor = await server.store.monitors.create({
    modelId: model.id,
    name: 'drift',
    kind: 'feature_drift',
    enabled: true,
    isDefault: true,
    config: {},
  });
  const start = Date.UTC(2026, 0, 5) * 1000;
  await server.store.results.replaceWindow(monitor.id, start, [
    {
      modelId: model.id,
      monitorId: monitor.id,
      monitorKind: 'feature_drift',
      version: null,
      segment: null,
      windowStartMicros: start,
      windowEndMicros: start + 3_600_000_000,
      feature: 'amount',
      metric: 'jensen_shannon',
      value: 0.4,
      thresholdLower: null,
      thresholdUpper: 0.1,
      bandLower: null,
      bandUpper: null,
      sampleSize: 1000,
      status: 'alert',
      reason: null,
      details: null,
      evaluatedAtMicros: start,
    },
  ]);
  await server.app.alerts.poke();
});
afterAll(async () => {
  await server?.close();
});

describe('vigil alerts and vigil silence', () => {
  it('lists and acknowledges alerts', async () => {
    const listed = await vigil('alerts', '--severity', 'critical');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).toMatch(/^ID\s+STATE\s+SEVERITY/);
    expect(listed.stdout).toContain('firing');
    expect(listed.stdout).toContain('amount');
    const id = /\n(\d+)\s/.exec(listed.stdout)![1]!;
    const acked = await vigil('alerts', 'ack', id, '--by', 'ana');
    expect(acked.code, acked.stderr).toBe(0);
    expect(acked.stdout).toBe(`Acknowledged alert ${id} (firing) as ana.\n`);
    const json = await vigil('alerts', 'list', '--json', '--model', 'fraud', '--severity', 'critical');
    expect(JSON.parse(json.stdout)[0]).toMatchObject({ acknowledged_by: 'ana' });
    const missing = await vigil('alerts', 'ack', '999999');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('No alert with id 999999');
  });

  it('hides inhibited alerts unless asked, and says how many', async () => {
    // The default rules fire a critical and, inhibited under it, a warning for the drifted window.
    const listed = await vigil('alerts', '--model', 'fraud');
    expect(listed.code, listed.stderr).toBe(0);
    expect(listed.stdout).not.toContain('(inhibited)');
    expect(listed.stdout).toContain('critical');
    expect(listed.stdout).toContain('1 inhibited alert(s) not shown (--inhibited lists them).\n');
    const all = await vigil('alerts', '--model', 'fraud', '--inhibited');
    expect(all.stdout).toMatch(/firing \(inhibited\)\s+warning/);
    expect(all.stdout).not.toContain('not shown');
  });

  it('adds, lists and expires silences', async () => {
    const added = await vigil(
      'silence',
      'add',
      '--match',
      'model=fraud',
      '--match',
      'feature=~"am.*"',
      '--duration',
      '2h',
      '--comment',
      'planned retrain',
    );
    expect(added.code, added.stderr).toBe(0);
    const id = /^Silence (\d+) active/.exec(added.stdout)![1]!;
    const listed = await vigil('silence', 'list');
    expect(listed.stdout).toContain('model="fraud",feature=~"am.*"');
    expect((await vigil('alerts', '--severity', 'critical')).stdout).toContain('(silenced)');
    const expired = await vigil('silence', 'expire', id);
    expect(expired.code, expired.stderr).toBe(0);
    expect((await vigil('silence', 'list')).stdout).toBe('No active silences.\n');
    const bad = await vigil('silence', 'add', '--match', 'feature=~(', '--comment', 'x');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('body.matchers.0.value');
    expect((await vigil('silence', 'add', '--comment', 'x')).code).toBe(2);
  });

  it('parses matchers and durations', () => {
    expect(parseMatcher('severity!=info')).toEqual({ label: 'severity', op: '!=', value: 'info' });
    expect(parseMatcher("feature!~'a|b'")).toEqual({ label: 'feature', op: '!~', value: 'a|b' });
    expect(parseDuration('90s')).toBe(90);
    expect(parseDuration('1d')).toBe(86_400);
    expect(() => parseDuration('2 hours')).toThrow(/--duration/);
    expect(() => parseMatcher('=x')).toThrow(/--match/);
    expect(parseMatcher('model=""')).toEqual({ label: 'model', op: '=', value: '' });
    expect(() => parseMatcher('feature=~"age|income')).toThrow(/opens a " that is not closed/);
    expect(() => parseMatcher("model='")).toThrow(/not closed/);
  });
});

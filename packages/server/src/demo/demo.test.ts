/**
 * The demo over real HTTP: one call registers the sample model with history, its default
 * monitors evaluate that history and alerts fire; the stream keeps sending predictions and late
 * labels; one call removes everything it created.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_MONITORING, startTestServer, type TestServer } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

const HOUR_MS = 3_600_000;

async function call(server: TestServer, path: string, init: Parameters<TestServer['api']>[1] = {}) {
  const response = await server.api(path, init);
  return { status: response.status, body: (await response.json()) as Json };
}

async function until<T>(what: string, probe: () => Promise<T | undefined>): Promise<T> {
  for (let i = 0; i < 2000; i++) {
    const value = await probe();
    if (value !== undefined) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`timed out waiting for ${what}`);
}

describe('demo', () => {
  let server: TestServer;
  // The demo and alerting read this clock: the test moves it on instead of waiting.
  let offsetMs = 0;

  beforeAll(async () => {
    server = await startTestServer(
      {
        monitoring: PROMPT_MONITORING,
      },
      { now: () => Date.now() + offsetMs },
    );
  });
  afterAll(async () => server?.close());

  it('refuses viewers', async () => {
    const key = await call(server, '/api/v1/keys', { json: { name: 'viewer', scope: 'read' } });
    const answer = await call(server, '/api/v1/demo', { json: {}, key: key.body.key });
    expect(answer.status).toBe(403);
    expect((await call(server, '/api/v1/demo', { key: key.body.key })).body).toEqual({
      model: null,
      streaming: false,
    });
  });

  it('starts with history, monitors and a firing alert, streams on, and is removed in one call', async () => {
    const started = await call(server, '/api/v1/demo', { json: { hours: 6, rate_per_hour: 300 } });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ model: 'demo-churn', created: true, streaming: true });
    expect(started.body.predictions).toBeGreaterThan(1000);
    expect(started.body.labels).toBeGreaterThan(500);
    const again = await call(server, '/api/v1/demo', { method: 'POST' });
    expect(again).toMatchObject({ status: 200, body: { created: false, streaming: true } });

    const model = await call(server, '/api/v1/models/demo-churn');
    expect(model.body.schema.features).toHaveLength(10);
    expect(model.body.tags['vigil.demo']).toBe('churn');
    const versions = await call(server, '/api/v1/models/demo-churn/versions');
    expect(versions.body.data.map((v: Json) => [v.name, v.aliases])).toEqual([
      ['1', []],
      ['2', ['champion']],
      ['3', ['challenger']],
    ]);
    expect(versions.body.data[1].metrics.auc).toBe(0.857);
    // Each version links to the run that trained it, in the demo's experiment.
    const run = await call(server, `/api/2.0/mlflow/runs/get?run_id=${versions.body.data[1].run_id}`);
    expect(run.body.run.info.run_name).toBe('gbm-depth5-18m');
    const experiment = await call(
      server,
      '/api/2.0/mlflow/experiments/get-by-name?experiment_name=demo-churn',
    );
    const runs = await call(server, '/api/2.0/mlflow/runs/search', {
      json: { experiment_ids: [experiment.body.experiment.experiment_id] },
    });
    expect(runs.body.runs).toHaveLength(5);
    const history = await call(
      server,
      `/api/2.0/mlflow/metrics/get-history?run_id=${versions.body.data[1].run_id}&metric_key=val_auc`,
    );
    expect(history.body.metrics.length).toBe(30);
    // The challenger predicts, in shadow, the ids the champion served: they compare paired.
    const compared = await call(server, '/api/v1/models/demo-churn/compare?a=champion&b=challenger');
    expect(compared.status).toBe(200);
    expect(compared.body.b.version).toBe('3');
    expect(compared.body.overall.pairs).toBeGreaterThan(500);
    expect(compared.body.overall.agreement.rate).toBeLessThan(1);
    const champion = await call(server, '/api/v1/models/demo-churn/aliases/champion/history');
    expect(champion.body.data.map((h: Json) => [h.version, h.ended_by])).toEqual([
      ['2', null],
      ['1', 'moved'],
    ]);
    const monitors = await call(server, '/api/v1/models/demo-churn/monitors');
    expect(monitors.body.data.map((m: Json) => m.name)).toContain('feature-drift');

    // The campaign (the last five hours) drifts tenure and contract: alerts fire and the heat map shows it.
    const alerts = await until('a drift alert to fire', async () => {
      const { body } = await call(server, '/api/v1/alerts?model=demo-churn&state=firing');
      const drift = body.data.filter((a: Json) => JSON.stringify(a).includes('feature-drift'));
      return drift.length > 0 ? drift : undefined;
    });
    expect(alerts[0].labels).toMatchObject({ model: 'demo-churn', monitor: 'feature-drift' });
    // Windows are evaluated one after another: the campaign's reach the heat map one by one.
    const tenure = await until('tenure_months to alert in the heat map', async () => {
      const map = await call(server, '/api/v1/models/demo-churn/drift-map?points=50');
      const row = map.body.features.find((f: Json) => f.feature === 'tenure_months');
      return row?.statuses.includes('alert') ? row : undefined;
    });
    expect(tenure.max_ratio).toBeGreaterThan(1);

    // An hour later: new predictions were streamed and labels of earlier ones arrived.
    const before = await call(server, '/api/v1/models/demo-churn/series?points=10');
    const total = (series: Json) => series.traffic.reduce((s: number, p: Json) => s + p.predictions, 0);
    const labeled = (series: Json) => series.traffic.reduce((s: number, p: Json) => s + p.labeled, 0);
    offsetMs += HOUR_MS;
    await server.app.demo.tickNow();
    const after = await call(server, '/api/v1/models/demo-churn/series?points=10');
    expect(total(after.body)).toBeGreaterThan(total(before.body) + 100);
    expect(labeled(after.body)).toBeGreaterThan(labeled(before.body) + 100);

    const removed = await call(server, '/api/v1/demo', { method: 'DELETE' });
    expect(removed).toEqual({ status: 200, body: { removed: ['demo-churn'] } });
    expect((await call(server, '/api/v1/models/demo-churn')).status).toBe(404);
    expect(
      (await call(server, '/api/2.0/mlflow/experiments/get-by-name?experiment_name=demo-churn')).status,
    ).toBe(404);
    const left = (await call(server, '/api/v1/alerts')).body.data;
    expect(left.filter((a: Json) => a.labels.model === 'demo-churn')).toEqual([]);
    expect((await call(server, '/api/v1/demo')).body).toEqual({ model: null, streaming: false });
    // Nothing streams any more.
    await server.app.demo.tickNow();
    expect((await call(server, '/api/v1/models')).body.data).toEqual([]);
  }, 120_000);

  it('records what it creates and removes in the audit trail as the operations they are, by who asked', async () => {
    const created = await call(server, '/api/v1/users', {
      json: { username: 'dana', password: 'a long enough passphrase', role: 'editor' },
    });
    expect(created.status).toBe(201);
    const dana = await server.signIn('dana', 'a long enough passphrase');
    const started = await dana.api('/api/v1/demo', { json: { hours: 1, rate_per_hour: 30 } });
    expect(started.status).toBe(201);
    // The demo ran once already above (with the admin key): this one's entries are dana's.
    const page = await call(server, '/api/v1/audit?model=demo-churn&actor=user:dana&limit=100');
    const entries: Json[] = [...page.body.data].reverse();
    expect(new Set(entries.map((e) => e.request_id)).size).toBe(1);
    const listed = await call(server, '/api/v1/models/demo-churn/monitors');
    const monitors = listed.body.data.map((m: Json) => m.name);
    expect(monitors.length).toBeGreaterThan(0);
    expect(
      entries.map((e) => [e.entity_type, e.entity_type === 'monitor' ? e.after.name : e.entity_id, e.action]),
    ).toEqual([
      ['model', 'demo-churn', 'create'],
      ['model_version', 'demo-churn/1', 'create'],
      ['model_version', 'demo-churn/2', 'create'],
      ['model_version', 'demo-churn/3', 'create'],
      ['alias', 'demo-churn@champion', 'set'],
      ['alias', 'demo-churn@challenger', 'set'],
      ['alias', 'demo-churn@champion', 'set'],
      ['alias', 'demo-churn@challenger', 'delete'],
      ['alias', 'demo-churn@challenger', 'set'],
      ...monitors.map((name: string) => ['monitor', name, 'create']),
    ]);
    const moved = entries[6];
    expect(moved.before).toMatchObject({ version: '1' });
    expect(moved.after).toMatchObject({ version: '2', set_by: 'user:demo' });
    expect(entries[7]).toMatchObject({ before: { version: '2' }, after: null });
    expect(entries.at(-1).after).toMatchObject({ model: 'demo-churn' });

    expect((await dana.api('/api/v1/demo', { method: 'DELETE' })).status).toBe(200);
    const [removal] = (await call(server, '/api/v1/audit?model=demo-churn&actor=user:dana&limit=1')).body
      .data;
    expect(removal).toMatchObject({
      entity_type: 'model',
      entity_id: 'demo-churn',
      action: 'delete',
      actor: { ref: 'user:dana' },
      after: null,
    });
  });

  it('bounds the history it generates', async () => {
    const answer = await call(server, '/api/v1/demo', { json: { hours: 168, rate_per_hour: 600 } });
    expect(answer.status).toBe(400);
    expect(answer.body.message).toMatch(/hours × rate_per_hour is 100800; the demo backfills at most 20000/);
    const unknown = await call(server, '/api/v1/demo', { json: { minutes: 5 } });
    expect(unknown.status).toBe(400);
  });

  it('leaves a model of the same name alone', async () => {
    await call(server, '/api/v1/models', { json: { name: 'demo-churn', task: 'regression' } });
    const answer = await call(server, '/api/v1/demo', { json: {} });
    expect(answer.status).toBe(409);
    expect(answer.body.message).toMatch(/already exists and was not created by the demo/);
    expect((await call(server, '/api/v1/demo', { method: 'DELETE' })).body).toEqual({ removed: [] });
    expect((await call(server, '/api/v1/models/demo-churn')).status).toBe(200);
  });
});

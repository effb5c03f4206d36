/**
 * The registry over real HTTP: a registered model is the Vigil model, a registry version is a
 * Vigil version; aliases set through either API, their history, and roll back.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field
type Json = any;

let server: TestServer;
/** The server's clock: each alias change below happens a day after the one before. */
const DAY = 86_400_000;
let clock = Date.UTC(2026, 0, 5, 10, 0, 0);

beforeAll(async () => {
  server = await startTestServer({}, { now: () => clock });
});
afterAll(async () => {
  await server.close();
});

async function mlflow(path: string, json?: unknown, method?: string) {
  const response = await server.api(`/api/2.0/mlflow/${path}`, {
    ...(json !== undefined ? { json } : {}),
    ...(method ? { method } : {}),
  });
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

async function vigil(path: string, init: { json?: unknown; method?: string } = {}) {
  const response = await server.api(`/api/v1/models/${path}`, init);
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

describe('registry', () => {
  it('registers a Vigil model and numbers versions after the ones Vigil already has', async () => {
    const created = await mlflow('registered-models/create', {
      name: 'churn',
      tags: [{ key: 'vigil.task', value: 'regression' }],
    });
    expect(created.status).toBe(200);
    expect((await vigil('churn')).body).toMatchObject({ name: 'churn', task: 'regression' });
    expect((await mlflow('registered-models/create', { name: 'churn' })).body.error_code).toBe(
      'RESOURCE_ALREADY_EXISTS',
    );
    // Version "3" logged through Vigil's API first: MLflow's next version is 4.
    await vigil('churn/versions', { json: { name: '3' } });
    const experiment = await mlflow('experiments/create', { name: 'churn-training' });
    const run = await mlflow('runs/create', { experiment_id: experiment.body.experiment_id });
    const runId = run.body.run.info.run_id;
    await mlflow('runs/log-batch', {
      run_id: runId,
      metrics: [{ key: 'rmse', value: 1.5, timestamp: 1, step: 0 }],
      params: [{ key: 'depth', value: '4' }],
    });
    await mlflow('runs/log-inputs', {
      run_id: runId,
      datasets: [{ dataset: { name: 'jan', digest: 'd1', source_type: 'local', source: '{}' } }],
    });
    const version = await mlflow('model-versions/create', {
      name: 'churn',
      source: 'runs:/x/model',
      run_id: runId,
      description: 'first tree',
    });
    expect(version.body.model_version).toMatchObject({ version: '4', run_id: runId, status: 'READY' });
    const versions = (await vigil('churn/versions')).body.data as Record<string, unknown>[];
    expect(versions.find((v) => v.name === '4')).toMatchObject({
      params: { depth: '4' },
      metrics: { rmse: 1.5 },
      description: 'first tree',
    });
    const got = await mlflow('model-versions/get?name=churn&version=4');
    expect(got.body.model_version.source).toBe('runs:/x/model');
  });

  it('keeps the history of an alias set through both APIs, answers at a time, and rolls back', async () => {
    await mlflow('registered-models/create', { name: 'fraud' });
    for (let i = 0; i < 3; i++) await mlflow('model-versions/create', { name: 'fraud', source: `s${i}` });

    expect(
      (await mlflow('registered-models/alias', { name: 'fraud', alias: 'champion', version: '1' })).status,
    ).toBe(200);
    clock += DAY;
    const moved = await vigil('fraud/aliases/champion', { method: 'PUT', json: { version: '2' } });
    expect(moved.body).toMatchObject({ alias: 'champion', version: '2', to: null, reason: 'set' });
    clock += DAY;
    await vigil('fraud/aliases/champion', { method: 'PUT', json: { version: '3' } });

    const byAlias = await mlflow('registered-models/alias?name=fraud&alias=champion');
    expect(byAlias.body.model_version).toMatchObject({ version: '3', aliases: ['champion'] });
    const registered = await mlflow('registered-models/get?name=fraud');
    expect(registered.body.registered_model.aliases).toEqual([{ alias: 'champion', version: '3' }]);

    const history = await vigil('fraud/aliases/champion/history');
    expect(history.body.data.map((h: Json) => [h.version, h.ended_by])).toEqual([
      ['3', null],
      ['2', 'moved'],
      ['1', 'moved'],
    ]);
    expect(history.body.data.map((h: Json) => h.from)).toEqual([
      '2026-01-07T10:00:00.000Z',
      '2026-01-06T10:00:00.000Z',
      '2026-01-05T10:00:00.000Z',
    ]);
    // What held champion at noon on 5 January, and at the moment version 2 took over.
    const atFirst = await vigil('fraud/aliases/champion/history?at=2026-01-05T12:00:00Z');
    expect(atFirst.body.data.map((h: Json) => h.version)).toEqual(['1']);
    const atMove = await vigil('fraud/aliases/champion/history?at=2026-01-06T10:00:00Z');
    expect(atMove.body.data.map((h: Json) => h.version)).toEqual(['2']);

    clock += DAY;
    const rolled = await vigil('fraud/aliases/champion/rollback', { method: 'POST' });
    expect(rolled.status).toBe(200);
    expect(rolled.body.current).toMatchObject({ version: '2', reason: 'rollback', to: null });
    expect(rolled.body.rolled_back_from).toMatchObject({
      version: '3',
      ended_by: 'rolled_back',
      to: '2026-01-08T10:00:00.000Z',
    });
    expect(
      (await mlflow('registered-models/alias?name=fraud&alias=champion')).body.model_version.version,
    ).toBe('2');
    await vigil('fraud/aliases/champion/rollback', { method: 'POST' });
    const none = await vigil('fraud/aliases/champion/rollback', { method: 'POST' });
    expect(none.status).toBe(409);
    expect(none.body.message).toContain('no earlier version');

    const aliases = await vigil('fraud/aliases');
    expect(aliases.body.data).toMatchObject([{ alias: 'champion', version: '1' }]);
    expect((await vigil('fraud/aliases/champion', { method: 'DELETE' })).status).toBe(200);
    expect((await mlflow('registered-models/alias?name=fraud&alias=champion')).body.error_code).toBe(
      'RESOURCE_DOES_NOT_EXIST',
    );
    expect((await vigil('fraud/aliases/champion/history')).body.data[0].ended_by).toBe('deleted');
  });

  it("answers the model's whole alias timeline, with aliases deleted since (MLflow's and Vigil's)", async () => {
    await mlflow('registered-models/create', { name: 'timeline' });
    for (let i = 0; i < 2; i++) await mlflow('model-versions/create', { name: 'timeline', source: `s${i}` });
    const start = clock;
    await vigil('timeline/aliases/champion', { method: 'PUT', json: { version: '1' } });
    clock += DAY;
    await vigil('timeline/aliases/staging', { method: 'PUT', json: { version: '2' } });
    await mlflow('registered-models/alias', { name: 'timeline', alias: 'canary', version: '2' });
    clock += DAY;
    expect((await vigil('timeline/aliases/staging', { method: 'DELETE' })).status).toBe(200);
    const deleted = await mlflow('registered-models/alias', { name: 'timeline', alias: 'canary' }, 'DELETE');
    expect(deleted.status).toBe(200);

    expect((await vigil('timeline/aliases')).body.data.map((a: Json) => a.alias)).toEqual(['champion']);
    const timeline = await vigil('timeline/alias-history');
    expect(timeline.status).toBe(200);
    const at = (days: number) => new Date(start + days * DAY).toISOString();
    expect(
      timeline.body.data.map((h: Json) => [h.alias, h.version, h.from, h.to, h.ended_by]).sort(),
    ).toEqual(
      [
        ['canary', '2', at(1), at(2), 'deleted'],
        ['champion', '1', at(0), null, null],
        ['staging', '2', at(1), at(2), 'deleted'],
      ].sort(),
    );
    expect(timeline.body.data[timeline.body.data.length - 1].alias).toBe('champion');
    expect((await vigil('no-such-model/alias-history')).status).toBe(404);
  });

  it('refuses reserved aliases, unknown versions and bad times with clear errors', async () => {
    await mlflow('registered-models/create', { name: 'spam' });
    await mlflow('model-versions/create', { name: 'spam', source: 's' });
    const latest = await vigil('spam/aliases/latest', { method: 'PUT', json: { version: '1' } });
    expect(latest.status).toBe(400);
    expect(latest.body.message).toContain("'latest' is reserved");
    const v2 = await mlflow('registered-models/alias', { name: 'spam', alias: 'v2', version: '1' });
    expect(v2.body.error_code).toBe('INVALID_PARAMETER_VALUE');
    const unknown = await vigil('spam/aliases/champion', { method: 'PUT', json: { version: '9' } });
    expect(unknown.status).toBe(404);
    const badTime = await vigil('spam/aliases/champion/history?at=yesterday');
    expect(badTime.status).toBe(400);
    const noModel = await vigil('nope/aliases');
    expect(noModel.status).toBe(404);
    const rollbackUnset = await vigil('spam/aliases/champion/rollback', { method: 'POST' });
    expect(rollbackUnset.status).toBe(404);
  });

  it('promotes only a version whose run metrics pass the gate, and says which check failed', async () => {
    await mlflow('registered-models/create', { name: 'gated' });
    const experiment = await mlflow('experiments/create', { name: 'gated-training' });
    for (const auc of [0.8, 0.82, 0.9]) {
      const run = await mlflow('runs/create', { experiment_id: experiment.body.experiment_id });
      const runId = run.body.run.info.run_id;
      await mlflow('runs/log-metric', { run_id: runId, key: 'auc', value: auc, timestamp: 1 });
      await mlflow('model-versions/create', { name: 'gated', source: 's', run_id: runId });
    }
    const checks = [{ metric: 'auc', greater_is_better: true, threshold: 0.75, min_absolute_change: 0.05 }];
    const first = await vigil('gated/aliases/champion/promote', {
      method: 'POST',
      json: { version: '1', checks },
    });
    expect(first.status).toBe(200);
    expect(first.body.checks.map((c: Json) => [c.check, c.passed, c.skipped])).toEqual([
      ['threshold', true, false],
      ['min_absolute_change', true, true],
    ]);
    const refused = await vigil('gated/aliases/champion/promote', {
      method: 'POST',
      json: { version: '2', checks },
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('promotion_refused');
    expect(refused.body.message).toContain('auc 0.82 vs 0.8 (version 1): absolute change 0.02');
    expect(refused.body.details[1]).toMatchObject({
      passed: false,
      candidate: 0.82,
      baseline: 0.8,
      required: 0.05,
    });
    expect((await vigil('gated/aliases')).body.data[0].version).toBe('1');
    clock += DAY;
    const promoted = await vigil('gated/aliases/champion/promote', {
      method: 'POST',
      json: { version: '3', checks },
    });
    expect(promoted.body.current).toMatchObject({ version: '3' });
    const badCheck = await vigil('gated/aliases/champion/promote', {
      method: 'POST',
      json: { version: '3', checks: [{ metric: 'auc', greater_is_better: true }] },
    });
    expect(badCheck.status).toBe(400);
  });
});

/**
 * MLflow's REST API over real HTTP: the answers and error codes its client relies on, its
 * limits, and bad input that must be a 4xx in MLflow's shape, never a 500.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field
type Json = any;

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({ maxArtifactBytes: 1024 });
});
afterAll(async () => {
  await server.close();
});

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);

async function call(path: string, json?: unknown, init: { method?: string; key?: string | null } = {}) {
  const response = await server.api(`/api/2.0/mlflow/${path}`, {
    ...(json !== undefined ? { json } : {}),
    ...(init.method ? { method: init.method } : {}),
    ...(init.key !== undefined ? { key: init.key } : {}),
  });
  const text = await response.text();
  return { status: response.status, body: text === '' ? {} : (JSON.parse(text) as Record<string, Json>) };
}

async function newRun(experimentName: string) {
  const created = await call('experiments/create', { name: experimentName });
  expect(created.status).toBe(200);
  const experimentId = created.body.experiment_id as string;
  const run = await call('runs/create', { experiment_id: experimentId, start_time: T0, run_name: 'r' });
  expect(run.status).toBe(200);
  return {
    experimentId,
    runId: run.body.run.info.run_id as string,
    artifactUri: run.body.run.info.artifact_uri,
  };
}

describe('MLflow tracking API', () => {
  it('creates, reads, renames, deletes and restores experiments', async () => {
    const { body } = await call('experiments/create', {
      name: 'lifecycle',
      tags: [{ key: 'team', value: 'ml' }],
    });
    const id = body.experiment_id as string;
    const got = await call(`experiments/get?experiment_id=${id}`);
    expect(got.body.experiment).toMatchObject({
      name: 'lifecycle',
      artifact_location: `mlflow-artifacts:/${id}`,
      lifecycle_stage: 'active',
      tags: [{ key: 'team', value: 'ml' }],
    });
    expect((await call('experiments/create', { name: 'lifecycle' })).body).toMatchObject({
      error_code: 'RESOURCE_ALREADY_EXISTS',
    });
    expect((await call('experiments/update', { experiment_id: id, new_name: 'renamed' })).status).toBe(200);
    expect(
      (await call('experiments/get-by-name?experiment_name=renamed')).body.experiment.experiment_id,
    ).toBe(id);
    expect((await call('experiments/delete', { experiment_id: id })).status).toBe(200);
    const active = await call('experiments/search', { filter: "name = 'renamed'" });
    expect(active.body.experiments ?? []).toEqual([]);
    const deleted = await call('experiments/search', {
      filter: "name = 'renamed'",
      view_type: 'DELETED_ONLY',
    });
    expect(deleted.body.experiments).toHaveLength(1);
    expect((await call('experiments/restore', { experiment_id: id })).status).toBe(200);
    const missing = await call('experiments/get?experiment_id=999999');
    expect(missing).toMatchObject({ status: 404, body: { error_code: 'RESOURCE_DOES_NOT_EXIST' } });
  });

  it('logs metrics, params, tags and datasets, and searches with filters and order_by', async () => {
    const { experimentId, runId } = await newRun('search');
    const batch = await call('runs/log-batch', {
      run_id: runId,
      metrics: [
        { key: 'loss', value: 0.5, timestamp: T0, step: 0 },
        { key: 'loss', value: 'NaN', timestamp: T0 + 1, step: 1 },
      ],
      params: [{ key: 'model', value: 'tree' }],
      tags: [{ key: 'team', value: 'risk' }],
    });
    expect(batch.status).toBe(200);
    const inputs = await call('runs/log-inputs', {
      run_id: runId,
      datasets: [
        {
          tags: [{ key: 'mlflow.data.context', value: 'training' }],
          dataset: { name: 'jan', digest: 'abc123', source_type: 'local', source: '{}' },
        },
      ],
    });
    expect(inputs.status).toBe(200);
    const run = (await call(`runs/get?run_id=${runId}`)).body.run;
    expect(run.data.metrics).toEqual([{ key: 'loss', value: 'NaN', timestamp: T0 + 1, step: 1 }]);
    expect(run.inputs.dataset_inputs[0].dataset).toMatchObject({ name: 'jan', digest: 'abc123' });
    const history = await call(`metrics/get-history?run_id=${runId}&metric_key=loss`);
    expect(history.body.metrics.map((m: { value: unknown }) => m.value)).toEqual([0.5, 'NaN']);

    const other = await call('runs/create', { experiment_id: experimentId, start_time: T0 + 10 });
    await call('runs/log-parameter', { run_id: other.body.run.info.run_id, key: 'model', value: 'linear' });
    const found = await call('runs/search', {
      experiment_ids: [experimentId],
      filter: "params.model = 'tree' and datasets.digest = 'abc123'",
    });
    expect(found.body.runs.map((r: Json) => r.info.run_id)).toEqual([runId]);
    const ordered = await call('runs/search', {
      experiment_ids: [experimentId],
      order_by: ['params.model ASC'],
    });
    expect(ordered.body.runs.map((r: Json) => r.data.params[0].value)).toEqual(['linear', 'tree']);
    const paged = await call('runs/search', { experiment_ids: [experimentId], max_results: 1 });
    expect(paged.body.runs).toHaveLength(1);
    const next = await call('runs/search', {
      experiment_ids: [experimentId],
      max_results: 1,
      page_token: paged.body.next_page_token,
    });
    expect(next.body.runs).toHaveLength(1);
    expect(next.body.next_page_token).toBeUndefined();
  });

  it("refuses what MLflow refuses, with MLflow's codes", async () => {
    const { runId } = await newRun('limits');
    const expectInvalid = async (path: string, json: unknown, message: RegExp) => {
      const answer = await call(path, json);
      expect(answer.status).toBe(400);
      expect(answer.body.error_code).toBe('INVALID_PARAMETER_VALUE');
      expect(answer.body.message).toMatch(message);
    };
    await call('runs/log-parameter', { run_id: runId, key: 'lr', value: '0.1' });
    await expectInvalid(
      'runs/log-parameter',
      { run_id: runId, key: 'lr', value: '0.2' },
      /Changing param values is not allowed/,
    );
    await expectInvalid(
      'runs/log-parameter',
      { run_id: runId, key: 'x', value: 'v'.repeat(6001) },
      /length limit of 6000/,
    );
    await expectInvalid(
      'runs/set-tag',
      { run_id: runId, key: 'k'.repeat(251), value: 'v' },
      /length limit of 250/,
    );
    await expectInvalid(
      'runs/log-metric',
      { run_id: runId, key: '../up', value: 1, timestamp: T0 },
      /resolve to other names/,
    );
    await expectInvalid(
      'runs/log-metric',
      { run_id: runId, key: 'm', value: 'high', timestamp: T0 },
      /must be a number/,
    );
    await expectInvalid('runs/log-metric', { run_id: runId, key: 'm', value: 1 }, /timestamp/);
    await expectInvalid(
      'runs/log-batch',
      { run_id: runId, params: Array.from({ length: 101 }, (_, i) => ({ key: `p${i}`, value: '1' })) },
      /at most 100 params/,
    );
    await expectInvalid(
      'runs/log-batch',
      {
        run_id: runId,
        metrics: Array.from({ length: 1001 }, (_, i) => ({ key: 'm', value: i, timestamp: T0 })),
      },
      /at most 1000 metrics/,
    );
    await expectInvalid(
      'runs/log-batch',
      {
        run_id: runId,
        params: [
          { key: 'a', value: '1' },
          { key: 'a', value: '2' },
        ],
      },
      /Duplicate parameter keys/,
    );
    await expectInvalid('runs/search', { experiment_ids: ['1'], filter: 'metrics.loss <' }, /Invalid filter/);
    await expectInvalid('runs/update', { run_id: runId, status: 'DONE' }, /Invalid run status/);
    // A param that failed leaves nothing of its batch behind.
    const run = (await call(`runs/get?run_id=${runId}`)).body.run;
    expect(run.data.params).toEqual([{ key: 'lr', value: '0.1' }]);

    await call('runs/delete', { run_id: runId });
    await expectInvalid(
      'runs/log-metric',
      { run_id: runId, key: 'm', value: 1, timestamp: T0 },
      /'active' state/,
    );
    expect((await call('runs/get?run_id=does-not-exist')).body.error_code).toBe('RESOURCE_DOES_NOT_EXIST');
  });

  it('answers bad input with 4xx in MLflow’s shape, never 500', async () => {
    const bodies: [string, unknown, string?][] = [
      ['runs/create', { experiment_id: 'x' }],
      ['runs/create', { experiment_id: ['1'] }],
      ['runs/log-batch', { run_id: 42 }],
      ['runs/log-batch', { run_id: 'x', metrics: 'no' }],
      ['runs/search', { experiment_ids: [{}] }],
      ['runs/search', { experiment_ids: ['1'], max_results: -1 }],
      ['runs/search', { experiment_ids: ['1'], page_token: '!!' }],
      ['runs/search', { experiment_ids: ['1'], order_by: [7] }],
      ['experiments/create', { name: '' }],
      ['experiments/create', { name: 5 }],
      ['experiments/search', { filter: 'tags.x = 1' }],
      ['logged-models', { experiment_id: '1', source_run_id: 'nope' }],
      ['registered-models/create', { name: 'bad name with spaces' }],
      ['registered-models/alias', { name: 'nope', alias: 'champion', version: '1' }],
      ['model-versions/create', { name: 'nope', source: 's' }],
      ['runs/log-inputs', { run_id: 'x', datasets: [{ dataset: 'no' }] }],
    ];
    for (const [path, json] of bodies) {
      const answer = await call(path, json);
      expect(answer.status, `${path} ${JSON.stringify(json)}`).toBeGreaterThanOrEqual(400);
      expect(answer.status, `${path} ${JSON.stringify(json)}`).toBeLessThan(500);
      expect(answer.body.error_code, path).toMatch(/^(INVALID_PARAMETER_VALUE|RESOURCE_DOES_NOT_EXIST)$/);
    }
    const notJson = await server.api('/api/2.0/mlflow/runs/create', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{',
    });
    expect(notJson.status).toBe(400);
    expect(((await notJson.json()) as { error_code: string }).error_code).toBe('INVALID_PARAMETER_VALUE');
  });

  it('needs a key, and a write key to write', async () => {
    const anonymous = await call('experiments/search', {}, { key: null });
    expect(anonymous).toMatchObject({ status: 401, body: { error_code: 'UNAUTHENTICATED' } });
    const created = await server.api('/api/v1/keys', { json: { name: 'reader', scope: 'read' } });
    const reader = ((await created.json()) as { key: string }).key;
    expect((await call('experiments/search', {}, { key: reader })).status).toBe(200);
    const refused = await call('experiments/create', { name: 'by-reader' }, { key: reader });
    expect(refused).toMatchObject({ status: 403, body: { error_code: 'PERMISSION_DENIED' } });
  });
});

describe('MLflow artifact proxy', () => {
  const artifacts = '/api/2.0/mlflow-artifacts/artifacts';

  it('stores, lists and serves files of a run, once per content', async () => {
    const { experimentId, runId } = await newRun('artifacts');
    const root = `${artifacts}/${experimentId}/${runId}/artifacts`;
    for (const path of ['notes.txt', 'model/MLmodel', 'model/copy.txt']) {
      const put = await server.api(`${root}/${path}`, {
        method: 'PUT',
        headers: { 'content-type': 'text/plain' },
        body: 'same bytes',
      });
      expect(put.status, path).toBe(200);
    }
    const listed = await server.api(`${artifacts}?path=${experimentId}/${runId}/artifacts`);
    expect(await listed.json()).toEqual({
      files: [
        { path: 'model', is_dir: true },
        { path: 'notes.txt', is_dir: false, file_size: 10 },
      ],
    });
    const inner = await server.api(`${artifacts}?path=${experimentId}/${runId}/artifacts/model`);
    expect(((await inner.json()) as { files: { path: string }[] }).files.map((f) => f.path)).toEqual([
      'MLmodel',
      'copy.txt',
    ]);
    const download = await server.api(`${root}/model/MLmodel`);
    expect(download.status).toBe(200);
    expect(await download.text()).toBe('same bytes');
    const { readdirSync } = await import('node:fs');
    const { join } = await import('node:path');
    const blobs = readdirSync(join(server.dataDir, 'artifacts', 'blobs'), { recursive: true }).filter((f) =>
      /[0-9a-f]{64}$/.test(String(f)),
    );
    expect(blobs).toHaveLength(1);
    expect((await server.api(`${root}/missing.txt`)).status).toBe(404);
  });

  it('confines paths to a run of the caller, and enforces the size limit', async () => {
    const { experimentId, runId } = await newRun('confinement');
    const root = `${artifacts}/${experimentId}/${runId}/artifacts`;
    const put = (path: string, body: string | Uint8Array = 'x') =>
      server.api(path, { method: 'PUT', headers: { 'content-type': 'application/octet-stream' }, body });
    const cases: [string, number][] = [
      // fetch resolves the dots before sending: the path arrives as <experiment>/other/x.
      [`${root}/%2e%2e/%2e%2e/other/x`, 404],
      [`${root}/..%2Fx`, 400],
      [`${root}/a//b`, 400],
      [`${root}/a%2Fb`, 400],
      [`${root}/a%5Cb`, 400],
      [`${root}`, 400],
      [`${artifacts}/${experimentId}/not-a-run/artifacts/x`, 404],
      [`${artifacts}/999/${runId}/artifacts/x`, 404],
      [`${artifacts}/${experimentId}/${runId}/elsewhere/x`, 404],
      [`${artifacts}/x`, 404],
    ];
    for (const [path, status] of cases) {
      const answer = await put(path);
      expect(answer.status, path).toBe(status);
      expect(((await answer.json()) as { error_code: string }).error_code).toMatch(/^[A-Z_]+$/);
    }
    const large = await put(`${root}/big.bin`, new Uint8Array(2048));
    expect(large.status).toBe(413);
    expect(((await large.json()) as { error_code: string }).error_code).toBe('REQUEST_LIMIT_EXCEEDED');
    const listed = await server.api(`${artifacts}?path=${experimentId}/${runId}/artifacts`);
    expect(await listed.json()).toEqual({ files: [] });
    expect((await server.api(`${artifacts}?path=/etc`)).status).toBe(400);
  });
});

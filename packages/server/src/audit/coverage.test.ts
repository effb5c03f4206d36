/**
 * Every state-changing operation of the OpenAPI document (and every MLflow registry endpoint
 * that changes something) is called over real HTTP and must leave an audit entry, unless it is
 * listed below as exempt with the reason. A new route fails this test until it is added here.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  server = await startTestServer();
});
afterAll(async () => {
  await server.close();
});

/** Operations that record nothing, and why. */
const EXEMPT: Record<string, string> = {
  'POST /api/v1/session': 'signing in opens a session; sessions are not audited entities',
  'DELETE /api/v1/session': 'signing out ends a session',
  'POST /api/v1/admin/backup': 'copies the store; changes nothing',
  'POST /api/v1/channels/{channel}/test': 'sends a test message; changes nothing',
  'POST /api/v1/models/{model}/predictions': 'ingestion of predictions: data, not configuration',
  'POST /api/v1/models/{model}/labels': 'ingestion of labels',
  'POST /api/v1/models/{model}/reference': 'ingestion of reference data',
  'POST /api/v1/models/{model}/shadow-predictions': 'ingestion of shadow predictions',
};

interface Step {
  operation: string;
  /** The request, as a path under the server and an init for `server.api`. */
  path: string;
  init: RequestInit & { json?: unknown };
  entity: string;
  action: string;
  /** Made by this user, signed in as a browser is, instead of with the admin key. */
  signedInAs?: { username: string; password: string };
}

const MODEL = 'covered';
const put = (json: unknown) => ({ method: 'PUT', json });
const patch = (json: unknown) => ({ method: 'PATCH', json });
const del = { method: 'DELETE' };

/** In order: each step may rely on the ones before it. */
function steps(
  alertId: () => number,
  silenceId: () => number,
  userId: () => number,
  keyId: () => number,
): (() => Step)[] {
  const step =
    (operation: string, path: () => string, init: Step['init'], entity: string, action: string) =>
    (): Step => ({
      operation,
      path: path(),
      init,
      entity,
      action,
    });
  const m = `/api/v1/models/${MODEL}`;
  return [
    step(
      'POST /api/v1/models',
      () => '/api/v1/models',
      { json: { name: MODEL, task: 'binary_classification' } },
      'model',
      'create',
    ),
    step(
      'PATCH /api/v1/models/{model}',
      () => m,
      patch({ description: 'covered by the audit' }),
      'model',
      'update',
    ),
    step(
      'POST /api/v1/models/{model}/versions',
      () => `${m}/versions`,
      { json: { name: '1', metrics: { auc: 0.8 } } },
      'model_version',
      'create',
    ),
    step(
      'POST /api/v1/models/{model}/versions',
      () => `${m}/versions`,
      { json: { name: '2', metrics: { auc: 0.9 } } },
      'model_version',
      'create',
    ),
    step(
      'PUT /api/v1/models/{model}/aliases/{alias}',
      () => `${m}/aliases/champion`,
      put({ version: '1' }),
      'alias',
      'set',
    ),
    step(
      'POST /api/v1/models/{model}/aliases/{alias}/promote',
      () => `${m}/aliases/champion/promote`,
      { json: { version: '2' } },
      'alias',
      'promote',
    ),
    step(
      'POST /api/v1/models/{model}/aliases/{alias}/rollback',
      () => `${m}/aliases/champion/rollback`,
      { method: 'POST' },
      'alias',
      'rollback',
    ),
    step(
      'DELETE /api/v1/models/{model}/aliases/{alias}',
      () => `${m}/aliases/champion`,
      del,
      'alias',
      'delete',
    ),
    step(
      'POST /api/v1/models/{model}/monitors',
      () => `${m}/monitors`,
      { json: { name: 'volume', config: { kind: 'traffic' } } },
      'monitor',
      'create',
    ),
    step(
      'PATCH /api/v1/models/{model}/monitors/{monitor}',
      () => `${m}/monitors/volume`,
      patch({ enabled: false }),
      'monitor',
      'update',
    ),
    step(
      'DELETE /api/v1/models/{model}/monitors/{monitor}',
      () => `${m}/monitors/volume`,
      del,
      'monitor',
      'delete',
    ),
    step(
      'POST /api/v1/channels',
      () => '/api/v1/channels',
      { json: { name: 'ops', type: 'slack', config: { url: 'https://hooks.slack.com/services/T0/B0/x' } } },
      'channel',
      'create',
    ),
    step(
      'PATCH /api/v1/channels/{channel}',
      () => '/api/v1/channels/ops',
      patch({ enabled: false }),
      'channel',
      'update',
    ),
    step(
      'POST /api/v1/models/{model}/alert-rules',
      () => `${m}/alert-rules`,
      {
        json: {
          name: 'drift',
          severity: 'critical',
          match: [{ label: 'feature', op: '=', value: 'x' }],
          channels: ['ops'],
        },
      },
      'alert_rule',
      'create',
    ),
    step(
      'PUT /api/v1/models/{model}/alert-rules/{rule}',
      () => `${m}/alert-rules/drift`,
      put({
        name: 'drift',
        severity: 'warning',
        match: [{ label: 'feature', op: '=', value: 'x' }],
        channels: ['ops'],
      }),
      'alert_rule',
      'update',
    ),
    step(
      'DELETE /api/v1/models/{model}/alert-rules/{rule}',
      () => `${m}/alert-rules/drift`,
      del,
      'alert_rule',
      'delete',
    ),
    step('DELETE /api/v1/channels/{channel}', () => '/api/v1/channels/ops', del, 'channel', 'delete'),
    step(
      'POST /api/v1/alerts/{id}/ack',
      () => `/api/v1/alerts/${alertId()}/ack`,
      { json: {} },
      'alert',
      'acknowledge',
    ),
    step(
      'POST /api/v1/alerts/{id}/comments',
      () => `/api/v1/alerts/${alertId()}/comments`,
      { json: { body: 'looking' } },
      'alert',
      'comment',
    ),
    step(
      'POST /api/v1/silences',
      () => '/api/v1/silences',
      {
        json: {
          matchers: [{ label: 'model', op: '=', value: MODEL }],
          duration_seconds: 600,
          comment: 'retrain',
        },
      },
      'silence',
      'create',
    ),
    step('DELETE /api/v1/silences/{id}', () => `/api/v1/silences/${silenceId()}`, del, 'silence', 'expire'),
    step(
      'POST /api/v1/users',
      () => '/api/v1/users',
      { json: { username: 'erin', password: 'a long enough passphrase', role: 'viewer' } },
      'user',
      'create',
    ),
    step(
      'PATCH /api/v1/users/{id}',
      () => `/api/v1/users/${userId()}`,
      patch({ role: 'editor' }),
      'user',
      'update',
    ),
    () => ({
      operation: 'POST /api/v1/session/password',
      path: '/api/v1/session/password',
      init: {
        json: { current_password: 'a long enough passphrase', new_password: 'another long passphrase' },
      },
      entity: 'user',
      action: 'change_password',
      signedInAs: { username: 'erin', password: 'a long enough passphrase' },
    }),
    step('DELETE /api/v1/users/{id}', () => `/api/v1/users/${userId()}`, del, 'user', 'delete'),
    step(
      'POST /api/v1/keys',
      () => '/api/v1/keys',
      { json: { name: 'ci', scope: 'write' } },
      'api_key',
      'create',
    ),
    step('DELETE /api/v1/keys/{id}', () => `/api/v1/keys/${keyId()}`, del, 'api_key', 'revoke'),
    step(
      'POST /api/v1/demo',
      () => '/api/v1/demo',
      { json: { hours: 1, rate_per_hour: 10 } },
      // Its last change: the default monitors, once its training set is stored (demo.test.ts checks them all).
      'monitor',
      'create',
    ),
    step('DELETE /api/v1/demo', () => '/api/v1/demo', del, 'model', 'delete'),
    step('DELETE /api/v1/models/{model}', () => `${m}?confirm=${MODEL}`, del, 'model', 'delete'),
    // MLflow's registry API (hidden from the OpenAPI document).
    ...mlflowSteps(),
  ];
}

function mlflowSteps(): (() => Step)[] {
  const mlflow =
    (method: string, endpoint: string, json: unknown, entity: string, action: string) => (): Step => ({
      operation: `${method} mlflow ${endpoint}`,
      path: `/api/2.0/mlflow/${endpoint}`,
      init: { method, json },
      entity,
      action,
    });
  const name = 'mlflow-covered';
  return [
    mlflow('POST', 'registered-models/create', { name }, 'model', 'create'),
    mlflow('PATCH', 'registered-models/update', { name, description: 'from MLflow' }, 'model', 'update'),
    mlflow('POST', 'registered-models/set-tag', { name, key: 'team', value: 'risk' }, 'model', 'set_tag'),
    mlflow('DELETE', 'registered-models/delete-tag', { name, key: 'team' }, 'model', 'delete_tag'),
    mlflow('POST', 'model-versions/create', { name, source: 'file:///models/a' }, 'model_version', 'create'),
    mlflow(
      'PATCH',
      'model-versions/update',
      { name, version: '1', description: 'first' },
      'model_version',
      'update',
    ),
    mlflow(
      'POST',
      'model-versions/set-tag',
      { name, version: '1', key: 'stage', value: 'qa' },
      'model_version',
      'set_tag',
    ),
    mlflow(
      'DELETE',
      'model-versions/delete-tag',
      { name, version: '1', key: 'stage' },
      'model_version',
      'delete_tag',
    ),
    mlflow('POST', 'registered-models/alias', { name, alias: 'champion', version: '1' }, 'alias', 'set'),
    mlflow('DELETE', 'registered-models/alias', { name, alias: 'champion' }, 'alias', 'delete'),
    mlflow('DELETE', 'model-versions/delete', { name, version: '1' }, 'model_version', 'delete'),
  ];
}

async function latestEntry(): Promise<{ id: number; entity_type: string; action: string } | undefined> {
  const page = (await (await server.api('/api/v1/audit?limit=1')).json()) as {
    data: { id: number; entity_type: string; action: string }[];
  };
  return page.data[0];
}

it('records every state-changing operation, or lists it as exempt with a reason', async () => {
  const document = (await (await server.api('/api/v1/openapi.json')).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const documented = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations)
      .map((method) => method.toUpperCase())
      .filter((method) => ['POST', 'PUT', 'PATCH', 'DELETE'].includes(method))
      .map((method) => `${method} ${path}`),
  );

  let alert = 0;
  let silence = 0;
  let user = 0;
  let key = 0;
  const plan = steps(
    () => alert,
    () => silence,
    () => user,
    () => key,
  );
  const called = new Set<string>();
  for (const make of plan) {
    const current = make();
    const before = await latestEntry();
    const response = current.signedInAs
      ? await (await server.signIn(current.signedInAs.username, current.signedInAs.password)).api(
          current.path,
          current.init,
        )
      : await server.api(current.path, current.init);
    expect(response.status, `${current.operation}: ${await response.clone().text()}`).toBeLessThan(300);
    const body = response.status === 204 ? {} : ((await response.json()) as { id?: number });
    // An alert to acknowledge: alerts come from monitors, so one is stored as the alert engine would.
    if (current.operation === 'POST /api/v1/models') alert = await storeAlert();
    if (current.operation === 'POST /api/v1/silences') silence = body.id!;
    if (current.operation === 'POST /api/v1/users') user = body.id!;
    if (current.operation === 'POST /api/v1/keys') key = body.id!;
    const after = await latestEntry();
    expect(after?.id, `${current.operation} left no audit entry`).not.toBe(before?.id);
    expect(after, current.operation).toMatchObject({ entity_type: current.entity, action: current.action });
    called.add(current.operation);
  }

  const missing = documented.filter((operation) => !called.has(operation) && !(operation in EXEMPT));
  expect(missing, 'state-changing operations neither called above nor listed as exempt').toEqual([]);
  const stale = Object.keys(EXEMPT).filter((operation) => !documented.includes(operation));
  expect(stale, 'exempt operations no longer in the OpenAPI document').toEqual([]);
}, 120_000);

async function storeAlert(): Promise<number> {
  const model = (await server.store.getModel((await server.store.ensureProject('default')).id, MODEL))!;
  const now = Date.now();
  await server.store.alerts.applyEvaluation({
    cursor: 1,
    series: [],
    insertAlerts: [
      {
        fingerprint: 'covered-alert',
        projectId: model.projectId,
        modelId: model.id,
        ruleId: null,
        ruleName: 'default-critical',
        state: 'firing',
        labels: { model: MODEL, severity: 'critical' },
        annotations: {},
        value: 0.4,
        thresholdLower: null,
        thresholdUpper: 0.1,
        windowStartMicros: 0,
        windowEndMicros: 3_600_000_000,
        activeAtMs: now,
        firedAtMs: now,
        resolvedAtMs: null,
        updatedAtMs: now,
        groupIds: [],
      },
    ],
    updateAlerts: [],
    deleteAlerts: [],
    groups: [],
  });
  const [stored] = await server.store.alerts.listAlerts({ projectId: model.projectId, limit: 1 });
  return stored!.id;
}

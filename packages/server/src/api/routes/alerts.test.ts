/**
 * Alerting end to end over real HTTP: results written as evaluation writes them, the engine on
 * an injected clock (no sleeps), and a real local webhook receiver behind the outbox.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NewMonitorResult } from '../../domain/index.js';
import {
  eventually,
  type Receiver,
  startReceiver,
  verifySignature,
} from '../../notify/receiver.test-support.js';
import type { MonitorRow } from '../../storage/monitoring.js';
import { PROMPT_NOTIFY, startTestServer, type TestServer } from '../../testing/index.js';

const HOUR_US = 3_600_000_000;
const T0_US = Date.UTC(2026, 0, 5) * 1000;
const clock = { ms: Date.UTC(2026, 0, 6) };

let server: TestServer;
let receiver: Receiver;
let monitor: MonitorRow;
let modelId: number;
let secret: string;

async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  return (body ? JSON.parse(body) : undefined) as T;
}

/** Writes window `index` with one drift result per feature, as evaluation does. */
async function window(index: number, features: number, value: number): Promise<void> {
  const start = T0_US + index * HOUR_US;
  const results: NewMonitorResult[] = Array.from({ length: features }, (_, i) => ({
    modelId,
    monitorId: monitor.id,
    monitorKind: 'feature_drift',
    version: null,
    segment: null,
    windowStartMicros: start,
    windowEndMicros: start + HOUR_US,
    feature: `f${String(i).padStart(2, '0')}`,
    metric: 'jensen_shannon',
    value,
    thresholdLower: null,
    thresholdUpper: 0.1,
    bandLower: null,
    bandUpper: null,
    sampleSize: 1000,
    status: value > 0.1 ? 'alert' : 'ok',
    reason: null,
    details: null,
    evaluatedAtMicros: start + HOUR_US,
  }));
  await server.store.results.replaceWindow(monitor.id, start, results);
}

/** Advances the alerting clock and lets the engine run one step. */
async function step(advanceMs = 0): Promise<void> {
  clock.ms += advanceMs;
  await server.app.alerts.poke();
}

async function enqueued(): Promise<number> {
  return (await server.store.outbox.list({ projectId: 1, limit: 100 })).filter(
    (d) => !d.dedupKey.startsWith('test:'),
  ).length;
}

beforeAll(async () => {
  server = await startTestServer({ notify: PROMPT_NOTIFY }, { now: () => clock.ms });
  receiver = await startReceiver();
  const model = await json<{ id: number }>(
    await server.api('/api/v1/models', { json: { name: 'fraud', task: 'binary_classification' } }),
    201,
  );
  modelId = (await server.store.getModel(1, 'fraud'))!.id;
  expect(model).toBeTruthy();
  monitor = await server.store.monitors.create({
    modelId,
    name: 'feature-drift',
    kind: 'feature_drift',
    enabled: true,
    isDefault: true,
    config: {},
  });
  const channel = await json<{ secret: string }>(
    await server.api('/api/v1/channels', {
      json: { name: 'ops', type: 'webhook', config: { url: `${receiver.url}/hook` } },
    }),
    201,
  );
  secret = channel.secret;
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
});

describe('alerting over HTTP', () => {
  it('notifies once per group, resolves, stays quiet while silenced, and speaks again when the silence expires', async () => {
    await window(0, 30, 0.4);
    await step();
    await step(1000);
    await receiver.waitFor(1);
    const first = receiver.requests[0]!;
    expect(verifySignature(secret, first)).toBe(true);
    const body = first.json as {
      status: string;
      alerts: { labels: Record<string, string> }[];
      groupKey: string;
    };
    expect(body.status).toBe('firing');
    expect(body.alerts).toHaveLength(30);
    expect(body.groupKey).toBe('{model="fraud",monitor="feature-drift"}');

    // The alerts API: 30 critical alerts firing (the default rules' warnings are inhibited, not notified).
    const page = await json<{
      data: { id: number; severity: string; annotations: Record<string, string> }[];
    }>(await server.api('/api/v1/alerts?model=fraud&state=firing&severity=critical'), 200);
    expect(page.data).toHaveLength(30);
    const id = page.data[0]!.id;
    await json(await server.api(`/api/v1/alerts/${id}/ack`, { json: { by: 'ana' } }), 200);
    await json(
      await server.api(`/api/v1/alerts/${id}/comments`, { json: { body: 'retraining tonight' } }),
      201,
    );
    const one = await json<{ acknowledged_by: string; comments: { body: string }[] }>(
      await server.api(`/api/v1/alerts/${id}`),
      200,
    );
    expect(one).toMatchObject({ acknowledged_by: 'ana', comments: [{ body: 'retraining tonight' }] });

    // Healthy again: one resolved notification after the group interval.
    await window(1, 30, 0.01);
    await step(300_000);
    await receiver.waitFor(2);
    expect((receiver.requests[1]!.json as { status: string }).status).toBe('resolved');

    // Silenced: the alerts fire again, but nothing is enqueued.
    const silence = await json<{ id: number; state: string }>(
      await server.api('/api/v1/silences', {
        json: {
          matchers: [{ label: 'model', op: '=', value: 'fraud' }],
          duration_seconds: 3600,
          comment: 'planned retrain',
        },
      }),
      201,
    );
    expect(silence.state).toBe('active');
    await window(2, 30, 0.5);
    await step();
    await step(1000);
    await step(600_000);
    expect(await enqueued()).toBe(2);
    expect(
      (
        await json<{ data: unknown[] }>(
          await server.api('/api/v1/alerts?state=firing&severity=critical'),
          200,
        )
      ).data,
    ).toHaveLength(30);

    // Expired: notified again.
    const expired = await json<{ state: string }>(
      await server.api(`/api/v1/silences/${silence.id}`, { method: 'DELETE' }),
      200,
    );
    expect(expired.state).toBe('expired');
    await step();
    await step(1000);
    await receiver.waitFor(3);
    expect((receiver.requests[2]!.json as { status: string; alerts: unknown[] }).alerts).toHaveLength(30);
    await eventually(async () => expect(receiver.requests).toHaveLength(3));
    expect(await enqueued()).toBe(3);
  });

  it('manages rules and refuses bad ones with the field at fault', async () => {
    const rule = {
      name: 'drift',
      severity: 'critical',
      match: [{ label: 'feature', op: '=~', value: 'f0.' }],
      for_windows: { breaches: 2, of: 3 },
      channels: ['ops'],
      annotations: { runbook_url: 'https://runbooks.example/drift' },
    };
    const created = await json<{ name: string; spec: Record<string, unknown> }>(
      await server.api('/api/v1/models/fraud/alert-rules', { json: rule }),
      201,
    );
    expect(created.spec).toMatchObject({
      type: 'static',
      group_by: ['model', 'monitor'],
      for_windows: rule.for_windows,
    });
    expect((await server.api('/api/v1/models/fraud/alert-rules', { json: rule })).status).toBe(409);
    const listed = await json<{ data: unknown[]; defaults_apply: boolean }>(
      await server.api('/api/v1/models/fraud/alert-rules'),
      200,
    );
    expect(listed).toMatchObject({ defaults_apply: false });
    await json(
      await server.api('/api/v1/models/fraud/alert-rules/drift', {
        method: 'PUT',
        json: { ...rule, severity: 'warning' },
      }),
      200,
    );

    const bad = async (body: unknown, field: string) => {
      const answer = await json<{ message: string; details: { field: string }[] }>(
        await server.api('/api/v1/models/fraud/alert-rules', { json: body }),
        400,
      );
      expect(answer.details.map((d) => d.field)).toContain(field);
    };
    await bad(
      { ...rule, name: 'x1', match: [{ label: 'feature', op: '=~', value: '(' }] },
      'body.match.0.value',
    );
    await bad({ ...rule, name: 'x2', channels: ['nowhere'] }, 'body.channels.0');
    await bad({ ...rule, name: 'x3', for_windows: { breaches: 4, of: 3 } }, 'body.for_windows.breaches');
    await bad({ ...rule, name: 'x4', type: 'change_detector' }, 'body.detector');
    await bad({ ...rule, name: 'x5', labels: { model: 'x' } }, 'body.labels.model');
    const silence = await json<{ details: { field: string }[] }>(
      await server.api('/api/v1/silences', {
        json: { matchers: [{ label: 'feature', op: '!~', value: '[' }], duration_seconds: 60, comment: 'x' },
      }),
      400,
    );
    expect(silence.details.map((d) => d.field)).toContain('body.matchers.0.value');

    // Read keys read; they change nothing.
    const reader = await json<{ key: string }>(
      await server.api('/api/v1/keys', { json: { name: 'reader', scope: 'read' } }),
      201,
    );
    expect((await server.api('/api/v1/alerts', { key: reader.key })).status).toBe(200);
    expect((await server.api('/api/v1/silences', { key: reader.key })).status).toBe(200);
    expect((await server.api('/api/v1/models/fraud/alert-rules', { key: reader.key })).status).toBe(200);
    expect(
      (await server.api('/api/v1/silences', { key: reader.key, json: { matchers: [], comment: 'x' } }))
        .status,
    ).toBe(403);

    expect((await server.api('/api/v1/models/fraud/alert-rules/drift', { method: 'DELETE' })).status).toBe(
      204,
    );
    expect((await server.api('/api/v1/models/fraud/alert-rules/drift')).status).toBe(404);
    expect((await server.api('/api/v1/alerts/999999')).status).toBe(404);
  });
});

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  eventually,
  type Receiver,
  startReceiver,
  verifySignature,
} from '../../notify/receiver.test-support.js';
import { driftNotification } from '../../notify/sample.test-support.js';
import { PROMPT_NOTIFY, startTestServer, type TestServer } from '../../testing/index.js';

let server: TestServer;
let receiver: Receiver;

beforeAll(async () => {
  server = await startTestServer({
    notify: { ...PROMPT_NOTIFY, timeoutMs: 10_000 },
  });
  receiver = await startReceiver();
});
afterAll(async () => {
  await server.close();
  await receiver.close();
});

async function json<T = Record<string, unknown>>(response: Response, status: number): Promise<T> {
  const body = await response.text();
  expect(response.status, body).toBe(status);
  return (body ? JSON.parse(body) : undefined) as T;
}

async function readKey(): Promise<string> {
  const created = await json<{ key: string }>(
    await server.api('/api/v1/keys', { json: { name: 'reader', scope: 'read' } }),
    201,
  );
  return created.key;
}

describe('channels API', () => {
  it('creates a webhook, shows its secret once, redacts it in listings, and tests it', async () => {
    const created = await json<{ id: number; secret: string; config: Record<string, unknown> }>(
      await server.api('/api/v1/channels', {
        json: {
          name: 'ops-hook',
          type: 'webhook',
          config: { url: `${receiver.url}/hook?token=abc`, headers: { Authorization: 'Bearer xyz' } },
        },
      }),
      201,
    );
    expect(created.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    expect(created.config).toEqual({
      url: `${receiver.url}/****`,
      secret: `****${created.secret.slice(-4)}`,
      headers: { Authorization: '****' },
    });
    const reader = await readKey();
    const listed = await json<{ data: Record<string, unknown>[] }>(
      await server.api('/api/v1/channels', { key: reader }),
      200,
    );
    const text = JSON.stringify(listed);
    expect(text).not.toContain(created.secret);
    expect(text).not.toContain('xyz');
    expect(text).not.toContain('token=abc');
    expect(listed.data.find((c) => c.name === 'ops-hook')).not.toHaveProperty('secret');
    expect((await server.api('/api/v1/channels/ops-hook/test', { method: 'POST', key: reader })).status).toBe(
      403,
    );

    const test = await json<{ ok: boolean; status: string; delivery_id: string }>(
      await server.api('/api/v1/channels/ops-hook/test', { method: 'POST' }),
      200,
    );
    expect(test).toMatchObject({ ok: true, status: 'delivered', channel: 'ops-hook' });
    const request = receiver.requests.at(-1)!;
    expect(verifySignature(created.secret, request)).toBe(true);
    expect(request.headers.authorization).toBe('Bearer xyz');
    expect(request.headers['x-vigil-delivery-id']).toBe(test.delivery_id);
    expect(request.json).toMatchObject({ version: '1', status: 'firing', externalUrl: server.url });

    // Rotation answers the new secret once; later requests are signed with it.
    const rotated = await json<{ secret: string }>(
      await server.api(`/api/v1/channels/${created.id}`, { method: 'PATCH', json: { rotate_secret: true } }),
      200,
    );
    expect(rotated.secret).not.toBe(created.secret);
    await json(await server.api('/api/v1/channels/ops-hook/test', { method: 'POST' }), 200);
    expect(verifySignature(rotated.secret, receiver.requests.at(-1)!)).toBe(true);
  });

  it('refuses bad channels with a 400 that names the field', async () => {
    const cases: [unknown, string][] = [
      [{ name: 'a', type: 'webhook', config: { url: 'ftp://example.com/x' } }, 'body.config.url'],
      [{ name: 'b', type: 'slack', config: { url: 'not a url' } }, 'body.config.url'],
      [
        { name: 'c', type: 'pagerduty', config: { routing_key: 'k', url: 'file:///etc/passwd' } },
        'body.config.url',
      ],
      [
        { name: 'd', type: 'email', config: { host: 'smtp', from: 'v@x.io', to: ['nope'] } },
        'body.config.to.0',
      ],
      [{ name: 'e', type: 'sms', config: {} }, 'body.type'],
      [{ name: '42', type: 'slack', config: { url: 'https://hooks.slack.com/x' } }, 'body.name'],
      [
        {
          name: 'f',
          type: 'webhook',
          config: { url: 'https://x.io', headers: { 'X-Vigil-Signature': 'forged' } },
        },
        'body.config.headers.X-Vigil-Signature',
      ],
    ];
    for (const [body, field] of cases) {
      const answer = await json<{ message: string; details: { field: string }[] }>(
        await server.api('/api/v1/channels', { json: body }),
        400,
      );
      expect(
        answer.details.map((d) => d.field),
        JSON.stringify(answer),
      ).toContain(field);
    }
    await json(
      await server.api('/api/v1/channels', {
        json: {
          name: 'slacky',
          type: 'slack',
          config: { url: 'https://hooks.slack.com/services/T/B/secret' },
        },
      }),
      201,
    );
    const patched = await json<{ message: string }>(
      await server.api('/api/v1/channels/slacky', {
        method: 'PATCH',
        json: { config: { url: 'javascript:alert(1)' } },
      }),
      400,
    );
    expect(patched.message).toContain('body.config.url: must be an http(s) URL');
    // A field left out is named as required, with the type it takes.
    const missing = await json<{ message: string }>(
      await server.api('/api/v1/channels', {
        json: { name: 'mail', type: 'email', config: { host: 'smtp' } },
      }),
      400,
    );
    expect(missing.message).toBe('body.config.from: required (string); body.config.to: required (array)');
    const unnamed = await json<{ message: string }>(
      await server.api('/api/v1/channels', { json: { type: 'slack', config: { url: 'https://x.io' } } }),
      400,
    );
    expect(unnamed.message).toBe('body.name: required (string)');
    const conflict = await server.api('/api/v1/channels', {
      json: { name: 'slacky', type: 'slack', config: { url: 'https://hooks.slack.com/x' } },
    });
    expect(conflict.status).toBe(409);
    expect((await server.api('/api/v1/channels/missing')).status).toBe(404);
    expect(
      (await server.api('/api/v1/channels/slacky', { method: 'PATCH', json: { rotate_secret: true } }))
        .status,
    ).toBe(400);
  });

  it('merges a PATCH into the stored settings, masks e-mail and PagerDuty secrets, deletes', async () => {
    const email = await json<{ id: number; config: Record<string, unknown> }>(
      await server.api('/api/v1/channels', {
        json: {
          name: 'mail',
          type: 'email',
          config: {
            host: 'smtp.example.com',
            username: 'u',
            password: 'hunter2hunter2',
            from: 'v@x.io',
            to: ['a@x.io'],
          },
        },
      }),
      201,
    );
    expect(email.config).toEqual({
      host: 'smtp.example.com',
      port: 587,
      secure: false,
      starttls: 'opportunistic',
      username: 'u',
      password: '****',
      from: 'v@x.io',
      to: ['a@x.io'],
    });
    const patched = await json<{ config: Record<string, unknown>; enabled: boolean }>(
      await server.api('/api/v1/channels/mail', {
        method: 'PATCH',
        json: { enabled: false, config: { to: ['b@x.io', 'c@x.io'], username: null } },
      }),
      200,
    );
    expect(patched.enabled).toBe(false);
    expect(patched.config).toMatchObject({
      host: 'smtp.example.com',
      to: ['b@x.io', 'c@x.io'],
      password: '****',
    });
    expect(patched.config).not.toHaveProperty('username');

    const pd = await json<{ config: Record<string, unknown> }>(
      await server.api('/api/v1/channels', {
        json: { name: 'pager', type: 'pagerduty', config: { routing_key: 'R0123456789abcdef' } },
      }),
      201,
    );
    expect(pd.config).toEqual({ routing_key: '****cdef', url: 'https://events.pagerduty.com/v2/enqueue' });
    expect((await server.api('/api/v1/channels/pager', { method: 'DELETE' })).status).toBe(204);
    expect((await server.api('/api/v1/channels/pager')).status).toBe(404);
  });

  it('lists deliveries with status, attempts and last error, by channel and status, page by page', async () => {
    const hook = await json<{ id: number }>(
      await server.api('/api/v1/channels', {
        json: { name: 'flaky', type: 'webhook', config: { url: `${receiver.url}/flaky` } },
      }),
      201,
    );
    let flakyCalls = 0;
    receiver.answer((request) => (request.path === '/flaky' && flakyCalls++ === 0 ? 500 : 200));
    for (let i = 0; i < 3; i++) {
      await server.app.notifications.enqueue(hook.id, driftNotification(), `flaky-${i}`);
    }
    const rows = await eventually(async () => {
      const page = await json<{ data: { status: string; attempts: number }[] }>(
        await server.api('/api/v1/deliveries?channel=flaky'),
        200,
      );
      return page.data.length === 3 && page.data.every((d) => d.status === 'delivered') && page.data;
    });
    expect(rows.map((d) => d.attempts).sort()).toEqual([1, 1, 2]);

    const first = await json<{ data: { id: number }[]; next_cursor: string }>(
      await server.api('/api/v1/deliveries?channel=flaky&limit=2'),
      200,
    );
    expect(first.data).toHaveLength(2);
    const second = await json<{ data: { id: number }[]; next_cursor: string | null }>(
      await server.api(`/api/v1/deliveries?channel=flaky&limit=2&cursor=${first.next_cursor}`),
      200,
    );
    expect(second.data).toHaveLength(1);
    expect(second.data[0]!.id).toBeLessThan(first.data[1]!.id);
    const none = await json<{ data: unknown[] }>(
      await server.api('/api/v1/deliveries?channel=flaky&status=dead'),
      200,
    );
    expect(none.data).toEqual([]);
    expect((await server.api('/api/v1/deliveries?status=lost')).status).toBe(400);
    expect((await server.api('/api/v1/deliveries?cursor=abc')).status).toBe(400);
    expect((await server.api('/api/v1/deliveries', { key: await readKey() })).status).toBe(200);
    const metrics = await (await server.api('/metrics')).text();
    expect(metrics).toMatch(/vigil_notification_attempts_total\{type="webhook",outcome="retry"\} [1-9]/);
    expect(metrics).toMatch(/vigil_notification_attempts_total\{type="webhook",outcome="delivered"\} [3-9]/);
  });

  it('is in the OpenAPI document', async () => {
    const doc = await json<{ paths: Record<string, unknown> }>(await server.api('/api/v1/openapi.json'), 200);
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/channels',
        '/api/v1/channels/{channel}',
        '/api/v1/channels/{channel}/test',
        '/api/v1/deliveries',
      ]),
    );
  });
});

import type { AddressInfo } from 'node:net';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { loadConfig, type NotifyConfig } from '../config.js';
import type { Channel, ChannelType } from '../domain/index.js';
import { DuckDbStore } from '../storage/duckdb/store.js';
import type { StoreHealth } from '../storage/health.js';
import type { Store } from '../storage/types.js';
import { pagerDutyDedupKey } from './channels/index.js';
import {
  type Answer,
  eventually,
  type Receiver,
  startReceiver,
  verifySignature,
} from './receiver.test-support.js';
import { driftNotification } from './sample.test-support.js';
import { NotificationService } from './service.js';

const T0 = Date.UTC(2026, 0, 5, 10, 0, 0);
const SECRET = 'whsec_test_secret_0123456789';
const silent = { debug() {}, info() {}, warn() {}, error() {} };

let store: Store;
let projectId: number;
let receiver: Receiver;
let now: number;
let services: NotificationService[];

beforeEach(async () => {
  store = await DuckDbStore.open({ path: ':memory:' });
  await store.migrate();
  projectId = (await store.ensureProject('default')).id;
  receiver = await startReceiver();
  now = T0;
  services = [];
});

afterEach(async () => {
  receiver.releaseHung();
  for (const service of services) await service.stop();
  await receiver.close();
  await store.close();
});

function service(notify: Partial<NotifyConfig> = {}): NotificationService {
  const config = loadConfig({}, {});
  const created = new NotificationService(
    store,
    { ...config, notify: { ...config.notify, backoffMs: 1000, maxBackoffMs: 60_000, ...notify } },
    silent,
    { clock: { now: () => now }, random: () => 0.5, owner: 'test' },
  );
  services.push(created);
  return created;
}

function channel(type: ChannelType, config: Record<string, unknown>, name: string = type): Promise<Channel> {
  return store.channels.create({ projectId, name, type, config, enabled: true });
}

function webhook(name = 'hook', path = '/hook'): Promise<Channel> {
  return channel(
    'webhook',
    { url: `${receiver.url}${path}`, secret: SECRET, headers: { 'x-team': 'risk' } },
    name,
  );
}

async function deliveries(channelId?: number) {
  return store.outbox.list({ projectId, limit: 100, ...(channelId ? { channelId } : {}) });
}

describe('NotificationService', () => {
  it('posts a signed, versioned webhook once per dedup key', async () => {
    const hook = await webhook();
    const notify = service();
    await notify.enqueue(hook.id, driftNotification(), 'g1:firing:a,b,c');
    await notify.enqueue(hook.id, driftNotification(), 'g1:firing:a,b,c');
    expect(await notify.runOnce()).toBe(1);
    expect(await notify.runOnce()).toBe(0);

    expect(receiver.requests).toHaveLength(1);
    const [request] = receiver.requests;
    expect(verifySignature(SECRET, request!)).toBe(true);
    expect(verifySignature('another secret', request!)).toBe(false);
    expect(request!.headers['x-vigil-timestamp']).toBe(String(T0 / 1000));
    expect(request!.headers['x-team']).toBe('risk');
    const [row] = await deliveries();
    expect(request!.headers['x-vigil-delivery-id']).toBe(row!.uid);
    expect(request!.json).toEqual({ version: '1', ...driftNotification() });
    expect(row).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
  });

  it('retries a 500 with backoff, then delivers with the same delivery id', async () => {
    const hook = await webhook();
    const notify = service();
    receiver.answer((_, index) => (index === 0 ? 500 : 200));
    await notify.enqueue(hook.id, driftNotification(), 'k');
    await notify.runOnce();
    let [row] = await deliveries();
    // random() = 0.5: half the 1 s first delay fixed, a quarter from jitter.
    expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'HTTP 500: status 500' });
    expect(row!.nextAttemptAt.getTime()).toBe(T0 + 750);

    now = T0 + 749;
    expect(await notify.runOnce()).toBe(0);
    now = T0 + 750;
    expect(await notify.runOnce()).toBe(1);
    [row] = await deliveries();
    expect(row).toMatchObject({ status: 'delivered', attempts: 2, lastError: null });
    expect(receiver.requests.map((r) => r.headers['x-vigil-delivery-id'])).toEqual([row!.uid, row!.uid]);
  });

  it('waits at least what Retry-After asks, and does not follow redirects', async () => {
    const limited = await webhook('limited', '/limited');
    const moved = await webhook('moved', '/moved');
    receiver.answer(
      (request): Answer =>
        request.path === '/limited'
          ? { status: 429, headers: { 'retry-after': '30' } }
          : { status: 302, headers: { location: '/elsewhere' } },
    );
    const notify = service();
    await notify.enqueue(limited.id, driftNotification(), 'k');
    await notify.enqueue(moved.id, driftNotification(), 'k');
    await notify.runOnce();
    const [redirected, throttled] = await deliveries();
    expect(throttled).toMatchObject({ status: 'pending', lastError: 'HTTP 429: status 429' });
    expect(throttled!.nextAttemptAt.getTime()).toBe(T0 + 30_000);
    expect(redirected).toMatchObject({ status: 'dead', lastError: 'HTTP 302: status 302' });
    expect(receiver.requests.map((r) => r.path).sort()).toEqual(['/limited', '/moved']);
  });

  it('gives up at once on a 4xx, and after the maximum number of attempts on 5xx', async () => {
    const rejecting = await webhook('rejecting', '/reject');
    const failing = await webhook('failing', '/fail');
    receiver.answer((request) => (request.path === '/reject' ? 410 : 503));
    const notify = service({ maxAttempts: 3 });
    await notify.enqueue(rejecting.id, driftNotification(), 'k');
    await notify.enqueue(failing.id, driftNotification(), 'k');
    for (let i = 0; i < 3; i++) {
      await notify.runOnce();
      now += 60_000;
    }
    const [failed, rejected] = await deliveries();
    expect(rejected).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 410: status 410' });
    expect(failed).toMatchObject({
      status: 'dead',
      attempts: 3,
      lastError: 'HTTP 503: status 503 (gave up after 3 attempts)',
    });
    expect(receiver.requests.filter((r) => r.path === '/fail')).toHaveLength(3);
  });

  it('keeps delivering to other channels while one hangs', async () => {
    const hanging = await webhook('hanging', '/hang');
    const healthy = await webhook('healthy', '/ok');
    receiver.answer((request) => (request.path === '/hang' ? 'hang' : 200));
    now = Date.now();
    const notify = service({ timeoutMs: 600_000 });
    notify.start();
    await notify.enqueue(hanging.id, driftNotification(), 'k');
    await receiver.waitFor(1);
    for (let i = 0; i < 3; i++) await notify.enqueue(healthy.id, driftNotification(), `k${i}`);
    const delivered = await eventually(async () => {
      const rows = await deliveries(healthy.id);
      return rows.every((r) => r.status === 'delivered') && rows;
    });
    expect(delivered).toHaveLength(3);
    expect((await deliveries(hanging.id))[0]?.status).toBe('sending');
    receiver.releaseHung();
    await eventually(async () => (await deliveries(hanging.id))[0]?.status === 'delivered');
  });

  it('delivers to one channel in order, one at a time', async () => {
    const hook = await webhook();
    const notify = service();
    await notify.enqueue(hook.id, driftNotification('firing'), 'firing');
    await notify.enqueue(hook.id, driftNotification('resolved'), 'resolved');
    expect(await notify.runOnce()).toBe(1);
    expect(await notify.runOnce()).toBe(1);
    expect(receiver.requests.map((r) => (r.json as { status: string }).status)).toEqual([
      'firing',
      'resolved',
    ]);
  });

  it('records a notification for a disabled channel as not sent, and drops one for a deleted channel', async () => {
    const hook = await webhook();
    await store.channels.update(hook.id, { enabled: false });
    const notify = service();
    await notify.enqueue(hook.id, driftNotification(), 'k');
    await notify.enqueue(9999, driftNotification(), 'k');
    expect(await notify.runOnce()).toBe(0);
    expect(await deliveries()).toMatchObject([
      { status: 'dead', lastError: 'channel disabled', attempts: 0 },
    ]);
    expect(receiver.requests).toEqual([]);
  });

  it('sends a Slack Block Kit message with a header, one line per alert and a link', async () => {
    const slack = await channel('slack', { url: `${receiver.url}/services/T/B/X` });
    const notify = service();
    await notify.enqueue(slack.id, driftNotification(), 'k');
    await notify.enqueue(slack.id, driftNotification('resolved'), 'k2');
    await notify.runOnce();
    await notify.runOnce();
    const [firing, resolved] = receiver.requests.map(
      (r) =>
        r.json as { text: string; blocks: { type: string; text?: { text: string }; elements?: unknown[] }[] },
    );
    expect(firing!.text).toBe('🔥 [FIRING:3] fraud · feature_drift');
    expect(firing!.blocks[0]).toMatchObject({
      type: 'header',
      text: { text: '🔥 [FIRING:3] fraud · feature_drift' },
    });
    expect(firing!.blocks[1]!.text!.text).toContain('*Model:* fraud');
    expect(firing!.blocks[2]!.text!.text.split('\n')).toEqual([
      '• amount / jensen_shannon (warning): 0.31 vs threshold 0.1 — firing',
      '• country / jensen_shannon (critical): 0.22 vs threshold 0.1 — firing',
      '• age / jensen_shannon (warning): 0.12 vs threshold 0.1 — firing',
    ]);
    expect(firing!.blocks[3]).toMatchObject({
      type: 'actions',
      elements: [{ type: 'button', url: 'http://vigil.local/models/fraud' }],
    });
    expect(resolved!.text).toBe('✅ [RESOLVED] fraud · feature_drift');
  });

  it('triggers and resolves a PagerDuty incident keyed by the group', async () => {
    const pd = await channel('pagerduty', { routing_key: 'R0UTING', url: `${receiver.url}/v2/enqueue` });
    const notify = service();
    await notify.enqueue(pd.id, driftNotification(), 'k');
    await notify.enqueue(pd.id, driftNotification('resolved'), 'k2');
    await notify.runOnce();
    await notify.runOnce();
    const [trigger, resolve] = receiver.requests.map((r) => r.json as Record<string, unknown>);
    const dedup = pagerDutyDedupKey(driftNotification().groupKey);
    expect(trigger).toMatchObject({
      routing_key: 'R0UTING',
      event_action: 'trigger',
      dedup_key: dedup,
      payload: {
        summary: 'Feature drift on 3 features of fraud',
        severity: 'critical',
        source: 'http://vigil.local',
        custom_details: { common_labels: { model: 'fraud' } },
      },
      links: [{ href: 'http://vigil.local/models/fraud' }],
    });
    expect(resolve).toMatchObject({ event_action: 'resolve', dedup_key: dedup });
  });

  it('calls a retraining webhook with the evidence when a group fires, not when it resolves', async () => {
    const retrain = await channel('retrain_webhook', { url: `${receiver.url}/retrain`, secret: SECRET });
    const notify = service();
    const evidence = {
      monitors: ['feature_drift'],
      features: ['amount'],
      windows: [{ start: 'a', end: 'b' }],
    };
    await notify.enqueue(retrain.id, { ...driftNotification(), kind: 'retrain', evidence }, 'k');
    await notify.enqueue(retrain.id, driftNotification('resolved'), 'k2');
    await notify.runOnce();
    expect(await notify.runOnce()).toBe(0);
    expect(receiver.requests).toHaveLength(1);
    expect(verifySignature(SECRET, receiver.requests[0]!)).toBe(true);
    expect(receiver.requests[0]!.json).toMatchObject({
      version: '1',
      kind: 'retrain',
      model: 'fraud',
      reason: 'Feature drift on 3 features of fraud',
      evidence,
    });
  });

  it('claims nothing while the store cannot write, and resumes when it can', async () => {
    const hook = await webhook();
    let writable = false;
    let listener: ((health: StoreHealth) => void) | undefined;
    const sick: Store = Object.assign(Object.create(store) as Store, {
      health: (): StoreHealth =>
        writable
          ? { writable: true }
          : {
              writable: false,
              reason: 'disk_full',
              message: 'No space left',
              readable: true,
              since: new Date(),
            },
      onHealthChange: (next: (health: StoreHealth) => void) => {
        listener = next;
        return () => {
          listener = undefined;
        };
      },
    });
    const config = loadConfig({}, {});
    const notify = new NotificationService(sick, config, silent, { owner: 'sick' });
    services.push(notify);
    await store.outbox.enqueue({
      projectId,
      channelId: hook.id,
      dedupKey: 'k',
      uid: 'u',
      payload: driftNotification(),
      nowMs: Date.now(),
    });
    notify.start(); // returns before any claim: the store cannot write
    expect((await deliveries())[0]).toMatchObject({ status: 'pending', attempts: 0 });
    writable = true;
    listener?.({ writable: true });
    await eventually(async () => (await deliveries())[0]?.status === 'delivered');
    expect(receiver.requests).toHaveLength(1);
  });

  it('sends a test notification now and records its outcome', async () => {
    const hook = await webhook();
    const notify = service();
    const ok = await notify.sendTest(hook.id, 'http://vigil.example');
    expect(ok).toMatchObject({ status: 'delivered', attempts: 1 });
    receiver.answer(() => 500);
    const failed = await notify.sendTest(hook.id);
    expect(failed).toMatchObject({ status: 'dead', attempts: 1, lastError: 'HTTP 500: status 500' });
    expect(receiver.requests[0]!.json).toMatchObject({
      status: 'firing',
      externalUrl: 'http://vigil.example',
    });
    expect(await notify.runOnce()).toBe(0);
  });

  it('sends e-mail through a real SMTP server, with text and HTML bodies', async () => {
    const received: { from: string; to: string[]; raw: string; user?: string }[] = [];
    const smtp = new SMTPServer({
      disabledCommands: ['STARTTLS'],
      allowInsecureAuth: true,
      onAuth(auth, _session, callback) {
        if (auth.username === 'vigil' && auth.password === 'pw') callback(null, { user: auth.username });
        else callback(new Error('bad credentials'));
      },
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('end', () => {
          received.push({
            from: session.envelope.mailFrom ? session.envelope.mailFrom.address : '',
            to: session.envelope.rcptTo.map((r) => r.address),
            raw: Buffer.concat(chunks).toString('utf8'),
            user: session.user as string | undefined,
          });
          callback();
        });
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    try {
      const email = await channel('email', {
        host: '127.0.0.1',
        port,
        secure: false,
        starttls: 'disabled',
        username: 'vigil',
        password: 'pw',
        from: 'Vigil <vigil@example.com>',
        to: ['oncall@example.com', 'ml@example.com'],
      });
      const notify = service();
      await notify.enqueue(email.id, driftNotification(), 'k');
      await notify.runOnce();
      expect(await deliveries()).toMatchObject([{ status: 'delivered' }]);
      expect(received).toHaveLength(1);
      expect(received[0]).toMatchObject({
        from: 'vigil@example.com',
        to: ['oncall@example.com', 'ml@example.com'],
        user: 'vigil',
      });
      const mail = await simpleParser(received[0]!.raw);
      expect(mail.subject).toBe('[FIRING:3] fraud · feature_drift');
      expect(mail.text).toContain('Model: fraud');
      expect(mail.text).toContain('country / jensen_shannon (critical): 0.22 vs threshold 0.1 — firing');
      expect(mail.text).toContain('Open in Vigil: http://vigil.local/models/fraud');
      expect(mail.html).toContain(
        '<li>amount / jensen_shannon (warning): 0.31 vs threshold 0.1 — firing</li>',
      );
      expect(mail.html).toContain('href="http://vigil.local/models/fraud"');

      // Wrong credentials: a permanent SMTP error, given up without retries.
      await store.channels.update(email.id, { config: { ...email.config, password: 'wrong' } });
      await notify.enqueue(email.id, driftNotification('resolved'), 'k2');
      await notify.runOnce();
      const [rejected] = await deliveries();
      expect(rejected).toMatchObject({ status: 'dead', attempts: 1 });
      expect(rejected!.lastError).toMatch(/^SMTP: /);
    } finally {
      await new Promise<void>((resolve) => smtp.close(() => resolve()));
    }
  });
});

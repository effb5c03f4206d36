/**
 * The whole monitoring loop over real HTTP and real sockets: predictions are ingested, their
 * windows evaluated, the drifted window raises alerts, and exactly one grouped notification
 * reaches a real webhook receiver (signature checked) and a real SMTP server.
 */
import type { AddressInfo } from 'node:net';
import { createSeededRandom } from '@vigil/stats';
import { simpleParser } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eventually, type Receiver, startReceiver, verifySignature } from './notify/receiver.test-support.js';
import {
  PROMPT_MONITORING,
  PROMPT_NOTIFY,
  startTestServer,
  type TestServer,
  waitForEvaluation,
} from './testing/index.js';

const SEED = 77;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 20, 10);

let server: TestServer;
let receiver: Receiver;
let smtp: SMTPServer;
const mails: string[] = [];

function rows(n: number, seed: number, shift = 0, newCategory = 0) {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => {
    const x = random.normal() + shift;
    const country = random.uniform() < newCategory ? 'XX' : random.uniform() < 0.6 ? 'DE' : 'FR';
    return {
      amount: x,
      country,
      prediction: x > 0 ? 1 : 0,
      score: 1 / (1 + Math.exp(-x)),
      label: x > 0 ? 1 : 0,
    };
  });
}

beforeAll(async () => {
  server = await startTestServer({
    monitoring: PROMPT_MONITORING,
    notify: PROMPT_NOTIFY,
  });
  receiver = await startReceiver();
  smtp = new SMTPServer({
    disabledCommands: ['STARTTLS', 'AUTH'],
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        mails.push(Buffer.concat(chunks).toString('utf8'));
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
});

afterAll(async () => {
  await server?.close();
  await receiver?.close();
  await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
});

describe('ingest → evaluate → alert → notify', () => {
  it('turns a drifted stream into exactly one grouped notification per channel', async () => {
    console.log(`monitoring loop seed ${SEED}`);
    const webhook = await server.api('/api/v1/channels', {
      json: { name: 'ops', type: 'webhook', config: { url: `${receiver.url}/hook` } },
    });
    expect(webhook.status).toBe(201);
    const { secret } = (await webhook.json()) as { secret: string };
    const port = (smtp.server.address() as AddressInfo).port;
    const email = await server.api('/api/v1/channels', {
      json: {
        name: 'oncall',
        type: 'email',
        config: {
          host: '127.0.0.1',
          port,
          secure: false,
          starttls: 'disabled',
          from: 'vigil@example.com',
          to: ['oncall@example.com'],
        },
      },
    });
    expect(email.status, await email.clone().text()).toBe(201);

    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical' },
      ],
      score_field: 'score',
    };
    expect(
      (await server.api('/api/v1/models', { json: { name: 'fraud', task: 'binary_classification', schema } }))
        .status,
    ).toBe(201);
    expect((await server.api('/api/v1/models/fraud/reference', { json: rows(5000, SEED) })).status).toBe(200);
    const rule = await server.api('/api/v1/models/fraud/alert-rules', {
      json: {
        name: 'feature-drift',
        severity: 'critical',
        match: [{ label: 'monitor', op: '=', value: 'feature-drift' }],
        channels: ['ops', 'oncall'],
        group_by: ['model'],
        group_wait_seconds: 0,
      },
    });
    expect(rule.status, await rule.clone().text()).toBe(201);

    const record = (r: ReturnType<typeof rows>[number], i: number, t: number, tag: string) => ({
      id: `${tag}-${i}`,
      timestamp: new Date(t + i * 1000).toISOString(),
      features: { amount: r.amount, country: r.country },
      prediction: r.prediction,
      score: r.score,
    });
    const stable = rows(1000, SEED + 1).map((r, i) => record(r, i, T0, 'a'));
    const drifted = rows(1000, SEED + 2, 1, 0.2).map((r, i) => record(r, i, T0 + HOUR_MS, 'b'));
    expect((await server.api('/api/v1/models/fraud/predictions', { json: stable })).status).toBe(200);
    expect((await server.api('/api/v1/models/fraud/predictions', { json: drifted })).status).toBe(200);

    await receiver.waitFor(1);
    await eventually(() => mails.length >= 1);
    // Everything evaluated and delivered: still exactly one notification on each channel.
    await waitForEvaluation(server, 'fraud');
    await eventually(async () => {
      const deliveries = (await (await server.api('/api/v1/deliveries')).json()) as {
        data: { status: string }[];
      };
      return deliveries.data.length > 0 && deliveries.data.every((d) => d.status === 'delivered');
    });
    expect(receiver.requests).toHaveLength(1);
    expect(mails).toHaveLength(1);

    const request = receiver.requests[0]!;
    expect(verifySignature(secret, request)).toBe(true);
    const body = request.json as { status: string; alerts: { labels: Record<string, string> }[] };
    expect(body.status).toBe('firing');
    expect(body.alerts.map((a) => a.labels.feature).sort()).toEqual(['amount', 'country']);
    expect(
      body.alerts.every((a) => a.labels.monitor === 'feature-drift' && a.labels.severity === 'critical'),
    ).toBe(true);
    const mail = await simpleParser(mails[0]!);
    expect(mail.subject).toContain('FIRING:2');
    expect(mail.text).toContain('fraud');
  });
});

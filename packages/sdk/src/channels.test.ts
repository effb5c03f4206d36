/** The channel and delivery methods against a real Vigil server and a real webhook receiver. */
import { createHmac } from 'node:crypto';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { VigilApi } from './api.js';
import { VigilHttpError } from './errors.js';

let server: TestServer;
const received: { headers: IncomingHttpHeaders; body: string }[] = [];
const receiver = createServer((req, res) => {
  let body = '';
  req.on('data', (chunk: Buffer) => {
    body += chunk.toString();
  });
  req.on('end', () => {
    received.push({ headers: req.headers, body });
    res.writeHead(200).end();
  });
});
let receiverUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('channels through the SDK', () => {
  it('creates, tests, lists, updates and deletes a webhook channel', async () => {
    const api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
    const created = await api.createChannel({
      name: 'ci',
      type: 'webhook',
      config: { url: `${receiverUrl}/hook` },
    });
    expect(created.secret).toMatch(/^whsec_/);

    const test = await api.testChannel('ci');
    expect(test).toMatchObject({ ok: true, status: 'delivered', channel: 'ci', attempts: 1 });
    const [request] = received;
    const timestamp = String(request?.headers['x-vigil-timestamp']);
    const expected = createHmac('sha256', created.secret!)
      .update(`${timestamp}.${request?.body}`)
      .digest('hex');
    expect(request?.headers['x-vigil-signature']).toBe(`v1=${expected}`);

    expect((await api.listChannels()).map((c) => c.name)).toEqual(['ci']);
    expect((await api.getChannel(created.id)).config.secret).toMatch(/^\*\*\*\*/);
    const page = await api.listDeliveries({ channel: 'ci', status: 'delivered' });
    expect(page.data.map((d) => d.delivery_id)).toEqual([test.delivery_id]);

    const rotated = await api.updateChannel('ci', { rotate_secret: true, enabled: false });
    expect(rotated).toMatchObject({ enabled: false });
    expect(rotated.secret).not.toBe(created.secret);

    await api.deleteChannel('ci');
    await expect(api.getChannel('ci')).rejects.toMatchObject({ status: 404, code: 'not_found' });
    const bad = await api
      .createChannel({ name: 'x', type: 'slack', config: { url: 'ftp://nope' } })
      .catch((error: unknown) => error);
    expect(bad).toBeInstanceOf(VigilHttpError);
    expect((bad as VigilHttpError).message).toContain('body.config.url');
  });
});

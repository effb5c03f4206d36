/** `vigil channels` against a real server and a real webhook receiver. */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';

let server: TestServer;
let env: Record<string, string>;
const vigil = (...argv: string[]) => runVigil(argv, env, process.cwd());

let hooks = 0;
const receiver = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    hooks++;
    // /down answers 503, so a test notification to it fails.
    res.writeHead(req.url === '/down' ? 503 : 200).end();
  });
});
let receiverUrl: string;

beforeAll(async () => {
  server = await startTestServer();
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  receiverUrl = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await server?.close();
  receiver.closeAllConnections();
  await new Promise((resolve) => receiver.close(resolve));
});

describe('vigil channels', () => {
  it('creates, lists and tests channels, and shows their deliveries', async () => {
    const empty = await vigil('channels');
    expect(empty.code, empty.stderr).toBe(0);
    expect(empty.stdout).toContain('No channels. Create one');

    const created = await vigil(
      'channels',
      'create',
      'ops',
      '--type',
      'webhook',
      '--endpoint',
      `${receiverUrl}/hook`,
    );
    expect(created.code, created.stderr).toBe(0);
    expect(created.stdout).toMatch(
      /^Created webhook channel "ops" \(id \d+\)\.\nSigning secret .*: whsec_\S+\n$/,
    );
    const pager = await vigil(
      'channels',
      'create',
      'oncall',
      '--type',
      'pagerduty',
      '--routing-key',
      'R0UTINGKEY0123456789012345678901',
      '--config',
      JSON.stringify({ url: `${receiverUrl}/down` }),
    );
    expect(pager.code, pager.stderr).toBe(0);

    const listed = await vigil('channels', 'list');
    expect(listed.stdout).toMatch(/^NAME\s+TYPE\s+ENABLED\s+TARGET\n/);
    // The path of a webhook URL often carries a token: listings mask it.
    expect(listed.stdout).toMatch(/ops\s+webhook\s+yes\s+http:\/\/127\.0\.0\.1:\d+\/\*{4}\n/);
    expect(listed.stdout).toMatch(/oncall\s+pagerduty\s+yes/);

    const ok = await vigil('channels', 'test', 'ops');
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toBe('Test notification to "ops" delivered.\n');
    expect(hooks).toBe(1);
    const failed = await vigil('channels', 'test', 'oncall');
    expect(failed.code).toBe(1);
    expect(failed.stdout).toMatch(/^Test notification to "oncall" failed: .*503/);

    const deliveries = await vigil('channels', 'deliveries', '--channel', 'ops');
    expect(deliveries.code, deliveries.stderr).toBe(0);
    expect(deliveries.stdout).toMatch(/^ID\s+CHANNEL\s+STATUS\s+ATTEMPTS/);
    expect(deliveries.stdout).toMatch(/ops\s+delivered\s+1/);
    expect(deliveries.stdout).not.toContain('oncall');
    const dead = await vigil('channels', 'deliveries', '--status', 'dead', '--json');
    expect(JSON.parse(dead.stdout)).toEqual([expect.objectContaining({ channel: 'oncall', status: 'dead' })]);
  });

  it('refuses what cannot work, with the reason', async () => {
    const badUrl = await vigil(
      'channels',
      'create',
      'bad',
      '--type',
      'slack',
      '--endpoint',
      'ftp://example.com',
    );
    expect(badUrl.code).toBe(2);
    expect(badUrl.stderr).toContain('url');
    const wrongFlag = await vigil('channels', 'create', 'bad', '--type', 'webhook', '--to', 'a@example.com');
    expect(wrongFlag.code).toBe(2);
    expect(wrongFlag.stderr).toContain('--to applies to email channels only');
    const notJson = await vigil('channels', 'create', 'bad', '--type', 'webhook', '--config', '{url:');
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toContain('--config is not valid JSON');
    const unknown = await vigil('channels', 'test', 'nope');
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('nope');
    const limit = await vigil('channels', 'deliveries', '--limit', '0');
    expect(limit.code).toBe(2);
    expect(limit.stderr).toContain('--limit must be a whole number');
  });
});

/**
 * Slow clients against a real server over real sockets: a body that trickles in, headers that
 * never end, and one API key trying to take every ingest slot. The server's timeouts are set
 * short here so the test stays fast; the defaults are seconds to minutes.
 */
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

interface Raw {
  socket: Socket;
  /** Everything the server sent, once it closed the connection. */
  closed: Promise<string>;
}

function open(url: string): Raw {
  const { hostname, port } = new URL(url);
  const socket = connect(Number(port), hostname);
  let received = '';
  socket.on('data', (chunk) => {
    received += chunk.toString();
  });
  socket.on('error', () => {}); // writes after the server closed: expected here
  const closed = new Promise<string>((resolve) => socket.once('close', () => resolve(received)));
  return { socket, closed };
}

/** Writes `chunk` every `everyMs` until the server closes the connection. */
function trickle(raw: Raw, chunk: string, everyMs: number): void {
  const timer = setInterval(() => {
    if (raw.socket.writable) raw.socket.write(chunk);
  }, everyMs);
  raw.closed.finally(() => clearInterval(timer));
}

function ingestHead(model: string, key: string, length: number): string {
  return (
    `POST /api/v1/models/${model}/predictions HTTP/1.1\r\nHost: vigil\r\nAuthorization: Bearer ${key}\r\n` +
    `Content-Type: application/json\r\nContent-Length: ${length}\r\n\r\n`
  );
}

async function createKey(server: TestServer, name: string): Promise<string> {
  const response = await server.api('/api/v1/keys', { json: { name, scope: 'write' } });
  return ((await response.json()) as { key: string }).key;
}

const record = (id: string) => [{ id, features: { x: 1 }, prediction: 1 }];

describe('timeouts and the minimum body rate', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({
      minBodyBytesPerSecond: 10 * 1024,
      bodyRateGraceMs: 200,
      headersTimeoutMs: 300,
      requestTimeoutMs: 5000,
    });
    await server.api('/api/v1/models', { json: { name: 'm', task: 'regression' } });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers 408 and closes a connection whose body arrives below the minimum rate', async () => {
    const raw = open(server.url);
    raw.socket.write(ingestHead('m', server.adminKey, 100_000));
    trickle(raw, '['.padEnd(100, ' '), 100); // 1 KB/s
    const answer = await raw.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
    expect(answer).toMatch(/connection: close/i);
    expect(answer).toContain('"error":"body_too_slow"');
    // The server is unharmed, and a body sent at normal speed still goes through.
    expect((await server.api('/api/v1/models/m/predictions', { json: record('fast') })).status).toBe(200);
    expect(await (await fetch(`${server.url}/metrics`)).text()).toMatch(
      /^vigil_slow_bodies_closed_total 1$/m,
    );
  }, 10_000);

  it('closes a connection whose headers never end', async () => {
    const raw = open(server.url);
    raw.socket.write('POST /api/v1/models/m/predictions HTTP/1.1\r\nHost: vigil\r\n');
    let n = 0;
    trickle(raw, `X-Slow-${n++}: still coming\r\n`, 50);
    const answer = await raw.closed;
    expect(answer).toMatch(/^HTTP\/1\.1 408 /);
  }, 10_000);
});

describe('admission per API key', () => {
  let server: TestServer;
  beforeAll(async () => {
    // The rate guard is off here, so stalled uploads hold their slots until the test drops them.
    server = await startTestServer({
      minBodyBytesPerSecond: 0,
      maxConcurrentIngests: 4,
      maxConcurrentIngestsPerKey: 2,
    });
    await server.api('/api/v1/models', { json: { name: 'm', task: 'regression' } });
  });
  afterAll(async () => {
    await server.close();
  });

  async function inProgress(): Promise<number> {
    const text = await (await fetch(`${server.url}/metrics`)).text();
    return Number(/^vigil_ingests_in_progress (\d+)$/m.exec(text)?.[1] ?? 0);
  }

  it('keeps one key from taking every ingest slot', async () => {
    const greedy = await createKey(server, 'greedy');
    const other = await createKey(server, 'other');
    const stalled = [open(server.url), open(server.url)];
    for (const raw of stalled) raw.socket.write(`${ingestHead('m', greedy, 1000)}[`);
    while ((await inProgress()) < 2) await new Promise((resolve) => setImmediate(resolve));

    const refused = await server.api('/api/v1/models/m/predictions', { json: record('g3'), key: greedy });
    expect(refused.status).toBe(429);
    expect(refused.headers.get('retry-after')).toBe('1');
    expect(await refused.json()).toMatchObject({ error: 'too_many_requests' });
    const served = await server.api('/api/v1/models/m/predictions', { json: record('o1'), key: other });
    expect(served.status).toBe(200);

    for (const raw of stalled) raw.socket.destroy();
    await Promise.all(stalled.map((raw) => raw.closed));
    while ((await inProgress()) > 0) await new Promise((resolve) => setImmediate(resolve));
    expect(
      (await server.api('/api/v1/models/m/predictions', { json: record('g4'), key: greedy })).status,
    ).toBe(200);
  }, 10_000);
});

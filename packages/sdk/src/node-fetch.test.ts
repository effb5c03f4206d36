import { once } from 'node:events';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { nodeFetch } from './node-fetch.js';

let server: Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  server?.close();
  server = undefined;
});

async function serve(handler: (request: IncomingMessage, body: Buffer, response: ServerResponse) => void) {
  server = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => handler(request, Buffer.concat(chunks), response));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

describe('nodeFetch', () => {
  const fetch = nodeFetch()!;

  it('is the transport on Node.js', () => {
    expect(typeof fetch).toBe('function');
  });

  it('sends the method, headers and bytes of a body, and answers with status, headers and text', async () => {
    let seen: { method?: string; headers?: IncomingMessage['headers']; body?: Buffer } = {};
    const url = await serve((request, body, response) => {
      seen = { method: request.method, headers: request.headers, body };
      response.writeHead(201, 'Made', { 'content-type': 'application/json', 'retry-after': '3' });
      response.end('{"ok":true}');
    });
    const bytes = Uint8Array.from({ length: 70_000 }, (_, i) => (i * 7) % 251);
    const response = await fetch(new URL('/api/v1/x?a=1', url), {
      method: 'POST',
      headers: { 'content-type': 'application/vnd.apache.arrow.stream', authorization: 'Bearer k' },
      body: bytes,
    });
    expect(seen.method).toBe('POST');
    expect(seen.headers?.['content-type']).toBe('application/vnd.apache.arrow.stream');
    expect(seen.headers?.authorization).toBe('Bearer k');
    expect(seen.headers?.['content-length']).toBe('70000');
    expect(Buffer.compare(seen.body!, Buffer.from(bytes))).toBe(0);
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.statusText).toBe('Made');
    expect(response.headers.get('retry-after')).toBe('3');
    expect(await response.json()).toEqual({ ok: true });
  });

  it('sends a string body as UTF-8 and a GET without one', async () => {
    const bodies: string[] = [];
    const url = await serve((request, body, response) => {
      bodies.push(`${request.method} ${body.toString('utf8')}`);
      response.end('');
    });
    await (await fetch(url, { method: 'POST', body: 'žluť {"a":1}' })).text();
    await (await fetch(url)).text();
    expect(bodies).toEqual(['POST žluť {"a":1}', 'GET ']);
  });

  it('decompresses a gzip answer and gives 204 no body', async () => {
    const url = await serve((request, _body, response) => {
      if (request.url === '/empty') {
        response.writeHead(204).end();
        return;
      }
      expect(request.headers['accept-encoding']).toContain('gzip');
      response.writeHead(200, { 'content-encoding': 'gzip' }).end(gzipSync('x'.repeat(10_000)));
    });
    expect(await (await fetch(url)).text()).toBe('x'.repeat(10_000));
    const empty = await fetch(`${url}/empty`);
    expect(empty.status).toBe(204);
    expect(await empty.text()).toBe('');
  });

  it('follows redirects as fetch does: 307 keeps the method and body, 303 turns to GET, credentials stay home', async () => {
    const seen: string[] = [];
    let other = '';
    const url = await serve((request, body, response) => {
      seen.push(
        `${request.method} ${request.url} ${body.toString()} ${request.headers.authorization ?? '-'}`,
      );
      if (request.url === '/a') response.writeHead(307, { location: '/b' }).end();
      else if (request.url === '/b') response.writeHead(303, { location: `${other}/c` }).end();
      else response.end('done');
    });
    const elsewhere = createServer((request, response) => {
      seen.push(`${request.method} elsewhere${request.url} ${request.headers.authorization ?? '-'}`);
      response.end('there');
    });
    elsewhere.listen(0, '127.0.0.1');
    await once(elsewhere, 'listening');
    other = `http://127.0.0.1:${(elsewhere.address() as AddressInfo).port}`;
    try {
      const response = await fetch(`${url}/a`, {
        method: 'POST',
        headers: { authorization: 'Bearer k' },
        body: 'x',
      });
      expect(await response.text()).toBe('there');
      expect(seen).toEqual(['POST /a x Bearer k', 'POST /b x Bearer k', 'GET elsewhere/c -']);
      const manual = await fetch(`${url}/a`, { method: 'POST', body: 'x', redirect: 'manual' });
      expect(manual.status).toBe(307);
    } finally {
      elsewhere.close();
    }
  });

  it('rejects with the signal reason when it aborts, and with fetch failed when nothing listens', async () => {
    const url = await serve(() => {
      // Never answers.
    });
    const timedOut = fetch(url, { signal: AbortSignal.timeout(50) });
    await expect(timedOut).rejects.toMatchObject({ name: 'TimeoutError' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(fetch(url, { signal: controller.signal })).rejects.toThrow('stop');

    const closed = createServer();
    closed.listen(0, '127.0.0.1');
    await once(closed, 'listening');
    const port = (closed.address() as AddressInfo).port;
    closed.close();
    await once(closed, 'close');
    const refused = await fetch(`http://127.0.0.1:${port}/`).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(TypeError);
    expect((refused as TypeError).message).toBe('fetch failed');
    expect(((refused as TypeError).cause as { code?: string }).code).toBe('ECONNREFUSED');
  });
});

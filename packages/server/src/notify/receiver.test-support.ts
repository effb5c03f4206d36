/**
 * A real HTTP receiver for notification tests: node:http on a free port, recording every
 * request and answering as the test decides (status, or never, to stand for a hung receiver).
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedRequest {
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  json: unknown;
}

/** A status, a status with headers, or `'hang'`: keep the request open until `close()` or `releaseHung()`. */
export type Answer = number | { status: number; headers: Record<string, string> } | 'hang';

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** Decides the answer to each request; 200 by default. */
  answer(decide: (request: ReceivedRequest, index: number) => Answer): void;
  /** Answers every hung request with `status`. */
  releaseHung(status?: number): void;
  /** Resolves once `count` requests have arrived. */
  waitFor(count: number): Promise<void>;
  close(): Promise<void>;
}

export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const hung: ServerResponse[] = [];
  const waiters: { count: number; resolve: () => void }[] = [];
  let decide: (request: ReceivedRequest, index: number) => Answer = () => 200;
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      let json: unknown;
      try {
        json = JSON.parse(body);
      } catch {
        json = undefined;
      }
      const request = { path: req.url ?? '', headers: req.headers, body, json };
      requests.push(request);
      const answer = decide(request, requests.length - 1);
      for (const waiter of waiters.filter((w) => requests.length >= w.count)) {
        waiters.splice(waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
      if (answer === 'hang') {
        hung.push(res);
        return;
      }
      const status = typeof answer === 'number' ? answer : answer.status;
      const headers = typeof answer === 'number' ? {} : answer.headers;
      res
        .writeHead(status, { 'content-type': 'text/plain', ...headers })
        .end(status < 300 ? 'ok' : `status ${status}`);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    answer(next) {
      decide = next;
    },
    releaseHung(status = 200) {
      for (const res of hung.splice(0)) res.writeHead(status).end();
    },
    waitFor(count) {
      if (requests.length >= count) return Promise.resolve();
      return new Promise((resolve) => waiters.push({ count, resolve }));
    },
    async close() {
      for (const res of hung.splice(0)) res.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** What a receiver does with `X-Vigil-Signature`: recompute it and compare in constant time. */
export function verifySignature(secret: string, request: ReceivedRequest): boolean {
  const timestamp = String(request.headers['x-vigil-timestamp'] ?? '');
  const signature = String(request.headers['x-vigil-signature'] ?? '');
  const expected = `v1=${createHmac('sha256', secret).update(`${timestamp}.${request.body}`).digest('hex')}`;
  return (
    signature.length === expected.length && timingSafeEqual(Buffer.from(signature), Buffer.from(expected))
  );
}

/** Polls `check` until it holds, at most `attempts` times, yielding `stepMs` between tries. */
export async function eventually<T>(
  check: () => Promise<T | undefined | false> | T | undefined | false,
  { attempts = 800, stepMs = 25 } = {},
): Promise<T> {
  for (let i = 0; i < attempts; i++) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    await new Promise((resolve) => setTimeout(resolve, stepMs));
  }
  throw new Error(`condition not met after ${attempts} tries`);
}

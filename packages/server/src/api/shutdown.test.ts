/**
 * Shutdown over real HTTP: a keep-alive connection does not hold the server's close until
 * its keep-alive timeout, an ingest request in progress still completes (and what it
 * acknowledged is there after a restart), and past the grace period a request in progress
 * loses its connection without an answer.
 */

import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, type ClientRequest, type IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { startTestServer, TEST_ADMIN_KEY, type TestServer } from '../testing/index.js';

// Far beyond the test's own time limit: a close that waited on a keep-alive socket would not return.
const LONG_MS = 600_000;
const started: TestServer[] = [];
const dataDirs: string[] = [];
afterEach(async () => {
  await Promise.all(started.splice(0).map((server) => server.close()));
  for (const dir of dataDirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A data folder that outlives one server, for a restart. */
function keptDataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-shutdown-'));
  dataDirs.push(dir);
  return dir;
}

/** Resolves once the server has the headers of its next request. */
function arrival(server: TestServer): Promise<void> {
  return new Promise((resolve) => server.app.server.once('request', () => resolve()));
}

async function start(overrides: Parameters<typeof startTestServer>[0]): Promise<TestServer> {
  const server = await startTestServer(overrides);
  started.push(server);
  return server;
}

function send(
  server: TestServer,
  agent: Agent,
  method: string,
  path: string,
  headers: Record<string, string | number> = {},
): { request: ClientRequest; response: Promise<IncomingMessage>; closed: Promise<void> } {
  const url = new URL(path, server.url);
  const outgoing = request(url, {
    method,
    agent,
    headers: { authorization: `Bearer ${TEST_ADMIN_KEY}`, ...headers },
  });
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    outgoing.once('response', resolve);
    outgoing.once('error', reject);
  });
  // Resolves when the connection that carries the request is closed, by either side.
  const closed = new Promise<void>((resolve) =>
    outgoing.once('socket', (socket: Socket) => socket.once('close', () => resolve())),
  );
  return { request: outgoing, response, closed };
}

async function readBody(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/** Closing starts synchronously in part; wait until the listener is gone. */
async function closingStarted(server: TestServer): Promise<void> {
  while (server.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
}

async function artifactRoot(server: TestServer): Promise<string> {
  const mlflow = async (endpoint: string, body: unknown) =>
    (await server.api(`/api/2.0/mlflow/${endpoint}`, { json: body })).json() as Promise<{
      experiment_id: string;
      run: { info: { run_id: string } };
    }>;
  const { experiment_id } = await mlflow('experiments/create', { name: 'shutdown' });
  const { run } = await mlflow('runs/create', { experiment_id, start_time: 1 });
  return `/api/2.0/mlflow-artifacts/artifacts/${experiment_id}/${run.info.run_id}/artifacts`;
}

it('closes the keep-alive connections of streamed downloads, finished or in progress, without waiting for their timeout', async () => {
  const server = await start({
    keepAliveTimeoutMs: LONG_MS,
    shutdownGraceMs: LONG_MS,
    idleTimeoutMs: LONG_MS,
  });
  const root = await artifactRoot(server);
  // Larger than the socket buffers, so the second download is still being sent when closing starts.
  const model = Buffer.alloc(16 * 1024 * 1024, 7);
  expect((await server.api(`${root}/model.bin`, { method: 'PUT', body: model })).status).toBe(200);

  // Two keep-alive connections: one download read to its end, one only begun.
  const finishedAgent = new Agent({ keepAlive: true, keepAliveMsecs: LONG_MS });
  const finished = send(server, finishedAgent, 'GET', `${root}/model.bin`);
  finished.request.end();
  const finishedResponse = await finished.response;
  expect((await readBody(finishedResponse)).equals(model)).toBe(true);
  const inProgressAgent = new Agent({ keepAlive: true, keepAliveMsecs: LONG_MS });
  const inProgress = send(server, inProgressAgent, 'GET', `${root}/model.bin`);
  inProgress.request.end();
  const inProgressResponse = await inProgress.response;
  expect(inProgressResponse.headers.connection).toBe('keep-alive');

  const closed = server.close();
  await closingStarted(server);
  // The download in progress still arrives whole, then its connection is closed.
  expect((await readBody(inProgressResponse)).equals(model)).toBe(true);
  await closed;
  // The agents keep both sockets for their next requests: only the server can have closed them.
  await finished.closed;
  await inProgress.closed;
  finishedAgent.destroy();
  inProgressAgent.destroy();
});

function predictions(count: number) {
  const now = Date.now();
  return Array.from({ length: count }, (_, i) => ({
    id: `p${i}`,
    timestamp: now - i,
    features: { x: i },
    prediction: i % 2,
  }));
}

async function createModel(server: TestServer): Promise<void> {
  const created = await server.api('/api/v1/models', {
    json: { name: 'churn', task: 'binary_classification' },
  });
  expect(created.status).toBe(201);
}

it('lets an ingest request in progress at shutdown finish; what it acknowledged is there after a restart', async () => {
  const server = await start({
    dataDir: keptDataDir(),
    keepAliveTimeoutMs: LONG_MS,
    shutdownGraceMs: LONG_MS,
  });
  await createModel(server);
  const body = Buffer.from(JSON.stringify(predictions(500)));
  const agent = new Agent({ keepAlive: true });
  const arrived = arrival(server);
  const ingest = send(server, agent, 'POST', '/api/v1/models/churn/predictions', {
    'content-type': 'application/json',
    'content-length': body.length,
  });
  // Half the body, then the server starts closing, then the rest.
  ingest.request.write(body.subarray(0, body.length >> 1));
  await arrived;
  const closed = server.close();
  await closingStarted(server);
  ingest.request.end(body.subarray(body.length >> 1));
  const response = await ingest.response;
  expect(response.statusCode).toBe(200);
  expect(JSON.parse((await readBody(response)).toString())).toMatchObject({ accepted: 500 });
  await closed;
  agent.destroy();

  const restarted = await start({ dataDir: server.dataDir });
  const page = (await (await restarted.api('/api/v1/models/churn/predictions?limit=1000')).json()) as {
    data: unknown[];
  };
  expect(page.data).toHaveLength(500);
});

it('past the grace period, closes a request still in progress without an answer, and stores none of it', async () => {
  const server = await start({ dataDir: keptDataDir(), keepAliveTimeoutMs: LONG_MS, shutdownGraceMs: 0 });
  await createModel(server);
  const body = Buffer.from(JSON.stringify(predictions(500)));
  const agent = new Agent({ keepAlive: true });
  const arrived = arrival(server);
  const ingest = send(server, agent, 'POST', '/api/v1/models/churn/predictions', {
    'content-type': 'application/json',
    'content-length': body.length,
  });
  ingest.request.write(body.subarray(0, body.length >> 1));
  await arrived;
  const outcome = ingest.response.then(
    (response) => `answered ${response.statusCode}`,
    (error: Error) => error.message,
  );
  await server.close();
  // The body never finished: the client gets no answer, so no acknowledgement.
  expect(await outcome).toMatch(/socket hang up|ECONNRESET/);
  agent.destroy();

  const restarted = await start({ dataDir: server.dataDir });
  const page = (await (await restarted.api('/api/v1/models/churn/predictions')).json()) as {
    data: unknown[];
  };
  expect(page.data).toEqual([]);
});

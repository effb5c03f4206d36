import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  // Room for one 60 kB body at a time, whatever the number of requests.
  server = await startTestServer({ maxBodyBytes: 64 * 1024, maxIngestBytes: 100 * 1024 });
  await server.api('/api/v1/models', { json: { name: 'mem', task: 'regression' } });
});
afterAll(async () => {
  await server.close();
});

function body(prefix: string): Buffer {
  const records = [];
  for (let i = 0; ; i++) {
    records.push({ id: `${prefix}-${i}`, features: { x: i }, prediction: i });
    if (JSON.stringify(records).length > 60_000) break;
  }
  return Buffer.from(JSON.stringify(records));
}

/** Polls until `condition` holds: the server's own gauge says when a request is under way. */
async function until(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 500 && !(await condition()); i++) await new Promise((r) => setTimeout(r, 10));
}

async function inProgress(): Promise<number> {
  const text = await (await server.api('/metrics')).text();
  return Number(/^vigil_ingests_in_progress (\d+)/m.exec(text)?.[1] ?? 0);
}

it('refuses a request that would take the request data held over the limit with 503 and Retry-After', async () => {
  const slow = body('slow');
  const url = new URL('/api/v1/models/mem/predictions', server.url);
  // A request whose body arrives slowly holds its reservation meanwhile.
  let answer: (value: { status: number; text: string }) => void = () => {};
  const slowAnswer = new Promise<{ status: number; text: string }>((resolve) => {
    answer = resolve;
  });
  const pending = httpRequest(url, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.adminKey}`,
      'content-type': 'application/json',
      'content-length': String(slow.length),
    },
  });
  pending.on('response', (response) => {
    let text = '';
    response.on('data', (chunk: Buffer) => {
      text += chunk.toString();
    });
    response.on('end', () => answer({ status: response.statusCode ?? 0, text }));
  });
  pending.write(slow.subarray(0, 1000));
  await until(async () => (await inProgress()) === 1);

  const refused = await server.api('/api/v1/models/mem/predictions', {
    method: 'POST',
    body: body('fast'),
    headers: { 'content-type': 'application/json' },
  });
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(((await refused.json()) as { message: string }).message).toMatch(/VIGIL_MAX_INGEST_MB/);

  pending.end(slow.subarray(1000));
  expect((await slowAnswer).status).toBe(200);
  // The slow request's reservation is released with its answer: the retry fits.
  await until(async () => (await inProgress()) === 0);
  const retried = await server.api('/api/v1/models/mem/predictions', {
    method: 'POST',
    body: body('fast'),
    headers: { 'content-type': 'application/json' },
  });
  expect(retried.status).toBe(200);
  const metrics = await (await server.api('/metrics')).text();
  expect(metrics).toMatch(/vigil_ingests_refused_total\{reason="memory"\} 1/);
});

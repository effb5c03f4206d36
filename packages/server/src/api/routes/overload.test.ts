import { afterAll, beforeAll, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../../testing/index.js';

let server: TestServer;

beforeAll(async () => {
  // One ingest request at a time: the rest of a burst is shed.
  server = await startTestServer({ maxConcurrentIngests: 1 });
  await server.api('/api/v1/models', { json: { name: 'busy', task: 'regression' } });
});
afterAll(async () => {
  await server.close();
});

it('sheds load with 503 and Retry-After instead of falling over', async () => {
  const batch = (n: number) =>
    JSON.stringify(
      Array.from({ length: 2000 }, (_, i) => ({
        id: `b${n}-${i}`,
        features: { x: i, y: `v${i % 9}` },
        prediction: i,
      })),
    );
  const responses = await Promise.all(
    Array.from({ length: 30 }, (_, n) =>
      server.api('/api/v1/models/busy/predictions', {
        method: 'POST',
        body: batch(n),
        headers: { 'content-type': 'application/json' },
      }),
    ),
  );
  const statuses = responses.map((r) => r.status);
  expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
  const shed = responses.filter((r) => r.status === 503);
  expect(shed.length).toBeGreaterThan(0);
  expect(shed[0]!.headers.get('retry-after')).toBe('1');
  expect(await shed[0]!.json()).toMatchObject({ error: 'overloaded' });
  // The accepted batches are all there, and the server still answers.
  const traffic = (await (await server.api('/api/v1/models/busy/traffic?bucket=week')).json()) as {
    data: { predictions: number }[];
  };
  const stored = traffic.data.reduce((n, w) => n + w.predictions, 0);
  expect(stored).toBe(statuses.filter((s) => s === 200).length * 2000);
  expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
});

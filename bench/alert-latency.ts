/**
 * bench:alert-latency — time from the acknowledged ingestion of a clearly drifted batch to the
 * webhook call, with default settings (debounce, default monitors, default alert rules, group
 * wait) and one webhook channel on a local receiver.
 *
 * Each trial uses a new model (a fresh drift): the model is created with a declared schema, its
 * reference uploaded (2,000 rows, which creates the default monitors), then a batch of 1,000
 * predictions shifted by 3σ on every numeric feature is sent into the current hour. The clock
 * starts when the ingestion answer arrives and stops when the receiver gets the first
 * notification naming that model.
 *
 *   npm run bench:alert-latency [-- --trials 25]
 */
import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cpus, loadavg } from 'node:os';
import { startTestServer } from '../packages/server/src/testing/index.js';
import { benchArgs } from './args.js';

const { values: args } = benchArgs(import.meta.url, { trials: { type: 'string', default: '25' } });
const TRIALS = Number(args.trials);
const FEATURES = 5;

let seed = 7;
const uniform = () => {
  seed = (seed * 1103515245 + 12345) % 2147483648;
  return seed / 2147483648;
};
const normal = () => Math.sqrt(-2 * Math.log(uniform() || 1e-12)) * Math.cos(2 * Math.PI * uniform());

function row(shift: number) {
  const features: Record<string, number | string> = {};
  let z = 0;
  for (let i = 0; i < FEATURES; i++) {
    const x = normal() + shift;
    z += x;
    features[`x${i}`] = x;
  }
  features.country = uniform() < 0.6 ? 'DE' : 'FR';
  const score = 1 / (1 + Math.exp(-z / 2));
  return { features, score, prediction: score >= 0.5 ? 1 : 0 };
}

const waiting = new Map<string, (at: number) => void>();
const receiver = createServer((request, response) => {
  const chunks: Buffer[] = [];
  request.on('data', (c: Buffer) => chunks.push(c));
  request.on('end', () => {
    const at = performance.now();
    const body = Buffer.concat(chunks).toString('utf8');
    response.writeHead(200).end('ok');
    for (const [model, resolve] of waiting) {
      if (body.includes(`"${model}"`)) {
        waiting.delete(model);
        resolve(at);
      }
    }
  });
});
receiver.listen(0, '127.0.0.1');
await once(receiver, 'listening');
const hook = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hook`;

const server = await startTestServer();
const load = () =>
  loadavg()
    .map((l) => l.toFixed(2))
    .join(' ');
console.log(
  `bench:alert-latency on ${cpus().length} × ${cpus()[0]?.model}, Node ${process.version}; load ${load()}`,
);
async function ok(response: Response, what: string) {
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${await response.text()}`);
  return response.json().catch(() => null);
}
await ok(
  await server.api('/api/v1/channels', { json: { name: 'hook', type: 'webhook', config: { url: hook } } }),
  'channel',
);

const schema = {
  features: [
    ...Array.from({ length: FEATURES }, (_, i) => ({ name: `x${i}`, type: 'numeric' })),
    { name: 'country', type: 'categorical' },
  ],
  score_field: 'score',
  classes: ['0', '1'],
};
const latencies: number[] = [];
for (let trial = 0; trial < TRIALS; trial++) {
  const model = `drift-${trial}`;
  await ok(
    await server.api('/api/v1/models', { json: { name: model, task: 'binary_classification', schema } }),
    'model',
  );
  const reference = Array.from({ length: 2000 }, () => {
    const r = row(0);
    return { ...r.features, score: r.score, prediction: r.prediction };
  });
  await ok(await server.api(`/api/v1/models/${model}/reference`, { json: reference }), 'reference');
  const now = Date.now();
  const batch = Array.from({ length: 1000 }, (_, i) => ({
    id: `${model}-${i}`,
    timestamp: new Date(now - 1000 + i).toISOString(),
    ...row(3),
  }));
  const called = new Promise<number>((resolve) => waiting.set(model, resolve));
  const timeout = new Promise<number>((_, reject) =>
    setTimeout(() => reject(new Error(`no webhook call for ${model} within 60 s`)), 60_000),
  );
  await ok(await server.api(`/api/v1/models/${model}/predictions`, { json: batch }), 'predictions');
  const acked = performance.now();
  const at = await Promise.race([called, timeout]);
  latencies.push(at - acked);
  console.log(`  trial ${trial}: ${(at - acked).toFixed(0)} ms (load ${load()})`);
}
const sorted = [...latencies].sort((a, b) => a - b);
const pct = (p: number) => sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
console.log(
  `\n${TRIALS} trials: p50 ${pct(50).toFixed(0)} ms, p95 ${pct(95).toFixed(0)} ms, min ${sorted[0]!.toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`,
);
console.log(`every run (ms): ${latencies.map((l) => l.toFixed(0)).join(', ')}`);
await server.close();
receiver.close();
process.exit(0);

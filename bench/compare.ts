/**
 * bench:compare — champion against challenger, `GET /api/v1/models/{model}/compare`, on embedded
 * DuckDB over real HTTP.
 *
 * A binary classifier whose version 1 served `--pairs` predictions (1,000,000 by default) over
 * seven days, inserted through the store's columnar insert; version 2 logged a shadow prediction
 * for every one of those ids (the store's shadow insert, as `POST …/shadow-predictions` does);
 * two thirds of the ids have a label. Each version has 2,000 labelled, scored reference rows, so
 * the estimated performance before labels (CBPE) is computed too. Side by side in the same run,
 * a model with a tenth of the pairs, so the ratio shows how the comparison grows with the data.
 *
 * Timed from the client, request to parsed answer: the whole period (`overall` only), per day
 * (`window=1d`, 7 windows) and per hour (`window=1h`, 168 windows). The first request of each shape
 * is cold (DuckDB's buffers and the server's code paths not yet warm); then `--runs` warm ones,
 * median and every run printed. Beside it, the time inside each store call, summed per request.
 *
 *   npm run bench:compare [-- --pairs 1000000 --runs 5]
 */
import { cpus, loadavg, totalmem } from 'node:os';
import { createSeededNormals } from '@vigil/stats';
import type { EventColumns } from '../packages/server/src/storage/types.js';
import { startTestServer, type TestServer } from '../packages/server/src/testing/index.js';
import { benchArgs } from './args.js';
import { median, medianAndRuns } from './runs.js';

const { values: args } = benchArgs(import.meta.url, {
  pairs: { type: 'string', default: '1000000' },
  runs: { type: 'string', default: '5' },
});
const PAIRS = Number(args.pairs);
const RUNS = Number(args.runs);
const HOUR_MS = 3_600_000;
const DAYS = 7;
const BATCH = 100_000;
const REFERENCE_ROWS = 2000;

/** mulberry32 with Box–Muller normals (cosine only): the same data on every run. */
const random = (seed: number) => createSeededNormals(seed, { pairs: false });

const logistic = (x: number) => 1 / (1 + Math.exp(-x));

/**
 * One request: its true log-odds, its label drawn from them, and each version's calibrated score
 * (the champion noisier than the challenger, so the challenger is truly a little better).
 */
function draw(rng: ReturnType<typeof random>) {
  const logit = -0.8 + 1.8 * rng.normal();
  const label = rng.uniform() < logistic(logit) ? 1 : 0;
  const noisy = (sd: number) => logistic((logit + sd * rng.normal()) / Math.sqrt(1 + (sd * sd) / 3.24));
  return { label, a: noisy(1.6), b: noisy(1.2) };
}

const round = (x: number) => Math.round(x * 1e6) / 1e6;

async function check(response: Response, what: string): Promise<unknown> {
  const text = await response.text();
  if (!response.ok) throw new Error(`${what}: HTTP ${response.status} ${text}`);
  return JSON.parse(text);
}

interface Scenario {
  model: string;
  pairs: number;
  fromMs: number;
  toMs: number;
}

async function populate(server: TestServer, model: string, pairs: number, seed: number): Promise<Scenario> {
  await check(
    await server.api('/api/v1/models', { json: { name: model, task: 'binary_classification' } }),
    `create ${model}`,
  );
  for (const name of ['1', '2']) {
    await check(await server.api(`/api/v1/models/${model}/versions`, { json: { name } }), `version ${name}`);
  }
  const reference = random(seed + 1);
  const validation = Array.from({ length: REFERENCE_ROWS }, () => draw(reference));
  for (const version of ['1', '2'] as const) {
    await check(
      await server.api(
        `/api/v1/models/${model}/reference?version=${version}&dataset=validation-v${version}`,
        {
          json: validation.map((r, i) => {
            const score = round(version === '1' ? r.a : r.b);
            return { id: `ref-${i}`, features: {}, prediction: score >= 0.5 ? 1 : 0, score, label: r.label };
          }),
        },
      ),
      `reference of version ${version}`,
    );
  }
  const stored = (await server.store.getModel(1, model))!;
  const columns = await server.store.listColumns(stored.id);
  const toMs = Math.floor(Date.now() / HOUR_MS) * HOUR_MS - HOUR_MS;
  const fromMs = toMs - DAYS * 24 * HOUR_MS;
  const rng = random(seed);
  const started = performance.now();
  for (let offset = 0; offset < pairs; offset += BATCH) {
    const n = Math.min(BATCH, pairs - offset);
    const id = new Array<string>(n);
    const ts = new Float64Array(n);
    const scoreA = new Float64Array(n);
    const predictionA = new Array<string>(n);
    const predictionNumberA = new Float64Array(n);
    const shadow = [];
    const labels = [];
    for (let r = 0; r < n; r++) {
      const i = offset + r;
      const { label, a, b } = draw(rng);
      id[r] = `req-${i}`;
      ts[r] = (fromMs + Math.floor((i * (toMs - fromMs)) / pairs)) * 1000;
      scoreA[r] = round(a);
      predictionNumberA[r] = a >= 0.5 ? 1 : 0;
      predictionA[r] = a >= 0.5 ? '1' : '0';
      shadow.push({
        id: id[r]!,
        timestampMicros: ts[r]!,
        prediction: b >= 0.5 ? '1' : '0',
        predictionNumber: b >= 0.5 ? 1 : 0,
        score: round(b),
        scores: null,
      });
      if (i % 3 !== 2) {
        labels.push({ id: id[r]!, label: String(label), labelNumber: label, timestampMicros: ts[r]! + 60e6 });
      }
    }
    const ones = new Uint8Array(n).fill(1);
    const nulls = <T>() => new Array<T | null>(n).fill(null);
    const served: EventColumns = {
      length: n,
      id,
      timestampMicros: ts,
      version: new Array<string>(n).fill('1'),
      prediction: predictionA,
      predictionNumber: { values: predictionNumberA, valid: ones },
      score: { values: scoreA, valid: ones },
      scores: nulls<Record<string, number>>(),
      label: nulls<string>(),
      labelNumber: { values: new Float64Array(n), valid: new Uint8Array(n) },
      invalid: nulls<Record<string, unknown>>(),
      violations: nulls<string[]>(),
      values: columns.map(() => null),
    };
    await server.store.insertPredictionColumns(stored.id, columns, served);
    await server.store.comparison.insertShadowPredictions(stored.id, '2', shadow);
    await server.store.upsertLabels(stored.id, labels);
  }
  console.log(
    `${model}: ${pairs} paired predictions, ${Math.ceil((pairs * 2) / 3)} labelled, set up in ${((performance.now() - started) / 1000).toFixed(0)} s`,
  );
  return { model, pairs, fromMs, toMs };
}

/** Time spent inside each store call of the comparison, summed until read. */
function instrumentStore(server: TestServer) {
  const spent = new Map<string, number>();
  const comparison = server.store.comparison as unknown as Record<
    string,
    (...a: unknown[]) => Promise<unknown>
  >;
  for (const name of ['versionLogged', 'pairedSummary']) {
    const original = comparison[name]!.bind(comparison);
    comparison[name] = async (...a: unknown[]) => {
      const start = performance.now();
      try {
        return await original(...a);
      } finally {
        spent.set(name, (spent.get(name) ?? 0) + performance.now() - start);
      }
    };
  }
  return {
    take() {
      const copy = new Map(spent);
      spent.clear();
      return copy;
    },
  };
}

const load = () =>
  loadavg()
    .map((l) => l.toFixed(1))
    .join(' ');

type Shape = 'overall' | '1d' | '1h';
const SHAPES: Shape[] = ['overall', '1d', '1h'];

async function measure(server: TestServer, scenario: Scenario, store: ReturnType<typeof instrumentStore>) {
  const results = {} as Record<Shape, { cold: number; warm: number[]; breakdown: Map<string, number> }>;
  for (const shape of SHAPES) {
    const query = new URLSearchParams({
      a: '1',
      b: '2',
      from: new Date(scenario.fromMs).toISOString(),
      to: new Date(scenario.toMs).toISOString(),
      ...(shape === 'overall' ? {} : { window: shape }),
    });
    const path = `/api/v1/models/${scenario.model}/compare?${query}`;
    const once = async () => {
      const start = performance.now();
      const body = (await check(await server.api(path), path)) as {
        overall: { pairs: number; labelled: number };
        windows: unknown[];
      };
      const ms = performance.now() - start;
      if (body.overall.pairs !== scenario.pairs) {
        throw new Error(`${path}: ${body.overall.pairs} pairs, expected ${scenario.pairs}`);
      }
      return { ms, windows: body.windows.length };
    };
    store.take();
    const cold = await once();
    store.take();
    const warm: number[] = [];
    let breakdown = new Map<string, number>();
    for (let run = 0; run < RUNS; run++) {
      warm.push((await once()).ms);
      const spent = store.take();
      if (run === 0) breakdown = spent;
    }
    results[shape] = { cold: cold.ms, warm, breakdown };
    const inside = [...breakdown].map(([name, ms]) => `${name} ${ms.toFixed(0)}`).join(', ');
    console.log(
      `  ${shape.padEnd(7)} (${String(cold.windows).padStart(3)} windows): cold ${cold.ms.toFixed(0)} ms; warm ${medianAndRuns(warm)}; ` +
        `store, first warm run: ${inside} ms; load ${load()}`,
    );
  }
  return results;
}

console.log(
  `bench:compare — ${PAIRS} pairs, ${RUNS} warm runs; ${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ` +
    `${Math.round(totalmem() / 2 ** 30)} GiB, load ${load()}`,
);
const server = await startTestServer({ logLevel: 'silent' });
try {
  // Evaluation would compete for the CPU while the comparison is timed.
  await server.app.monitors.stop();
  const small = await populate(server, 'tenth', Math.round(PAIRS / 10), 7);
  const large = await populate(server, 'full', PAIRS, 11);
  const store = instrumentStore(server);
  const measured: Record<string, Awaited<ReturnType<typeof measure>>> = {};
  for (const scenario of [small, large]) {
    console.log(`${scenario.model} (${scenario.pairs} pairs):`);
    measured[scenario.model] = await measure(server, scenario, store);
  }
  console.log(`\nratios (warm medians), ${PAIRS} pairs / ${small.pairs} pairs:`);
  for (const shape of SHAPES) {
    const ratio = median(measured.full![shape].warm) / median(measured.tenth![shape].warm);
    console.log(`  ${shape.padEnd(7)} ${ratio.toFixed(2)}×`);
  }
} finally {
  await server.close();
}

/**
 * A large window drawn like the reference raises nothing. With hundreds of thousands of rows a
 * p-value test flags differences far too small to matter; the default drift methods are
 * distances (Jensen–Shannon on the reference's decile bins) whose thresholds come from the
 * reference's own chunk-to-chunk variation and the sampling noise, so a bigger window only makes
 * the comparison quieter. The window is written through the store's columnar insert (as
 * columnar ingestion does) and queued as ingestion queues it; results are read over HTTP.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventColumns } from '../storage/types.js';
import { PROMPT_MONITORING, startTestServer, type TestServer, waitForEvaluation } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

const SEED = 20261207;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 9, 10);
const NUMERIC = 8;
const CATEGORIES = ['a', 'b', 'c', 'd', 'e'];
const REFERENCE_ROWS = 10_000;
const WINDOW_ROWS = 100_000;

/** Features of spreads 1–4, a skewed category, and a score driven by two features. */
function draw(random: ReturnType<typeof createSeededRandom>) {
  const x = Array.from({ length: NUMERIC }, (_, i) => random.normal() * (1 + (i % 4)) + i);
  const plan =
    CATEGORIES[Math.min(CATEGORIES.length - 1, Math.floor(-Math.log(1 - random.uniform()) * 1.5))]!;
  const score = 1 / (1 + Math.exp(-(x[0]! + (x[1]! - 1) / 2)));
  return { x, plan, score };
}

function windowColumns(n: number, startMs: number, seed: number, columns: { name: string }[]): EventColumns {
  const random = createSeededRandom(seed);
  const numbers = Array.from({ length: NUMERIC }, () => new Float64Array(n));
  const plans = new Array<string>(n);
  const score = new Float64Array(n);
  const prediction = new Array<string>(n);
  const predictionNumber = new Float64Array(n);
  const ts = new Float64Array(n);
  const id = new Array<string>(n);
  for (let r = 0; r < n; r++) {
    const row = draw(random);
    row.x.forEach((v, i) => {
      numbers[i]![r] = v;
    });
    plans[r] = row.plan;
    score[r] = row.score;
    prediction[r] = row.score >= 0.5 ? '1' : '0';
    predictionNumber[r] = row.score >= 0.5 ? 1 : 0;
    ts[r] = (startMs + Math.floor((r * (HOUR_MS - 1)) / n)) * 1000;
    id[r] = `w-${r}`;
  }
  const ones = new Uint8Array(n).fill(1);
  const nulls = <T>() => new Array<T | null>(n).fill(null);
  return {
    length: n,
    id,
    timestampMicros: ts,
    version: nulls<string>(),
    prediction,
    predictionNumber: { values: predictionNumber, valid: ones },
    score: { values: score, valid: ones },
    scores: nulls<Record<string, number>>(),
    label: nulls<string>(),
    labelNumber: { values: new Float64Array(n), valid: new Uint8Array(n) },
    invalid: nulls<Record<string, unknown>>(),
    violations: nulls<string[]>(),
    values: columns.map((c) =>
      c.name === 'plan'
        ? { kind: 'string' as const, values: plans }
        : { kind: 'number' as const, values: numbers[Number(c.name.slice(1))]!, valid: ones },
    ),
  };
}

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

describe('a large stationary window', () => {
  let server: TestServer;
  console.log(`stationary large window seed ${SEED}`);

  beforeAll(async () => {
    server = await startTestServer({
      monitoring: PROMPT_MONITORING,
    });
    const schema = {
      features: [
        ...Array.from({ length: NUMERIC }, (_, i) => ({ name: `x${i}`, type: 'numeric' })),
        { name: 'plan', type: 'categorical' },
      ],
      score_field: 'score',
      classes: ['0', '1'],
    };
    expect(
      (
        await server.api('/api/v1/models', {
          json: { name: 'steady', task: 'binary_classification', schema },
        })
      ).status,
    ).toBe(201);
    const random = createSeededRandom(SEED);
    const reference = Array.from({ length: REFERENCE_ROWS }, () => {
      const row = draw(random);
      return {
        features: { ...Object.fromEntries(row.x.map((v, i) => [`x${i}`, v])), plan: row.plan },
        prediction: row.score >= 0.5 ? 1 : 0,
        score: row.score,
        label: random.uniform() < row.score ? 1 : 0,
      };
    });
    expect((await server.api('/api/v1/models/steady/reference', { json: reference })).status).toBe(200);
  });
  afterAll(async () => server?.close());

  it('raises no drift, quality or estimated-performance alert', async () => {
    const model = (await server.store.getModel(1, 'steady'))!;
    const columns = await server.store.listColumns(model.id);
    const events = windowColumns(WINDOW_ROWS, T0, SEED + 1, columns);
    await server.store.insertPredictionColumns(model.id, columns, events);
    server.app.monitors.predictionsStored(model.id, events.timestampMicros);
    // Bounded by the test's timeout: evaluation is slower on a busy machine, never wrong.
    await waitForEvaluation(server, 'steady');

    const { body } = await json(
      await server.api(`/api/v1/models/steady/results?from=${new Date(T0).toISOString()}&limit=10000`),
    );
    const results = body.data as Json[];
    const drift = results.filter((r) => r.kind === 'feature_drift');
    expect(drift.length).toBe(NUMERIC + 1);
    expect(drift.every((r) => r.sample_size === WINDOW_ROWS)).toBe(true);
    expect(results.filter((r) => r.kind === 'prediction_drift').length).toBe(2);
    expect(results.filter((r) => r.kind === 'data_quality').length).toBeGreaterThan(0);
    const alerts = results
      .filter((r) => r.status === 'alert')
      .map((r) => `${r.kind} ${r.feature ?? ''} ${r.metric} ${r.value} > ${r.threshold_upper}`);
    expect(alerts).toEqual([]);
  }, 150_000);
});

/**
 * The dashboard's chart data over real HTTP: a model with reference data, two hours of traffic
 * (the second drifted) and late labels; the series, heat map and feature answers are checked
 * against what was sent.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  PROMPT_MONITORING,
  startTestServer,
  type TestServer,
  waitForEvaluation,
} from '../../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

const SEED = 20261202;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 2, 8);

function rows(n: number, seed: number, shift = 0, newCategory = 0) {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, (_, i) => {
    const x = random.normal() + shift;
    const country = random.uniform() < newCategory ? 'XX' : random.uniform() < 0.6 ? 'DE' : 'FR';
    const score = 1 / (1 + Math.exp(-2 * x));
    return {
      amount: i % 50 === 7 ? null : x,
      country,
      region: i % 2 === 0 ? 'eu' : 'us',
      score,
      prediction: score >= 0.5 ? 1 : 0,
      label: random.uniform() < score ? 1 : 0,
    };
  });
}

async function get(server: TestServer, path: string): Promise<{ status: number; body: Json }> {
  const response = await server.api(path);
  return { status: response.status, body: await response.json() };
}

describe('dashboard data', () => {
  let server: TestServer;
  console.log(`dashboard seed ${SEED}`);

  beforeAll(async () => {
    server = await startTestServer({
      monitoring: PROMPT_MONITORING,
    });
    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical' },
      ],
      segments: ['region'],
      score_field: 'score',
      classes: ['0', '1'],
    };
    await server.api('/api/v1/models', { json: { name: 'churn', task: 'binary_classification', schema } });
    expect((await server.api('/api/v1/models/churn/reference', { json: rows(2000, SEED) })).status).toBe(200);
    const record = (r: ReturnType<typeof rows>[number], i: number, t: number, tag: string) => ({
      id: `${tag}-${i}`,
      timestamp: new Date(t + i * 3000).toISOString(),
      version: tag === 'a' ? 'v1' : 'v2',
      features: { amount: r.amount, country: r.country },
      segments: { region: r.region },
      prediction: r.prediction,
      score: r.score,
    });
    const stable = rows(1000, SEED + 1);
    const drifted = rows(1000, SEED + 2, 1, 0.2);
    await server.api('/api/v1/models/churn/predictions', {
      json: stable.map((r, i) => record(r, i, T0, 'a')),
    });
    await server.api('/api/v1/models/churn/predictions', {
      json: drifted.map((r, i) => record(r, i, T0 + HOUR_MS, 'b')),
    });
    // Labels for the first hour only: the second is estimated, not measured.
    await server.api('/api/v1/models/churn/labels', {
      json: stable.slice(0, 800).map((r, i) => ({ id: `a-${i}`, label: r.label })),
    });
    await waitForEvaluation(server, 'churn', { maxPolls: 400 });
  });
  afterAll(async () => server?.close());

  const range = `from=${new Date(T0).toISOString()}&to=${new Date(T0 + 2 * HOUR_MS).toISOString()}`;

  it('answers traffic, label coverage, predictions, performance and quality at the requested resolution', async () => {
    const { status, body } = await get(server, `/api/v1/models/churn/series?${range}&points=12`);
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: 'churn', step_seconds: 600, task: 'binary_classification' });
    expect(body.traffic).toHaveLength(12);
    expect(body.traffic.reduce((s: number, p: Json) => s + p.predictions, 0)).toBe(2000);
    expect(body.traffic.reduce((s: number, p: Json) => s + p.labeled, 0)).toBe(800);
    // 200 predictions per 10 minutes; the first 800 (four buckets) are labelled.
    // 1,000 predictions 3 s apart per hour: 200 per 10 minutes for 50 minutes, then none.
    expect(body.traffic.map((p: Json) => p.predictions)).toEqual([
      200, 200, 200, 200, 200, 0, 200, 200, 200, 200, 200, 0,
    ]);
    expect(body.traffic.map((p: Json) => p.label_coverage)).toEqual([
      1,
      1,
      1,
      1,
      0,
      null,
      0,
      0,
      0,
      0,
      0,
      null,
    ]);
    expect(body.traffic[0].mean_score).toBeGreaterThan(0.3);
    const classTotal = body.predictions.classes.reduce((s: number, c: Json) => s + c.count, 0);
    expect(classTotal).toBe(2000);
    expect(body.predictions.histogram.edges).toHaveLength(21);
    expect(body.predictions.histogram.counts.reduce((a: number, b: number) => a + b, 0)).toBe(2000);
    expect(body.predictions.over_time).toHaveLength(12);
    expect(body.versions).toEqual(['v1', 'v2']);
    expect(body.segments).toEqual([{ name: 'region', values: ['eu', 'us'] }]);
    // Missing amounts are stored as nulls; the quality series counts violations by kind.
    expect(body.quality).toHaveLength(12);

    const measured = body.performance.filter((s: Json) => !s.estimated);
    const estimated = body.performance.filter((s: Json) => s.estimated);
    expect(measured.map((s: Json) => s.metric)).toContain('accuracy');
    const accuracy = measured.find((s: Json) => s.metric === 'accuracy');
    expect(accuracy.points[0]).toMatchObject({ start: new Date(T0).toISOString(), windows: 1 });
    expect(accuracy.points[0].value).toBeGreaterThan(0.5);
    const estimatedAccuracy = estimated.find((s: Json) => s.metric === 'accuracy');
    expect(estimatedAccuracy.points).toHaveLength(2);
    expect(estimatedAccuracy.points[1].band_lower).toBeLessThanOrEqual(estimatedAccuracy.points[1].value);
  });

  it('filters by version and segment, and keeps any range within the requested points', async () => {
    const v2 = await get(server, `/api/v1/models/churn/series?${range}&points=2&version=v2`);
    expect(v2.body.traffic.map((p: Json) => p.predictions)).toEqual([0, 1000]);
    const eu = await get(server, `/api/v1/models/churn/series?${range}&points=2&segment=region%3Deu`);
    expect(eu.body.traffic.map((p: Json) => p.predictions)).toEqual([500, 500]);
    // Monitor results exist only for all traffic: a segment has none until a monitor watches it.
    expect(eu.body.performance).toEqual([]);
    const decade = await get(
      server,
      '/api/v1/models/churn/series?from=2020-01-01T00:00:00Z&to=2030-01-01T00:00:00Z&points=100',
    );
    expect(decade.status).toBe(200);
    expect(decade.body.step_seconds).toBe(6 * 604_800);
    expect(decade.body.traffic.reduce((s: number, p: Json) => s + p.predictions, 0)).toBe(2000);
  });

  it('draws the drift heat map: features by windows, most drifted first', async () => {
    const { status, body } = await get(server, `/api/v1/models/churn/drift-map?${range}&points=500`);
    expect(status).toBe(200);
    // Cells are never narrower than the drift monitor's one-hour window.
    expect(body.step_seconds).toBe(3600);
    expect(body.buckets).toEqual([new Date(T0).toISOString(), new Date(T0 + HOUR_MS).toISOString()]);
    expect(body.features.map((f: Json) => f.feature).sort()).toEqual(['amount', 'country']);
    for (const row of body.features) {
      expect(row.statuses).toEqual(['ok', 'alert']);
      expect(row.ratios[1]).toBeGreaterThan(1);
      expect(row.ratios[0]).toBeLessThan(1);
      expect(row.scores[1] / row.thresholds[1]).toBeCloseTo(row.ratios[1], 9);
    }
    expect(body.features[0].max_ratio).toBeGreaterThanOrEqual(body.features[1].max_ratio);
  });

  it('compares a numeric feature with its reference on shared bins, with drift, quality and examples', async () => {
    const { status, body } = await get(server, `/api/v1/models/churn/features/amount?${range}&points=2`);
    expect(status).toBe(200);
    expect(body).toMatchObject({
      feature: 'amount',
      role: 'feature',
      type: 'numeric',
      reference_dataset: 'default',
    });
    const d = body.distribution;
    expect(d.kind).toBe('numeric');
    expect(d.edges).toHaveLength(25);
    expect(d.reference).toHaveLength(24);
    expect(d.reference.reduce((a: number, b: number) => a + b, 0) + d.reference_missing).toBe(2000);
    expect(d.current.reduce((a: number, b: number) => a + b, 0) + d.current_missing).toBe(2000);
    expect(d.current_missing).toBe(40);
    expect(body.drift[0]).toMatchObject({ monitor: 'feature-drift', metric: 'jensen_shannon' });
    expect(body.drift[0].points.map((p: Json) => p.status)).toEqual(['ok', 'alert']);
    expect(body.quality.map((q: Json) => q.missing)).toEqual([20, 20]);
    expect(body.examples).toHaveLength(8);
    expect(body.examples[0].id).toBe('b-999');
    expect(body.examples[0]).toHaveProperty('value');
  });

  it('draws the current distribution from one window when asked, with drift points no narrower than a window', async () => {
    const drifted = `current_from=${new Date(T0 + HOUR_MS).toISOString()}&current_to=${new Date(T0 + 2 * HOUR_MS).toISOString()}`;
    const { status, body } = await get(
      server,
      `/api/v1/models/churn/features/country?${range}&points=500&${drifted}`,
    );
    expect(status).toBe(200);
    expect(body.step_seconds).toBe(3600);
    expect(body.drift[0].points.map((p: Json) => p.status)).toEqual(['ok', 'alert']);
    const d = body.distribution;
    expect(d.current_rows).toBe(1000);
    expect([d.current_from, d.current_to]).toEqual([
      new Date(T0 + HOUR_MS).toISOString(),
      new Date(T0 + 2 * HOUR_MS).toISOString(),
    ]);
    // The drifted hour alone: its new category is a fifth of the window, not a tenth of the range.
    const xx = d.categories.indexOf('XX');
    expect(d.current[xx] / d.current_rows).toBeGreaterThan(0.15);
    const whole = await get(server, `/api/v1/models/churn/features/country?${range}`);
    expect(whole.body.distribution).toMatchObject({
      current_rows: 2000,
      current_from: new Date(T0).toISOString(),
      current_to: new Date(T0 + 2 * HOUR_MS).toISOString(),
    });
  });

  it('compares a categorical feature by category, unseen ones included', async () => {
    const { body } = await get(server, `/api/v1/models/churn/features/country?${range}`);
    const d = body.distribution;
    expect(d.kind).toBe('categorical');
    const xx = d.categories.indexOf('XX');
    expect(xx).toBeGreaterThanOrEqual(0);
    expect(d.reference[xx]).toBe(0);
    expect(d.current[xx]).toBeGreaterThan(100);
    const quality = body.quality.reduce((s: number, q: Json) => s + (q.violations.unseen_category ?? 0), 0);
    expect(quality).toBe(0); // no categories were declared, so none is unseen
  });

  it('answers bad requests with what to fix', async () => {
    const cases: [string, number, RegExp][] = [
      [`/api/v1/models/churn/series?from=2026-01-02&to=2026-01-01`, 400, /"from" must be before "to"/],
      [`/api/v1/models/churn/series?points=5000`, 400, /points/],
      [`/api/v1/models/churn/series?segment=region`, 400, /name=value/],
      [`/api/v1/models/churn/series?segment=planet%3Dmars`, 404, /no segment or column "planet"/],
      [`/api/v1/models/churn/drift-map?from=yesterday`, 400, /"from"/],
      [`/api/v1/models/churn/features/nope`, 404, /no feature "nope"/],
      [`/api/v1/models/churn/features/amount?dataset=nope`, 404, /no reference dataset "nope"/],
      [
        `/api/v1/models/churn/features/amount?current_from=2026-01-02&current_to=2026-01-01`,
        400,
        /current_to: must be after current_from \(2026-01-02T00:00:00.000Z\)/,
      ],
      [`/api/v1/models/churn/features/amount?current_from=soon`, 400, /"current_from"/],
      [`/api/v1/models/nope/series`, 404, /Model "nope" does not exist/],
    ];
    for (const [path, status, message] of cases) {
      const answer = await get(server, path);
      expect([path, answer.status]).toEqual([path, status]);
      expect(answer.body.message).toMatch(message);
    }
  });
});

/**
 * Champion / challenger over real HTTP. A fraud model: each request's true probability of fraud
 * is p; the label is drawn from it. Version 1 (the champion) serves every request with a noisy
 * score, version 2 shadows it with p itself (a truly better model), version 3 shadows it with
 * more noise (truly worse). Labels arrive for the first two thirds of the requests.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers, read field by field
type Json = any;

const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const HOUR = 3_600_000;
const REQUESTS = 1600;
const LABELLED = 1000;

/** Mulberry32: a fixed stream, so the data (and the answers) are the same on every run. */
function random(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const SEED = 20260302;

function dataset(seed: number, n: number) {
  const uniform = random(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
  const logistic = (x: number) => 1 / (1 + Math.exp(-x));
  return Array.from({ length: n }, () => {
    const logit = -0.8 + 1.8 * normal();
    const p = logistic(logit);
    const label = uniform() < p ? 1 : 0;
    // Noisy scores are recalibrated (shrunk) so that each stays calibrated: only ranking suffers.
    const noisy = (sd: number) => logistic((logit + sd * normal()) / Math.sqrt(1 + (sd * sd) / 3.24));
    return { p, label, champion: noisy(1.6), worse: noisy(3) };
  });
}

const rows = dataset(SEED, REQUESTS);
const reference = dataset(SEED + 1, 1000);
const round = (x: number) => Math.round(x * 1e6) / 1e6;
const predicted = (score: number) => (score >= 0.5 ? 1 : 0);

let server: TestServer;

async function call(path: string, init: { json?: unknown; method?: string } = {}) {
  const response = await server.api(path, init);
  return { status: response.status, body: (await response.json()) as Json };
}

async function compare(query: string) {
  return call(`/api/v1/models/fraud/compare?${query}`);
}

beforeAll(async () => {
  server = await startTestServer({}, { now: () => T0 + 48 * HOUR });
  expect(
    (await call('/api/v1/models', { json: { name: 'fraud', task: 'binary_classification' } })).status,
  ).toBe(201);
  for (const name of ['1', '2', '3']) {
    expect((await call('/api/v1/models/fraud/versions', { json: { name } })).status).toBe(201);
  }
  // Each version's reference data (its scores on a labelled validation set) calibrates its CBPE.
  for (const [version, scoreOf] of [
    ['1', (r: (typeof reference)[number]) => r.champion],
    ['2', (r: (typeof reference)[number]) => r.p],
    ['3', (r: (typeof reference)[number]) => r.worse],
  ] as const) {
    const uploaded = await call(
      `/api/v1/models/fraud/reference?version=${version}&dataset=validation-v${version}`,
      {
        json: reference.map((r, i) => ({
          id: `ref-${i}`,
          features: {},
          prediction: predicted(scoreOf(r)),
          score: round(scoreOf(r)),
          label: r.label,
        })),
      },
    );
    expect(uploaded.status).toBe(200);
  }
  // Requests spread over two days; version 1 serves them all.
  const at = (i: number) => new Date(T0 + Math.floor((i * 48 * HOUR) / REQUESTS)).toISOString();
  const served = await call('/api/v1/models/fraud/predictions', {
    json: rows.map((r, i) => ({
      id: `req-${i}`,
      timestamp: at(i),
      version: '1',
      features: {},
      prediction: predicted(r.champion),
      score: round(r.champion),
    })),
  });
  expect(served.body.accepted).toBe(REQUESTS);
  for (const [version, scoreOf] of [
    ['2', (r: (typeof rows)[number]) => r.p],
    ['3', (r: (typeof rows)[number]) => r.worse],
  ] as const) {
    const shadow = await call('/api/v1/models/fraud/shadow-predictions', {
      json: {
        version,
        predictions: rows.map((r, i) => ({
          id: `req-${i}`,
          timestamp: at(i),
          prediction: predicted(scoreOf(r)),
          score: round(scoreOf(r)),
        })),
      },
    });
    expect(shadow.body).toEqual({ accepted: REQUESTS, duplicates: 0 });
  }
  const labels = await call('/api/v1/models/fraud/labels', {
    json: rows.slice(0, LABELLED).map((r, i) => ({ id: `req-${i}`, label: r.label })),
  });
  expect(labels.body.accepted).toBe(LABELLED);
  await call('/api/v1/models/fraud/aliases/champion', { method: 'PUT', json: { version: '1' } });
  await call('/api/v1/models/fraud/aliases/challenger', { method: 'PUT', json: { version: '2' } });
});

afterAll(async () => {
  await server?.close();
});

const metric = (window: Json, name: string) => window.metrics.find((m: Json) => m.metric === name);

describe('GET /api/v1/models/{model}/compare', () => {
  it('finds the truly better challenger better on every labelled metric that separates them', async () => {
    const { status, body } = await compare(
      `a=champion&b=challenger&from=${T0}&to=${T0 + 48 * HOUR}&window=1d`,
    );
    expect(status).toBe(200);
    expect(body.a).toEqual({ version: '1', requested: 'champion', alias: 'champion' });
    expect(body.b).toEqual({ version: '2', requested: 'challenger', alias: 'challenger' });
    expect(body.positive_class).toBe('1');
    expect(body.overall.pairs).toBe(REQUESTS);
    expect(body.overall.labelled).toBe(LABELLED);
    expect(body.overall.agreement.rate).toBeGreaterThan(0.7);
    expect(body.overall.agreement.rate).toBeLessThan(1);

    const auc = metric(body.overall, 'roc_auc');
    expect(auc).toMatchObject({
      test: 'delong',
      status: 'ok',
      better: 'b',
      sampled: false,
      sample_size: LABELLED,
    });
    expect(auc.b).toBeGreaterThan(auc.a);
    expect(auc.difference).toBeCloseTo(auc.b - auc.a, 12);
    expect(auc.lower).toBeGreaterThan(0);
    expect(auc.p_value).toBeLessThan(0.001);

    const accuracy = metric(body.overall, 'accuracy');
    expect(accuracy).toMatchObject({ test: 'mcnemar', status: 'ok', better: 'b' });
    expect(accuracy.lower).toBeLessThan(accuracy.difference);
    expect(accuracy.upper).toBeGreaterThan(accuracy.difference);
    // Accuracy counts from the answer's data, recomputed here.
    const labelled = rows.slice(0, LABELLED);
    const accuracyOf = (score: (r: (typeof rows)[number]) => number) =>
      labelled.filter((r) => predicted(score(r)) === r.label).length / LABELLED;
    expect(accuracy.a).toBeCloseTo(
      accuracyOf((r) => round(r.champion)),
      12,
    );
    expect(accuracy.b).toBeCloseTo(
      accuracyOf((r) => round(r.p)),
      12,
    );
    for (const name of ['precision', 'recall', 'f1']) {
      expect(metric(body.overall, name)).toMatchObject({ test: 'paired_bootstrap', status: 'ok' });
    }
    expect(metric(body.overall, 'f1').difference).toBeGreaterThan(0);

    // Two days, two windows; the second is only partly labelled (labels reach request 999).
    expect(body.windows.map((w: Json) => [w.start, w.pairs])).toEqual([
      [new Date(T0).toISOString(), 800],
      [new Date(T0 + 24 * HOUR).toISOString(), 800],
    ]);
    expect(body.windows.map((w: Json) => w.labelled)).toEqual([800, 200]);
  });

  it('estimates both sides before labels arrive, close to what the labels later say', async () => {
    const { body } = await compare(`a=1&b=2&from=${T0}&to=${T0 + 48 * HOUR}`);
    const estimated = body.overall.estimated;
    expect(estimated).toMatchObject({ method: 'cbpe', status: 'ok' });
    expect(estimated.calibration).toContain('validation-v1');
    expect(estimated.b.accuracy).toBeGreaterThan(estimated.a.accuracy);
    // Calibrated scores: the estimate lands near the realized accuracy of all 1,600 requests.
    const realized = (score: (r: (typeof rows)[number]) => number) =>
      rows.filter((r) => predicted(score(r)) === r.label).length / REQUESTS;
    expect(Math.abs(estimated.a.accuracy - realized((r) => r.champion))).toBeLessThan(0.03);
    expect(Math.abs(estimated.b.accuracy - realized((r) => r.p))).toBeLessThan(0.03);
  });

  it('finds a truly worse challenger worse, and answers the same every time', async () => {
    const query = `a=champion&b=3&from=${T0}&to=${T0 + 48 * HOUR}`;
    const first = await compare(query);
    expect(first.status).toBe(200);
    const auc = metric(first.body.overall, 'roc_auc');
    expect(auc.better).toBe('a');
    expect(auc.upper).toBeLessThan(0);
    expect(metric(first.body.overall, 'accuracy').difference).toBeLessThan(0);
    expect((await compare(query)).body).toEqual(first.body);
    // Swapping the sides negates the differences and keeps the p-values.
    const swapped = (await compare(`a=3&b=champion&from=${T0}&to=${T0 + 48 * HOUR}`)).body;
    for (const name of ['accuracy', 'roc_auc']) {
      expect(metric(swapped.overall, name).difference).toBeCloseTo(
        -metric(first.body.overall, name).difference,
        12,
      );
      expect(metric(swapped.overall, name).p_value).toBeCloseTo(metric(first.body.overall, name).p_value, 12);
    }
  });

  it('reports too few labels per metric instead of failing', async () => {
    // The last hour has no labels at all.
    const { status, body } = await compare(`a=1&b=2&from=${T0 + 47 * HOUR}&to=${T0 + 48 * HOUR}`);
    expect(status).toBe(200);
    expect(body.overall.labelled).toBe(0);
    expect(body.overall.metrics.every((m: Json) => m.status === 'insufficient_data' && m.a === null)).toBe(
      true,
    );
    expect(body.overall.agreement.rate).not.toBeNull();
  });

  it('answers clear 4xx errors', async () => {
    const unknown = await compare('a=champion&b=staging');
    expect(unknown.status).toBe(404);
    expect(unknown.body.message).toContain('no version or alias "staging"');
    const same = await compare('a=champion&b=1');
    expect(same.status).toBe(400);
    expect(same.body.message).toContain('same version');
    const none = await compare(`a=1&b=2&from=${T0 - 48 * HOUR}&to=${T0 - 24 * HOUR}`);
    expect(none.status).toBe(422);
    expect(none.body.error).toBe('no_overlap');
    expect(none.body.message).toContain('shadow-predictions');
    expect((await compare(`a=1&b=2&from=${T0}&to=${T0 - 1}`)).status).toBe(400);
    const windows = await compare(`a=1&b=2&from=${T0 - 365 * 24 * HOUR}&to=${T0}&window=1m`);
    expect(windows.status).toBe(400);
    expect(windows.body.message).toContain('at most 500');
    expect((await compare('a=1')).status).toBe(400);
    expect((await compare('a=1&b=2&confidence=2')).status).toBe(400);
    expect((await call('/api/v1/models/nope/compare?a=1&b=2')).status).toBe(404);
  });
});

describe('POST /api/v1/models/{model}/shadow-predictions', () => {
  it('stores each id once per version, and refuses a bad record by its position', async () => {
    const again = await call('/api/v1/models/fraud/shadow-predictions', {
      json: { version: '2', predictions: [{ id: 'req-0', prediction: 1, score: 0.9 }] },
    });
    expect(again.body).toEqual({ accepted: 0, duplicates: 1 });
    const bad = await call('/api/v1/models/fraud/shadow-predictions', {
      json: {
        version: '2',
        predictions: [
          { id: 'x-1', prediction: 1 },
          { id: 'x-2', prediction: 1, timestamp: 'yesterday' },
        ],
      },
    });
    expect(bad.status).toBe(400);
    expect(bad.body.message).toContain('predictions[1] (id "x-2")');
    expect(
      (await call('/api/v1/models/fraud/shadow-predictions', { json: { version: '2', predictions: [] } }))
        .status,
    ).toBe(400);
  });
});

describe('promotion gated on live metrics', () => {
  const promote = (body: unknown) => call('/api/v1/models/fraud/aliases/champion/promote', { json: body });
  const live = { from: T0, to: T0 + 48 * HOUR, min_labelled: 500 };

  it('refuses a truly worse candidate and says which check failed with the numbers', async () => {
    const refused = await promote({
      version: '3',
      live,
      checks: [
        { metric: 'roc_auc', greater_is_better: true, source: 'live', require_significant: true },
        { metric: 'accuracy', greater_is_better: true, source: 'live_estimated', min_absolute_change: 0 },
      ],
    });
    expect(refused.status).toBe(409);
    expect(refused.body.error).toBe('promotion_refused');
    expect(refused.body.message).toMatch(
      /live roc_auc 0\.\d+ vs 0\.\d+ \(version 1\) on 1000 paired labels: difference -0\.\d+, 95% interval \[-0\.\d+, -0\.\d+\], p = .*not significantly better/,
    );
    expect(refused.body.message).toContain('estimated live accuracy');
    const significance = refused.body.details.find((d: Json) => d.check === 'significant_improvement');
    expect(significance).toMatchObject({
      source: 'live',
      passed: false,
      live: { pairs: REQUESTS, labelled: LABELLED },
    });
    expect(significance.live.upper).toBeLessThan(0);
    expect(
      (await call('/api/v1/models/fraud/aliases')).body.data.find((a: Json) => a.alias === 'champion')
        .version,
    ).toBe('1');
  });

  it('refuses when labels are too few or the candidate has no paired traffic in the period', async () => {
    const few = await promote({
      version: '2',
      live: { ...live, min_labelled: 5000 },
      checks: [{ metric: 'roc_auc', greater_is_better: true, source: 'live', min_absolute_change: 0 }],
    });
    expect(few.status).toBe(409);
    expect(few.body.message).toContain('1000 labelled pairs in the period, below the required 5000');
    const none = await promote({
      version: '2',
      live: { from: T0 - 48 * HOUR, to: T0 },
      checks: [{ metric: 'roc_auc', greater_is_better: true, source: 'live', threshold: 0.5 }],
    });
    expect(none.status).toBe(409);
    expect(none.body.message).toContain('predicted no common prediction id');
    const wrongMetric = await promote({
      version: '2',
      live,
      checks: [{ metric: 'rmse', greater_is_better: false, source: 'live', threshold: 1 }],
    });
    expect(wrongMetric.status).toBe(409);
    expect(wrongMetric.body.message).toContain('not a live metric of a binary_classification model');
    const badCheck = await promote({
      version: '2',
      checks: [{ metric: 'auc', greater_is_better: true, require_significant: true }],
    });
    expect(badCheck.status).toBe(400);
    expect(badCheck.body.message).toContain('require_significant needs source "live"');
  });

  it('promotes a truly better candidate that passes its labelled and estimated live checks', async () => {
    const promoted = await promote({
      version: '2',
      live,
      checks: [
        {
          metric: 'roc_auc',
          greater_is_better: true,
          source: 'live',
          require_significant: true,
          threshold: 0.7,
        },
        { metric: 'accuracy', greater_is_better: true, source: 'live_estimated', min_absolute_change: 0 },
      ],
    });
    expect(promoted.status).toBe(200);
    expect(promoted.body.current).toMatchObject({ alias: 'champion', version: '2' });
    expect(promoted.body.checks.map((c: Json) => [c.source, c.check, c.passed])).toEqual([
      ['live', 'threshold', true],
      ['live', 'significant_improvement', true],
      ['live_estimated', 'min_absolute_change', true],
    ]);
  });
});

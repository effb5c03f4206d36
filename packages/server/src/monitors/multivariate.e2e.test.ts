/**
 * Multivariate drift over real HTTP against a real server: a model with numeric features gets
 * the monitor by default, a window whose features keep their own distributions but whose
 * correlation flips is caught by it (and by the domain classifier) while every per-feature
 * test stays quiet; results carry the reference chunks' mean and spread, which a reference_band
 * rule's own k turns into a band; definitions that cannot work are refused naming the field.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ruleDefaults } from '../alerts/defaults.js';
import { recordWindow } from '../alerts/evaluate.js';
import type { MonitorResult } from '../domain/index.js';
import type { SeriesState } from '../storage/alerts.js';
import { PROMPT_MONITORING, startTestServer, type TestServer, waitForEvaluation } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

const SEED = 20261202;
const HOUR_MS = 3_600_000;
const T0 = Date.UTC(2026, 10, 3, 8);

/** x and y standard normal with correlation `rho`; z independent; a category independent of all. */
function rows(n: number, seed: number, rho: number) {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => {
    const x = random.normal();
    const y = rho * x + Math.sqrt(1 - rho * rho) * random.normal();
    const z = random.normal();
    const score = 1 / (1 + Math.exp(-(x + z)));
    return {
      x,
      y,
      z,
      plan: random.uniform() < 0.5 ? 'basic' : 'pro',
      score,
      prediction: score >= 0.5 ? 1 : 0,
    };
  });
}

/** A result as the API returns it, in the shape alert rules read. */
function asMonitorResult(r: Json, seq: number): MonitorResult {
  return {
    seq,
    modelId: 1,
    monitorId: 1,
    monitorKind: r.kind,
    version: r.version,
    segment: r.segment,
    windowStartMicros: Date.parse(r.window_start) * 1000,
    windowEndMicros: Date.parse(r.window_end) * 1000,
    feature: r.feature,
    metric: r.metric,
    value: r.value,
    thresholdLower: r.threshold_lower,
    thresholdUpper: r.threshold_upper,
    bandLower: r.band_lower,
    bandUpper: r.band_upper,
    sampleSize: r.sample_size,
    status: r.status,
    reason: r.reason ?? null,
    details: r.details,
    evaluatedAtMicros: 0,
  };
}

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

/**
 * Waits until no window is queued. Fitting the baselines (PCA, the domain classifier) takes a
 * few seconds alone but many times that on a machine busy with other test suites, so the wait
 * is bounded by the test's own timeout, not by a count of polls.
 */
const SETTLE_TIMEOUT_MS = 150_000;

describe('multivariate drift end to end', () => {
  let server: TestServer;
  console.log(`multivariate e2e seed ${SEED}`);

  beforeAll(async () => {
    server = await startTestServer({
      monitoring: PROMPT_MONITORING,
    });
    const schema = {
      features: [
        { name: 'x', type: 'numeric' },
        { name: 'y', type: 'numeric' },
        { name: 'z', type: 'numeric' },
        { name: 'plan', type: 'categorical' },
      ],
      score_field: 'score',
      classes: ['0', '1'],
    };
    const created = await server.api('/api/v1/models', {
      json: { name: 'credit', task: 'binary_classification', schema },
    });
    expect(created.status).toBe(201);
    const uploaded = await server.api('/api/v1/models/credit/reference', { json: rows(3000, SEED, 0.8) });
    expect(uploaded.status).toBe(200);
  });
  afterAll(async () => server?.close());

  it(
    'is a default monitor, and sees a correlation flip that no per-feature test sees',
    async () => {
      const monitors = await json(await server.api('/api/v1/models/credit/monitors'));
      const multivariate = monitors.body.data.find((m: Json) => m.name === 'multivariate-drift');
      expect(multivariate).toMatchObject({
        kind: 'multivariate_drift',
        is_default: true,
        config: { max_sample_rows: 5000, domain_classifier: false },
      });
      // A second monitor of the kind, with the domain classifier, over the two related features.
      const classifier = await server.api('/api/v1/models/credit/monitors', {
        json: {
          name: 'xy-classifier',
          config: {
            kind: 'multivariate_drift',
            features: ['x', 'y'],
            domain_classifier: true,
            max_sample_rows: 2000,
          },
        },
      });
      expect(classifier.status).toBe(201);

      const record = (r: ReturnType<typeof rows>[number], i: number, t: number, tag: string) => ({
        id: `${tag}-${i}`,
        timestamp: new Date(t + i * 1000).toISOString(),
        features: { x: r.x, y: r.y, z: r.z, plan: r.plan },
        prediction: r.prediction,
        score: r.score,
      });
      const stable = rows(1000, SEED + 1, 0.8).map((r, i) => record(r, i, T0, 'a'));
      const flipped = rows(1000, SEED + 2, -0.8).map((r, i) => record(r, i, T0 + HOUR_MS, 'b'));
      for (const batch of [stable, flipped]) {
        expect((await server.api('/api/v1/models/credit/predictions', { json: batch })).status).toBe(200);
      }
      await waitForEvaluation(server, 'credit');

      const statuses = async (query: string) =>
        (await json(await server.api(`/api/v1/models/credit/results?${query}`))).body.data as Json[];
      const reconstruction = await statuses('monitor=multivariate-drift&metric=reconstruction_error');
      expect(reconstruction.map((r) => [r.window_start, r.status])).toEqual([
        [new Date(T0).toISOString(), 'ok'],
        [new Date(T0 + HOUR_MS).toISOString(), 'alert'],
      ]);
      const [quiet, drifted] = reconstruction;
      expect(drifted.value).toBeGreaterThan(drifted.threshold_upper);
      expect(quiet.value).toBeLessThan(quiet.threshold_upper);
      expect(drifted.details).toMatchObject({
        features: ['x', 'y', 'z', 'plan'],
        current_rows: 1000,
        current_total_rows: 1000,
        baseline_rows: 3000,
        sampled: false,
        threshold_source: 'baseline',
      });
      expect(drifted.details.chunk_std).toBeGreaterThan(0);

      // A reference_band rule with its own k draws mean ± k·σ of the reference chunks the monitor
      // reports: a narrow band flags the quiet window too, a wide one only the drifted window.
      const verdicts = (k: number) => {
        const spec = { ...ruleDefaults(), type: 'reference_band' as const, severity: 'warning' as const, k };
        const state: SeriesState = {
          fingerprint: 'x',
          modelId: 1,
          ruleId: 1,
          windows: [],
          detector: null,
          lastFedMicros: null,
        };
        reconstruction.forEach((r, i) => {
          recordWindow(state, spec, asMonitorResult(r, i), 10);
        });
        return state.windows.map((w) => w.outcome);
      };
      const distance = Math.abs(quiet.value - quiet.details.chunk_mean) / quiet.details.chunk_std;
      expect(verdicts(distance / 2)).toEqual(['breach', 'breach']);
      expect(verdicts(distance * 2)).toEqual(['ok', 'breach']);
      // Per-feature drift and the other calibrated monitors report their chunks the same way.
      const amount = (await statuses('monitor=feature-drift&feature=x'))[0];
      expect(amount.details).toMatchObject({ chunk_mean: expect.any(Number), chunk_std: expect.any(Number) });

      const auc = await statuses('monitor=xy-classifier&metric=domain_classifier_auc');
      expect(auc.map((r) => r.status)).toEqual(['ok', 'alert']);
      expect(auc[1].details).toMatchObject({ current_rows: 1000, baseline_rows: 2000, sampled: true });
      expect(auc[1].value).toBeGreaterThan(0.65);

      // Every feature keeps its own distribution: univariate drift stays quiet in both windows.
      const perFeature = await statuses('monitor=feature-drift');
      expect(perFeature.length).toBe(8);
      expect(perFeature.filter((r) => r.status !== 'ok')).toEqual([]);
    },
    SETTLE_TIMEOUT_MS,
  );

  it('refuses definitions that cannot work, naming the field', async () => {
    const attempt = async (config: Record<string, unknown>) =>
      json(await server.api('/api/v1/models/credit/monitors', { json: { name: 'bad', config } }));
    const unknown = await attempt({ kind: 'multivariate_drift', features: ['x', 'nope'] });
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('features.1');
    const single = await attempt({ kind: 'multivariate_drift', features: ['x'] });
    expect(single.status).toBe(400);
    expect(single.body.message).toContain('features');
    const tooSmall = await attempt({ kind: 'multivariate_drift', max_sample_rows: 10 });
    expect(tooSmall.status).toBe(400);
    expect(tooSmall.body.message).toContain('max_sample_rows');
    const bounds = await attempt({ kind: 'multivariate_drift', threshold: { lower: 2, upper: 1 } });
    expect(bounds.status).toBe(400);
    expect(bounds.body.message).toContain('threshold.upper');
  });

  it(
    'reports a window below the minimum sample as insufficient data',
    async () => {
      const few = rows(50, SEED + 3, 0.8).map((r, i) => ({
        id: `c-${i}`,
        timestamp: new Date(T0 + 2 * HOUR_MS + i * 1000).toISOString(),
        features: { x: r.x, y: r.y, z: r.z, plan: r.plan },
        prediction: r.prediction,
        score: r.score,
      }));
      expect((await server.api('/api/v1/models/credit/predictions', { json: few })).status).toBe(200);
      await waitForEvaluation(server, 'credit');
      const results = await json(
        await server.api(
          '/api/v1/models/credit/results?monitor=multivariate-drift&metric=reconstruction_error',
        ),
      );
      const last = results.body.data.at(-1);
      expect(last).toMatchObject({ status: 'insufficient_data', sample_size: 50 });
      expect(last.reason).toContain('at least 100');
    },
    SETTLE_TIMEOUT_MS,
  );
});

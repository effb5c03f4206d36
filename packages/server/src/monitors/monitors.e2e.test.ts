/**
 * The monitoring loop over real HTTP against a real server: reference data creates the default
 * monitors, ingested windows are evaluated within moments, drift and data-quality problems show
 * as alerts in the results and the health summary, and late labels re-evaluate their windows.
 */
import { createSeededRandom } from '@vigil/stats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROMPT_MONITORING, startTestServer, type TestServer, waitForEvaluation } from '../testing/index.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

const SEED = 20261201;
const HOUR_MS = 3_600_000;
/** Two closed hours well in the past, so the windows are evaluated once and for all. */
const T0 = Date.UTC(2026, 10, 2, 8);

type Row = Record<string, unknown>;

function rows(
  n: number,
  seed: number,
  options: { shift?: number; newCategory?: number; flip?: number } = {},
): Row[] {
  const random = createSeededRandom(seed);
  return Array.from({ length: n }, () => {
    const x = random.normal() + (options.shift ?? 0);
    const category =
      options.newCategory && random.uniform() < options.newCategory
        ? 'XX'
        : random.uniform() < 0.6
          ? 'DE'
          : 'FR';
    const score = 1 / (1 + Math.exp(-2 * x));
    const label = random.uniform() < score ? 1 : 0;
    const prediction = score >= 0.5 ? 1 : 0;
    return {
      amount: x,
      country: category,
      score,
      prediction,
      label: options.flip && random.uniform() < options.flip ? 1 - label : label,
    };
  });
}

async function json(response: Response) {
  return { status: response.status, body: (await response.json()) as Record<string, Json> };
}

/** Evaluation runs in the background: wait (bounded) until no window is queued. */
const settle = (server: TestServer, model: string) => waitForEvaluation(server, model, { maxPolls: 200 });

describe('monitors end to end', () => {
  let server: TestServer;
  console.log(`monitors e2e seed ${SEED}`);

  beforeAll(async () => {
    server = await startTestServer({
      monitoring: PROMPT_MONITORING,
    });
  });
  afterAll(async () => server?.close());

  it('creates default monitors from reference data and alerts on a drifted window only', async () => {
    const schema = {
      features: [
        { name: 'amount', type: 'numeric' },
        { name: 'country', type: 'categorical' },
      ],
      score_field: 'score',
      classes: ['0', '1'],
    };
    expect(
      (await server.api('/api/v1/models', { json: { name: 'churn', task: 'binary_classification', schema } }))
        .status,
    ).toBe(201);
    const reference = rows(5000, SEED);
    const uploaded = await server.api('/api/v1/models/churn/reference', { json: reference });
    expect(uploaded.status).toBe(200);
    const monitors = await json(await server.api('/api/v1/models/churn/monitors'));
    expect(monitors.body.data.map((m: { name: string }) => m.name)).toEqual([
      'data-quality',
      'feature-drift',
      'prediction-drift',
      'label-drift',
      'performance',
      'estimated-performance',
      'traffic',
    ]);

    const record = (r: Row, i: number, t: number, tag: string) => ({
      id: `${tag}-${i}`,
      timestamp: new Date(t + i * 1000).toISOString(),
      features: { amount: r.amount, country: r.country },
      prediction: r.prediction,
      score: r.score,
    });
    const stable = rows(1000, SEED + 1).map((r, i) => record(r, i, T0, 'a'));
    const drifted = rows(1000, SEED + 2, { shift: 1, newCategory: 0.2 }).map((r, i) =>
      record(r, i, T0 + HOUR_MS, 'b'),
    );
    for (const batch of [stable, drifted]) {
      expect((await server.api('/api/v1/models/churn/predictions', { json: batch })).status).toBe(200);
    }
    await settle(server, 'churn');

    const drift = await json(await server.api('/api/v1/models/churn/results?monitor=feature-drift'));
    const byWindow = (feature: string) =>
      drift.body.data.filter((r: Row) => r.feature === feature).map((r: Row) => [r.window_start, r.status]);
    expect(byWindow('amount')).toEqual([
      [new Date(T0).toISOString(), 'ok'],
      [new Date(T0 + HOUR_MS).toISOString(), 'alert'],
    ]);
    expect(byWindow('country')).toEqual([
      [new Date(T0).toISOString(), 'ok'],
      [new Date(T0 + HOUR_MS).toISOString(), 'alert'],
    ]);
    const shifted = drift.body.data.find((r: Row) => r.feature === 'amount' && r.status === 'alert');
    expect(shifted).toMatchObject({ metric: 'jensen_shannon', sample_size: 1000 });
    expect(shifted.value).toBeGreaterThan(shifted.threshold_upper);

    const quality = await json(
      await server.api('/api/v1/models/churn/results?monitor=data-quality&metric=unseen_category_rate'),
    );
    expect(quality.body.data.map((r: Row) => r.status)).toEqual(['ok', 'alert']);
    expect(quality.body.data[1].details.unseen_categories[0]).toMatchObject({ category: 'XX' });

    const health = await json(await server.api('/api/v1/health'));
    expect(health.body.data).toEqual([
      expect.objectContaining({
        model: 'churn',
        status: 'alerting',
        alerting_monitors: expect.arrayContaining(['feature-drift']),
      }),
    ]);
  });

  it('re-evaluates performance when late labels arrive', async () => {
    const before = await json(
      await server.api('/api/v1/models/churn/results?monitor=performance&metric=accuracy'),
    );
    expect(before.body.data.map((r: Row) => r.status)).toEqual(['insufficient_data', 'insufficient_data']);
    // Labels for the first hour: mostly right, as in the reference.
    const truth = rows(1000, SEED + 1).map((r, i) => ({ id: `a-${i}`, label: r.label }));
    expect((await server.api('/api/v1/models/churn/labels', { json: truth })).status).toBe(200);
    // Labels for the second hour: the model is wrong on 40% of them.
    const wrong = rows(1000, SEED + 2, { shift: 1, newCategory: 0.2, flip: 0.4 }).map((r, i) => ({
      id: `b-${i}`,
      label: r.label,
    }));
    expect((await server.api('/api/v1/models/churn/labels', { json: wrong })).status).toBe(200);
    await settle(server, 'churn');
    const after = await json(
      await server.api('/api/v1/models/churn/results?monitor=performance&metric=accuracy'),
    );
    expect(after.body.data.map((r: Row) => r.status)).toEqual(['ok', 'alert']);
    expect(after.body.data[0].value).toBeGreaterThan(after.body.data[0].threshold_lower);
    // Estimated before the labels came, from scores alone: close to what the labels then showed
    // in the first hour (where the model is as calibrated as on the reference).
    const estimated = await json(
      await server.api('/api/v1/models/churn/results?monitor=estimated-performance&metric=accuracy'),
    );
    expect(estimated.body.data.map((r: Row) => r.status)).toEqual(['ok', 'ok']);
    expect(Math.abs(estimated.body.data[0].value - after.body.data[0].value)).toBeLessThan(0.04);
    expect(estimated.body.data[0].details).toMatchObject({ method: 'cbpe', positive_class: '1' });
    const coverage = await json(
      await server.api('/api/v1/models/churn/results?monitor=performance&metric=label_coverage'),
    );
    expect(coverage.body.data.map((r: Row) => r.value)).toEqual([1, 1]);
  });

  it('estimates performance for classes named otherwise than 0 and 1', async () => {
    // The positive class is the schema's last class when declared, and otherwise found in the
    // labels; the calibration must use that class's rows, whatever its name.
    for (const [model, negative, positive, classes] of [
      ['churn-named', 'stay', 'churn', ['stay', 'churn']],
      ['churn-undeclared', 'no', 'yes', undefined],
    ] as const) {
      const named = (r: Row): Row => ({
        ...r,
        prediction: r.prediction === 1 ? positive : negative,
        label: r.label === 1 ? positive : negative,
      });
      const schema = {
        features: [{ name: 'amount', type: 'numeric' }],
        score_field: 'score',
        ...(classes ? { classes } : {}),
      };
      const created = await server.api('/api/v1/models', {
        json: { name: model, task: 'binary_classification', schema },
      });
      expect(created.status).toBe(201);
      const reference = rows(5000, SEED).map(named);
      expect((await server.api(`/api/v1/models/${model}/reference`, { json: reference })).status).toBe(200);
      const window = rows(1000, SEED + 1).map(named);
      const batch = window.map((r, i) => ({
        id: `n-${i}`,
        timestamp: new Date(T0 + i * 1000).toISOString(),
        features: { amount: r.amount },
        prediction: r.prediction,
        score: r.score,
      }));
      expect((await server.api(`/api/v1/models/${model}/predictions`, { json: batch })).status).toBe(200);
      await settle(server, model);
      const realized = window.filter((r) => r.prediction === r.label).length / window.length;
      const estimated = await json(
        await server.api(`/api/v1/models/${model}/results?monitor=estimated-performance&metric=accuracy`),
      );
      expect(estimated.body.data).toHaveLength(1);
      expect(estimated.body.data[0].details).toMatchObject({ method: 'cbpe', positive_class: positive });
      expect(Math.abs(estimated.body.data[0].value - realized)).toBeLessThan(0.04);
    }
  });

  it('says a reference without scores leaves score drift and estimated performance without data', async () => {
    // Features and labels only, as a training set often is: the windows have scores and
    // predictions, the reference none to compare or calibrate them with.
    const schema = { features: [{ name: 'amount', type: 'numeric' }], score_field: 'score' };
    const created = await server.api('/api/v1/models', {
      json: { name: 'unscored-reference', task: 'binary_classification', schema },
    });
    expect(created.status).toBe(201);
    const reference = rows(2000, SEED).map((r) => ({ amount: r.amount, label: r.label }));
    const uploaded = await server.api('/api/v1/models/unscored-reference/reference', { json: reference });
    expect(uploaded.status).toBe(200);
    const batch = rows(500, SEED + 1).map((r, i) => ({
      id: `u-${i}`,
      timestamp: new Date(T0 + i * 1000).toISOString(),
      features: { amount: r.amount },
      prediction: r.prediction,
      score: r.score,
    }));
    expect((await server.api('/api/v1/models/unscored-reference/predictions', { json: batch })).status).toBe(
      200,
    );
    await settle(server, 'unscored-reference');
    const results = await json(await server.api('/api/v1/models/unscored-reference/results?limit=500'));
    const of = (monitor: string, feature?: string) =>
      results.body.data.filter(
        (r: Row) => r.monitor === monitor && (feature === undefined || r.feature === feature),
      );
    expect(of('prediction-drift', 'score').map((r: Row) => [r.status, r.reason])).toEqual([
      [
        'insufficient_data',
        expect.stringMatching(/^The baseline \(.*\) has no score values to compare with\.$/),
      ],
    ]);
    const estimated = of('estimated-performance');
    expect(estimated.length).toBeGreaterThan(0);
    for (const r of estimated) {
      expect(r.status).toBe('insufficient_data');
      expect(r.reason).toMatch(/has no labelled, scored rows to calibrate scores on/);
    }
    expect(results.body.data.filter((r: Row) => r.status === 'error')).toEqual([]);
  });

  it('refuses monitors that cannot work, naming the field', async () => {
    const unknown = await json(
      await server.api('/api/v1/models/churn/monitors', {
        json: { name: 'x', config: { kind: 'feature_drift', features: ['amount', 'nope'] } },
      }),
    );
    expect(unknown.status).toBe(400);
    expect(unknown.body.message).toContain('features.1');
    expect(unknown.body.message).toContain('"nope"');
    const badMethod = await json(
      await server.api('/api/v1/models/churn/monitors', {
        json: { name: 'x', config: { kind: 'feature_drift', methods: { country: 'ks' } } },
      }),
    );
    expect(badMethod.status).toBe(400);
    expect(badMethod.body.message).toContain('methods.country');
    const badWindow = await json(
      await server.api('/api/v1/models/churn/monitors', {
        json: { name: 'x', config: { kind: 'traffic', window: { size: '2h' } } },
      }),
    );
    expect(badWindow.status).toBe(400);
    expect(badWindow.body.message).toContain(
      'config.window: "2h" is not a window size: use one of 1m, 5m, 15m, 30m, 1h, 6h, 12h, 1d',
    );
    const shapeless = await json(
      await server.api('/api/v1/models/churn/monitors', {
        json: { name: 'x', config: { kind: 'traffic', window: { minutes: 5 } } },
      }),
    );
    expect(shapeless.status).toBe(400);
    expect(shapeless.body.message).toContain('config.window: a window is either {"size": one of 1m,');
    const custom = await json(
      await server.api('/api/v1/models/churn/monitors', {
        json: {
          name: 'mean-amount',
          config: {
            kind: 'custom_metric',
            metric: 'mean_amount',
            aggregate: 'mean',
            column: 'country',
            threshold: { upper: 1 },
          },
        },
      }),
    );
    expect(custom.status).toBe(400);
    expect(custom.body.message).toContain('numeric');
  });

  it('evaluates a custom metric over history when it is created, and again when edited', async () => {
    const created = await server.api('/api/v1/models/churn/monitors', {
      json: {
        name: 'mean-amount',
        config: {
          kind: 'custom_metric',
          metric: 'mean_amount',
          aggregate: 'mean',
          column: 'amount',
          threshold: { upper: 0.5 },
        },
      },
    });
    expect(created.status).toBe(201);
    await settle(server, 'churn');
    const results = await json(await server.api('/api/v1/models/churn/results?monitor=mean-amount'));
    expect(results.body.data.map((r: Row) => r.status)).toEqual(['ok', 'alert']);
    const edited = await server.api('/api/v1/models/churn/monitors/mean-amount', {
      method: 'PATCH',
      json: {
        config: {
          kind: 'custom_metric',
          metric: 'mean_amount',
          aggregate: 'mean',
          column: 'amount',
          threshold: { upper: 2 },
        },
      },
    });
    expect(edited.status).toBe(200);
    await settle(server, 'churn');
    const again = await json(await server.api('/api/v1/models/churn/results?monitor=mean-amount'));
    expect(again.body.data.map((r: Row) => [r.status, r.threshold_upper])).toEqual([
      ['ok', 2],
      ['ok', 2],
    ]);
  });

  it('watches fairness between the groups of a sensitive attribute', async () => {
    const schema = {
      features: [
        { name: 'income', type: 'numeric' },
        { name: 'group', type: 'categorical' },
      ],
      sensitive_attributes: ['group'],
    };
    expect(
      (await server.api('/api/v1/models', { json: { name: 'loans', task: 'binary_classification', schema } }))
        .status,
    ).toBe(201);
    const random = createSeededRandom(SEED + 9);
    const applicant = (approvalA: number, approvalB: number) => {
      const group = random.uniform() < 0.5 ? 'a' : 'b';
      const approved = random.uniform() < (group === 'a' ? approvalA : approvalB) ? 1 : 0;
      return { income: random.normal(), group, prediction: approved, label: approved };
    };
    const reference = Array.from({ length: 2000 }, () => applicant(0.5, 0.5));
    expect((await server.api('/api/v1/models/loans/reference', { json: reference })).status).toBe(200);
    const fair = Array.from({ length: 600 }, (_, i) => {
      const r = applicant(0.5, 0.48);
      return {
        id: `f${i}`,
        timestamp: new Date(T0 + i * 1000).toISOString(),
        features: { income: r.income, group: r.group },
        prediction: r.prediction,
      };
    });
    const unfair = Array.from({ length: 600 }, (_, i) => {
      const r = applicant(0.5, 0.2);
      return {
        id: `u${i}`,
        timestamp: new Date(T0 + HOUR_MS + i * 1000).toISOString(),
        features: { income: r.income, group: r.group },
        prediction: r.prediction,
      };
    });
    expect(
      (await server.api('/api/v1/models/loans/predictions', { json: [...fair, ...unfair] })).status,
    ).toBe(200);
    await settle(server, 'loans');
    const ratio = await json(
      await server.api('/api/v1/models/loans/results?monitor=fairness&metric=demographic_parity_ratio'),
    );
    expect(ratio.body.data.map((r: Row) => [r.feature, r.status])).toEqual([
      ['group', 'ok'],
      ['group', 'alert'],
    ]);
    expect(ratio.body.data[1].value).toBeLessThan(0.8);
    expect(ratio.body.data[1].details).toMatchObject({ lowest_group: 'b', highest_group: 'a' });
    const opportunity = await json(
      await server.api('/api/v1/models/loans/results?monitor=fairness&metric=equal_opportunity_difference'),
    );
    expect(opportunity.body.data.map((r: Row) => r.status)).toEqual([
      'insufficient_data',
      'insufficient_data',
    ]);
  });
});

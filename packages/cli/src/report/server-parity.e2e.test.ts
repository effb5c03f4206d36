/**
 * The report's numbers equal the server's: the same two files go to a real server (`vigil ingest`,
 * the reference as reference data, the current file as one hour of predictions with their labels)
 * and through `vigil report`; every drift value, threshold and decision, and the data-quality
 * rates, must agree.
 */
import { mkdtempSync } from 'node:fs';
import { readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  PROMPT_MONITORING,
  startTestServer,
  type TestServer,
  waitForEvaluation,
} from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { SAMPLE_HEADER, sampleRows, toCsv } from './report.test-support.js';
import type { ReportData } from './types.js';

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field in assertions
type Json = any;

/** A closed hour well in the past, so its window is evaluated once and for all. */
const T0 = Date.UTC(2026, 10, 2, 8);

const dir = mkdtempSync(join(tmpdir(), 'vigil-report-parity-'));
let server: TestServer;

beforeAll(async () => {
  server = await startTestServer({
    monitoring: PROMPT_MONITORING,
  });
});
afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** Evaluation runs in the background: wait (bounded) until no window is queued. */
const settle = (model: string) => waitForEvaluation(server, model, { maxPolls: 400 });

async function results(model: string, monitor: string): Promise<Json[]> {
  const response = await server.api(`/api/v1/models/${model}/results?monitor=${monitor}&limit=1000`);
  return ((await response.json()) as { data: Json[] }).data;
}

describe('vigil report and the server', () => {
  it('give the same drift values, thresholds and decisions for the same files', async () => {
    const reference = sampleRows({ rows: 3000, shift: 0, seed: 11 });
    const current = sampleRows({ rows: 800, shift: 0.6, seed: 12 });
    await writeFile(join(dir, 'train.csv'), toCsv(SAMPLE_HEADER, reference));
    await writeFile(
      join(dir, 'current.csv'),
      toCsv(
        [...SAMPLE_HEADER, 'id', 'timestamp'],
        current.map((r, i) => [...r, `c-${i}`, new Date(T0 + i * 1000).toISOString()]),
      ),
    );
    const created = await server.api('/api/v1/models', {
      json: { name: 'parity', task: 'binary_classification' },
    });
    expect(created.status).toBe(201);
    const columns = ['--label-column', 'y', '--prediction-column', 'y_hat', '--score-column', 'p'];
    const connection = ['--url', server.url, '--api-key', server.adminKey, '--model', 'parity'];
    const uploadReference = await runVigil(
      ['ingest', 'train.csv', '--kind', 'reference', ...connection, ...columns],
      {},
      dir,
    );
    expect(uploadReference.code, uploadReference.stderr).toBe(0);
    const uploadCurrent = await runVigil(['ingest', 'current.csv', ...connection, ...columns], {}, dir);
    expect(uploadCurrent.code, uploadCurrent.stderr).toBe(0);
    await settle('parity');

    const report = await runVigil(
      [
        'report',
        '--reference',
        'train.csv',
        '--current',
        'current.csv',
        '--target',
        'y',
        '--prediction',
        'y_hat',
        '--score',
        'p',
        '--out',
        'parity.html',
        '--json',
        'parity.json',
      ],
      {},
      dir,
    );
    expect(report.code, report.stderr).toBe(0);
    const json = JSON.parse(await readFile(join(dir, 'parity.json'), 'utf8')) as ReportData;

    const featureDrift = await results('parity', 'feature-drift');
    expect(featureDrift.length).toBe(json.drift.features.length);
    for (const entry of json.drift.features) {
      const server = featureDrift.find((r) => r.feature === entry.column);
      expect(server, entry.column).toBeDefined();
      expect([entry.column, entry.status, entry.method]).toEqual([
        entry.column,
        server.status,
        server.metric,
      ]);
      expect(entry.value).toBeCloseTo(server.value, 9);
      expect(entry.threshold).toBeCloseTo(server.threshold_upper, 9);
      expect(entry.current_size).toBe(server.sample_size);
    }
    // The shift must show on both sides, or the comparison proves little.
    expect(json.summary.drifted_features).toContain('age');

    const outputs = [
      ...(await results('parity', 'prediction-drift')),
      ...(await results('parity', 'label-drift')),
    ];
    for (const entry of json.drift.outputs) {
      const server = outputs.find((r) => r.feature === entry.column);
      expect(server, entry.column).toBeDefined();
      expect([entry.column, entry.status]).toEqual([entry.column, server.status]);
      expect(entry.value).toBeCloseTo(server.value, 9);
      expect(entry.threshold).toBeCloseTo(server.threshold_upper, 9);
    }
    expect(json.drift.outputs.map((o) => o.column).sort()).toEqual(['label', 'prediction', 'score']);

    // Performance with the labels, and the estimate from scores alone.
    for (const [monitor, section] of [
      ['performance', json.performance],
      ['estimated-performance', json.estimated_performance],
    ] as const) {
      expect(section, monitor).not.toBeNull();
      const serverResults = await results('parity', monitor);
      for (const entry of section!.metrics) {
        const server = serverResults.find((r) => r.metric === entry.metric);
        expect(server, `${monitor} ${entry.metric}`).toBeDefined();
        expect([monitor, entry.metric, entry.status]).toEqual([monitor, entry.metric, server.status]);
        expect(entry.value).toBeCloseTo(server.value, 9);
        expect(entry.threshold_lower).toBeCloseTo(server.threshold_lower, 9);
      }
    }

    // Multivariate drift: both sides see every row (fewer than the 5,000 sampled).
    const [multivariate] = await results('parity', 'multivariate-drift');
    expect(json.multivariate).not.toBeNull();
    expect(json.multivariate!.status).toBe(multivariate.status);
    expect(json.multivariate!.value).toBeCloseTo(multivariate.value, 9);
    expect(json.multivariate!.threshold_upper).toBeCloseTo(multivariate.threshold_upper, 9);

    const quality = await results('parity', 'data-quality');
    for (const entry of json.quality.entries) {
      const server = quality.find((r) => r.feature === entry.column && r.metric === entry.metric);
      expect(server, `${entry.column} ${entry.metric}`).toBeDefined();
      expect(entry.value).toBeCloseTo(server.value, 12);
      expect(entry.threshold).toBeCloseTo(server.threshold_upper, 12);
      expect(entry.status).toBe(server.status);
    }
  });

  it('give the same fairness numbers and decisions between the groups of a sensitive column', async () => {
    const reference = sampleRows({ rows: 3000, shift: 0, seed: 21 });
    // The model selects too few in the west: a demographic-parity alert on both sides.
    const yHat = SAMPLE_HEADER.indexOf('y_hat');
    const region = SAMPLE_HEADER.indexOf('region');
    const current = sampleRows({ rows: 800, shift: 0, seed: 22 }).map((r, i) =>
      r[region] === 'west' && i % 3 !== 0 ? r.with(yHat, 0) : r,
    );
    await writeFile(join(dir, 'fair-train.csv'), toCsv(SAMPLE_HEADER, reference));
    await writeFile(
      join(dir, 'fair-current.csv'),
      toCsv(
        [...SAMPLE_HEADER, 'id', 'timestamp'],
        current.map((r, i) => [...r, `f-${i}`, new Date(T0 + i * 1000).toISOString()]),
      ),
    );
    const schema = {
      features: [
        { name: 'age', type: 'numeric' },
        { name: 'income', type: 'numeric' },
        { name: 'plan', type: 'categorical' },
        { name: 'active', type: 'boolean' },
      ],
      prediction_field: 'y_hat',
      score_field: 'p',
      label_field: 'y',
      segments: ['region'],
      sensitive_attributes: ['region'],
    };
    const created = await server.api('/api/v1/models', {
      json: { name: 'parity-fairness', task: 'binary_classification', schema },
    });
    expect(created.status).toBe(201);
    const columns = [
      ...['--label-column', 'y', '--prediction-column', 'y_hat', '--score-column', 'p'],
      ...['--segment-columns', 'region'],
    ];
    const connection = ['--url', server.url, '--api-key', server.adminKey, '--model', 'parity-fairness'];
    for (const args of [['fair-train.csv', '--kind', 'reference'], ['fair-current.csv']]) {
      const upload = await runVigil(['ingest', ...args, ...connection, ...columns], {}, dir);
      expect(upload.code, upload.stderr).toBe(0);
    }
    await settle('parity-fairness');

    const report = await runVigil(
      [
        'report',
        ...['--reference', 'fair-train.csv', '--current', 'fair-current.csv'],
        ...['--target', 'y', '--prediction', 'y_hat', '--score', 'p', '--segment', 'region'],
        ...['--out', 'fairness.html', '--json', 'fairness.json'],
        ...['--fail-on', 'fairness'],
      ],
      {},
      dir,
    );
    expect(report.stderr).toBe('');
    const json = JSON.parse(await readFile(join(dir, 'fairness.json'), 'utf8')) as ReportData;
    expect(json.fairness).not.toBeNull();
    const serverFairness = await results('parity-fairness', 'fairness');
    expect(serverFairness.length).toBeGreaterThan(0);
    for (const entry of json.fairness!.metrics) {
      const server = serverFairness.find((r) => r.metric === entry.metric);
      expect(server, entry.metric).toBeDefined();
      expect([entry.metric, entry.status]).toEqual([entry.metric, server.status]);
      if (entry.value === null) expect(server.value).toBeNull();
      else expect(entry.value).toBeCloseTo(server.value, 9);
      expect(entry.sample_size).toBe(server.sample_size);
    }
    const ratio = json.fairness!.metrics.find((m) => m.metric === 'demographic_parity_ratio')!;
    expect(ratio.status).toBe('alert');
    expect(report.code, report.stderr).toBe(1);
    expect(json.summary.checks.fairness).toBe('fail');

    // The fairness monitor takes its share of the false-alarm budget on both sides alike.
    const featureDrift = await results('parity-fairness', 'feature-drift');
    expect(json.drift.features.map((f) => f.column).sort()).toEqual(['active', 'age', 'income', 'plan']);
    for (const entry of json.drift.features) {
      const server = featureDrift.find((r) => r.feature === entry.column);
      expect(server, entry.column).toBeDefined();
      expect(entry.status).toBe(server.status);
      expect(entry.value).toBeCloseTo(server.value, 9);
      expect(entry.threshold).toBeCloseTo(server.threshold_upper, 9);
    }
  });
});

/**
 * `vigil promote` against a real server: version 1 holds `champion` and serves every request,
 * wrong on every fourth; version 2 shadows it and is never wrong; version 3 shadows it and is
 * wrong on every second.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { VigilApi } from '@vigil/sdk';
import { startTestServer, type TestServer } from '@vigil/server/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVigil } from '../run-in-process.test-support.js';
import { seedChampionWithShadows } from '../shadow-pairs.test-support.js';
import { parseCheck } from './promote.js';

const dir = mkdtempSync(join(tmpdir(), 'vigil-promote-'));
const T0 = Date.UTC(2026, 2, 2, 0, 0, 0);
const PERIOD = ['--from', new Date(T0).toISOString(), '--to', new Date(T0 + 7_200_000).toISOString()];
let server: TestServer;
let api: VigilApi;
let env: Record<string, string>;
const vigil = (argv: string[]) => runVigil(argv, env, dir);

beforeAll(async () => {
  server = await startTestServer({ dataDir: join(dir, 'server') }, { now: () => T0 + 7_200_000 });
  env = { VIGIL_URL: server.url, VIGIL_API_KEY: server.adminKey };
  api = new VigilApi({ url: server.url, apiKey: server.adminKey, maxRetries: 0 });
  await seedChampionWithShadows(api, T0, { '2': () => false, '3': (i) => i % 2 === 0 });
});
afterAll(async () => {
  await server?.close();
  rmSync(dir, { recursive: true, force: true });
});

async function holderOfChampion(): Promise<string | undefined> {
  const response = await server.api('/api/v1/models/churn/aliases');
  const body = (await response.json()) as { data: { alias: string; version: string }[] };
  return body.data.find((a) => a.alias === 'champion')?.version;
}

describe('vigil promote', () => {
  it('refuses a worse candidate on live metrics with the numbers, exit code 1, and changes nothing', async () => {
    const run = await vigil([
      'promote',
      'churn',
      'champion',
      '3',
      '--live-check',
      'accuracy:higher:significant',
      ...PERIOD,
      '--min-labelled',
      '50',
    ]);
    expect(run.code, run.stderr).toBe(1);
    expect(run.stderr).toMatch(
      /^refused: Version 3 was not promoted to "champion": live accuracy 0\.5 vs 0\.75/,
    );
    expect(run.stderr).toContain('on 80 paired labels');
    expect(run.stdout).toMatch(
      /^SOURCE\s+METRIC\s+CHECK\s+CANDIDATE\s+HOLDER\s+REQUIRED\s+EVIDENCE\s+RESULT\n/,
    );
    expect(run.stdout).toMatch(
      /live\s+accuracy\s+significant_improvement\s+0\.5\s+0\.75\s+α 0\.05\s+80 labelled of 80 pairs, diff -0\.25, 95% CI \[-0\.\d+, -0\.\d+\], p \S+\s+FAIL\n/,
    );
    expect(await holderOfChampion()).toBe('1');

    const json = await vigil([
      'promote',
      'churn',
      'champion',
      '3',
      '--live-check',
      'accuracy:higher:threshold=0.7',
      ...PERIOD,
      '--min-labelled',
      '50',
      '--json',
    ]);
    expect(json.code).toBe(1);
    const refusal = JSON.parse(json.stdout);
    expect(refusal).toMatchObject({
      promoted: false,
      checks: [{ metric: 'accuracy', source: 'live', check: 'threshold', passed: false, candidate: 0.5 }],
    });
    expect(refusal.message).toContain('not promoted');
  });

  it('refuses when the labels are fewer than --min-labelled', async () => {
    const run = await vigil([
      'promote',
      'churn',
      'champion',
      '2',
      '--live-check',
      'accuracy:higher:significant',
      ...PERIOD,
    ]);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('80 labelled pairs in the period, below the required 100');
    expect(await holderOfChampion()).toBe('1');
  });

  it('promotes a better candidate once every check passes, run-metric checks included', async () => {
    const run = await vigil([
      'promote',
      'churn',
      'champion',
      '2',
      '--live-check',
      'accuracy:higher:significant,min-change=0.1',
      '--check',
      'accuracy:higher:min-change=0',
      ...PERIOD,
      '--min-labelled',
      '50',
      '--confidence',
      '0.9',
    ]);
    // The run-metric check has nothing to compare (no run metrics): it fails, nothing moves.
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('has no metric "accuracy"');
    const promoted = await vigil([
      'promote',
      'churn',
      'champion',
      '2',
      '--live-check',
      'accuracy:higher:significant,min-change=0.1',
      ...PERIOD,
      '--min-labelled',
      '50',
      '--confidence',
      '0.9',
    ]);
    expect(promoted.code, promoted.stderr).toBe(0);
    expect(promoted.stdout).toMatch(/^Promoted version 2 of churn to "champion"\.\n/);
    expect(promoted.stdout).toMatch(/live\s+accuracy\s+min_absolute_change\s+1\s+0\.75\s+0\.1\s+.*pass\n/);
    expect(promoted.stdout).toMatch(
      /live\s+accuracy\s+significant_improvement\s+.*90% CI \[\+0\.\d+, \+0\.\d+\].*pass\n/,
    );
    expect(await holderOfChampion()).toBe('2');
  });

  it('says what is wrong with a flag in one line, exit code 2', async () => {
    const cases: [string[], string][] = [
      [['--live-check', 'accuracy'], 'say whether higher or lower is better'],
      [['--live-check', 'accuracy:up:threshold=1'], 'say whether higher or lower is better'],
      [['--live-check', 'accuracy:higher'], 'give the conditions after the direction'],
      [['--live-check', 'accuracy:higher:threshold=high'], "threshold needs a number, got 'high'"],
      [['--live-check', 'accuracy:higher:best'], "unknown condition 'best'"],
      [['--check', 'auc:higher:significant'], 'significant needs a labelled paired test: use --live-check'],
      [['--check', 'auc:higher:threshold=1', '--from', '2026-03-01'], 'add a --live-check'],
      [['--live-check', 'accuracy:higher:significant', '--confidence', '2'], '--confidence must be'],
      [['--live-check', 'accuracy:higher:significant', '--min-labelled', '-1'], '--min-labelled must be'],
    ];
    for (const [flags, message] of cases) {
      const run = await vigil(['promote', 'churn', 'champion', '2', ...flags]);
      expect(run.code, flags.join(' ')).toBe(2);
      expect(run.stderr, flags.join(' ')).toContain(message);
    }
    const unknown = await vigil(['promote', 'churn', 'champion', '9']);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toContain('has no version "9"');
  });
});

describe('parseCheck', () => {
  it('reads every condition', () => {
    expect(
      parseCheck('--live-check', 'roc_auc:higher:threshold=0.8,min-change=0.01,significant', 'live'),
    ).toEqual({
      metric: 'roc_auc',
      greater_is_better: true,
      source: 'live',
      threshold: 0.8,
      min_absolute_change: 0.01,
      require_significant: true,
    });
    expect(parseCheck('--check', 'rmse:lower:min-relative-change=0.05', 'run')).toEqual({
      metric: 'rmse',
      greater_is_better: false,
      source: 'run',
      min_relative_change: 0.05,
    });
  });
});

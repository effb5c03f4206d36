import { describe, expect, it } from 'vitest';
import type { MonitorResult } from '../domain/index.js';
import type { SeriesState } from '../storage/alerts.js';
import { ruleDefaults } from './defaults.js';
import { recordWindow } from './evaluate.js';
import { matcherError, matches } from './matchers.js';

const HOUR = 3_600_000_000;
const result = (window: number, extra: Partial<MonitorResult> = {}): MonitorResult => ({
  seq: window + 1,
  modelId: 1,
  monitorId: 1,
  monitorKind: 'performance',
  version: null,
  segment: null,
  windowStartMicros: window * HOUR,
  windowEndMicros: (window + 1) * HOUR,
  feature: null,
  metric: 'accuracy',
  value: 0.9,
  thresholdLower: 0.85,
  thresholdUpper: 0.95,
  bandLower: null,
  bandUpper: null,
  sampleSize: 500,
  status: 'ok',
  reason: null,
  details: null,
  evaluatedAtMicros: 0,
  ...extra,
});
const state = (): SeriesState => ({
  fingerprint: 'x',
  modelId: 1,
  ruleId: 1,
  windows: [],
  detector: null,
  lastFedMicros: null,
});

describe('window verdicts', () => {
  it('reference_band: outside the calibrated band, or mean ± k·σ of the reference chunks', () => {
    const spec = { ...ruleDefaults(), type: 'reference_band' as const, severity: 'warning' as const };
    const s = state();
    recordWindow(s, spec, result(0, { value: 0.8 }), 5);
    recordWindow(s, spec, result(1, { value: 0.9 }), 5);
    expect(s.windows.map((w) => w.outcome)).toEqual(['breach', 'ok']);
    const withK = { ...spec, k: 1 };
    recordWindow(s, withK, result(2, { value: 0.9, details: { chunk_mean: 0.95, chunk_std: 0.02 } }), 5);
    expect(s.windows.at(-1)).toMatchObject({ outcome: 'breach', lower: 0.95 - 0.02, upper: 0.95 + 0.02 });
  });

  it('static: explicit thresholds, or the statuses the rule names; insufficient data says nothing', () => {
    const spec = { ...ruleDefaults(), type: 'static' as const, severity: 'critical' as const };
    const s = state();
    recordWindow(s, { ...spec, threshold: { lower: 0.92 } }, result(0), 5);
    recordWindow(s, { ...spec, on_status: ['warning'] }, result(1, { status: 'warning' }), 5);
    recordWindow(s, spec, result(2, { status: 'warning' }), 5);
    recordWindow(s, spec, result(3, { status: 'insufficient_data', value: null }), 5);
    expect(s.windows.map((w) => w.outcome)).toEqual(['breach', 'breach', 'ok', 'no_data']);
  });

  it('keeps the newest windows, replaces a re-evaluated one, and ignores one older than all it keeps', () => {
    const spec = { ...ruleDefaults(), type: 'static' as const, severity: 'critical' as const };
    const s = state();
    for (let w = 0; w < 4; w++) recordWindow(s, spec, result(w), 3);
    expect(s.windows.map((w) => w.startMicros / HOUR)).toEqual([1, 2, 3]);
    expect(recordWindow(s, spec, result(0, { status: 'alert' }), 3)).toBe(false);
    recordWindow(s, spec, result(2, { status: 'alert', seq: 99 }), 3);
    expect(s.windows.map((w) => w.outcome)).toEqual(['ok', 'breach', 'ok']);
  });
});

describe('matchers', () => {
  it('match labels as Alertmanager does: anchored regexes, absent labels as empty', () => {
    const labels = { model: 'fraud', feature: 'amount' };
    expect(matches({ label: 'feature', op: '=~', value: 'am.*' }, labels)).toBe(true);
    expect(matches({ label: 'feature', op: '=~', value: 'moun' }, labels)).toBe(false);
    expect(matches({ label: 'feature', op: '!~', value: 'age|income' }, labels)).toBe(true);
    expect(matches({ label: 'segment', op: '=', value: '' }, labels)).toBe(true);
    expect(matches({ label: 'model', op: '!=', value: 'fraud' }, labels)).toBe(false);
    expect(matcherError({ label: 'feature', op: '=~', value: '(' })).toMatch(
      /not a valid regular expression/,
    );
    expect(matcherError({ label: 'feature', op: '=', value: '(' })).toBeNull();
  });
});

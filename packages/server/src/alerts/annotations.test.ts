import { describe, expect, it } from 'vitest';
import type { AlertRuleSpec } from '../domain/index.js';
import type { SeriesWindow } from '../storage/alerts.js';
import { buildAnnotations } from './annotations.js';

const SPEC: AlertRuleSpec = {
  type: 'static',
  enabled: true,
  severity: 'warning',
  match: [],
  for_windows: { breaches: 1, of: 1 },
  labels: {},
  annotations: {},
  channels: [],
  group_by: ['model'],
  group_wait_seconds: 30,
  group_interval_seconds: 300,
  repeat_interval_seconds: 14_400,
};
const LABELS = { model: 'fraud', monitor: 'feature-drift', feature: 'amount', metric: 'jensen_shannon' };
const HOUR = 3_600_000_000;

function describeWindow(window: Partial<SeriesWindow>): string {
  const full: SeriesWindow = {
    startMicros: Date.UTC(2026, 11, 2, 19) * 1000,
    endMicros: Date.UTC(2026, 11, 2, 19) * 1000 + HOUR,
    seq: 1,
    value: 0.3077,
    lower: null,
    upper: 0.0972,
    outcome: 'breach',
    ...window,
  };
  return buildAnnotations(SPEC, LABELS, full, 'http://vigil.example').description!;
}

describe('alert descriptions', () => {
  it('read a one-sided threshold as above or below it, and two-sided ones as a range', () => {
    expect(describeWindow({})).toBe(
      'jensen_shannon of amount is 0.3077, above the threshold 0.0972, in window 2026-12-02T19:00:00.000Z – 2026-12-02T20:00:00.000Z.',
    );
    expect(describeWindow({ value: 0.05, outcome: 'ok' })).toContain(
      'is 0.05, at or below the threshold 0.0972,',
    );
    expect(describeWindow({ value: 0.61, lower: 0.83, upper: null })).toContain(
      'is 0.61, below the threshold 0.83,',
    );
    expect(describeWindow({ value: 0.9, lower: 0.83, upper: null, outcome: 'ok' })).toContain(
      'is 0.9, at or above the threshold 0.83,',
    );
    expect(describeWindow({ value: 7, lower: 1, upper: 5 })).toContain('is 7, outside [1, 5],');
  });
});

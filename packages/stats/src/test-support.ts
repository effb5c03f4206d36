/** Helpers for tests only: loading golden fixtures and comparing numbers. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';
import type { MetricEstimate } from './estimation/types.js';

const fixturesDir = new URL('../fixtures/golden/', import.meta.url);

/** Reads a golden fixture written by `scripts/golden/*.py`. */
export function loadGolden<T>(name: string): T {
  return JSON.parse(readFileSync(new URL(`${name}.json`, fixturesDir), 'utf8')) as T;
}

/** Asserts |actual - expected| <= tol * max(1, |expected|); NaN equals NaN, infinities must match. */
export function expectClose(actual: number, expected: number | null, tol = 1e-9, label = ''): void {
  const want = expected === null ? Number.NaN : expected;
  if (Number.isNaN(want)) {
    expect(actual, label).toBeNaN();
    return;
  }
  if (!Number.isFinite(want)) {
    expect(actual, label).toBe(want);
    return;
  }
  const scale = Math.max(1, Math.abs(want));
  const diff = Math.abs(actual - want);
  if (!(diff <= tol * scale)) {
    expect.fail(`${label}: expected ${want}, got ${actual} (|diff| ${diff} > ${tol * scale})`);
  }
}

/**
 * Asserts a test's statistic (within `statisticTol`, default 1e-9) and p-value (within 1e-9) against a
 * reference result; `label` names both in failures.
 */
export function expectStatisticAndP(
  actual: { statistic: number; pValue: number },
  expected: { statistic: number | null; pValue: number | null },
  label: string,
  statisticTol = 1e-9,
): void {
  expectClose(actual.statistic, expected.statistic, statisticTol, `${label} statistic`);
  expectClose(actual.pValue, expected.pValue, 1e-9, `${label} p-value`);
}

/** A window's estimate as a golden fixture holds it (`null` for NaN); some fixtures leave out the band. */
export interface GoldenEstimate {
  value: number | null;
  samplingError: number | null;
  upperConfidence?: number | null;
  lowerConfidence?: number | null;
  upperThreshold: number | null;
  lowerThreshold: number | null;
  alert: boolean;
}

/**
 * Asserts an estimate against a golden one: value, sampling error and band within `tol` (default 1e-9),
 * thresholds within 1e-9, the alert exactly. `withBand: false` is for fixtures that carry no band
 * (the multiclass one); otherwise a band missing from the fixture fails the test.
 */
export function expectEstimate(
  actual: MetricEstimate,
  expected: GoldenEstimate,
  label: string,
  tol = 1e-9,
  withBand = true,
): void {
  expectClose(actual.value, expected.value, tol, `${label} value`);
  expectClose(actual.samplingError, expected.samplingError, tol, `${label} sampling error`);
  if (withBand) {
    expect(expected.upperConfidence, `${label}: the fixture has no upper confidence`).not.toBeUndefined();
    expect(expected.lowerConfidence, `${label}: the fixture has no lower confidence`).not.toBeUndefined();
    expectClose(actual.upperConfidence, expected.upperConfidence ?? null, tol, `${label} upper confidence`);
    expectClose(actual.lowerConfidence, expected.lowerConfidence ?? null, tol, `${label} lower confidence`);
  }
  expectClose(actual.upperThreshold ?? Number.NaN, expected.upperThreshold, 1e-9, `${label} upper threshold`);
  expectClose(actual.lowerThreshold ?? Number.NaN, expected.lowerThreshold, 1e-9, `${label} lower threshold`);
  expect(actual.alert, `${label} alert`).toBe(expected.alert);
}

/** Helpers for tests only: loading golden fixtures and comparing numbers. */
import { readFileSync } from 'node:fs';
import { expect } from 'vitest';

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

import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../math/random.js';
import { expectClose } from '../test-support.js';
import { chiSquareContingencyDrift } from './chi-square.js';
import { detectColumnDrift, detectModelDrift } from './column-drift.js';
import { ksDrift } from './ks.js';
import { binnedCountsFromSamples } from './numeric-bins.js';
import { zTestDrift } from './z-test.js';

function normalSample(seed: number, n: number, shift = 0): Float64Array {
  const rng = createSeededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = rng.normal() + shift;
  return out;
}

function categorySample(seed: number, n: number, shares: Record<string, number>): string[] {
  const rng = createSeededRandom(seed);
  const names = Object.keys(shares);
  return Array.from({ length: n }, () => {
    let u = rng.uniform();
    for (const name of names) {
      u -= shares[name]!;
      if (u < 0) return name;
    }
    return names[names.length - 1]!;
  });
}

describe('detectColumnDrift', () => {
  it('runs the chi-square test on small categorical windows and lists category changes', () => {
    const reference = [...categorySample(1, 300, { a: 0.5, b: 0.3, c: 0.2 }), 'gone'];
    const current = [...categorySample(2, 200, { a: 0.5, b: 0.3, c: 0.2 }), 'fresh', null];
    const result = detectColumnDrift({ kind: 'categorical', reference, current });
    const direct = chiSquareContingencyDrift({
      reference: new Map(Object.entries(countOf(reference))),
      current: new Map(Object.entries(countOf(current))),
    });
    expect(result.method).toBe('chi_square_contingency');
    expectClose(result.pValue!, direct.pValue!, 1e-15, 'same as the direct call');
    expect(result.unseenInReference).toEqual(['fresh']);
    expect(result.missingInCurrent).toEqual(['gone']);
    expect(result.effectSize?.method).toBe('total_variation');
    expect(result.choice.reason).toContain('categorical column');
  });

  it('accepts aggregated counts and booleans', () => {
    const counts = { reference: { true: 120, false: 80 }, current: { true: 70, false: 90 } };
    const result = detectColumnDrift({ kind: 'boolean', counts });
    expect(result.method).toBe('z_test');
    expectClose(result.pValue!, zTestDrift(counts).pValue!, 1e-15, 'z-test');
    const raw = detectColumnDrift({
      kind: 'boolean',
      reference: [true, false, true],
      current: [false, false, true],
    });
    expect(raw.method).toBe('fisher_exact');
  });

  it('uses KS on small numeric windows and the normed Wasserstein distance on large ones', () => {
    const small = detectColumnDrift({
      kind: 'numeric',
      reference: normalSample(3, 800),
      current: normalSample(4, 500),
    });
    expect(small.method).toBe('ks');
    expectClose(small.pValue!, ksDrift(normalSample(3, 800), normalSample(4, 500)).pValue, 1e-15, 'KS');
    expect(small.effectSize?.method).toBe('wasserstein_normed');
    const large = detectColumnDrift({
      kind: 'numeric',
      reference: normalSample(5, 5000),
      current: normalSample(6, 3000, 0.3),
    });
    expect(large).toMatchObject({ method: 'wasserstein_normed', thresholdKind: 'distance', drifted: true });
  });

  it('compares numeric columns with few distinct values as categories', () => {
    const reference = Array.from({ length: 400 }, (_, i) => i % 3);
    const current = Array.from({ length: 300 }, (_, i) => (i % 4 === 0 ? 2 : i % 3));
    const result = detectColumnDrift({ kind: 'numeric', reference, current });
    expect(result).toMatchObject({ kind: 'numeric', method: 'chi_square_contingency' });
    expect(result.choice.compareAs).toBe('categorical');
  });

  it('takes binned numeric input, with bounds for infinite outer edges', () => {
    const binned = binnedCountsFromSamples(normalSample(7, 900), normalSample(8, 900, 0.5));
    const result = detectColumnDrift({ kind: 'numeric', binned, bounds: { lower: -5, upper: 5 } });
    expect(result).toMatchObject({ method: 'ks', drifted: true });
    expect(() => detectColumnDrift({ kind: 'numeric', binned })).toThrow(/infinite edge/);
    const psi = detectColumnDrift({ kind: 'numeric', binned }, { method: 'psi', threshold: 0.05 });
    expect(psi).toMatchObject({ method: 'psi', threshold: 0.05, drifted: true });
  });

  it('floors trivial but significant shifts on very large windows', () => {
    const reference = normalSample(9, 100_000);
    const current = normalSample(10, 100_000, 0.04);
    const forced = detectColumnDrift({ kind: 'numeric', reference, current }, { method: 'ks' });
    expect(forced.pValue!).toBeLessThan(1e-6);
    expect(forced.effectSize!.value).toBeLessThan(0.05);
    expect(forced.drifted).toBe(false);
    const noFloor = detectColumnDrift(
      { kind: 'numeric', reference, current },
      { method: 'ks', policy: { effectSizeFloors: false } },
    );
    expect(noFloor.drifted).toBe(true);
  });

  it('rejects methods that do not fit the column and empty windows', () => {
    expect(() =>
      detectColumnDrift({ kind: 'categorical', reference: ['a'], current: ['b'] }, { method: 'ks' }),
    ).toThrow(/does not apply/);
    expect(() => detectColumnDrift({ kind: 'numeric', reference: [Number.NaN], current: [1, 2] })).toThrow(
      RangeError,
    );
  });
});

describe('detectModelDrift', () => {
  it('adjusts p-values across columns and honours per-column overrides', () => {
    const result = detectModelDrift(
      {
        shifted: { kind: 'numeric', reference: normalSample(11, 500), current: normalSample(12, 400, 0.6) },
        stable: { kind: 'numeric', reference: normalSample(13, 500), current: normalSample(14, 400) },
        plan: { kind: 'categorical', counts: { reference: { a: 50, b: 50 }, current: { a: 52, b: 48 } } },
      },
      { columns: { plan: { method: 'l_infinity', threshold: 0.01 } } },
    );
    expect(result.driftedColumns).toEqual(['shifted', 'plan']);
    expect(result.columns.stable!.rawPValue).toBeDefined();
    expect(result.columns.stable!.pValue!).toBeGreaterThanOrEqual(result.columns.stable!.rawPValue!);
    expect(result.columns.plan!.method).toBe('l_infinity');
  });
});

function countOf(values: (string | null)[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const v of values) if (v !== null) out[v] = (out[v] ?? 0) + 1;
  return out;
}

import { describe, expect, it } from 'vitest';
import { chooseDriftMethod, DEFAULT_DRIFT_POLICY, resolveDriftPolicy } from './choose-method.js';

describe('chooseDriftMethod', () => {
  it('uses tests on small windows and distances on large ones', () => {
    const small = { referenceSize: 5000, currentSize: 800 };
    const large = { referenceSize: 5000, currentSize: 1001 };
    expect(chooseDriftMethod({ kind: 'numeric', ...small }).method).toBe('ks');
    expect(chooseDriftMethod({ kind: 'numeric', ...large }).method).toBe('wasserstein_normed');
    expect(chooseDriftMethod({ kind: 'categorical', categories: 4, ...small }).method).toBe(
      'chi_square_contingency',
    );
    expect(chooseDriftMethod({ kind: 'categorical', categories: 4, ...large }).method).toBe('jensen_shannon');
    expect(chooseDriftMethod({ kind: 'boolean', ...small }).method).toBe('z_test');
    expect(chooseDriftMethod({ kind: 'boolean', ...large }).method).toBe('jensen_shannon');
  });

  it('switches to Fisher when an expected count is small, and to categories for few distinct values', () => {
    const sizes = { referenceSize: 100, currentSize: 40 };
    expect(chooseDriftMethod({ kind: 'boolean', smallestExpectedCount: 2.5, ...sizes }).method).toBe(
      'fisher_exact',
    );
    expect(chooseDriftMethod({ kind: 'numeric', distinctValues: 4, ...sizes })).toMatchObject({
      method: 'chi_square_contingency',
      compareAs: 'categorical',
    });
    expect(chooseDriftMethod({ kind: 'numeric', distinctValues: 2, categories: 2, ...sizes }).method).toBe(
      'z_test',
    );
    expect(chooseDriftMethod({ kind: 'numeric', distinctValues: 6, ...sizes }).method).toBe('ks');
    // A boolean column whose windows hold a third value is compared as a categorical one.
    expect(chooseDriftMethod({ kind: 'boolean', categories: 3, ...sizes }).method).toBe(
      'chi_square_contingency',
    );
  });

  it('attaches thresholds, kinds and effect-size floors', () => {
    const test = chooseDriftMethod({ kind: 'numeric', referenceSize: 500, currentSize: 500 });
    expect(test).toMatchObject({
      threshold: 0.05,
      thresholdKind: 'p_value',
      effectSizeFloor: { method: 'wasserstein_normed', floor: 0.05 },
    });
    expect(test.reason).toContain('numeric column');
    const categorical = chooseDriftMethod({
      kind: 'categorical',
      categories: 3,
      referenceSize: 50,
      currentSize: 50,
    });
    expect(categorical.effectSizeFloor).toEqual({ method: 'total_variation', floor: 0.02 });
    const distance = chooseDriftMethod({ kind: 'numeric', referenceSize: 5000, currentSize: 5000 });
    expect(distance).toMatchObject({ threshold: 0.1, thresholdKind: 'distance' });
    expect(distance.effectSizeFloor).toBeUndefined();
  });

  it('takes policy overrides', () => {
    const choice = chooseDriftMethod(
      { kind: 'numeric', referenceSize: 5000, currentSize: 5000 },
      { largeSampleSize: 10_000, thresholds: { ks: 0.01 } as never, effectSizeFloors: false },
    );
    expect(choice).toMatchObject({ method: 'ks', threshold: 0.01 });
    expect(choice.effectSizeFloor).toBeUndefined();
    const policy = resolveDriftPolicy({ thresholds: { psi: 0.25 } as never });
    expect(policy.thresholds.psi).toBe(0.25);
    expect(policy.thresholds.ks).toBe(DEFAULT_DRIFT_POLICY.thresholds.ks);
  });
});

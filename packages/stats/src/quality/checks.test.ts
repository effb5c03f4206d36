import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { checkColumn } from './checks.js';
import { buildColumnProfile } from './profile.js';
import { summarizeWindow } from './window.js';

const rules = (issues: { rule: string }[]) => issues.map((i) => i.rule);

describe('buildColumnProfile', () => {
  it('profiles a numeric column', () => {
    const profile = buildColumnProfile('age', [30, 41, null, 25, '7', 41, Number.NaN], 'numeric');
    expect(profile).toEqual({
      name: 'age',
      type: 'numeric',
      count: 7,
      missingRate: 2 / 7,
      typeViolationRate: 1 / 5,
      min: 25,
      max: 41,
      distinctCount: 3,
    });
  });

  it('profiles categories as sorted string keys', () => {
    const profile = buildColumnProfile('plan', ['pro', 'free', 'pro', '', 'team'], 'categorical');
    expect(profile.categories).toEqual(['free', 'pro', 'team']);
    expect(profile.distinctCount).toBe(3);
    expect(profile.min).toBeUndefined();
  });
});

describe('checkColumn on raw windows', () => {
  const reference = buildColumnProfile(
    'income',
    Array.from({ length: 100 }, (_, i) => (i % 20 === 0 ? null : 1000 + i * 10)),
    'numeric',
  );

  it('raises nothing for a window like the reference', () => {
    const window = Array.from({ length: 50 }, (_, i) => (i % 20 === 0 ? null : 1010 + i * 15));
    expect(checkColumn(reference, summarizeWindow(window, reference))).toEqual([]);
  });

  it('flags a rise of missing values with its severity', () => {
    const window = Array.from({ length: 40 }, (_, i) => (i < 16 ? null : 1500));
    const issues = checkColumn(reference, summarizeWindow(window, reference));
    const missing = issues.find((i) => i.rule === 'missing_rate')!;
    expect(missing.severity).toBe('critical');
    expect(missing.value).toBeCloseTo(0.4 - 0.05, 12);
    expect(missing.message).toBe('40.0% of values are missing (reference 5.0%).');
  });

  it('flags type violations and out-of-range values', () => {
    const window = [1500, '1600', 1700, 5, 99_999, 1200, 1300, 1400, 1450, 1550];
    const issues = checkColumn(reference, summarizeWindow(window, reference));
    expect(rules(issues)).toEqual(['type_violation', 'out_of_range']);
    const range = issues[1]!;
    expect(range.value).toBeCloseTo(2 / 9, 12);
    expect(range.severity).toBe('critical');
    expect(range.message).toContain('[1010, 1990]');
    expect(range.message).toContain('window range [5, 99999]');
  });

  it('flags a constant window', () => {
    const issues = checkColumn(reference, summarizeWindow([1200, 1200, 1200], reference));
    expect(rules(issues)).toEqual(['constant_column']);
  });

  it('ignores an empty window', () => {
    expect(checkColumn(reference, summarizeWindow([], reference))).toEqual([]);
  });
});

describe('categorical checks', () => {
  const reference = buildColumnProfile(
    'country',
    ['fr', 'de', 'es', 'it', 'fr', 'de', 'nl', 'be'],
    'categorical',
  );

  it('reports unseen categories with the most frequent examples', () => {
    const window = ['fr', 'us', 'us', 'us', 'ca', 'de', 'br', 'br', 'mx', 'jp', 'kr', 'fr'];
    const issues = checkColumn(reference, summarizeWindow(window, reference), { maxExamples: 3 });
    const unseen = issues.find((i) => i.rule === 'unseen_category')!;
    expect(unseen.value).toBeCloseTo(9 / 12, 12);
    expect(unseen.severity).toBe('critical');
    expect(unseen.examples).toEqual([
      { category: 'us', count: 3 },
      { category: 'br', count: 2 },
      { category: 'ca', count: 1 },
    ]);
    // 8 distinct values against 6: within the default cardinality band.
    expect(rules(issues)).toEqual(['unseen_category']);
  });

  it('accepts pre-aggregated counts from SQL', () => {
    const issues = checkColumn(reference, {
      count: 1000,
      missingCount: 0,
      typeViolationCount: 0,
      categoryCounts: { fr: 990, xx: 10 },
    });
    expect(rules(issues)).toEqual(['unseen_category', 'cardinality_change']);
    expect(issues[0]!.severity).toBe('warning');
    expect(issues[1]!.value).toBeCloseTo(2 / 6, 12);
  });

  it('reads out-of-range counts from SQL aggregates', () => {
    const numeric = buildColumnProfile('x', [0, 10], 'numeric');
    const issues = checkColumn(numeric, {
      count: 200,
      missingCount: 0,
      typeViolationCount: 0,
      min: -1,
      max: 10,
      belowMinCount: 1,
      aboveMaxCount: 0,
    });
    expect(issues).toMatchObject([{ rule: 'out_of_range', severity: 'warning', value: 1 / 200 }]);
  });

  it('formats timestamp ranges as ISO dates', () => {
    const profile = buildColumnProfile('at', ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z'], 'timestamp');
    const issues = checkColumn(profile, summarizeWindow(['2025-01-01T00:00:00Z'], profile));
    expect(issues[0]!.message).toContain('2024-01-01T00:00:00.000Z');
  });
});

describe('properties', () => {
  const cell = fc.oneof(
    fc.integer({ min: -50, max: 50 }),
    fc.constant(null),
    fc.constant('x'),
    fc.constant(Number.NaN),
  );

  it('rates lie in [0, 1] and summaries add up', () => {
    fc.assert(
      fc.property(fc.array(cell, { maxLength: 80 }), fc.array(cell, { maxLength: 80 }), (ref, win) => {
        const profile = buildColumnProfile('c', ref, 'numeric');
        const summary = summarizeWindow(win, profile);
        expect(summary.missingCount + summary.typeViolationCount).toBeLessThanOrEqual(summary.count);
        for (const issue of checkColumn(profile, summary)) {
          if (issue.rule !== 'cardinality_change') expect(issue.value <= 1 && issue.value >= -1).toBe(true);
        }
      }),
      { numRuns: 200 },
    );
  });

  it('a window drawn from the reference values never leaves the range or violates more types', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 1, maxLength: 80 }), (ref) => {
        const profile = buildColumnProfile('c', ref, 'numeric');
        const issues = checkColumn(profile, summarizeWindow([...ref].reverse(), profile));
        expect(rules(issues).filter((r) => r === 'out_of_range' || r === 'type_violation')).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});

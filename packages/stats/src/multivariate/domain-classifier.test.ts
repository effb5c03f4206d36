import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../math/random.js';
import { domainClassifierDrift } from './domain-classifier.js';
import type { FeatureColumns } from './tabular.js';

/** Standard normal draws (Box–Muller) from a seeded generator. */
function normals(random: () => number, n: number): Float64Array {
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    out[i] = Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  }
  return out;
}

/** Three features; `correlation` ties the first two together, `shift` moves the third. */
function sample(seed: number, n: number, correlation: number, shift = 0): FeatureColumns {
  const random = mulberry32(seed);
  const a = normals(random, n);
  const noise = normals(random, n);
  const b = a.map((v, i) => correlation * v + Math.sqrt(1 - correlation ** 2) * noise[i]!);
  const c = normals(random, n).map((v) => v + shift);
  return { numeric: [a, b, c] };
}

describe('domainClassifierDrift', () => {
  it('finds no drift between samples of one distribution', () => {
    const result = domainClassifierDrift(sample(1, 2000, 0.8), sample(2, 2000, 0.8));
    expect(Math.abs(result.auc - 0.5)).toBeLessThan(0.05);
    expect(result.drifted).toBe(false);
  });

  it('finds a strong mean shift and attributes it to the shifted feature', () => {
    const result = domainClassifierDrift(sample(3, 2000, 0.8), sample(4, 2000, 0.8, 3));
    expect(result.auc).toBeGreaterThan(0.95);
    expect(result.drifted).toBe(true);
    const top = result.featureImportance.indexOf(Math.max(...result.featureImportance));
    expect(top).toBe(2);
    expect(result.featureImportance.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });

  it('finds a broken correlation even though every marginal is unchanged', () => {
    const result = domainClassifierDrift(sample(5, 2000, 0.9), sample(6, 2000, -0.9));
    expect(result.auc).toBeGreaterThan(0.8);
    expect(result.drifted).toBe(true);
  });

  it('handles categorical features and subsampling', () => {
    const random = mulberry32(9);
    const cats = (p: number, n: number) => Array.from({ length: n }, () => (random() < p ? 'a' : 'b'));
    const reference = { numeric: [normals(random, 3000)], categorical: [cats(0.2, 3000)] };
    const current = { numeric: [normals(random, 3000)], categorical: [cats(0.8, 3000)] };
    const result = domainClassifierDrift(reference, current, { maxRowsPerSample: 1000 });
    expect(result.referenceRows).toBe(1000);
    expect(result.auc).toBeGreaterThan(0.75);
  });

  it('is symmetric in reference and current', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 1000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (seed, shift) => {
          const x = sample(seed, 300, 0.5);
          const y = sample(seed + 1, 200, 0.5, shift);
          const forward = domainClassifierDrift(x, y);
          const backward = domainClassifierDrift(y, x);
          expect(Math.abs(forward.auc - backward.auc)).toBeLessThan(1e-9);
        },
      ),
      { numRuns: 10 },
    );
  });
});

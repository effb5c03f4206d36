import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createSeededRandom } from '../math/random.js';
import { accuracyScore } from '../performance/classification.js';
import { confusionMatrix } from '../performance/confusion-matrix.js';
import { pairedBootstrap } from './paired-bootstrap.js';

/** Mean of `values` over the rows at `indices`. */
const meanAt =
  (values: Float64Array) =>
  (indices: Uint32Array): number => {
    let total = 0;
    for (let i = 0; i < indices.length; i++) total += values[indices[i]!]!;
    return total / indices.length;
  };

/** Paired errors of two regression models sharing a row effect, B worse by `shift` on average. */
function pairedErrors(seed: number, n: number, shift: number): [Float64Array, Float64Array] {
  const rng = createSeededRandom(seed);
  const a = new Float64Array(n);
  const b = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    const shared = rng.normal() * 2;
    a[i] = shared + rng.normal() * 0.5;
    b[i] = shared + shift + rng.normal() * 0.5;
  }
  return [a, b];
}

describe('paired bootstrap', () => {
  it('is deterministic for a seed and changes with it', () => {
    const [a, b] = pairedErrors(1, 200, 0.1);
    const first = pairedBootstrap(200, meanAt(a), meanAt(b), { seed: 42, resamples: 500 });
    const again = pairedBootstrap(200, meanAt(a), meanAt(b), { seed: 42, resamples: 500 });
    const other = pairedBootstrap(200, meanAt(a), meanAt(b), { seed: 43, resamples: 500 });
    expect(again).toEqual(first);
    expect(other.lower).not.toBe(first.lower);
    expect(first.difference).toBeCloseTo(
      meanAt(a)(Uint32Array.from({ length: 200 }, (_, i) => i)) -
        meanAt(b)(Uint32Array.from({ length: 200 }, (_, i) => i)),
      14,
    );
  });

  it('keeps the pairing: the interval is as narrow as the paired differences, not the metrics', () => {
    const [a, b] = pairedErrors(2, 400, 0.2);
    const r = pairedBootstrap(400, meanAt(a), meanAt(b), { seed: 1, resamples: 1000 });
    let mean = 0;
    for (let i = 0; i < 400; i++) mean += a[i]! - b[i]!;
    mean /= 400;
    let ss = 0;
    for (let i = 0; i < 400; i++) ss += (a[i]! - b[i]! - mean) ** 2;
    const pairedSe = Math.sqrt(ss / 399 / 400);
    // sd of a − b is 0.5·√2 ≈ 0.71, while each metric alone has sd ≈ 2.06: unpaired resampling would be ~3 times wider.
    expect(r.standardError / pairedSe).toBeGreaterThan(0.85);
    expect(r.standardError / pairedSe).toBeLessThan(1.15);
    expect(r.pValue).toBeLessThan(0.01);
  });

  it('95% intervals cover the true difference about 95% of the time', () => {
    const trials = 120;
    let covered = 0;
    let rejected = 0;
    for (let t = 0; t < trials; t++) {
      const [a, b] = pairedErrors(1000 + t, 60, 0.3);
      const r = pairedBootstrap(60, meanAt(a), meanAt(b), { seed: t, resamples: 250 });
      if (r.lower <= -0.3 && -0.3 <= r.upper) covered++;
      const [c, d] = pairedErrors(5000 + t, 60, 0);
      if (pairedBootstrap(60, meanAt(c), meanAt(d), { seed: t, resamples: 250 }).pValue < 0.05) rejected++;
    }
    // Binomial(120, 0.95) stays within [105, 120] with probability > 0.999 (the percentile interval runs a
    // little short at n = 60, so the lower bound leaves room for that, not for a broken interval).
    expect(covered).toBeGreaterThanOrEqual(105);
    // Under no difference the test rejects about 5% of the time: Binomial(120, 0.05) <= 15 with probability > 0.999.
    expect(rejected).toBeLessThanOrEqual(15);
    expect(rejected).toBeGreaterThanOrEqual(1);
  });

  it('drops NaN resamples and counts them', () => {
    const labels = Float64Array.from([1, 0, 0, 0, 0, 0]);
    const onlyWithPositive = (indices: Uint32Array): number => {
      for (const i of indices) if (labels[i] === 1) return 1;
      return Number.NaN;
    };
    const r = pairedBootstrap(6, onlyWithPositive, () => 0.5, { resamples: 300, seed: 3 });
    expect(r.droppedResamples).toBeGreaterThan(0);
    expect(r.droppedResamples).toBeLessThan(300);
    expect(r.lower).toBe(0.5);
  });

  it('refuses bad options', () => {
    expect(() =>
      pairedBootstrap(
        0,
        () => 0,
        () => 0,
      ),
    ).toThrow(/sampleSize/);
    expect(() =>
      pairedBootstrap(
        3,
        () => 0,
        () => 0,
        { resamples: 0 },
      ),
    ).toThrow(/resamples/);
    expect(() =>
      pairedBootstrap(
        3,
        () => 0,
        () => 0,
        { confidence: 1 },
      ),
    ).toThrow(/confidence/);
  });

  it('swapping A and B negates the difference and interval and keeps p (any classification metric)', () => {
    const rows = fc.array(
      fc.tuple(
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
        fc.integer({ min: 0, max: 2 }),
      ),
      {
        minLength: 1,
        maxLength: 40,
      },
    );
    fc.assert(
      fc.property(rows, fc.integer({ min: 0, max: 1000 }), (data, seed) => {
        const y = data.map((r) => r[0]);
        const accuracyOf = (predictions: number[]) => (indices: Uint32Array) =>
          accuracyScore(
            confusionMatrix(
              Array.from(indices, (i) => y[i]!),
              Array.from(indices, (i) => predictions[i]!),
            ),
          );
        const a = accuracyOf(data.map((r) => r[1]));
        const b = accuracyOf(data.map((r) => r[2]));
        const options = { seed, resamples: 50 };
        const forward = pairedBootstrap(data.length, a, b, options);
        const backward = pairedBootstrap(data.length, b, a, options);
        expect(backward.difference + forward.difference).toBe(0);
        expect(backward.pValue).toBe(forward.pValue);
        expect(backward.lower).toBeCloseTo(-forward.upper, 12);
        expect(backward.upper).toBeCloseTo(-forward.lower, 12);
        expect(forward.pValue > 0 && forward.pValue <= 1).toBe(true);
      }),
      { numRuns: 100 },
    );
  });
});

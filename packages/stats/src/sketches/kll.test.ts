import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { KllSketch, kllRankErrorBound } from './kll.js';
import { sameBytes, seededSample, trueRankInterval } from './test-data.test-support.js';

const shapes = ['uniform', 'normal', 'pareto', 'ties'] as const;
const qs = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);

/** Largest distance between q and the true rank interval of the sketch's q-quantile. */
function worstQuantileRankError(sketch: KllSketch, sorted: Float64Array): number {
  let worst = 0;
  for (const q of qs) {
    const [lo, hi] = trueRankInterval(sorted, sketch.quantile(q));
    worst = Math.max(worst, q < lo ? lo - q : q > hi ? q - hi : 0);
  }
  return worst;
}

/** Largest |estimated rank - true rank| over probes at the true percentiles. */
function worstRankError(sketch: KllSketch, sorted: Float64Array): number {
  let worst = 0;
  for (const q of qs) {
    const x = sorted[Math.floor(q * (sorted.length - 1))]!;
    const [, hi] = trueRankInterval(sorted, x);
    worst = Math.max(worst, Math.abs(sketch.rank(x) - hi));
  }
  return worst;
}

const sampleArb = fc.record({
  n: fc.integer({ min: 1000, max: 100_000 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 }),
  shape: fc.constantFrom(...shapes),
});

describe('KllSketch', () => {
  it('states the DataSketches bounds: about 1.65% (all queries) and 1.33% (one query) at k = 200', () => {
    expect(kllRankErrorBound(200)).toBeCloseTo(0.0165, 3);
    expect(kllRankErrorBound(200, false)).toBeCloseTo(0.0133, 3);
  });

  it('keeps every quantile and rank within the k = 200 bound', () => {
    const bound = kllRankErrorBound(200);
    fc.assert(
      fc.property(sampleArb, ({ n, seed, shape }) => {
        const data = seededSample(n, seed, shape);
        const sketch = KllSketch.of(data, { seed });
        const sorted = Float64Array.from(data).sort();
        expect(sketch.count).toBe(n);
        expect(sketch.min).toBe(sorted[0]);
        expect(sketch.max).toBe(sorted[n - 1]);
        expect(worstQuantileRankError(sketch, sorted)).toBeLessThanOrEqual(bound);
        expect(worstRankError(sketch, sorted)).toBeLessThanOrEqual(bound);
        expect(sketch.retained).toBeLessThan(3 * 200 + 100);
      }),
      { numRuns: 12 },
    );
  });

  it('holds the bound for smaller k too (k = 50)', () => {
    const bound = kllRankErrorBound(50);
    fc.assert(
      fc.property(sampleArb, ({ n, seed, shape }) => {
        const data = seededSample(n, seed, shape);
        const sketch = KllSketch.of(data, { k: 50, seed });
        expect(worstQuantileRankError(sketch, Float64Array.from(data).sort())).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 12 },
    );
  });

  it('merge(sketch(a), sketch(b)) has the same bound against a ∪ b', () => {
    const bound = kllRankErrorBound(200);
    fc.assert(
      fc.property(sampleArb, sampleArb, fc.integer({ min: 2, max: 6 }), (a, b, parts) => {
        const left = seededSample(a.n, a.seed, a.shape);
        const right = seededSample(b.n, b.seed, 'normal');
        const merged = KllSketch.of(left, { seed: 7 });
        // Several shards for the right half, merged one by one.
        const step = Math.ceil(right.length / parts);
        for (let i = 0; i < right.length; i += step)
          merged.merge(KllSketch.of(right.subarray(i, i + step), { seed: i + 1 }));
        const union = new Float64Array(left.length + right.length);
        union.set(left);
        union.set(right, left.length);
        union.sort();
        expect(merged.count).toBe(union.length);
        expect(merged.min).toBe(union[0]);
        expect(merged.max).toBe(union[union.length - 1]);
        expect(worstQuantileRankError(merged, union)).toBeLessThanOrEqual(bound);
        expect(worstRankError(merged, union)).toBeLessThanOrEqual(bound);
      }),
      { numRuns: 8 },
    );
  });

  it('round-trips through bytes exactly and continues identically', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 1, max: 1000 }), (n, seed) => {
        const data = seededSample(n + 500, seed, 'normal');
        const sketch = KllSketch.of(data.subarray(0, n), { seed });
        const bytes = sketch.toBytes();
        const restored = KllSketch.fromBytes(bytes);
        expect(sameBytes(restored.toBytes(), bytes)).toBe(true);
        for (const x of data.subarray(n)) {
          sketch.add(x);
          restored.add(x);
        }
        expect(sameBytes(restored.toBytes(), sketch.toBytes())).toBe(true);
        expect(restored.quantile(0.5)).toBe(sketch.quantile(0.5));
      }),
      { numRuns: 25 },
    );
  });

  it('is exact while everything fits, ignores NaN, and is empty-safe', () => {
    const sketch = new KllSketch();
    expect(sketch.quantile(0.5)).toBeNaN();
    expect(sketch.rank(0)).toBeNaN();
    for (const x of [5, 1, Number.NaN, 3, 2, 4]) sketch.add(x);
    expect(sketch.count).toBe(5);
    expect(sketch.quantile(0.5)).toBe(3);
    expect(sketch.quantile(0.2)).toBe(1);
    expect(sketch.quantile(0.21)).toBe(2);
    expect(sketch.rank(3)).toBe(0.6);
    expect(sketch.weightBelow(3, false)).toBe(2);
    expect(sketch.merge(sketch).count).toBe(10);
  });

  it('rejects corrupt bytes and mismatched merges', () => {
    const bytes = KllSketch.of([1, 2, 3]).toBytes();
    expect(() => KllSketch.fromBytes(bytes.subarray(0, bytes.length - 1))).toThrow(RangeError);
    expect(() => KllSketch.fromBytes(new Uint8Array([1, 2, 3, 4]))).toThrow(TypeError);
    expect(() => new KllSketch({ k: 100 }).merge(new KllSketch({ k: 200 }))).toThrow(RangeError);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { HyperLogLog, hyperLogLogRelativeError } from './hyperloglog.js';
import { sameBytes } from './test-data.test-support.js';

function fill(sketch: HyperLogLog, prefix: string, from: number, to: number): HyperLogLog {
  for (let i = from; i < to; i++) sketch.add(`${prefix}-${i}`);
  return sketch;
}

describe('HyperLogLog', () => {
  it('documents 1.04 / sqrt(2^p): 0.81% at p = 14', () => {
    expect(hyperLogLogRelativeError(14)).toBeCloseTo(0.008125, 6);
  });

  it('estimates 10^3..10^5 distinct strings within 3 standard errors (p = 14)', () => {
    const bound = 3 * hyperLogLogRelativeError(14);
    fc.assert(
      fc.property(
        fc.integer({ min: 1000, max: 100_000 }),
        fc.string({ minLength: 1, maxLength: 6 }),
        (n, prefix) => {
          const sketch = fill(new HyperLogLog(), prefix, 0, n);
          // Repeats must not count.
          fill(sketch, prefix, 0, Math.min(n, 500));
          expect(Math.abs(sketch.estimate() / n - 1)).toBeLessThanOrEqual(bound);
        },
      ),
      { numRuns: 12 },
    );
  });

  it('stays within 3.5 standard errors across precisions and small to large ranges', () => {
    for (const p of [8, 10, 12]) {
      const bound = 3.5 * hyperLogLogRelativeError(p);
      for (const n of [10, 100, 1000, 5000, 50_000]) {
        const sketch = new HyperLogLog(p);
        for (let i = 0; i < n; i++) sketch.add(i * 1.5);
        const error = Math.abs(sketch.estimate() / n - 1);
        // Below a few registers' worth the count is nearly exact (linear-counting regime).
        expect(error, `p=${p} n=${n}`).toBeLessThanOrEqual(Math.max(bound, 2 / n));
      }
    }
  });

  it('merge is exactly the sketch of the union, and round-trips through bytes', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 20_000 }), fc.integer({ min: 0, max: 20_000 }), (a, b) => {
        const left = fill(new HyperLogLog(12), 'x', 0, a);
        const right = fill(new HyperLogLog(12), 'x', Math.floor(a / 2), Math.floor(a / 2) + b);
        const union = fill(new HyperLogLog(12), 'x', 0, Math.max(a, Math.floor(a / 2) + b));
        const merged = HyperLogLog.fromBytes(left.toBytes()).merge(right);
        expect(sameBytes(merged.toBytes(), union.toBytes())).toBe(true);
        expect(merged.estimate()).toBe(union.estimate());
      }),
      { numRuns: 15 },
    );
  });

  it('is 0 when empty and rejects bad input', () => {
    expect(new HyperLogLog().estimate()).toBe(0);
    expect(() => new HyperLogLog(3)).toThrow(RangeError);
    expect(() => new HyperLogLog(10).merge(new HyperLogLog(11))).toThrow(RangeError);
    const bytes = new HyperLogLog(4).toBytes();
    bytes[bytes.length - 1] = 200;
    expect(() => HyperLogLog.fromBytes(bytes)).toThrow(RangeError);
  });
});

// Property runs use the suite's fixed, printed fast-check seed (scripts/vitest/setup.ts).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sortFloat64 } from './float-sort.js';
import { createSeededRandom } from './random.js';

/** Values where an order on the bits goes wrong first: signs, zeros, infinities, subnormals, extremes. */
const EDGE_VALUES = [
  0,
  -0,
  Number.POSITIVE_INFINITY,
  Number.NEGATIVE_INFINITY,
  Number.MIN_VALUE,
  -Number.MIN_VALUE,
  Number.MAX_VALUE,
  -Number.MAX_VALUE,
  2.2250738585072014e-308, // smallest normal
  -2.2250738585072014e-308,
  2.225073858507201e-308, // largest subnormal
  1,
  -1,
  1 + Number.EPSILON,
  1 - Number.EPSILON / 2,
  -1 - Number.EPSILON,
  2 ** 52,
  2 ** 53,
  -(2 ** 53),
  0.1,
  -0.1,
];

const anyDouble = fc.double({ noNaN: true });
/** A small pool of values, edge values among them, so long arrays hold many ties across signs. */
const pool = fc.array(fc.oneof(fc.constantFrom(...EDGE_VALUES), anyDouble, fc.integer().map(Number)), {
  minLength: 1,
  maxLength: 40,
});
/** Lengths on both sides of the radix threshold (2048), up to several thousand. */
const length = fc.oneof(fc.integer({ min: 0, max: 20 }), fc.integer({ min: 2000, max: 6000 }));

function filledFrom(values: number[], n: number, seed: number): Float64Array {
  const random = createSeededRandom(seed);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = values[random.integer(values.length)]!;
  return out;
}

/** Element-wise identity, -0 and +0 told apart, reporting the first differing index. */
function firstDifference(actual: Float64Array, expected: Float64Array): number {
  if (actual.length !== expected.length) return -2;
  for (let i = 0; i < actual.length; i++) if (!Object.is(actual[i], expected[i])) return i;
  return -1;
}

describe('sortFloat64', () => {
  it('equals the built-in typed-array sort on adversarial samples (ties, signed zeros, infinities)', () => {
    fc.assert(
      fc.property(pool, length, fc.integer(), (values, n, fillSeed) => {
        const input = filledFrom(values, n, fillSeed);
        const expected = input.slice().sort();
        expect(firstDifference(sortFloat64(input.slice()), expected)).toBe(-1);
      }),
      { numRuns: 120 },
    );
  });

  it('equals the built-in sort on arbitrary doubles, including subarrays at any offset and a scratch buffer', () => {
    fc.assert(
      fc.property(
        fc.array(anyDouble, { minLength: 2048, maxLength: 4000 }),
        fc.integer({ min: 0, max: 7 }),
        fc.boolean(),
        (values, offset, withScratch) => {
          const backing = new Float64Array(values.length + offset + 3).fill(Number.NaN);
          backing.set(values, offset);
          const view = backing.subarray(offset, offset + values.length);
          const expected = Float64Array.from(values).sort();
          const scratch = withScratch ? new Float64Array(values.length + 5) : undefined;
          expect(firstDifference(sortFloat64(view, scratch), expected)).toBe(-1);
          // Values outside the view are untouched.
          for (let i = 0; i < offset; i++) expect(backing[i]).toBeNaN();
          for (let i = offset + values.length; i < backing.length; i++) expect(backing[i]).toBeNaN();
        },
      ),
      { numRuns: 40 },
    );
  });

  it('equals the built-in sort when many values share their high 32 bits (long runs ordered by the low word)', () => {
    // 1 + k * 2^-52 for k < 2^20 all share the high word of 1; mixed with their negatives and a few others.
    const ulpsAboveOne = fc.integer({ min: 0, max: 2 ** 20 - 1 }).map((k) => 1 + k * 2 ** -52);
    const sameHigh = fc.oneof(
      ulpsAboveOne,
      ulpsAboveOne.map((v) => -v),
      fc.constantFrom(...EDGE_VALUES),
    );
    fc.assert(
      fc.property(
        fc.array(sameHigh, { minLength: 1, maxLength: 3000 }),
        fc.integer({ min: 2048, max: 9000 }),
        fc.integer(),
        (values, n, fillSeed) => {
          const input = filledFrom(values, n, fillSeed);
          expect(firstDifference(sortFloat64(input.slice()), input.slice().sort())).toBe(-1);
        },
      ),
      { numRuns: 40 },
    );
    // One run of every length class: insertion (<= 16), built-in (< 2048) and radix on the low word.
    for (const runLength of [3, 16, 17, 500, 2047, 2048, 5000]) {
      const random = createSeededRandom(runLength);
      const input = new Float64Array(Math.max(4096, runLength + 100));
      for (let i = 0; i < input.length; i++) {
        input[i] = i < runLength ? 2 + random.integer(2 ** 20) * 2 ** -51 : 10 * random.normal();
      }
      expect(firstDifference(sortFloat64(input.slice()), input.slice().sort())).toBe(-1);
    }
  });

  it('sorts samples whose digits are constant in some passes (integers, one repeated value)', () => {
    const integers = filledFrom([-3, -2, -1, 0, 1, 2, 3, 1e6, -1e6], 5000, 7);
    expect(firstDifference(sortFloat64(integers.slice()), integers.slice().sort())).toBe(-1);
    const constant = new Float64Array(3000).fill(-0.5);
    expect(firstDifference(sortFloat64(constant.slice()), constant)).toBe(-1);
  });

  it('rejects a scratch buffer shorter than the values', () => {
    expect(() => sortFloat64(new Float64Array(4096), new Float64Array(10))).toThrow(/scratch/);
  });
});

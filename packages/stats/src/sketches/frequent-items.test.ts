import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Mulberry32 } from '../math/random.js';
import { FrequentItemsSketch } from './frequent-items.js';

/** A skewed (Zipf-like) stream of item names, seeded. */
function zipfStream(n: number, distinct: number, seed: number): string[] {
  const random = new Mulberry32(seed);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const u = (random.nextUint32() + 0.5) / 4294967296;
    out.push(`item-${Math.floor(distinct * u ** 3)}`);
  }
  return out;
}

function trueCounts(items: string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const item of items) counts.set(item, (counts.get(item) ?? 0) + 1);
  return counts;
}

/** Checks lower <= true <= upper for every item and maxError <= n / (k + 1). */
function checkBounds(sketch: FrequentItemsSketch, truth: Map<string, number>, n: number): void {
  expect(sketch.count).toBe(n);
  expect(sketch.maxError).toBeLessThanOrEqual(n / (sketch.capacity + 1));
  const violations: string[] = [];
  for (const [item, count] of truth) {
    const { lowerBound, upperBound } = sketch.estimate(item);
    if (lowerBound > count || upperBound < count)
      violations.push(`${item}: ${count} not in [${lowerBound}, ${upperBound}]`);
    if (count > n / (sketch.capacity + 1) && lowerBound === 0) violations.push(`${item}: heavy item dropped`);
  }
  expect(violations).toEqual([]);
}

const streamArb = fc.record({
  n: fc.integer({ min: 0, max: 10_000 }),
  distinct: fc.integer({ min: 1, max: 5000 }),
  seed: fc.integer({ min: 1, max: 2 ** 31 }),
  k: fc.integer({ min: 1, max: 64 }),
});

describe('FrequentItemsSketch (Misra–Gries)', () => {
  it('bounds every count: counter <= true <= counter + maxError, maxError <= n / (k + 1)', () => {
    fc.assert(
      fc.property(streamArb, ({ n, distinct, seed, k }) => {
        const items = zipfStream(n, distinct, seed);
        const sketch = new FrequentItemsSketch(k);
        for (const item of items) sketch.add(item);
        checkBounds(sketch, trueCounts(items), n);
        expect(sketch.topItems().length).toBeLessThanOrEqual(k);
      }),
      { numRuns: 25 },
    );
  });

  it('keeps the same guarantee after merging shards (against the union)', () => {
    fc.assert(
      fc.property(streamArb, fc.integer({ min: 2, max: 5 }), ({ n, distinct, seed, k }, shards) => {
        const items = zipfStream(n, distinct, seed);
        const step = Math.ceil(items.length / shards) || 1;
        const merged = new FrequentItemsSketch(k);
        for (let i = 0; i < items.length; i += step) {
          const shard = new FrequentItemsSketch(k);
          for (const item of items.slice(i, i + step)) shard.add(item);
          merged.merge(FrequentItemsSketch.fromBytes(shard.toBytes()));
        }
        checkBounds(merged, trueCounts(items), n);
      }),
      { numRuns: 30 },
    );
  });

  it('finds every heavy hitter and round-trips through bytes exactly', () => {
    const items = zipfStream(50_000, 10_000, 3);
    const sketch = new FrequentItemsSketch(50);
    for (const item of items) sketch.add(item);
    const truth = trueCounts(items);
    const found = new Set(sketch.heavyHitters(0.02).map((f) => f.item));
    for (const [item, count] of truth)
      if (count > 0.02 * items.length) expect(found.has(item), item).toBe(true);
    const restored = FrequentItemsSketch.fromBytes(sketch.toBytes());
    expect(restored.toBytes()).toEqual(sketch.toBytes());
    expect(restored.topItems(10)).toEqual(sketch.topItems(10));
  });

  it('is exact while the distinct items fit, including weights and non-ASCII names', () => {
    const sketch = new FrequentItemsSketch(4);
    sketch.add('é', 2.5);
    sketch.add('b');
    sketch.add('é');
    sketch.add('ignored', 0);
    expect(sketch.topItems()).toEqual([
      { item: 'é', lowerBound: 3.5, upperBound: 3.5 },
      { item: 'b', lowerBound: 1, upperBound: 1 },
    ]);
    expect(FrequentItemsSketch.fromBytes(sketch.toBytes()).estimate('é').lowerBound).toBe(3.5);
    expect(() => sketch.merge(new FrequentItemsSketch(5))).toThrow(RangeError);
  });
});

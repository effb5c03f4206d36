import { ByteReader, ByteWriter, writeHeader } from './bytes.js';

const TAG = 'FI';
const VERSION = 1;

/** One item's estimated frequency with guaranteed bounds. */
export interface FrequentItem {
  item: string;
  /** Misra–Gries counter: never above the true count. */
  lowerBound: number;
  /** Counter plus the sketch's maximum error: never below the true count. */
  upperBound: number;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/**
 * Frequent items by the Misra–Gries summary with at most `capacity` counters (k), mergeable as in
 * Agarwal et al., "Mergeable Summaries" (2012). For every item the counter c satisfies
 * c <= true count <= c + maxError, with maxError <= (n - sum of counters) / (k + 1) <= n / (k + 1),
 * where n is the total weight added (to this sketch or anything merged into it). Any item more
 * frequent than n / (k + 1) is therefore always kept.
 */
export class FrequentItemsSketch {
  readonly capacity: number;
  private counters = new Map<string, number>();
  private total = 0;
  private error = 0;

  constructor(capacity = 100) {
    if (!(Number.isInteger(capacity) && capacity >= 1))
      throw new RangeError('frequent items: capacity must be >= 1');
    this.capacity = capacity;
  }

  /** Total weight added. */
  get count(): number {
    return this.total;
  }

  /** Largest possible undercount of any item. */
  get maxError(): number {
    return this.error;
  }

  /** Adds `weight` (> 0) occurrences of `item`. */
  add(item: string, weight = 1): void {
    if (!(weight > 0)) return;
    this.total += weight;
    this.counters.set(item, (this.counters.get(item) ?? 0) + weight);
    if (this.counters.size > this.capacity) this.shrink();
  }

  /**
   * Subtracts the (k+1)-th largest counter from every counter and drops those that reach 0.
   * Each unit subtracted is charged to k + 1 distinct units of weight, which bounds the error.
   */
  private shrink(): void {
    const values = Float64Array.from(this.counters.values()).sort();
    const cut = values[values.length - 1 - this.capacity]!;
    this.error += cut;
    for (const [item, c] of this.counters) {
      if (c <= cut) this.counters.delete(item);
      else this.counters.set(item, c - cut);
    }
  }

  /** Bounds on the count of `item` (lower bound 0 when it is not tracked). */
  estimate(item: string): FrequentItem {
    const lowerBound = this.counters.get(item) ?? 0;
    return { item, lowerBound, upperBound: lowerBound + this.error };
  }

  /** Tracked items, most frequent first; at most `limit` of them. */
  topItems(limit = this.capacity): FrequentItem[] {
    return [...this.counters]
      .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0))
      .slice(0, limit)
      .map(([item, c]) => ({ item, lowerBound: c, upperBound: c + this.error }));
  }

  /**
   * Items that may exceed `fraction` of the total weight: no item above it is missed (no false
   * negatives); items between fraction * n - maxError and fraction * n may be included.
   */
  heavyHitters(fraction: number): FrequentItem[] {
    const threshold = fraction * this.total;
    return this.topItems(this.counters.size).filter((f) => f.upperBound > threshold);
  }

  merge(other: FrequentItemsSketch): this {
    if (other.capacity !== this.capacity)
      throw new RangeError('frequent items: cannot merge different capacities');
    const entries = [...other.counters];
    for (const [item, c] of entries) this.counters.set(item, (this.counters.get(item) ?? 0) + c);
    this.total += other.total;
    this.error += other.error;
    if (this.counters.size > this.capacity) this.shrink();
    return this;
  }

  /** Binary form: capacity, totals and UTF-8 items with their counters, in insertion order. */
  toBytes(): Uint8Array {
    const writer = new ByteWriter();
    writeHeader(writer, TAG, VERSION);
    writer.u32(this.capacity).f64(this.total).f64(this.error).u32(this.counters.size);
    for (const [item, c] of this.counters) {
      const utf8 = encoder.encode(item);
      writer.f64(c).u32(utf8.length).raw(utf8);
    }
    return writer.finish();
  }

  static fromBytes(bytes: Uint8Array): FrequentItemsSketch {
    const reader = new ByteReader(bytes);
    reader.header(TAG, VERSION);
    const sketch = new FrequentItemsSketch(reader.u32());
    sketch.total = reader.f64();
    sketch.error = reader.f64();
    const size = reader.u32();
    if (size > sketch.capacity) throw new RangeError('frequent items: more counters than capacity');
    for (let i = 0; i < size; i++) {
      const c = reader.f64();
      sketch.counters.set(decoder.decode(reader.raw(reader.u32())), c);
    }
    reader.end();
    return sketch;
  }
}

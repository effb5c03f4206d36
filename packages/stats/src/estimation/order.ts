/** Ordering helpers shared by the estimation and multivariate modules. */

/** Indices that sort `values` ascending (stable; NaN last). */
export function argsortAscending(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const index = new Uint32Array(n);
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    index[i] = i;
    if (Number.isNaN(values[i]!)) hasNaN = true;
  }
  if (!hasNaN) return radixArgsort(values, index);
  index.sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    if (va < vb) return -1;
    if (va > vb) return 1;
    if (Number.isNaN(va) !== Number.isNaN(vb)) return Number.isNaN(va) ? 1 : -1;
    return a - b;
  });
  return index;
}

/** Indices that sort rows by `primary`, then by `secondary` (both free of NaN), ascending and stable. */
export function argsortLexicographic(primary: ArrayLike<number>, secondary: ArrayLike<number>): Uint32Array {
  const index = new Uint32Array(primary.length);
  for (let i = 0; i < index.length; i++) index[i] = i;
  // a stable sort by the secondary key, then by the primary one, orders by (primary, secondary)
  return radixArgsort(primary, radixArgsort(secondary, index));
}

/**
 * Stable LSD radix sort of `order` by the NaN-free `values` (four 16-bit passes over an order-preserving
 * integer image of each double): O(n), and many times faster than a comparator sort on large samples.
 */
function radixArgsort(values: ArrayLike<number>, order: Uint32Array): Uint32Array {
  const n = order.length;
  // the counting passes only pay off on larger inputs; a comparator sort is stable too
  if (n < 4096) {
    const position = new Uint32Array(n);
    for (let k = 0; k < n; k++) position[order[k]!] = k;
    return order.sort((a, b) => values[a]! - values[b]! || position[a]! - position[b]!);
  }
  const keys = new Uint32Array(2 * n);
  const bits = new Float64Array(1);
  const words = new Uint32Array(bits.buffer);
  const highIndex = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
  for (let i = 0; i < n; i++) {
    const v = values[i]!;
    bits[0] = v === 0 ? 0 : v; // -0 sorts with +0
    let high = words[highIndex]!;
    let low = words[1 - highIndex]!;
    if (high & 0x80000000) {
      high = ~high >>> 0;
      low = ~low >>> 0;
    } else {
      high = (high | 0x80000000) >>> 0;
    }
    keys[2 * i] = low;
    keys[2 * i + 1] = high;
  }
  let source: Uint32Array = order;
  let target: Uint32Array = new Uint32Array(n);
  const counts = new Uint32Array(65537);
  for (let pass = 0; pass < 4; pass++) {
    const word = pass >> 1;
    const shift = (pass & 1) * 16;
    counts.fill(0);
    for (let k = 0; k < n; k++) counts[((keys[2 * source[k]! + word]! >>> shift) & 0xffff) + 1]!++;
    for (let d = 1; d < 65537; d++) counts[d]! += counts[d - 1]!;
    for (let k = 0; k < n; k++) {
      const item = source[k]!;
      target[counts[(keys[2 * item + word]! >>> shift) & 0xffff]!++] = item;
    }
    [source, target] = [target, source];
  }
  return source;
}

/** Rounds half to even at `decimals` places, as numpy's `round` does (scale, round to even, unscale). */
export function roundHalfEven(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  const scaled = value * scale;
  const floor = Math.floor(scaled);
  const diff = scaled - floor;
  let rounded: number;
  if (diff > 0.5) rounded = floor + 1;
  else if (diff < 0.5) rounded = floor;
  else rounded = floor % 2 === 0 ? floor : floor + 1;
  return rounded / scale;
}

/** Bounds `[start, end)` of consecutive windows of `size` rows; a shorter last window is kept (NannyML's default). */
export function windowBounds(length: number, size: number): Array<[number, number]> {
  if (!(size >= 1)) throw new RangeError(`window size must be at least 1, got ${size}`);
  const bounds: Array<[number, number]> = [];
  for (let start = 0; start < length; start += size) bounds.push([start, Math.min(length, start + size)]);
  return bounds;
}

/** Population mean and standard deviation of the finite values (NaN ignored, as numpy's nanmean / nanstd). */
export function nanMeanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let count = 0;
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) {
      count++;
      sum += v;
    }
  }
  if (count === 0) return { mean: Number.NaN, std: Number.NaN };
  const mean = sum / count;
  let squares = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isNaN(v)) squares += (v - mean) * (v - mean);
  }
  return { mean, std: Math.sqrt(squares / count) };
}

/** Stable argsorts of numeric keys. */

/**
 * Indices 0..n-1 ordered so that values[index] is ascending: stable for ties (-0 ties with +0), NaN
 * last in index order. Large NaN-free inputs use an O(n) radix sort.
 */
export function argsort(values: ArrayLike<number>): Uint32Array {
  const n = values.length;
  const order = new Uint32Array(n);
  let hasNaN = false;
  for (let i = 0; i < n; i++) {
    order[i] = i;
    if (Number.isNaN(values[i]!)) hasNaN = true;
  }
  if (!hasNaN) return radixArgsort(values, order);
  return order.sort((a, b) => {
    const va = values[a]!;
    const vb = values[b]!;
    if (va < vb) return -1;
    if (va > vb) return 1;
    if (Number.isNaN(va) !== Number.isNaN(vb)) return Number.isNaN(va) ? 1 : -1;
    return a - b;
  });
}

/** Indices that sort rows by `primary`, then by `secondary` (both free of NaN), ascending and stable. */
export function argsortLexicographic(primary: ArrayLike<number>, secondary: ArrayLike<number>): Uint32Array {
  const order = new Uint32Array(primary.length);
  for (let i = 0; i < order.length; i++) order[i] = i;
  // a stable sort by the secondary key, then by the primary one, orders by (primary, secondary)
  return radixArgsort(primary, radixArgsort(secondary, order));
}

/** Below this many items a comparator sort is faster than the radix passes. */
const RADIX_MIN_LENGTH = 4096;

/**
 * Stable sort of `order` (a permutation of 0..n-1) by the NaN-free `values`: four 16-bit LSD radix
 * passes over an order-preserving integer image of each double, O(n) and many times faster than a
 * comparator sort on large samples.
 */
function radixArgsort(values: ArrayLike<number>, order: Uint32Array): Uint32Array {
  const n = order.length;
  if (n < RADIX_MIN_LENGTH) {
    // A comparator sort, stable with respect to the incoming order.
    let identity = true;
    for (let k = 0; k < n && identity; k++) identity = order[k] === k;
    if (identity) return order.sort((a, b) => values[a]! - values[b]! || a - b);
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

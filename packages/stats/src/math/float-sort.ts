/**
 * Ascending sort of float64 values by an LSD radix sort on their IEEE-754 bits, in O(n).
 *
 * The order is exactly that of `Float64Array.prototype.sort` (numeric, -0 before +0, ±Infinity at
 * the ends) for NaN-free input; callers remove NaN first. Each double's bits are mapped to an
 * unsigned 64-bit key that orders like the value (negatives: every bit flipped; positives: the sign
 * bit set), digit by digit while counting and scattering, so no key array is stored. Six passes of
 * 11 bits keep the six count tables (48 KiB) in cache; a pass whose digit is the same for every value
 * (common: integers stored as doubles have zero low bits) is skipped. Many times faster than the
 * comparator-free built-in sort on samples of 10^5 values and more.
 */

const DIGIT_BITS = 11;
const RADIX = 1 << DIGIT_BITS;
const DIGIT_MASK = RADIX - 1;
const PASSES = 6; // ceil(64 / 11)

/** Below this many values the built-in sort wins over six counting passes. */
const RADIX_MIN_LENGTH = 2048;

/** Index of the high (sign and exponent) 32-bit word of a double in a Uint32Array view. */
const HIGH = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1 ? 1 : 0;
const LOW = 1 - HIGH;

/**
 * Sorts `values` ascending in place and returns it. `values` must hold no NaN (their place in the
 * result would be unspecified). `scratch`, at least as long as `values`, saves the one allocation
 * of a buffer the passes alternate with.
 */
export function sortFloat64(values: Float64Array, scratch?: Float64Array): Float64Array {
  const n = values.length;
  if (n < RADIX_MIN_LENGTH) return values.sort();
  if (scratch !== undefined && scratch.length < n) throw new RangeError('scratch is shorter than values');
  const counts = new Uint32Array(PASSES * RADIX);
  const bits = new Uint32Array(values.buffer, values.byteOffset, 2 * n);
  countDigits(bits, n, counts);
  let source = values;
  let target = scratch === undefined ? new Float64Array(n) : scratch.subarray(0, n);
  let sourceBits = bits;
  let targetBits = new Uint32Array(target.buffer, target.byteOffset, 2 * n);
  for (let pass = 0; pass < PASSES; pass++) {
    if (!toOffsets(counts, pass * RADIX, n)) continue;
    scatter(source, sourceBits, target, counts, pass);
    [source, target] = [target, source];
    [sourceBits, targetBits] = [targetBits, sourceBits];
  }
  if (source !== values) values.set(source);
  return values;
}

/** The digit of one pass from a double's two 32-bit words, through the order-preserving key. */
function digitOf(low: number, high: number, pass: number): number {
  const sign = high >> 31; // all ones for negative values
  const keyLow = low ^ sign;
  const keyHigh = high ^ (sign | 0x80000000);
  const shift = pass * DIGIT_BITS;
  if (shift + DIGIT_BITS <= 32) return (keyLow >>> shift) & DIGIT_MASK;
  if (shift >= 32) return (keyHigh >>> (shift - 32)) & DIGIT_MASK;
  return ((keyLow >>> shift) | (keyHigh << (32 - shift))) & DIGIT_MASK;
}

/** One read of the data counts every pass's digits. */
function countDigits(bits: Uint32Array, n: number, counts: Uint32Array): void {
  for (let i = 0; i < n; i++) {
    const high = bits[2 * i + HIGH]!;
    const sign = high >> 31;
    const keyLow = bits[2 * i + LOW]! ^ sign;
    const keyHigh = high ^ (sign | 0x80000000);
    counts[keyLow & DIGIT_MASK]!++;
    counts[RADIX + ((keyLow >>> 11) & DIGIT_MASK)]!++;
    counts[2 * RADIX + (((keyLow >>> 22) | (keyHigh << 10)) & DIGIT_MASK)]!++;
    counts[3 * RADIX + ((keyHigh >>> 1) & DIGIT_MASK)]!++;
    counts[4 * RADIX + ((keyHigh >>> 12) & DIGIT_MASK)]!++;
    counts[5 * RADIX + (keyHigh >>> 23)]!++;
  }
}

/** Turns one pass's digit counts into start offsets; false when every value has the same digit. */
function toOffsets(counts: Uint32Array, base: number, n: number): boolean {
  let start = 0;
  for (let d = base; d < base + RADIX; d++) {
    const count = counts[d]!;
    if (count === n) return false;
    counts[d] = start;
    start += count;
  }
  return true;
}

/** Moves every double to its place by one digit, stably. */
function scatter(
  source: Float64Array,
  sourceBits: Uint32Array,
  target: Float64Array,
  counts: Uint32Array,
  pass: number,
): void {
  const base = pass * RADIX;
  const n = source.length;
  const shift = pass * DIGIT_BITS;
  // One loop per digit position keeps the hot loop free of branches on the pass.
  if (shift + DIGIT_BITS <= 32) {
    for (let i = 0; i < n; i++) {
      const sign = sourceBits[2 * i + HIGH]! >> 31;
      const digit = ((sourceBits[2 * i + LOW]! ^ sign) >>> shift) & DIGIT_MASK;
      target[counts[base + digit]!++] = source[i]!;
    }
  } else if (shift >= 32) {
    const highShift = shift - 32;
    for (let i = 0; i < n; i++) {
      const high = sourceBits[2 * i + HIGH]!;
      const digit = ((high ^ ((high >> 31) | 0x80000000)) >>> highShift) & DIGIT_MASK;
      target[counts[base + digit]!++] = source[i]!;
    }
  } else {
    for (let i = 0; i < n; i++) {
      const digit = digitOf(sourceBits[2 * i + LOW]!, sourceBits[2 * i + HIGH]!, pass);
      target[counts[base + digit]!++] = source[i]!;
    }
  }
}

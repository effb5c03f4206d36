/**
 * Decimal text straight from a file's bytes into a double, without making a string.
 *
 * Only the common shape is handled here: an optional sign, digits with an optional point, an
 * optional exponent (`-12.5`, `.5`, `3.`, `1e-7`, `007`). Within it, Clinger's fast path gives the
 * correctly rounded double, the same one `Number()` gives: with at most 15 significant digits the
 * digits are an exact integer below 2^53, and 10^k for |k| <= 22 is exact too, so one correctly
 * rounded multiplication or division rounds once, like the full algorithm. Everything else
 * (more digits, larger exponents, spaces, hex, `Infinity`, words) answers `NOT_FAST`, and the
 * caller reads the cell as text with `Number()`, so every value is bit-identical to that path.
 */

/** The answer of `parseDecimal` when the bytes are not in its fast shape (not necessarily invalid). */
export const NOT_FAST = Number.NaN;

const EXACT_POWERS_OF_TEN = Array.from({ length: 23 }, (_, k) => 10 ** k);
const MAX_FAST_DIGITS = 15;
const MAX_FAST_EXPONENT = 22;

const ZERO = 48;
const NINE = 57;
const PLUS = 43;
const MINUS = 45;
const POINT = 46;
const LOWER_E = 101;
const UPPER_E = 69;

/**
 * The double that `Number()` gives for the text in `bytes[start, end)`, or `NOT_FAST` (NaN) when the
 * text is not a short plain decimal. NaN is never a fast answer, so it is safe as the marker.
 */
export function parseDecimal(bytes: Uint8Array, start: number, end: number): number {
  let p = start;
  if (p >= end) return NOT_FAST;
  let negative = false;
  let c = bytes[p]!;
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    if (++p >= end) return NOT_FAST;
    c = bytes[p]!;
  }
  let mantissa = 0;
  let significant = 0;
  let digits = 0;
  let scale = 0;
  // Integer part.
  while (p < end) {
    c = bytes[p]!;
    if (c < ZERO || c > NINE) break;
    if (significant > 0 || c !== ZERO) {
      mantissa = mantissa * 10 + (c - ZERO);
      significant++;
    }
    digits++;
    p++;
  }
  // Fraction.
  if (p < end && bytes[p] === POINT) {
    p++;
    while (p < end) {
      c = bytes[p]!;
      if (c < ZERO || c > NINE) break;
      if (significant > 0 || c !== ZERO) {
        mantissa = mantissa * 10 + (c - ZERO);
        significant++;
      }
      digits++;
      scale--;
      p++;
    }
  }
  if (digits === 0 || significant > MAX_FAST_DIGITS) return NOT_FAST;
  // Exponent.
  if (p < end) {
    c = bytes[p]!;
    if (c !== LOWER_E && c !== UPPER_E) return NOT_FAST;
    if (++p >= end) return NOT_FAST;
    c = bytes[p]!;
    let exponentNegative = false;
    if (c === MINUS || c === PLUS) {
      exponentNegative = c === MINUS;
      if (++p >= end) return NOT_FAST;
    }
    let exponent = 0;
    while (p < end) {
      c = bytes[p]!;
      if (c < ZERO || c > NINE) return NOT_FAST;
      // Past a few digits the exponent is out of the fast range anyway.
      if (exponent < 10_000) exponent = exponent * 10 + (c - ZERO);
      p++;
    }
    scale += exponentNegative ? -exponent : exponent;
  }
  let value: number;
  if (mantissa === 0) value = 0;
  else if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= MAX_FAST_EXPONENT) value = mantissa * EXACT_POWERS_OF_TEN[scale]!;
  else if (scale < 0 && scale >= -MAX_FAST_EXPONENT) value = mantissa / EXACT_POWERS_OF_TEN[-scale]!;
  else return NOT_FAST;
  return negative ? -value : value;
}

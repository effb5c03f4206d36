/**
 * Decimal text straight from a file's bytes into a double, without making a string.
 *
 * Only the common shape is handled here: an optional sign, digits with an optional point, an
 * optional exponent (`-12.5`, `.5`, `3.`, `1e-7`, `007`). Within it, Clinger's fast path gives the
 * correctly rounded double, the same one `Number()` gives: with at most 15 significant digits the
 * digits are an exact integer below 2^53, and 10^k for |k| <= 22 is exact too, so one correctly
 * rounded multiplication or division rounds once, like the full algorithm. Everything else
 * (more digits, larger exponents, spaces, hex, `Infinity`, words) answers false, and the
 * caller reads the cell as text with `Number()`, so every value is bit-identical to that path.
 */

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
 * Writes to `out[at]` the double that `Number()` gives for the text in `bytes[start, end)` and
 * answers true, or answers false (writing nothing) when the text is not a short plain decimal. The
 * double goes into a typed array rather than being returned, so it is never boxed on the heap.
 */
export function parseDecimal(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  at: number,
): boolean {
  return end > start && scanDecimal(bytes, start, end, out, at) === end;
}

/**
 * Reads a short plain decimal at `bytes[start]` (not past `end`), writes its double to `out[at]` and
 * answers where it stops: the first byte that cannot continue it (a separator, for a cell that is
 * only a number). Answers -1 when the bytes there do not begin with one (no digits, an exponent
 * without digits, too many digits, an exponent out of range). The caller decides whether the byte
 * it stopped at ends the cell; when not, the cell is not a plain decimal and goes to `Number()`.
 */
export function scanDecimal(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Float64Array,
  at: number,
): number {
  let p = start;
  if (p >= end) return -1;
  let negative = false;
  let c = bytes[p]!;
  if (c === MINUS || c === PLUS) {
    negative = c === MINUS;
    p++;
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
  if (digits === 0 || significant > MAX_FAST_DIGITS) return -1;
  // Exponent.
  if (p < end && (bytes[p] === LOWER_E || bytes[p] === UPPER_E)) {
    p++;
    let exponentNegative = false;
    if (p < end && (bytes[p] === MINUS || bytes[p] === PLUS)) {
      exponentNegative = bytes[p] === MINUS;
      p++;
    }
    let exponent = 0;
    const first = p;
    while (p < end) {
      c = bytes[p]!;
      if (c < ZERO || c > NINE) break;
      // Past a few digits the exponent is out of the fast range anyway.
      if (exponent < 10_000) exponent = exponent * 10 + (c - ZERO);
      p++;
    }
    if (p === first) return -1;
    scale += exponentNegative ? -exponent : exponent;
  }
  let value: number;
  if (mantissa === 0) value = 0;
  else if (scale === 0) value = mantissa;
  else if (scale > 0 && scale <= MAX_FAST_EXPONENT) value = mantissa * EXACT_POWERS_OF_TEN[scale]!;
  else if (scale < 0 && scale >= -MAX_FAST_EXPONENT) value = mantissa / EXACT_POWERS_OF_TEN[-scale]!;
  else return -1;
  out[at] = negative ? -value : value;
  return p;
}

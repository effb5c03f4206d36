import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { numberOf } from './columns.js';
import { parseDecimal } from './decimal.js';

const encoder = new TextEncoder();

/** What the CSV reader stores for a numeric cell: the fast answer, else the text path. */
function cellNumber(text: string): number | undefined {
  const bytes = encoder.encode(text);
  const out = new Float64Array(1);
  return parseDecimal(bytes, 0, bytes.length, out, 0) ? out[0] : numberOf(text);
}

const digits = (maxLength: number) =>
  fc.array(fc.constantFrom(...'0123456789'), { maxLength }).map((d) => d.join(''));

/** Decimal text of every shape `Number()` meets in files: signs, leading zeros, many digits, exponents. */
const decimalText = fc
  .record({
    sign: fc.constantFrom('', '', '-', '+'),
    zeros: fc.constantFrom('', '', '0', '00', '000000'),
    integer: digits(20),
    point: fc.boolean(),
    fraction: digits(20),
    exponent: fc.option(
      fc.record({
        e: fc.constantFrom('e', 'E'),
        sign: fc.constantFrom('', '-', '+'),
        value: fc.oneof(digits(3), fc.integer({ min: 0, max: 400 }).map(String)),
      }),
    ),
  })
  .map(
    ({ sign, zeros, integer, point, fraction, exponent }) =>
      `${sign}${zeros}${integer}${point ? `.${fraction}` : ''}${exponent ? `${exponent.e}${exponent.sign}${exponent.value}` : ''}`,
  );

/** Text that is not a plain decimal but that the reader meets: words, spaces, hex, infinities. */
const otherText = fc.oneof(
  fc.constantFrom(
    '',
    ' ',
    '.',
    '+',
    '-',
    'e5',
    '1e',
    '1e+',
    '-.e1',
    '1..2',
    '1e5.5',
    ' 12',
    '12 ',
    '\t3',
    '1_000',
    '0x1F',
    '0b101',
    '0o17',
    '-0x10',
    'Infinity',
    '-Infinity',
    '+Infinity',
    'inf',
    '-inf',
    'INF',
    'infinity',
    'nan',
    'NaN',
    '-nan',
    '1e400',
    '-1e400',
    '4.9e-324',
    '2e-324',
    '1.7976931348623157e308',
    '9007199254740993',
    '123456789012345678901234567890',
    '٣',
    '１２',
  ),
  fc.string({ maxLength: 8 }),
  fc.double().map(String),
  fc.double().map((x) => x.toExponential()),
  fc.double().map((x) => x.toPrecision(17)),
  fc.double({ min: -1e6, max: 1e6, noNaN: true }).map((x) => x.toFixed(4)),
);

describe('decimal text from bytes', () => {
  it('gives the same double as Number() bit for bit, or leaves the text to it', () => {
    fc.assert(
      fc.property(fc.oneof(decimalText, otherText), (text) => {
        const expected = numberOf(text);
        const actual = cellNumber(text);
        // Object.is tells -0 from 0 and NaN from a number.
        expect(Object.is(actual, expected), `${JSON.stringify(text)}: ${actual} vs ${expected}`).toBe(true);
      }),
      { numRuns: 20_000 },
    );
  });

  it('reads short plain decimals itself', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: -(10 ** 15) + 1, max: 10 ** 15 - 1 }),
        fc.integer({ min: -22, max: 22 }),
        (mantissa, exponent) => {
          for (const text of [
            `${mantissa}e${exponent}`,
            exponent < 0 ? decimalPoint(mantissa, -exponent) : `${mantissa}`,
          ]) {
            const bytes = encoder.encode(text);
            const out = new Float64Array(1);
            expect(parseDecimal(bytes, 0, bytes.length, out, 0), text).toBe(true);
            expect(Object.is(out[0], Number(text)), text).toBe(true);
          }
        },
      ),
      { numRuns: 5_000 },
    );
  });

  it('reads inside a larger buffer, only between its bounds', () => {
    const bytes = encoder.encode('9,-12.5e1,7');
    const out = new Float64Array(2);
    expect(parseDecimal(bytes, 2, 9, out, 1)).toBe(true);
    expect([...out]).toEqual([0, -125]);
    expect(parseDecimal(bytes, 2, 2, out, 0)).toBe(false);
    expect(parseDecimal(encoder.encode('-0.000'), 0, 6, out, 0)).toBe(true);
    expect(Object.is(out[0], -0)).toBe(true);
  });
});

/** `mantissa` / 10^places written with a decimal point (e.g. -1234, 2 → "-12.34"). */
function decimalPoint(mantissa: number, places: number): string {
  const digitsText = String(Math.abs(mantissa)).padStart(places + 1, '0');
  const sign = mantissa < 0 ? '-' : '';
  return `${sign}${digitsText.slice(0, -places)}.${digitsText.slice(-places)}`;
}

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysFromCivil, formatTimestamp, parseTimestamp } from './timestamps.js';

const micros = (iso: string) => Date.parse(iso) * 1000;
const DAY = 86_400_000_000;
/** 0001-01-02 and 9999-12-30: a day inside the accepted years, so any offset keeps an instant inside. */
const FIRST = daysFromCivil(1, 1, 2) * DAY;
const LAST = daysFromCivil(9999, 12, 30) * DAY;

/** An independent oracle: Date#setUTCFullYear has no 1900 trap for years 0–99 (Date.UTC has). */
function oracleMicros(y: number, mo: number, d: number, h = 0, mi = 0, s = 0): number {
  const date = new Date(0);
  date.setUTCFullYear(y, mo - 1, d);
  date.setUTCHours(h, mi, s, 0);
  return date.getTime() * 1000;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

describe('parseTimestamp', () => {
  it.each([
    ['2026-01-05T10:00:00Z', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05t10:00:00z', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T10:00:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05 10:00:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T10:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05', micros('2026-01-05T00:00:00Z')],
    ['2026-01-05T12:00:00+02:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T05:30:00-0430', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T13:00:00+03', micros('2026-01-05T10:00:00Z')],
    ['2026-01-06T09:59:00+23:59', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T10:00:00.123456Z', micros('2026-01-05T10:00:00.123Z') + 456],
    ['2026-01-05T10:00:00,5Z', micros('2026-01-05T10:00:00.500Z')],
    ['2026-01-05T10:00:00.123456789Z', micros('2026-01-05T10:00:00.123Z') + 456],
    ['2024-02-29T00:00:00Z', micros('2024-02-29T00:00:00Z')],
    // Years 0001–0099 are not years 1901–1999 (the Date.UTC trap).
    ['0050-06-15T00:00:00Z', oracleMicros(50, 6, 15)],
    ['0050-06-15T00:00:00.000Z', oracleMicros(50, 6, 15)],
    ['0001-01-01', oracleMicros(1, 1, 1)],
    ['9999-12-31T23:59:59Z', oracleMicros(9999, 12, 31, 23, 59, 59)],
    // Epoch numbers: the unit follows from the size.
    [1767607200, micros('2026-01-05T10:00:00Z')],
    [1767607200.5, micros('2026-01-05T10:00:00.500Z')],
    [1767607200000, micros('2026-01-05T10:00:00Z')],
    [1767607200000000, micros('2026-01-05T10:00:00Z')],
    ['1767607200000', micros('2026-01-05T10:00:00Z')],
    ['1767607200', micros('2026-01-05T10:00:00Z')],
    [0, 0],
  ])('parses %j', (raw, expected) => {
    expect(parseTimestamp(raw)).toEqual({ ok: true, micros: expected });
  });

  it.each([
    ['yesterday', /cannot parse/],
    ['2026-13-01', /not a valid date/],
    ['2026-02-30T00:00:00Z', /not a valid date/],
    ['2026-02-30T00:00:00.000Z', /not a valid date/],
    ['2025-02-29', /not a valid date/],
    ['0000-01-01T00:00:00Z', /not a valid date/],
    ['2026-01-01T24:00:00.000Z', /time of day/],
    ['2026-01-05T25:00:00Z', /time of day/],
    ['2026-01-05T10:60:00Z', /time of day/],
    ['2026-01-05T10:00:60Z', /time of day/],
    ['2026-01-01T00:00:00+99:99', /invalid UTC offset "\+99:99"/],
    ['2026-01-01T00:00:00+24:00', /invalid UTC offset/],
    ['2026-01-01T00:00:00-0060', /invalid UTC offset/],
    ['2026-01-01T00:00:00 Z', /cannot parse/],
    ['2026-01-01T00:00:00+1', /cannot parse/],
    ['20260101T000000Z', /cannot parse/],
    ['0001-01-01T00:00:00+01:00', /outside the years 0001 to 9999/],
    ['9999-12-31T23:59:59-01:00', /outside the years 0001 to 9999/],
    ['0050-06-15T00:00:00.000001Z', /more precision/],
    [true, /got boolean/],
    [null, /got null/],
    [Number.NaN, /not a finite number/],
    [Number.POSITIVE_INFINITY, /not a finite number/],
    [1e20, /ambiguous or out of range/],
    [12345, /ambiguous or out of range/],
    // Seconds after 2286 or milliseconds before 1973: which one is meant cannot be told.
    [5e10, /ambiguous or out of range/],
    [5e13, /ambiguous or out of range/],
    [-1767607200, /ambiguous or out of range/],
    ['99999999', /ambiguous or out of range/],
  ])('rejects %j with a reason', (raw, reason) => {
    const result = parseTimestamp(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error).toMatch(reason);
  });

  /** An instant that a double holds to the microsecond: whole seconds far from 1970. */
  const instant = fc
    .integer({ min: FIRST, max: LAST })
    .map((us) => (Math.abs(us) > Number.MAX_SAFE_INTEGER ? Math.floor(us / 1e6) * 1e6 : us));
  const offset = fc.integer({ min: -(23 * 60 + 59), max: 23 * 60 + 59 });

  it('round-trips any instant through formatTimestamp', () => {
    fc.assert(
      fc.property(instant, (us) => {
        expect(parseTimestamp(formatTimestamp(us))).toEqual({ ok: true, micros: us });
      }),
      { numRuns: 500 },
    );
  });

  it('round-trips any instant through every accepted string form and offset', () => {
    fc.assert(
      fc.property(
        instant,
        offset,
        fc.constantFrom('T', 't', ' '),
        fc.constantFrom('Z', 'z', '+HH:MM', '+HHMM', '+HH', 'none'),
        fc.constantFrom('.', ','),
        fc.integer({ min: 0, max: 9 }),
        (us, offsetMinutes, separator, zoneForm, comma, digits) => {
          const zoneless = zoneForm === 'Z' || zoneForm === 'z' || zoneForm === 'none';
          const minutes = zoneless
            ? 0
            : zoneForm === '+HH'
              ? Math.trunc(offsetMinutes / 60) * 60
              : offsetMinutes;
          // The instant's wall-clock time at that offset, written with the offset.
          const local = formatTimestamp(us + minutes * 60e6);
          const [date, time] = local.slice(0, -1).split('T') as [string, string];
          const fractionDigits = (time.split('.')[1] ?? '').padEnd(6, '0');
          const whole = time.split('.')[0]!;
          // Keep as many fraction digits as asked, but never drop a non-zero one.
          const kept = Math.max(digits, fractionDigits.replace(/0+$/, '').length);
          const fraction =
            kept === 0 ? '' : `${comma}${fractionDigits.padEnd(kept, '0').slice(0, Math.max(kept, 1))}`;
          const sign = minutes < 0 ? '-' : '+';
          const abs = Math.abs(minutes);
          const zone =
            zoneForm === 'none'
              ? ''
              : zoneForm === 'Z' || zoneForm === 'z'
                ? zoneForm
                : zoneForm === '+HH:MM'
                  ? `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
                  : zoneForm === '+HHMM'
                    ? `${sign}${pad(Math.floor(abs / 60))}${pad(abs % 60)}`
                    : `${sign}${pad(Math.floor(abs / 60))}`;
          const text = `${date}${separator}${whole}${fraction}${zone}`;
          expect(parseTimestamp(text), text).toEqual({ ok: true, micros: us });
          if (us % DAY === 0 && zoneless) expect(parseTimestamp(date)).toEqual({ ok: true, micros: us });
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('agrees with an independent calendar for every year from 0001 to 9999', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 9999 }),
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: 1, max: 31 }),
        fc.integer({ min: 0, max: 23 }),
        fc.integer({ min: 0, max: 59 }),
        fc.integer({ min: 0, max: 59 }),
        (y, mo, d, h, mi, s) => {
          const text = `${pad(y, 4)}-${pad(mo)}-${pad(d)}T${pad(h)}:${pad(mi)}:${pad(s)}Z`;
          const check = new Date(oracleMicros(y, mo, d) / 1000);
          const valid = check.getUTCDate() === d;
          const result = parseTimestamp(text);
          if (valid) expect(result, text).toEqual({ ok: true, micros: oracleMicros(y, mo, d, h, mi, s) });
          else expect(result.ok, text).toBe(false);
        },
      ),
      { numRuns: 1000 },
    );
  });

  it('round-trips epoch seconds, milliseconds and microseconds from 1973 to 2286', () => {
    const low = Date.UTC(1973, 2, 4) * 1000;
    const high = Date.UTC(2286, 10, 19) * 1000;
    fc.assert(
      fc.property(fc.integer({ min: low, max: high }), (us) => {
        const seconds = Math.floor(us / 1e6);
        const millis = Math.floor(us / 1e3);
        expect(parseTimestamp(seconds)).toEqual({ ok: true, micros: seconds * 1e6 });
        expect(parseTimestamp(String(seconds))).toEqual({ ok: true, micros: seconds * 1e6 });
        expect(parseTimestamp(millis)).toEqual({ ok: true, micros: millis * 1e3 });
        expect(parseTimestamp(us)).toEqual({ ok: true, micros: us });
      }),
      { numRuns: 500 },
    );
  });

  it('rejects strings with an out-of-range field, and strings that are no date at all', () => {
    const field = fc.oneof(
      fc.record({ at: fc.constant('month' as const), value: fc.integer({ min: 13, max: 99 }) }),
      fc.record({ at: fc.constant('day' as const), value: fc.integer({ min: 32, max: 99 }) }),
      fc.record({ at: fc.constant('hour' as const), value: fc.integer({ min: 24, max: 99 }) }),
      fc.record({ at: fc.constant('minute' as const), value: fc.integer({ min: 60, max: 99 }) }),
      fc.record({ at: fc.constant('second' as const), value: fc.integer({ min: 60, max: 99 }) }),
      fc.record({ at: fc.constant('offsetHours' as const), value: fc.integer({ min: 24, max: 99 }) }),
      fc.record({ at: fc.constant('offsetMinutes' as const), value: fc.integer({ min: 60, max: 99 }) }),
      fc.record({ at: fc.constant('year' as const), value: fc.constant(0) }),
    );
    fc.assert(
      fc.property(field, fc.constantFrom('+', '-'), ({ at, value }, sign) => {
        const v = (name: typeof at, normal: number, width = 2) => pad(at === name ? value : normal, width);
        const text = `${v('year', 2026, 4)}-${v('month', 6)}-${v('day', 15)}T${v('hour', 12)}:${v('minute', 30)}:${v('second', 0)}${sign}${v('offsetHours', 2)}:${v('offsetMinutes', 0)}`;
        const result = parseTimestamp(text);
        expect(result.ok, text).toBe(false);
      }),
      { numRuns: 300 },
    );
    fc.assert(
      fc.property(fc.string({ maxLength: 30 }), (text) => {
        fc.pre(!/^\s*[+-]?\d/.test(text));
        expect(parseTimestamp(text).ok, text).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});

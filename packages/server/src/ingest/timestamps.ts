/**
 * Timestamp parsing for ingestion and queries. Results are epoch microseconds, so
 * sub-millisecond precision in ISO strings survives.
 *
 * Strings: RFC 3339 / ISO-8601 `YYYY-MM-DD[(T|t| )HH:MM[:SS[.fraction]]][zone]`, years 0001–9999,
 * zone `Z`, `±HH:MM`, `±HHMM` or `±HH` (hours 00–23, minutes 00–59); no zone means UTC (never the
 * server's local zone), a date alone means its midnight UTC. Dates are computed here, not with
 * `Date.UTC`, which maps years 0–99 to 1900–1999.
 *
 * Numbers (and strings of digits) are epoch times whose unit follows from their size, each range
 * covering 1973-03-03 to 2286-11-20 (see EPOCH_UNITS); 0 is the epoch in every unit. A number in
 * none of these ranges is ambiguous or out of range, and is rejected.
 */

export type TimestampResult = { ok: true; micros: number } | { ok: false; error: string };

/** Epoch units by magnitude: [lowest, highest) absolute value, microseconds per unit. */
export const EPOCH_UNITS = [
  { unit: 'seconds', min: 1e8, max: 1e10, micros: 1e6 },
  { unit: 'milliseconds', min: 1e11, max: 1e13, micros: 1e3 },
  { unit: 'microseconds', min: 1e14, max: 1e16, micros: 1 },
] as const;

const EPOCH_RULE =
  'epoch numbers must be seconds (1e8 to 1e10), milliseconds (1e11 to 1e13) or microseconds (1e14 to 1e16), ' +
  'each range covering 1973-03-03 to 2286-11-20; send other instants as ISO-8601 strings';

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?)?$/;

const DIGITS = /^[+-]?\d+(\.\d+)?$/;

const MICROS_PER_DAY = 86_400_000_000;
/** Microseconds from 1970 within which every integer is exact in a double. */
const EXACT = Number.MAX_SAFE_INTEGER;
/** 0001-01-01T00:00:00Z and 10000-01-01T00:00:00Z in microseconds. */
const MIN_MICROS = daysFromCivil(1, 1, 1) * MICROS_PER_DAY;
const MAX_MICROS = daysFromCivil(10000, 1, 1) * MICROS_PER_DAY;

/** Days from 1970-01-01 to a proleptic Gregorian date (Howard Hinnant's `days_from_civil`). */
export function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

function fail(error: string): TimestampResult {
  return { ok: false, error };
}

/**
 * `seconds` whole seconds plus `fraction` microseconds, when the sum is a double exactly: far
 * from 1970 (before 1685 or after 2254) a double cannot hold every microsecond.
 */
function exactMicros(seconds: number, fraction: number, raw: unknown): TimestampResult {
  const micros = seconds * 1e6 + fraction;
  if (micros < MIN_MICROS || micros >= MAX_MICROS) {
    return fail(`${JSON.stringify(raw)} is outside the years 0001 to 9999 (after its offset is applied)`);
  }
  if (Math.abs(micros) > EXACT && BigInt(seconds) * 1_000_000n + BigInt(fraction) !== BigInt(micros)) {
    return fail(
      `${JSON.stringify(raw)} has more precision than Vigil stores this far from 1970 (microseconds are exact from 1685 to 2254); round it to the millisecond or second`,
    );
  }
  return { ok: true, micros };
}

function parseEpoch(value: number, raw: unknown): TimestampResult {
  if (!Number.isFinite(value)) return fail(`${raw} is not a finite number; ${EPOCH_RULE}`);
  if (value === 0) return { ok: true, micros: 0 };
  const magnitude = Math.abs(value);
  const unit = EPOCH_UNITS.find((u) => magnitude >= u.min && magnitude < u.max);
  if (!unit || value < 0) {
    return fail(`the epoch number ${JSON.stringify(raw)} is ambiguous or out of range; ${EPOCH_RULE}`);
  }
  // Sub-microsecond digits are below what is stored, and rounded away.
  return { ok: true, micros: Math.round(value * unit.micros) };
}

function parseIso(raw: string, text: string): TimestampResult {
  const m = ISO.exec(text);
  if (!m) {
    return fail(
      `cannot parse ${JSON.stringify(raw)}; use RFC 3339 / ISO-8601 such as 2026-01-05T10:00:00Z (years 0001 to 9999; offsets Z, ±HH:MM or ±HHMM), or an epoch number (${EPOCH_RULE})`,
    );
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  if (year < 1 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
    return fail(
      `${JSON.stringify(raw)} is not a valid date (years 0001 to 9999, months 01 to 12, days of that month)`,
    );
  }
  if (hour > 23 || minute > 59 || second > 59) {
    return fail(
      `${JSON.stringify(raw)} is not a valid time of day (hours 00 to 23, minutes and seconds 00 to 59)`,
    );
  }
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const digits = zone.slice(1).replace(':', '');
    const offsetHours = Number(digits.slice(0, 2));
    const offsetMins = Number(digits.slice(2, 4) || '0');
    if (offsetHours > 23 || offsetMins > 59) {
      return fail(
        `${JSON.stringify(raw)} has an invalid UTC offset "${zone}" (hours 00 to 23, minutes 00 to 59)`,
      );
    }
    offsetMinutes = (zone.startsWith('-') ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const seconds =
    daysFromCivil(year, month, day) * 86_400 + hour * 3600 + minute * 60 + second - offsetMinutes * 60;
  // Digits beyond the microsecond are below what is stored, and cut off.
  const micros = Number(fraction.padEnd(6, '0').slice(0, 6));
  return exactMicros(seconds, micros, raw);
}

export function parseTimestamp(raw: unknown): TimestampResult {
  if (typeof raw === 'number') return parseEpoch(raw, raw);
  if (typeof raw !== 'string') {
    return fail(
      `expected an RFC 3339 / ISO-8601 string or an epoch number, got ${raw === null ? 'null' : typeof raw}`,
    );
  }
  // Fast path for the form clients send most (Date#toISOString): fixed width, UTC, milliseconds.
  if (raw.length === 24 && raw.charCodeAt(23) === 90 /* Z */ && raw.charCodeAt(10) === 84 /* T */) {
    const millis = Date.parse(raw);
    // Date.parse rolls 2026-02-30 over to March; the round trip rejects such dates.
    if (
      millis * 1000 >= MIN_MICROS &&
      Math.abs(millis) < EXACT / 1000 &&
      new Date(millis).toISOString() === raw
    ) {
      return { ok: true, micros: millis * 1000 };
    }
  }
  const text = raw.trim();
  if (DIGITS.test(text)) return parseEpoch(Number(text), raw);
  return parseIso(raw, text);
}

/** ISO-8601 with microseconds, e.g. `2026-01-05T10:00:00.000123Z`. */
export function formatTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const rest = micros - millis * 1000;
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(Math.round(rest)).padStart(3, '0')}Z`;
}

/**
 * Timestamp parsing for ingestion: ISO-8601 (a missing zone means UTC, never the
 * server's local zone) or epoch milliseconds. Results are epoch microseconds, so
 * sub-millisecond precision in ISO strings survives.
 */

const ISO =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Earliest and latest accepted instants: years 1900 to 2999. */
const MIN_MICROS = Date.UTC(1900, 0, 1) * 1000;
const MAX_MICROS = Date.UTC(3000, 0, 1) * 1000;

export type TimestampResult = { ok: true; micros: number } | { ok: false; error: string };

function inRange(micros: number, raw: unknown): TimestampResult {
  if (!Number.isFinite(micros) || micros < MIN_MICROS || micros >= MAX_MICROS) {
    return { ok: false, error: `${JSON.stringify(raw)} is outside the years 1900 to 2999` };
  }
  return { ok: true, micros };
}

export function parseTimestamp(raw: unknown): TimestampResult {
  if (typeof raw === 'number') {
    if (!Number.isFinite(raw))
      return { ok: false, error: `${raw} is not a finite number of epoch milliseconds` };
    return inRange(Math.round(raw * 1000), raw);
  }
  if (typeof raw !== 'string') {
    return { ok: false, error: `expected an ISO-8601 string or epoch milliseconds, got ${typeof raw}` };
  }
  // Fast path for the form clients send most (Date#toISOString): fixed width, UTC, milliseconds.
  if (raw.length === 24 && raw.charCodeAt(23) === 90 /* Z */ && raw.charCodeAt(10) === 84 /* T */) {
    const millis = Date.parse(raw);
    // Date.parse rolls 2026-02-30 over to March; the round trip rejects such dates.
    if (Number.isFinite(millis) && new Date(millis).toISOString() === raw) return inRange(millis * 1000, raw);
  }
  const text = raw.trim();
  if (/^-?\d+(\.\d+)?$/.test(text)) return inRange(Math.round(Number(text) * 1000), raw);
  const m = ISO.exec(text);
  if (!m) {
    return {
      ok: false,
      error: `cannot parse ${JSON.stringify(raw)}; use ISO-8601 such as 2026-01-05T10:00:00Z, or epoch milliseconds`,
    };
  }
  const [, y, mo, d, h = '0', mi = '0', s = '0', fraction = '', zone] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = Number(s);
  const millis = Date.UTC(year, month - 1, day, hour, minute, second);
  const check = new Date(millis);
  if (
    month < 1 ||
    month > 12 ||
    check.getUTCDate() !== day ||
    check.getUTCMonth() !== month - 1 ||
    hour > 23 ||
    minute > 59 ||
    second > 59
  ) {
    return { ok: false, error: `${JSON.stringify(raw)} is not a valid date and time` };
  }
  let offsetMinutes = 0;
  if (zone && zone !== 'Z' && zone !== 'z') {
    const sign = zone.startsWith('-') ? -1 : 1;
    const digits = zone.slice(1).replace(':', '');
    offsetMinutes = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  const micros =
    (millis - offsetMinutes * 60_000) * 1000 + Math.floor(Number(`0.${fraction || '0'}`) * 1e6 + 1e-6);
  return inRange(micros, raw);
}

/** ISO-8601 with microseconds, e.g. `2026-01-05T10:00:00.000123Z`. */
export function formatTimestamp(micros: number): string {
  const millis = Math.floor(micros / 1000);
  const iso = new Date(millis).toISOString();
  const rest = micros - millis * 1000;
  return rest === 0 ? iso : `${iso.slice(0, -1)}${String(Math.round(rest)).padStart(3, '0')}Z`;
}

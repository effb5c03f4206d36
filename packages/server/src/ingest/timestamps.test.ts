import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatTimestamp, parseTimestamp } from './timestamps.js';

const micros = (iso: string) => Date.parse(iso) * 1000;

describe('parseTimestamp', () => {
  it.each([
    ['2026-01-05T10:00:00Z', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T10:00:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05 10:00:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05', micros('2026-01-05T00:00:00Z')],
    ['2026-01-05T12:00:00+02:00', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T05:30:00-0430', micros('2026-01-05T10:00:00Z')],
    ['2026-01-05T10:00:00.123456Z', micros('2026-01-05T10:00:00.123Z') + 456],
    [1767607200000, micros('2026-01-05T10:00:00Z')],
    ['1767607200000', micros('2026-01-05T10:00:00Z')],
  ])('parses %j', (raw, expected) => {
    expect(parseTimestamp(raw)).toEqual({ ok: true, micros: expected });
  });

  it.each([
    ['yesterday'],
    ['2026-13-01'],
    ['2026-02-30T00:00:00Z'],
    ['2026-02-30T00:00:00.000Z'],
    ['2026-01-01T24:00:00.000Z'],
    ['2026-01-05T25:00:00Z'],
    [true],
    [null],
    [Number.NaN],
    [1e20],
  ])('rejects %j with a reason', (raw) => {
    const result = parseTimestamp(raw);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.length).toBeGreaterThan(10);
  });

  it('round-trips through formatTimestamp for any instant with microseconds', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: Date.UTC(1970, 0, 1) * 1000, max: Date.UTC(2999, 0, 1) * 1000 }),
        (us) => {
          expect(parseTimestamp(formatTimestamp(us))).toEqual({ ok: true, micros: us });
        },
      ),
    );
  });
});

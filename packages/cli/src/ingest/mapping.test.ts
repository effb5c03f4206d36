import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columnRole, csvValue, jsonValue, missingColumns, toLabel, toPrediction } from './mapping.js';

describe('csvValue', () => {
  it('types cells', () => {
    expect(csvValue('')).toBeNull();
    expect(csvValue('12')).toBe(12);
    expect(csvValue('-0.5')).toBe(-0.5);
    expect(csvValue('.5')).toBe(0.5);
    expect(csvValue('1e3')).toBe(1000);
    expect(csvValue('TRUE')).toBe(true);
    expect(csvValue('false')).toBe(false);
    expect(csvValue('007')).toBe('007');
    expect(csvValue('0')).toBe(0);
    expect(csvValue('NaN')).toBe('NaN');
    expect(csvValue('Infinity')).toBe('Infinity');
    expect(csvValue(' 1')).toBe(' 1');
    expect(csvValue('12abc')).toBe('12abc');
  });

  it('reads back every finite number as JavaScript writes it', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (n) => {
        expect(csvValue(String(n))).toBe(n === 0 ? 0 : n);
      }),
    );
  });

  it('keeps any text that is not a number or a boolean', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1 }), (s) => {
        const value = csvValue(s);
        if (typeof value === 'string') expect(value).toBe(s);
        else if (typeof value === 'number') expect(Number(s)).toBe(value);
        else expect(String(value)).toBe(s.toLowerCase());
      }),
    );
  });
});

describe('columnRole', () => {
  it('maps the documented names and prefixes', () => {
    expect(columnRole('id')).toEqual({ role: 'id' });
    expect(columnRole('score')).toEqual({ role: 'score' });
    expect(columnRole('score_fraud')).toEqual({ role: 'scores', key: 'fraud' });
    expect(columnRole('scores.legit')).toEqual({ role: 'scores', key: 'legit' });
    expect(columnRole('segment_region')).toEqual({ role: 'segments', key: 'region' });
    expect(columnRole('segments.tier')).toEqual({ role: 'segments', key: 'tier' });
    expect(columnRole('features.id')).toEqual({ role: 'features', key: 'id' });
    expect(columnRole('amount')).toEqual({ role: 'features', key: 'amount' });
    expect(columnRole('score_')).toEqual({ role: 'features', key: 'score_' });
  });
});

describe('toPrediction', () => {
  it('builds a record from flat columns', () => {
    const row = {
      id: 17,
      timestamp: 1_700_000_000_000,
      amount: 12.5,
      country: 'FR',
      missing: null,
      prediction: 'fraud',
      score_fraud: 0.8,
      'scores.legit': 0.2,
      segment_region: 'eu',
      label: null,
      'features.version': 'feature named version',
    };
    expect(toPrediction(row, 'v9')).toEqual({
      id: '17',
      timestamp: 1_700_000_000_000,
      version: 'v9',
      features: { amount: 12.5, country: 'FR', missing: null, version: 'feature named version' },
      prediction: 'fraud',
      scores: { fraud: 0.8, legit: 0.2 },
      segments: { region: 'eu' },
    });
  });

  it('keeps record-shaped rows and their own version', () => {
    const row = { features: { a: 1 }, prediction: 1, version: 'v1', timestamp: '2025-01-01T00:00:00Z' };
    expect(toPrediction(row, 'v2')).toEqual(row);
  });

  it('puts every flat column in exactly one place', () => {
    const name = fc.oneof(
      fc.constantFrom('id', 'timestamp', 'version', 'prediction', 'score', 'label'),
      fc.string({ minLength: 1, maxLength: 8 }),
      fc.string({ minLength: 1, maxLength: 8 }).map((s) => `score_${s}`),
      fc.string({ minLength: 1, maxLength: 8 }).map((s) => `segments.${s}`),
    );
    const value = fc.oneof(fc.integer(), fc.string({ minLength: 1, maxLength: 5 }), fc.boolean());
    fc.assert(
      fc.property(fc.dictionary(name, value), (row) => {
        const record = toPrediction(row) as unknown as Record<string, Record<string, unknown> | unknown>;
        let placed = 0;
        for (const key of ['id', 'timestamp', 'version', 'prediction', 'score', 'label']) {
          if (record[key] !== undefined) placed++;
        }
        for (const key of ['features', 'scores', 'segments']) {
          placed += Object.keys((record[key] as Record<string, unknown> | undefined) ?? {}).length;
        }
        // Columns whose value cannot be read (a non-numeric score) are dropped, never duplicated.
        expect(placed).toBeLessThanOrEqual(Object.keys(row).length);
        for (const column of Object.keys(row)) {
          const role = columnRole(column);
          if (role.role === 'features') expect(record.features).toHaveProperty([role.key]);
        }
      }),
    );
  });
});

describe('toLabel and jsonValue', () => {
  it('reads id, label and timestamp only', () => {
    expect(toLabel({ id: 5, label: 'yes', timestamp: '1700000000000', extra: 1 })).toEqual({
      id: '5',
      label: 'yes',
      timestamp: 1_700_000_000_000,
    });
  });

  it('turns bigints and dates into JSON values', () => {
    expect(jsonValue({ a: 5n, b: 2n ** 60n, c: new Date(0), d: [1n] })).toEqual({
      a: 5,
      b: '1152921504606846976',
      c: '1970-01-01T00:00:00.000Z',
      d: [1],
    });
  });

  it('names the columns a file lacks', () => {
    expect(missingColumns('predictions', ['a', 'b'])).toEqual(['prediction']);
    expect(missingColumns('labels', ['id'])).toEqual(['label']);
    expect(missingColumns('reference', [])).toEqual([]);
  });
});

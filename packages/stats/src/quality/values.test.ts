import { describe, expect, it } from 'vitest';
import { conformsToType, isMissing } from './values.js';

describe('isMissing', () => {
  it('treats null, undefined, NaN and the empty string as missing', () => {
    for (const value of [null, undefined, Number.NaN, '']) expect(isMissing(value)).toBe(true);
    for (const value of [0, ' ', 'null', false, Number.POSITIVE_INFINITY])
      expect(isMissing(value)).toBe(false);
  });
});

describe('conformsToType', () => {
  it('is strict about numbers', () => {
    expect(conformsToType(3.5, 'numeric')).toBe(true);
    expect(conformsToType('3.5', 'numeric')).toBe(false);
    expect(conformsToType(Number.POSITIVE_INFINITY, 'numeric')).toBe(false);
    expect(conformsToType(true, 'numeric')).toBe(false);
  });

  it('accepts scalars as categories, booleans only as booleans, strings only as text', () => {
    expect(conformsToType('a', 'categorical')).toBe(true);
    expect(conformsToType(2, 'categorical')).toBe(true);
    expect(conformsToType({}, 'categorical')).toBe(false);
    expect(conformsToType(false, 'boolean')).toBe(true);
    expect(conformsToType(0, 'boolean')).toBe(false);
    expect(conformsToType('x', 'text')).toBe(true);
    expect(conformsToType(1, 'text')).toBe(false);
  });

  it('reads timestamps from dates, epoch milliseconds and parseable strings', () => {
    expect(conformsToType(new Date('2024-01-01'), 'timestamp')).toBe(true);
    expect(conformsToType(new Date('nope'), 'timestamp')).toBe(false);
    expect(conformsToType(1_700_000_000_000, 'timestamp')).toBe(true);
    expect(conformsToType('2024-03-01T10:00:00Z', 'timestamp')).toBe(true);
    expect(conformsToType('yesterday', 'timestamp')).toBe(false);
  });
});

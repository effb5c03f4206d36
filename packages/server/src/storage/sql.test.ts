import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { physicalColumn, predictionsTable, quoteIdentifier } from './sql.js';

describe('quoteIdentifier', () => {
  it('wraps in double quotes and doubles embedded quotes', () => {
    expect(quoteIdentifier('age')).toBe('"age"');
    expect(quoteIdentifier('a"b')).toBe('"a""b"');
    expect(quoteIdentifier('x"; DROP TABLE models; --')).toBe('"x""; DROP TABLE models; --"');
  });

  it('round-trips any name: unquoting gives the original back', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((s) => !s.includes('\u0000')),
        (name) => {
          const quoted = quoteIdentifier(name);
          expect(quoted.startsWith('"') && quoted.endsWith('"')).toBe(true);
          const inner = quoted.slice(1, -1);
          // No lone quote may remain inside: every quote is doubled.
          expect(inner.replaceAll('""', '')).not.toContain('"');
          expect(inner.replaceAll('""', '"')).toBe(name);
        },
      ),
    );
  });

  it('rejects empty names and NUL characters', () => {
    expect(() => quoteIdentifier('')).toThrow();
    expect(() => quoteIdentifier('a\u0000b')).toThrow();
  });
});

describe('generated identifiers', () => {
  it('accepts only non-negative integers', () => {
    expect(physicalColumn(3)).toBe('c3');
    expect(predictionsTable(7)).toBe('m7_predictions');
    expect(() => physicalColumn(-1)).toThrow();
    expect(() => physicalColumn(1.5)).toThrow();
    expect(() => predictionsTable(0)).toThrow();
  });
});

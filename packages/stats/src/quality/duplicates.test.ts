import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { duplicateColumns, duplicateRowRate } from './duplicates.js';

describe('duplicateRowRate', () => {
  it('counts rows repeating an earlier row, treating missing values as equal', () => {
    const a = [1, 1, 2, 1, null, Number.NaN];
    const b = ['x', 'x', 'x', 'y', 'z', 'z'];
    expect(duplicateRowRate([a, b])).toBe(2 / 6);
  });

  it('is 0 for no rows and rejects ragged columns', () => {
    expect(duplicateRowRate([])).toBe(0);
    expect(() => duplicateRowRate([[1], [1, 2]])).toThrow(RangeError);
  });

  it('matches a string-key reference', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 3 }), fc.constantFrom('a', 'b', null)), {
          maxLength: 60,
        }),
        (rows) => {
          const seen = new Set<string>();
          let duplicates = 0;
          for (const row of rows) {
            const key = JSON.stringify(row);
            if (seen.has(key)) duplicates++;
            seen.add(key);
          }
          const rate = duplicateRowRate([rows.map((r) => r[0]), rows.map((r) => r[1])]);
          expect(rate).toBe(rows.length === 0 ? 0 : duplicates / rows.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});

describe('duplicateColumns', () => {
  it('groups identical columns', () => {
    const when = new Date('2024-01-01');
    expect(
      duplicateColumns({
        a: [1, 2, null],
        b: [1, 2, 3],
        c: [1, 2, undefined],
        d: [new Date(when), 'x', 0],
        e: [new Date(when), 'x', -0],
        f: [1, 2],
      }),
    ).toEqual([
      ['a', 'c'],
      ['d', 'e'],
    ]);
  });
});

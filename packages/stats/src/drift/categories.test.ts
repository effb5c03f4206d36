import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { alignCategories, countCategories, countValues } from './categories.js';

describe('countValues', () => {
  it('skips missing values and keys everything by its string form', () => {
    const counts = countValues(['a', null, 'b', undefined, 'a', Number.NaN, true, 1, '1']);
    expect([...counts.entries()]).toEqual([
      ['a', 2],
      ['b', 1],
      ['true', 1],
      ['1', 2],
    ]);
  });
});

describe('alignCategories', () => {
  it('aligns on the union and lists unseen and missing categories', () => {
    const aligned = alignCategories({
      reference: new Map([
        ['b', 3],
        ['a', 1],
        ['gone', 2],
        ['never', 0],
      ]),
      current: { a: 4, b: 1, fresh: 5, never: 0 },
    });
    expect(aligned.categories).toEqual(['a', 'b', 'fresh', 'gone']);
    expect([...aligned.reference]).toEqual([1, 3, 0, 2]);
    expect([...aligned.current]).toEqual([4, 1, 5, 0]);
    expect(aligned.referenceTotal).toBe(6);
    expect(aligned.currentTotal).toBe(10);
    expect(aligned.unseenInReference).toEqual(['fresh']);
    expect(aligned.missingInCurrent).toEqual(['gone']);
  });

  it('returns already aligned input unchanged', () => {
    const aligned = alignCategories(countCategories(['x', 'y'], ['y']));
    expect(alignCategories(aligned)).toBe(aligned);
  });

  it('rejects invalid counts and empty samples', () => {
    expect(() => alignCategories({ reference: { a: -1 }, current: { a: 1 } })).toThrow(RangeError);
    expect(() => alignCategories({ reference: { a: Number.NaN }, current: { a: 1 } })).toThrow(RangeError);
    expect(() => alignCategories({ reference: {}, current: { a: 1 } })).toThrow(/reference/);
    expect(() => alignCategories(countCategories(['a'], [null]))).toThrow(/current/);
  });

  it('does not depend on the order of the raw values', () => {
    const sample = fc.array(fc.constantFrom('a', 'b', 'c', 'd'), { minLength: 1, maxLength: 50 });
    fc.assert(
      fc.property(sample, sample, (ref, cur) => {
        const forward = alignCategories(countCategories(ref, cur));
        const backward = alignCategories(countCategories([...ref].reverse(), [...cur].reverse()));
        expect(backward).toEqual(forward);
      }),
      { numRuns: 100 },
    );
  });
});

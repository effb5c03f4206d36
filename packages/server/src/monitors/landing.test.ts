import { describe, expect, it } from 'vitest';
import { landingChunks } from './landing.js';

const entry = (group: number, results: number, name: string) => ({
  group,
  name,
  write: results < 0 ? null : { results: new Array(results).fill(0) },
});

describe('landingChunks', () => {
  it('keeps each model-window whole and each chunk within the row budget', () => {
    const done = [
      entry(0, 3, 'a1'),
      entry(1, 4, 'b1'),
      entry(0, 3, 'a2'),
      entry(2, -1, 'c1'),
      entry(1, 4, 'b2'),
      entry(3, 30, 'd1'),
      entry(4, 2, 'e1'),
    ];
    const chunks = landingChunks(done, 12);
    expect(chunks.map((chunk) => chunk.map((d) => d.name))).toEqual([
      ['a1', 'a2'], // 8 rows; with b's 10 it would be 18
      ['b1', 'b2', 'c1'], // 10 + 1
      ['d1'], // larger than the budget: alone
      ['e1'],
    ]);
    expect(chunks.flat()).toHaveLength(done.length);
  });

  it('gives one chunk when everything fits, and none for nothing', () => {
    expect(landingChunks([entry(0, 1, 'a'), entry(1, 1, 'b')], 100)).toHaveLength(1);
    expect(landingChunks([], 100)).toEqual([]);
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addBins, encodeBins } from './partial-bins.js';

describe('encoded bins of partial profiles', () => {
  it('add up, bin by bin, to the sums of the histograms they encode', () => {
    const histogram = fc
      .array(
        fc.tuple(
          fc.oneof(fc.nat({ max: 20 }), fc.nat({ max: 70_000 }), fc.nat({ max: 2 ** 32 - 1 })),
          fc.double({ noNaN: true, noDefaultInfinity: true }),
        ),
        {
          minLength: 1001,
          maxLength: 1001,
        },
      )
      .map((bins) => ({ counts: bins.map(([c]) => c), sums: bins.map(([c, s]) => (c === 0 ? 0 : s)) }));
    fc.assert(
      fc.property(fc.array(histogram, { minLength: 1, maxLength: 5 }), (minutes) => {
        const counts = new Array<number>(1001).fill(0);
        const sums = new Array<number>(1001).fill(0);
        for (const m of minutes) addBins(encodeBins(m.counts, m.sums), counts, sums);
        const expectedCounts = counts.map((_, b) => minutes.reduce((t, m) => t + m.counts[b]!, 0));
        const expectedSums = sums.map((_, b) => minutes.reduce((t, m) => t + m.sums[b]!, 0));
        expect(counts).toEqual(expectedCounts);
        expect(sums).toEqual(expectedSums);
      }),
      { numRuns: 50 },
    );
  });

  it('keep only non-empty bins, with counts and indices as narrow as they allow', () => {
    const encoded = encodeBins([0, 3, 0, 1], [0, 1.5, 0, -0.25]);
    // A header byte, then per bin 8 bytes of sum, 1 of count and 2 of index.
    expect(Buffer.from(encoded, 'base64').length).toBe(1 + 2 * 11);
    expect(encodeBins([0, 0], [0, 0])).toBe('');
    const counts = [0, 0, 0, 0];
    const sums = [0, 0, 0, 0];
    addBins(encoded, counts, sums);
    addBins('', counts, sums);
    expect(counts).toEqual([0, 3, 0, 1]);
    expect(sums).toEqual([0, 1.5, 0, -0.25]);
    expect(() => addBins(encoded, [0, 0], [0, 0])).toThrow(/Malformed/);
    expect(() => encodeBins([2 ** 32], [1])).toThrow(/does not fit/);
    // Wide counts and indices.
    const wide = new Array<number>(70_000).fill(0);
    const wideSums = new Array<number>(70_000).fill(0);
    wide[69_999] = 2 ** 32 - 1;
    wideSums[69_999] = 0.5;
    wide[3] = 300;
    wideSums[3] = 7;
    const wideEncoded = encodeBins(wide, wideSums);
    expect(Buffer.from(wideEncoded, 'base64').length).toBe(1 + 2 * 16);
    const back = new Array<number>(70_000).fill(0);
    const backSums = new Array<number>(70_000).fill(0);
    addBins(wideEncoded, back, backSums);
    expect(back).toEqual(wide);
    expect(backSums).toEqual(wideSums);
  });
});

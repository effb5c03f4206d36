import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  andersonDarling,
  binnedCountsFromSamples,
  countIntoBins,
  countSortedIntoBins,
  cramerVonMises,
  cramerVonMisesExactSf,
  energyDistance,
  energyDistanceBinned,
  hellingerDistance,
  jensenShannonDistance,
  ksExactTwoSided,
  ksTwoSample,
  ksTwoSampleBinned,
  mannWhitneyExactSf,
  mannWhitneyU,
  mannWhitneyUBinned,
  prepareSample,
  psi,
  quantileBinEdges,
  wassersteinDistance,
  wassersteinDistanceBinned,
} from './index.js';

const value = fc.double({ min: -100, max: 100, noNaN: true, noDefaultInfinity: true });
// Rounded values so that ties (within and across samples) are common.
const sample = fc.array(
  fc.oneof(
    value,
    value.map((v) => Math.round(v)),
  ),
  { minLength: 2, maxLength: 80 },
);
const binCount = fc.integer({ min: 2, max: 12 });

function dataRange(x: ArrayLike<number>, y: ArrayLike<number>): { lower: number; upper: number } {
  return {
    lower: Math.min(...Array.from(x), ...Array.from(y)),
    upper: Math.max(...Array.from(x), ...Array.from(y)),
  };
}

describe('binned methods stay within their documented bounds', () => {
  it('KS: D_binned <= D_raw <= D_binned + largest bin proportion', () => {
    fc.assert(
      fc.property(sample, sample, binCount, (x, y, bins) => {
        const counts = binnedCountsFromSamples(x, y, bins);
        const raw = ksTwoSample(x, y, { method: 'asymptotic' }).statistic;
        const binned = ksTwoSampleBinned(counts, { method: 'asymptotic' }).statistic;
        let largest = 0;
        for (let b = 0; b < counts.reference.length; b++) {
          largest = Math.max(largest, counts.reference[b]! / x.length, counts.current[b]! / y.length);
        }
        expect(binned).toBeLessThanOrEqual(raw + 1e-12);
        expect(raw).toBeLessThanOrEqual(binned + largest + 1e-12);
      }),
      { numRuns: 150 },
    );
  });

  it('Wasserstein and energy: error within Σ(p+q)w/2 and √2(√Σwp² + √Σwq²)', () => {
    fc.assert(
      fc.property(sample, sample, binCount, (x, y, bins) => {
        const counts = binnedCountsFromSamples(x, y, bins);
        const bounds = dataRange(x, y);
        const edges = Array.from(counts.edges);
        edges[0] = Math.min(bounds.lower, edges[1] ?? bounds.lower);
        edges[edges.length - 1] = Math.max(bounds.upper, edges[edges.length - 2] ?? bounds.upper);
        let wBound = 0;
        let eRef = 0;
        let eCur = 0;
        for (let b = 0; b < counts.reference.length; b++) {
          const w = edges[b + 1]! - edges[b]!;
          const p = counts.reference[b]! / x.length;
          const q = counts.current[b]! / y.length;
          wBound += ((p + q) * w) / 2;
          eRef += w * p * p;
          eCur += w * q * q;
        }
        const wError = Math.abs(wassersteinDistanceBinned(counts, bounds) - wassersteinDistance(x, y));
        expect(wError).toBeLessThanOrEqual(wBound + 1e-9);
        const eError = Math.abs(energyDistanceBinned(counts, bounds) - energyDistance(x, y));
        expect(eError).toBeLessThanOrEqual(Math.SQRT2 * (Math.sqrt(eRef) + Math.sqrt(eCur)) + 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('Mann–Whitney: |U_binned - U_raw| <= ½ Σ r_i c_i', () => {
    fc.assert(
      fc.property(sample, sample, binCount, (x, y, bins) => {
        const counts = binnedCountsFromSamples(x, y, bins);
        let withinBinPairs = 0;
        for (let b = 0; b < counts.reference.length; b++)
          withinBinPairs += counts.reference[b]! * counts.current[b]!;
        const diff = Math.abs(mannWhitneyUBinned(counts).statistic - mannWhitneyU(x, y).statistic);
        expect(diff).toBeLessThanOrEqual(withinBinPairs / 2 + 1e-9);
      }),
      { numRuns: 150 },
    );
  });

  it('counting by binary search on sorted data equals counting value by value', () => {
    fc.assert(
      fc.property(sample, sample, binCount, (x, y, bins) => {
        const edges = quantileBinEdges(x, bins);
        expect(Array.from(countSortedIntoBins(prepareSample(y).sorted, edges))).toEqual(
          Array.from(countIntoBins(y, edges)),
        );
        expect(edges[0]).toBe(Number.NEGATIVE_INFINITY);
        expect(edges[edges.length - 1]).toBe(Number.POSITIVE_INFINITY);
      }),
      { numRuns: 100 },
    );
  });
});

describe('symmetry, invariance and ranges', () => {
  it('distances are symmetric, permutation invariant, non-negative; p-values lie in [0, 1]', () => {
    fc.assert(
      fc.property(sample, sample, (x, y) => {
        const shuffled = [...x].reverse();
        expect(wassersteinDistance(x, y)).toBeCloseTo(wassersteinDistance(y, x), 9);
        expect(energyDistance(x, y)).toBeCloseTo(energyDistance(y, x), 9);
        expect(wassersteinDistance(shuffled, y)).toBe(wassersteinDistance(x, y));
        const ks = ksTwoSample(x, y);
        expect(ksTwoSample(y, x).statistic).toBe(ks.statistic);
        expect(ksTwoSample(y, x).pValue).toBeCloseTo(ks.pValue, 12);
        for (const p of [ks.pValue, mannWhitneyU(x, y).pValue, cramerVonMises(x, y).pValue]) {
          expect(p).toBeGreaterThanOrEqual(0);
          expect(p).toBeLessThanOrEqual(1);
        }
        expect(psi(x, y)).toBeGreaterThanOrEqual(0);
        const js = jensenShannonDistance(x, y);
        expect(js).toBeGreaterThanOrEqual(0);
        expect(js).toBeLessThanOrEqual(1);
        const h = hellingerDistance(x, y);
        expect(h).toBeGreaterThanOrEqual(0);
        expect(h).toBeLessThanOrEqual(1);
      }),
      { numRuns: 100 },
    );
  });

  it('identical samples show no drift', () => {
    fc.assert(
      fc.property(sample, (x) => {
        expect(ksTwoSample(x, x).statistic).toBe(0);
        expect(ksTwoSample(x, x).pValue).toBe(1);
        expect(wassersteinDistance(x, x)).toBe(0);
        expect(energyDistance(x, x)).toBe(0);
        expect(psi(x, x)).toBe(0);
        expect(jensenShannonDistance(x, x)).toBe(0);
        if (new Set(x).size > 1) expect(andersonDarling(x, x).pValue).toBe(0.25);
      }),
      { numRuns: 50 },
    );
  });
});

/** All arrangements of m x's and n y's, as booleans (true = x), in sorted order of the pooled sample. */
function* arrangements(m: number, n: number, prefix: boolean[] = []): Generator<boolean[]> {
  if (m === 0 && n === 0) {
    yield prefix;
    return;
  }
  if (m > 0) yield* arrangements(m - 1, n, [...prefix, true]);
  if (n > 0) yield* arrangements(m, n - 1, [...prefix, false]);
}

describe('exact null distributions agree with brute-force enumeration', () => {
  const sizes: [number, number][] = [
    [1, 1],
    [2, 3],
    [3, 3],
    [4, 6],
    [5, 3],
    [6, 6],
    [7, 4],
  ];
  it.each(sizes)('sizes %i and %i', (m, n) => {
    const ksValues: number[] = [];
    const uValues: number[] = [];
    const cvmValues: number[] = [];
    for (const order of arrangements(m, n)) {
      let i = 0;
      let j = 0;
      let d = 0;
      let u = 0;
      let sx = 0;
      let sy = 0;
      order.forEach((isX, rank) => {
        if (isX) {
          i++;
          u += j; // this x beats every y placed before it
          sx += (rank + 1 - i) ** 2;
        } else {
          j++;
          sy += (rank + 1 - j) ** 2;
        }
        d = Math.max(d, Math.abs(i / m - j / n));
      });
      ksValues.push(d);
      uValues.push(u);
      cvmValues.push(m * sx + n * sy);
    }
    const total = ksValues.length;
    for (const d of new Set(ksValues)) {
      const brute = ksValues.filter((v) => v >= d - 1e-12).length / total;
      expect(ksExactTwoSided(m, n, d).pValue).toBeCloseTo(brute, 12);
    }
    for (const u of new Set(uValues)) {
      const brute = uValues.filter((v) => v >= u).length / total;
      expect(mannWhitneyExactSf(m, n, u)).toBeCloseTo(brute, 12);
    }
    for (const u of new Set(cvmValues)) {
      const brute = cvmValues.filter((v) => v >= u).length / total;
      expect(cramerVonMisesExactSf(m, n, u)).toBeCloseTo(brute, 12);
    }
  });
});

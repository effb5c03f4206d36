import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import {
  besselK,
  chiSquareCdf,
  chiSquareSf,
  cramerVonMisesLimitCdf,
  erf,
  erfc,
  fCdf,
  fSf,
  kolmogorovCdf,
  kolmogorovSf,
  kolmogorovSmirnovCdf,
  kolmogorovSmirnovSf,
  logBeta,
  logGamma,
  mean,
  normalCdf,
  normalQuantile,
  normalSf,
  quantileSorted,
  rankAverage,
  regularizedGammaP,
  regularizedGammaQ,
  regularizedIncompleteBeta,
  smirnovSf,
  sortedCopy,
  studentTCdf,
  studentTSf,
  tieCubeSumSorted,
  variance,
} from './index.js';

type Value = number | string | null;
interface Row {
  args: Value[];
  value: Value;
}
type Golden = Record<string, Row[]> & {
  sample: number[];
  quantiles: { q: number; value: number }[];
  rankAverage: number[];
  mean: number;
  variance1: number;
  variance0: number;
  tieCubeSum: number;
};

const golden = loadGolden<Golden>('math');

function num(v: Value): number {
  if (v === null) return Number.NaN;
  if (v === 'Infinity') return Number.POSITIVE_INFINITY;
  if (v === '-Infinity') return Number.NEGATIVE_INFINITY;
  return v as number;
}

/** Relative tolerance per function: tails and asymptotic series are checked relative to the value. */
const functions: Record<string, [(...args: number[]) => number, number]> = {
  normalCdf: [normalCdf, 1e-13],
  normalSf: [normalSf, 1e-13],
  erf: [erf, 1e-14],
  erfc: [erfc, 1e-13],
  normalQuantile: [normalQuantile, 1e-14],
  logGamma: [logGamma, 1e-13],
  // scipy's betaln itself is good to ~4e-11 for a = 5e5 (checked against a 50-digit Stirling series).
  logBeta: [logBeta, 1e-10],
  regularizedGammaP: [regularizedGammaP, 1e-11],
  regularizedGammaQ: [regularizedGammaQ, 1e-11],
  regularizedIncompleteBeta: [regularizedIncompleteBeta, 5e-11],
  chiSquareSf: [chiSquareSf, 1e-11],
  chiSquareCdf: [chiSquareCdf, 1e-11],
  studentTSf: [studentTSf, 1e-11],
  studentTCdf: [studentTCdf, 1e-11],
  fSf: [fSf, 1e-11],
  fCdf: [fCdf, 1e-11],
  kolmogorovSf: [kolmogorovSf, 1e-13],
  kolmogorovCdf: [kolmogorovCdf, 1e-13],
  kolmogorovSmirnovSf: [kolmogorovSmirnovSf, 1e-9],
  kolmogorovSmirnovCdf: [kolmogorovSmirnovCdf, 1e-9],
  smirnovSf: [smirnovSf, 1e-10],
  cramerVonMisesLimitCdf: [cramerVonMisesLimitCdf, 1e-12],
  besselK: [besselK, 1e-13],
};

describe('special functions and distributions match scipy', () => {
  for (const [name, [fn, tol]] of Object.entries(functions)) {
    it(name, () => {
      const rows = golden[name];
      expect(rows?.length).toBeGreaterThan(0);
      for (const row of rows ?? []) {
        const args = row.args.map(num);
        const want = num(row.value);
        const got = fn(...args);
        // Relative comparison, so that tiny tail probabilities are checked digit for digit.
        if (Number.isFinite(want) && want !== 0) {
          expectClose(got / want, 1, tol, `${name}(${args.join(', ')}) = ${got} vs ${want}`);
        } else {
          expectClose(got, want, tol, `${name}(${args.join(', ')})`);
        }
      }
    });
  }
});

describe('descriptive statistics match numpy / scipy', () => {
  const sample = golden.sample;
  const sorted = sortedCopy(sample);

  it('quantileSorted (numpy linear)', () => {
    for (const { q, value } of golden.quantiles)
      expectClose(quantileSorted(sorted, q), value, 1e-15, `q=${q}`);
  });

  it('rankAverage (scipy rankdata average)', () => {
    const ranks = rankAverage(sample);
    expect(Array.from(ranks)).toEqual(golden.rankAverage);
  });

  it('mean, variance, tie correction', () => {
    expectClose(mean(sample), golden.mean, 1e-14, 'mean');
    expectClose(variance(sample), golden.variance1, 1e-14, 'variance ddof=1');
    expectClose(variance(sample, 0), golden.variance0, 1e-14, 'variance ddof=0');
    expect(tieCubeSumSorted(sorted)).toBe(golden.tieCubeSum);
  });

  it('sortedCopy drops NaN and sorts ascending', () => {
    expect(Array.from(sortedCopy([3, Number.NaN, -1, 2]))).toEqual([-1, 2, 3]);
  });
});

describe('properties', () => {
  it('normalQuantile inverts normalCdf', () => {
    fc.assert(
      fc.property(fc.double({ min: -30, max: 0, noNaN: true }), (x) => {
        // Lower tail only: there the CDF keeps full relative precision, so the round trip is exact.
        expect(Math.abs(normalQuantile(normalCdf(x)) - x)).toBeLessThan(1e-13 * Math.max(1, Math.abs(x)));
      }),
      { numRuns: 200 },
    );
  });

  it('P + Q = 1 for the incomplete gamma function', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 500, noNaN: true }),
        fc.double({ min: 0, max: 800, noNaN: true }),
        (a, x) => {
          expect(Math.abs(regularizedGammaP(a, x) + regularizedGammaQ(a, x) - 1)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('Student t is symmetric and Kolmogorov–Smirnov CDF + SF = 1', () => {
    fc.assert(
      fc.property(
        fc.double({ min: -50, max: 50, noNaN: true }),
        fc.double({ min: 0.5, max: 1e4, noNaN: true }),
        (t, df) => {
          expect(Math.abs(studentTSf(t, df) - studentTCdf(-t, df))).toBeLessThan(1e-14);
          expect(Math.abs(studentTSf(t, df) + studentTSf(-t, df) - 1)).toBeLessThan(1e-12);
        },
      ),
      { numRuns: 200 },
    );
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 400 }), fc.double({ min: 0, max: 1, noNaN: true }), (n, x) => {
        expect(Math.abs(kolmogorovSmirnovCdf(n, x) + kolmogorovSmirnovSf(n, x) - 1)).toBeLessThan(
          ksCdfPlusSfTolerance(n, x),
        );
        expect(Math.abs(kolmogorovCdf(x * 3) + kolmogorovSf(x * 3) - 1)).toBeLessThan(1e-14);
      }),
      { numRuns: 100 },
    );
  });

  it('Kolmogorov–Smirnov CDF + SF = 1 where scipy kstwo computes both from one approximation', () => {
    // The case fast-check once found with a random seed: scipy's own sum there is 0.9999994834.
    const n = 141;
    const x = 0.12491131605836449;
    expect(Math.abs(kolmogorovSmirnovCdf(n, x) + kolmogorovSmirnovSf(n, x) - 1)).toBeLessThan(1e-6);
    expect(ksCdfPlusSfTolerance(n, x)).toBe(1e-6);
    expect(ksCdfPlusSfTolerance(140, x)).toBe(1e-14);
    expect(ksCdfPlusSfTolerance(n, 0.1)).toBe(1e-14);
  });
});

/**
 * How closely scipy's kstwo satisfies CDF + SF = 1, which is what Vigil's (equal to scipy's to
 * 1e-16) can promise. For n <= 140, and for n > 140 below n·x² = 2.2, both come from one
 * approximation and are exact complements. For n > 140 from n·x² = 2.2 on, the SF is Smirnov's
 * series and the CDF Pelz–Good or Durbin's matrix: two approximations that scipy lets disagree
 * by up to 5.2e-7 (n = 141, x = 0.125 on a grid over n = 141..400), so the sum is held to 1e-6.
 */
function ksCdfPlusSfTolerance(n: number, x: number): number {
  return n > 140 && n * x * x >= 2.2 ? 1e-6 : 1e-14;
}

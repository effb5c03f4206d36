import { describe, expect, it } from 'vitest';
import { expectClose, expectStatisticAndP, loadGolden } from '../test-support.js';
import {
  andersonDarling,
  andersonDarlingBinned,
  binnedCountsFromSamples,
  cramerVonMises,
  cramerVonMisesBinned,
  energyDistance,
  energyDistanceBinned,
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  ksTwoSample,
  ksTwoSampleBinned,
  mannWhitneyU,
  mannWhitneyUBinned,
  prepareSample,
  psi,
  quantileBinEdges,
  studentTTest,
  tTestBinned,
  wassersteinDistance,
  wassersteinDistanceBinned,
  wassersteinNormed,
  welchTTest,
} from './index.js';

interface GeneratorSpec {
  n: number;
  a: number;
  m: number;
  scale: number;
  shift: number;
}
interface TestResult {
  statistic: number;
  pValue: number;
}
interface Case {
  name: string;
  reference?: number[];
  current?: number[];
  generated?: { reference: GeneratorSpec; current: GeneratorSpec };
  expected: {
    ks: TestResult & { method: string; location: number; sign: number };
    wasserstein: number;
    wassersteinNormed: number;
    energy: number;
    andersonDarling: TestResult & { criticalValues: number[] };
    cramerVonMises: TestResult & { method: string };
    mannWhitney: TestResult;
    mannWhitneyExact?: TestResult;
    welch: TestResult & { df: number };
    student: TestResult & { df: number };
    bins: { edges: (number | string)[]; reference: number[]; current: number[] };
    histogram: { psi: number; jensenShannon: number; hellinger: number; kl: number };
  };
  binned: {
    bounds: { lower: number; upper: number };
    ks: TestResult;
    andersonDarling: TestResult;
    cramerVonMises: TestResult;
    mannWhitney: TestResult;
    wasserstein: number;
    energy: number;
    welch: TestResult;
  };
}

const golden = loadGolden<{ cases: Case[] }>('drift_numeric');

/** Same integer arithmetic as the generator script: ((k·a mod m)² / m²)·scale + shift. */
function generate(spec: GeneratorSpec): Float64Array {
  const out = new Float64Array(spec.n);
  for (let k = 0; k < spec.n; k++) {
    const r = Number((BigInt(k) * BigInt(spec.a)) % BigInt(spec.m));
    out[k] = ((r * r) / (spec.m * spec.m)) * spec.scale + spec.shift;
  }
  return out;
}

function inputs(c: Case): [Float64Array, Float64Array] {
  if (c.generated) return [generate(c.generated.reference), generate(c.generated.current)];
  return [Float64Array.from(c.reference ?? []), Float64Array.from(c.current ?? [])];
}

function edgeValue(e: number | string): number {
  return e === '-Infinity'
    ? Number.NEGATIVE_INFINITY
    : e === 'Infinity'
      ? Number.POSITIVE_INFINITY
      : (e as number);
}

describe.each(golden.cases)('$name', (c) => {
  const [rawX, rawY] = inputs(c);
  const x = prepareSample(rawX);
  const y = prepareSample(rawY);
  const e = c.expected;

  it('Kolmogorov–Smirnov matches scipy ks_2samp', () => {
    const r = ksTwoSample(x, y);
    expectStatisticAndP(r, e.ks, 'KS', 1e-12);
    expect(r.method).toBe(e.ks.method);
    expect(r.location).toBe(e.ks.location);
    expect(r.sign).toBe(e.ks.sign);
    // Raw arrays (unsorted) give the same answer as prepared samples.
    expect(ksTwoSample(rawX, rawY).pValue).toBe(r.pValue);
  });

  it('Wasserstein, normed Wasserstein and energy distance match scipy / Evidently', () => {
    expectClose(wassersteinDistance(x, y), e.wasserstein, 1e-9, 'wasserstein');
    expectClose(wassersteinNormed(x, y), e.wassersteinNormed, 1e-9, 'wasserstein normed');
    expectClose(energyDistance(x, y), e.energy, 1e-9, 'energy');
  });

  it('Anderson–Darling matches scipy anderson_ksamp(midrank=True)', () => {
    const r = andersonDarling(x, y);
    expectStatisticAndP(r, e.andersonDarling, 'AD');
    r.criticalValues.forEach((v, i) => {
      expectClose(v, e.andersonDarling.criticalValues[i]!, 1e-12, `critical ${i}`);
    });
  });

  it('Cramér–von Mises matches scipy cramervonmises_2samp', () => {
    const r = cramerVonMises(x, y);
    expectStatisticAndP(r, e.cramerVonMises, 'CvM');
    expect(r.method).toBe(e.cramerVonMises.method);
  });

  it('Mann–Whitney matches scipy mannwhitneyu', () => {
    const r = mannWhitneyU(x, y);
    expectStatisticAndP(r, e.mannWhitney, 'U', 1e-12);
    if (e.mannWhitneyExact) {
      const exact = mannWhitneyU(x, y, { method: 'exact' });
      expectClose(exact.pValue, e.mannWhitneyExact.pValue, 1e-9, 'exact p');
    }
  });

  it("Welch's and Student's t-tests match scipy ttest_ind", () => {
    const w = welchTTest(x, y);
    expectClose(w.statistic, e.welch.statistic, 1e-9, 'welch t');
    expectClose(w.degreesOfFreedom, e.welch.df, 1e-9, 'welch df');
    expectClose(w.pValue, e.welch.pValue, 1e-9, 'welch p');
    const s = studentTTest(x, y);
    expectStatisticAndP(s, e.student, 'student t');
  });

  it('quantile bins, PSI, Jensen–Shannon, Hellinger and KL match the numpy / scipy reference', () => {
    expect(Array.from(quantileBinEdges(x))).toEqual(e.bins.edges.map(edgeValue));
    const counts = binnedCountsFromSamples(x, y);
    expect(Array.from(counts.reference)).toEqual(e.bins.reference);
    expect(Array.from(counts.current)).toEqual(e.bins.current);
    expectClose(psi(x, y), e.histogram.psi, 1e-9, 'psi');
    expectClose(jensenShannonDistance(x, y), e.histogram.jensenShannon, 1e-9, 'js');
    expectClose(hellingerDistance(x, y), e.histogram.hellinger, 1e-9, 'hellinger');
    expectClose(klDivergence(x, y), e.histogram.kl, 1e-9, 'kl');
  });

  it('binned methods match scipy on bin indices / bin midpoints', () => {
    const counts = binnedCountsFromSamples(x, y);
    const b = c.binned;
    const ks = ksTwoSampleBinned(counts);
    expectStatisticAndP(ks, b.ks, 'binned KS', 1e-12);
    const ad = andersonDarlingBinned(counts);
    expectStatisticAndP(ad, b.andersonDarling, 'binned AD');
    const cvm = cramerVonMisesBinned(counts);
    expectStatisticAndP(cvm, b.cramerVonMises, 'binned CvM');
    const mw = mannWhitneyUBinned(counts);
    expectStatisticAndP(mw, b.mannWhitney, 'binned U', 1e-12);
    expectClose(wassersteinDistanceBinned(counts, b.bounds), b.wasserstein, 1e-9, 'binned wasserstein');
    expectClose(energyDistanceBinned(counts, b.bounds), b.energy, 1e-9, 'binned energy');
    const t = tTestBinned(counts, b.bounds);
    expectStatisticAndP(t, b.welch, 'binned t');
  });
});

import { describe, expect, it } from 'vitest';
import {
  andersonDarling,
  binnedCountsFromSamples,
  cramerVonMises,
  energyDistance,
  hellingerDistance,
  jensenShannonDistance,
  klDivergence,
  ksTwoSample,
  mannWhitneyU,
  prepareSample,
  psi,
  wassersteinNormed,
  welchTTest,
} from './index.js';

/** Deterministic pseudo-normal values (sum of uniforms from a linear congruential generator). */
function sample(n: number, shift: number, seed: number): Float64Array {
  const out = new Float64Array(n);
  let state = seed;
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let k = 0; k < 4; k++) {
      state = (state * 1103515245 + 12345) % 2147483648;
      s += state / 2147483648;
    }
    out[i] = s - 2 + shift;
  }
  return out;
}

describe('500,000 vs 500,000 values', () => {
  const rawX = sample(500_000, 0, 1);
  const rawY = sample(500_000, 0.01, 2);

  it('sorting once, then each method in well under a second', () => {
    const t0 = performance.now();
    const x = prepareSample(rawX);
    const y = prepareSample(rawY);
    const timings: Record<string, number> = { sort: performance.now() - t0 };
    const methods: Record<string, () => unknown> = {
      ks: () => ksTwoSample(x, y),
      wassersteinNormed: () => wassersteinNormed(x, y),
      energy: () => energyDistance(x, y),
      andersonDarling: () => andersonDarling(x, y),
      cramerVonMises: () => cramerVonMises(x, y),
      mannWhitney: () => mannWhitneyU(x, y),
      welch: () => welchTTest(x, y),
      psi: () => psi(x, y),
      jensenShannon: () => jensenShannonDistance(x, y),
      hellinger: () => hellingerDistance(x, y),
      kl: () => klDivergence(x, y),
      binCounts: () => binnedCountsFromSamples(x, y, 20),
    };
    for (const [name, run] of Object.entries(methods)) {
      const start = performance.now();
      run();
      timings[name] = performance.now() - start;
    }
    // About 50-250 ms each on an idle machine (cold, first call); the bound leaves room for busy CI hosts.
    for (const [name, ms] of Object.entries(timings))
      expect(ms, `${name} took ${ms.toFixed(0)} ms`).toBeLessThan(1000);
    // A shift of 0.01 standard deviations is detected with half a million rows.
    expect(ksTwoSample(x, y).pValue).toBeLessThan(0.05);
  });
});

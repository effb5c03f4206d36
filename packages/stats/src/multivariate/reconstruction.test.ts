import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowBounds } from '../estimation/windows.js';
import { createSeededNormals } from '../math/random.js';
import { expectClose, expectEstimate, type GoldenEstimate, loadGolden } from '../test-support.js';
import {
  evaluateReconstructionWindow,
  fitDataReconstruction,
  reconstructionComplement,
  reconstructionErrors,
} from './reconstruction.js';
import type { FeatureColumns } from './tabular.js';

interface GoldenCase {
  name: string;
  chunkSize: number;
  components: number;
  reference: { numeric: Array<Array<number | null>>; categorical: string[][] | null };
  analysis: { numeric: Array<Array<number | null>>; categorical: string[][] | null };
  chunks: Array<{ period: 'reference' | 'analysis'; start: number; end: number } & Required<GoldenEstimate>>;
}

const golden = loadGolden<{ cases: GoldenCase[] }>('multivariate-reconstruction');

const toColumns = (data: GoldenCase['reference']): FeatureColumns => ({
  numeric: data.numeric.map((c) => Float64Array.from(c, (v) => (v === null ? Number.NaN : v))),
  categorical: data.categorical ?? [],
});

const sliceColumns = (columns: FeatureColumns, start: number, end: number): FeatureColumns => ({
  numeric: columns.numeric.map((c) => (c as Float64Array).subarray(start, end)),
  categorical: (columns.categorical ?? []).map((c) => (c as string[]).slice(start, end)),
});

describe('data reconstruction drift against NannyML', () => {
  for (const c of golden.cases) {
    it(c.name, () => {
      const reference = toColumns(c.reference);
      const analysis = toColumns(c.analysis);
      const model = fitDataReconstruction(reference, { windowSize: c.chunkSize });
      expect(model.components.length).toBe(c.components);
      expect(JSON.parse(JSON.stringify(model))).toEqual(model);
      for (const chunk of c.chunks) {
        const source = chunk.period === 'reference' ? reference : analysis;
        const got = evaluateReconstructionWindow(model, sliceColumns(source, chunk.start, chunk.end));
        expectEstimate(got, chunk, `${chunk.period} [${chunk.start}, ${chunk.end})`);
      }
    });
  }
});

describe('data reconstruction properties', () => {
  it('errors do not depend on the order of the rows', () => {
    const c = golden.cases[0]!;
    const reference = toColumns(c.reference);
    const model = fitDataReconstruction(reference, { windowSize: c.chunkSize });
    const [start, end] = windowBounds(c.analysis.numeric[0]!.length, 300)[2]!;
    const window = sliceColumns(toColumns(c.analysis), start, end);
    const reversed: FeatureColumns = {
      numeric: window.numeric.map((col) => Float64Array.from(col).reverse()),
    };
    expectClose(
      evaluateReconstructionWindow(model, reversed).value,
      evaluateReconstructionWindow(model, window).value,
      1e-12,
      'reversed',
    );
  });

  it('reconstructs data lying in the kept subspace exactly', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: -1000, max: 1000 }), { minLength: 5, maxLength: 50 }), (t) => {
        // three perfectly correlated columns: one component explains everything
        const numeric = [
          Float64Array.from(t),
          Float64Array.from(t, (v) => 2 * v + 1),
          Float64Array.from(t, (v) => -v),
        ];
        if (new Set(t).size < 2) return;
        const model = fitDataReconstruction({ numeric });
        expect(model.components.length).toBe(1);
        for (const e of reconstructionErrors(model, { numeric })) expect(e).toBeLessThan(1e-9);
      }),
      { numRuns: 50 },
    );
  });

  it('always leaves a residual: two uncorrelated features keep one axis, not both', () => {
    // Each standardised axis explains about half the variance, so the 65% rule alone would keep
    // both and reconstruct every row exactly: the errors would be rounding noise.
    const n = 400;
    const a = Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i * 12.9898) * 43758.5453 - Math.floor(Math.sin(i * 12.9898) * 43758.5453),
    );
    const b = Float64Array.from(
      { length: n },
      (_, i) => Math.sin(i * 78.233) * 12345.678 - Math.floor(Math.sin(i * 78.233) * 12345.678),
    );
    const model = fitDataReconstruction({ numeric: [a, b] });
    expect(model.components.length).toBe(1);
    const errors = reconstructionErrors(model, { numeric: [a, b] });
    expect(errors.reduce((sum, e) => sum + e, 0) / n).toBeGreaterThan(0.1);
  });
});

/** Numeric columns mixed from a few shared factors (so the PCA keeps some axes), and a categorical one. */
function mixedColumns(seed: number, width: number, factors: number, n: number): FeatureColumns {
  const rng = createSeededNormals(seed);
  const loadings = Array.from({ length: width }, () => Array.from({ length: factors }, () => rng.normal()));
  const numeric = Array.from({ length: width }, () => new Float64Array(n));
  const categorical: Array<Array<string | null>> = [[]];
  for (let i = 0; i < n; i++) {
    const f = Array.from({ length: factors }, () => rng.normal());
    for (let j = 0; j < width; j++) {
      const v = loadings[j]!.reduce((sum, l, k) => sum + l * f[k]!, 0) + 0.5 * rng.normal();
      numeric[j]![i] = rng.uniform() < 0.02 ? Number.NaN : 100 * j + (1 + j) * v;
    }
    categorical[0]!.push(rng.uniform() < 0.05 ? null : 'abcde'[Math.floor(rng.uniform() * 5)]!);
  }
  return { numeric, categorical };
}

describe('data reconstruction measured in the complement', () => {
  it('gives the errors of subtracting each component, to rounding', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 31 - 1 }),
        fc.integer({ min: 3, max: 24 }),
        fc.integer({ min: 1, max: 6 }),
        fc.double({ min: 0.5, max: 0.95, noNaN: true }),
        (seed, width, factors, varianceShare) => {
          const model = fitDataReconstruction(mixedColumns(seed, width, factors, 300), { varianceShare });
          const complement = reconstructionComplement(model);
          const d = width + 1;
          const kept = model.components.length;
          expect(complement === null).toBe(d - kept >= 2 * kept);
          if (complement === null) return;
          const window = mixedColumns(seed + 1, width, factors, 200);
          const direct = reconstructionErrors(model, window, null);
          const measured = reconstructionErrors(model, window, complement);
          expect(reconstructionErrors(model, window)).toEqual(measured);
          for (let i = 0; i < direct.length; i++)
            expect(Math.abs(measured[i]! - direct[i]!)).toBeLessThanOrEqual(1e-12 * Math.max(1, direct[i]!));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('is an orthonormal basis of what the kept components leave out', () => {
    const model = fitDataReconstruction(mixedColumns(7, 20, 12, 400), { varianceShare: 0.9 });
    expect(model.components.length).toBeGreaterThan(7);
    const complement = reconstructionComplement(model)!;
    const d = complement.width;
    const left = complement.basis.length / d;
    expect(left).toBe(d - model.components.length);
    const basis = Array.from({ length: left }, (_, k) => complement.basis.subarray(k * d, (k + 1) * d));
    const dot = (a: ArrayLike<number>, b: ArrayLike<number>) => {
      let sum = 0;
      for (let j = 0; j < d; j++) sum += a[j]! * b[j]!;
      return sum;
    };
    for (const [k, v] of basis.entries()) {
      for (const [l, w] of basis.entries()) expectClose(dot(v, w), k === l ? 1 : 0, 1e-13, `basis ${k}·${l}`);
      for (const axis of model.components) expectClose(dot(v, axis), 0, 1e-13, `basis ${k}·axis`);
    }
  });

  it('is not built when subtracting the components costs no more', () => {
    // Two strong factors over 20 columns: a few axes kept, many left out.
    const model = fitDataReconstruction(mixedColumns(3, 20, 2, 400), { varianceShare: 0.5 });
    expect(model.components.length).toBeLessThan(7);
    expect(reconstructionComplement(model)).toBeNull();
  });
});

import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { windowBounds } from '../estimation/windows.js';
import { expectClose, expectEstimate, type GoldenEstimate, loadGolden } from '../test-support.js';
import {
  evaluateReconstructionWindow,
  fitDataReconstruction,
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

import { describe, expect, it } from 'vitest';
import { expectEstimate, type GoldenEstimate, loadGolden } from '../test-support.js';
import { BINARY_METRICS } from './binary-metrics.js';
import { estimateCbpeBinary, fitCbpeBinary } from './cbpe-binary.js';
import { windowBounds } from './windows.js';

interface BinaryGolden {
  chunkSize: number;
  reference: { scores: number[]; labels: number[]; predictions: number[] };
  analysis: { scores: number[]; predictions: number[] };
  needsCalibration: boolean;
  calibratedReferenceHead: number[];
  chunks: Array<{ start: number; end: number } & Record<string, Required<GoldenEstimate>>>;
}

const golden = loadGolden<BinaryGolden>('estimation-cbpe-binary');
const model = fitCbpeBinary(golden.reference, { windowSize: golden.chunkSize });

describe('CBPE binary against NannyML', () => {
  it('takes the same calibration decision and calibrates identically', () => {
    expect(model.calibration !== null).toBe(golden.needsCalibration);
  });

  it('survives a JSON round trip', () => {
    expect(JSON.parse(JSON.stringify(model))).toEqual(model);
  });

  for (const chunk of golden.chunks) {
    it(`window [${chunk.start}, ${chunk.end})`, () => {
      const window = {
        scores: golden.analysis.scores.slice(chunk.start, chunk.end),
        predictions: golden.analysis.predictions.slice(chunk.start, chunk.end),
      };
      const estimates = estimateCbpeBinary(model, window);
      for (const m of BINARY_METRICS) {
        expectEstimate(estimates.metrics[m]!, chunk[m]!, m);
      }
    });
  }
});

describe('CBPE binary behaviour', () => {
  it('estimates the realized metrics on well-calibrated data', () => {
    // labels drawn from the scores themselves: estimates must match realized metrics closely
    let seed = 1;
    const random = () => {
      seed = (seed * 1103515245 + 12345) % 2147483648;
      return seed / 2147483648;
    };
    const n = 20000;
    const scores = Float64Array.from({ length: n }, () => random());
    const labels = scores.map((p) => (random() < p ? 1 : 0));
    const predictions = scores.map((p) => (p >= 0.5 ? 1 : 0));
    const fitted = fitCbpeBinary({ scores, labels, predictions }, { windowSize: 2000 });
    const [start, end] = windowBounds(n, 5000)[1]!;
    const est = estimateCbpeBinary(fitted, {
      scores: scores.subarray(start, end),
      predictions: predictions.subarray(start, end),
    });
    let correct = 0;
    for (let i = start; i < end; i++) if (labels[i] === predictions[i]) correct++;
    expect(Math.abs(est.metrics.accuracy!.value - correct / (end - start))).toBeLessThan(0.03);
    for (const m of BINARY_METRICS) expect(Number.isFinite(est.metrics[m]!.value)).toBe(true);
  });
});

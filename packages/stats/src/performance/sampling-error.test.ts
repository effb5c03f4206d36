import { describe, expect, it } from 'vitest';
import { expectClose, loadGolden } from '../test-support.js';
import { accuracyScore } from './classification.js';
import { confusionMatrix } from './confusion-matrix.js';
import { bootstrapInterval, normalInterval, takeAt } from './interval.js';
import {
  aucSamplingError,
  chunkedStandardError,
  confusionSamplingError,
  regressionSamplingError,
  samplingStandardError,
} from './sampling-error.js';

interface SamplingCase {
  yTrue: number[];
  yPred: number[];
  scores: number[];
  sampleSize: number;
  metrics: Record<'accuracy' | 'precision' | 'recall' | 'specificity' | 'f1' | 'auc', number>;
  regression: { yTrue: number[]; yPred: number[]; metrics: Record<'mae' | 'mse' | 'rmse' | 'mape', number> };
  chunked: { chunkSize: number; accuracy: number };
}

const golden = loadGolden<{ samplingError: SamplingCase }>('performance').samplingError;

function binaryCounts(yTrue: number[], yPred: number[]) {
  const counts = { truePositives: 0, falsePositives: 0, falseNegatives: 0, trueNegatives: 0 };
  yTrue.forEach((t, i) => {
    const p = yPred[i];
    if (t === 1 && p === 1) counts.truePositives++;
    else if (t === 0 && p === 1) counts.falsePositives++;
    else if (t === 1) counts.falseNegatives++;
    else counts.trueNegatives++;
  });
  return counts;
}

describe('sampling error matches NannyML', () => {
  const counts = binaryCounts(golden.yTrue, golden.yPred);
  for (const metric of ['accuracy', 'precision', 'recall', 'specificity', 'f1'] as const) {
    it(metric, () => {
      const model = confusionSamplingError(metric, counts);
      expectClose(samplingStandardError(model, golden.sampleSize), golden.metrics[metric], 1e-9, metric);
    });
  }

  it('auc', () => {
    const model = aucSamplingError(golden.yTrue, golden.scores);
    expectClose(samplingStandardError(model, golden.sampleSize), golden.metrics.auc, 1e-9, 'auc');
  });

  for (const metric of ['mae', 'mse', 'rmse', 'mape'] as const) {
    it(metric, () => {
      const { yTrue, yPred, metrics } = golden.regression;
      const model = regressionSamplingError(metric, yTrue, yPred);
      expectClose(samplingStandardError(model, golden.sampleSize), metrics[metric], 1e-9, metric);
    });
  }

  it('chunked standard error matches the numpy reference', () => {
    const t = golden.yTrue;
    const p = golden.yPred;
    const se = chunkedStandardError(
      t.length,
      golden.chunked.chunkSize,
      (start, end) => accuracyScore(confusionMatrix(t.slice(start, end), p.slice(start, end))),
      golden.sampleSize,
    );
    expectClose(se, golden.chunked.accuracy, 1e-9, 'chunked');
  });
});

describe('intervals', () => {
  it('normalInterval is symmetric around the value', () => {
    expect(normalInterval(0.8, 0.01, 3)).toEqual({
      value: 0.8,
      lower: 0.8 - 0.03,
      upper: 0.8 + 0.03,
      standardError: 0.01,
    });
  });

  it('bootstrap is deterministic per seed and agrees with the analytic error of accuracy', () => {
    const correct = new Uint8Array(golden.yTrue.map((t, i) => (t === golden.yPred[i] ? 1 : 0)));
    const buffer = new Uint8Array(correct.length);
    const accuracy = (indices: Uint32Array) => {
      takeAt(correct, indices, buffer);
      let sum = 0;
      for (const v of buffer) sum += v;
      return sum / buffer.length;
    };
    const a = bootstrapInterval(correct.length, accuracy, { seed: 7, resamples: 400 });
    const b = bootstrapInterval(correct.length, accuracy, { seed: 7, resamples: 400 });
    expect(a).toEqual(b);
    const q = a.value;
    const analytic = Math.sqrt((q * (1 - q)) / correct.length);
    expect(Math.abs(a.standardError / analytic - 1)).toBeLessThan(0.15);
    expect(a.lower).toBeLessThan(a.value);
    expect(a.upper).toBeGreaterThan(a.value);
    const other = bootstrapInterval(correct.length, accuracy, { seed: 8, resamples: 400 });
    expect(other.lower).not.toBe(a.lower);
  });

  it('drops NaN replicates', () => {
    let call = 0;
    const result = bootstrapInterval(10, () => (call++ % 2 === 0 ? Number.NaN : 1), { resamples: 20 });
    expect(result.lower).toBe(1);
    expect(result.upper).toBe(1);
  });
});

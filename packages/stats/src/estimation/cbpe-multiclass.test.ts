import { describe, expect, it } from 'vitest';
import { expectEstimate, type GoldenEstimate, loadGolden } from '../test-support.js';
import { estimateCbpeMulticlass, fitCbpeMulticlass, MULTICLASS_METRICS } from './cbpe-multiclass.js';

interface MulticlassGolden {
  chunkSize: number;
  classes: string[];
  reference: { scores: number[][]; labels: number[]; predictions: number[] };
  analysis: { scores: number[][]; predictions: number[] };
  needsCalibration: Record<string, boolean>;
  chunks: Array<{ start: number; end: number } & Record<string, GoldenEstimate>>;
}

const golden = loadGolden<MulticlassGolden>('estimation-cbpe-multiclass');
const model = fitCbpeMulticlass(
  { classes: golden.classes, ...golden.reference },
  { windowSize: golden.chunkSize },
);

describe('CBPE multiclass against NannyML', () => {
  it('takes the same calibration decisions', () => {
    golden.classes.forEach((c, k) => {
      expect(model.calibrations[k] !== null, c).toBe(golden.needsCalibration[c]);
    });
  });

  for (const chunk of golden.chunks) {
    it(`window [${chunk.start}, ${chunk.end})`, () => {
      const estimates = estimateCbpeMulticlass(model, {
        scores: golden.analysis.scores.map((s) => s.slice(chunk.start, chunk.end)),
        predictions: golden.analysis.predictions.slice(chunk.start, chunk.end),
      });
      for (const m of MULTICLASS_METRICS) {
        // The last class's scores contain ties; NannyML orders tied rows with numpy's unstable sort,
        // and its ROC AUC rounds running sums, so tie order moves ROC AUC and its error by ~1e-8.
        expectEstimate(estimates.metrics[m]!, chunk[m]!, m, m === 'roc_auc' ? 1e-7 : 1e-9, false);
      }
    });
  }
});

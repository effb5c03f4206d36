/**
 * Binned CBPE against NannyML's CBPE (scripts/golden/estimation.py, fixture
 * estimation-cbpe-calibrated.json): a binary classifier whose scores are calibrated, 20,000
 * labelled reference rows, 10 analysis chunks of 1,000 rows, the last five shifted.
 *
 * Why these data: NannyML calibrates only when cross-validation says calibration helps; on
 * calibrated scores it does not (the fixture records `needsCalibration: false`) and estimates
 * from the raw scores. Vigil always applies its isotonic calibration, learnt on 1,000-bin
 * histograms; on calibrated scores that map is the identity up to the noise of the reference's
 * positive rate, so the two must agree, and a systematic gap would be a fault of binning or
 * calibration. On mis-calibrated scores the two differ by design (NannyML fits its calibrator on
 * rows and may skip it), so they are not compared there.
 *
 * Two checks. Binning alone is exact: with the identity as calibration (what NannyML uses
 * here), a bin's expected true positives are the sum of its scores, which the histogram carries,
 * so the estimates equal NannyML's to rounding (1e-9). With Vigil's isotonic calibration the
 * estimates run slightly high (mean gap +0.0035, worst 0.0065 at the time of writing): an
 * isotonic fit follows the noise of the reference's positive rates, which makes calibrated scores
 * a little more confident than the truth. The tolerance is 0.01 per metric and chunk, and 0.005
 * for the mean gap, so a systematic error in binning or calibration beyond that shows.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  CBPE_BINS,
  CBPE_EDGES,
  calibrationOnBins,
  expectedConfusion,
  metricsFromConfusion,
  type ScoreHistogram,
} from './cbpe-binned.js';

interface Fixture {
  generator: string;
  threshold: number;
  reference: { scores: number[]; labels: number[] };
  analysis: { scores: number[] };
  needsCalibration: boolean;
  chunks: ({ start: number; end: number } & Record<'accuracy' | 'precision' | 'recall' | 'f1', number>)[];
}

const fixture = JSON.parse(
  readFileSync(
    new URL('../../../../stats/fixtures/golden/estimation-cbpe-calibrated.json', import.meta.url),
    'utf8',
  ),
) as Fixture;

/** The histogram the engine returns: bin i holds values in [edges[i], edges[i+1]). */
function histogram(scores: number[], keep: (i: number) => boolean = () => true): ScoreHistogram {
  const counts = new Array<number>(CBPE_BINS).fill(0);
  const sums = new Array<number>(CBPE_BINS).fill(0);
  scores.forEach((s, i) => {
    if (!keep(i)) return;
    let lo = 0;
    let hi = CBPE_BINS - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (s >= CBPE_EDGES[mid]!) lo = mid;
      else hi = mid - 1;
    }
    counts[lo]!++;
    sums[lo]! += s;
  });
  return { counts, sums };
}

function estimates(calibrated: (scores: number[]) => Float64Array) {
  return fixture.chunks.map((chunk) => {
    const window = fixture.analysis.scores.slice(chunk.start, chunk.end);
    const positive = (i: number) => window[i]! >= fixture.threshold;
    return metricsFromConfusion(
      expectedConfusion(
        calibrated,
        histogram(window, positive),
        histogram(window, (i) => !positive(i)),
      ),
    );
  });
}

const METRICS = ['accuracy', 'precision', 'recall', 'f1'] as const;

describe('binned CBPE against NannyML', () => {
  it('bins exactly: with the identity as calibration it equals NannyML to rounding', () => {
    expect(fixture.needsCalibration).toBe(false);
    estimates((scores) => Float64Array.from(scores)).forEach((estimate, c) => {
      for (const metric of METRICS)
        expect(estimate[metric]!.value).toBeCloseTo(fixture.chunks[c]![metric], 9);
    });
  });

  it(`with isotonic calibration stays within 0.01 of NannyML on calibrated scores (${fixture.generator})`, () => {
    const { scores, labels } = fixture.reference;
    const calibrated = calibrationOnBins(
      histogram(scores),
      histogram(scores, (i) => labels[i] === 1),
    );
    const gaps: number[] = [];
    estimates(calibrated).forEach((estimate, c) => {
      const chunk = fixture.chunks[c]!;
      for (const metric of METRICS) {
        const gap = estimate[metric]!.value - chunk[metric];
        gaps.push(gap);
        expect(Math.abs(gap), `${metric} of rows ${chunk.start}-${chunk.end}`).toBeLessThan(0.01);
      }
    });
    const meanGap = gaps.reduce((a, b) => a + b, 0) / gaps.length;
    const worst = Math.max(...gaps.map(Math.abs));
    console.log(`binned CBPE vs NannyML: mean gap ${meanGap.toFixed(5)}, worst ${worst.toFixed(5)}`);
    expect(Math.abs(meanGap)).toBeLessThan(0.005);
  });
});
